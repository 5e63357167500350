"""The rights information for domestic workers (recommendations 36 and 38).

The plain-language text lives in notifications/rights_content/<code>.toml, one file per language
with its review status (docs/rights-information.md says how it is written and reviewed). This
module loads and checks it, fills in the host state's figures and the contacts administrators
keep, and renders it three ways: the public page, the QR code that points at it and the printable
leaflet (WeasyPrint). It also holds the services that change the contacts.
"""

import base64
import datetime as dt
import gettext
import hashlib
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry
from accounts.services import audit_log
from notifications.models_contacts import ContactPoint

CONTENT_DIR = Path(__file__).resolve().parent / "rights_content"
SOURCE_LANGUAGE = "en"
# Every language the rights information is written in, in the order the chooser lists them.
LANGUAGES = (
    "en", "fr", "es", "pt", "ar", "tl", "id", "am", "ti", "sw", "ne", "hi",
    "bn", "si", "ta", "ml", "ur", "th", "vi", "my", "zh", "ru", "uk", "tr",
)  # fmt: skip
SECTIONS = ("documents", "pay", "bank", "freedom", "ministry", "leaving", "contacts", "duties")
SCRIPTS = (
    "latin", "cyrillic", "arabic", "urdu", "ethiopic", "devanagari", "bengali", "sinhala",
    "tamil", "malayalam", "thai", "myanmar", "han_sc",
)  # fmt: skip
# The host state's figures a text may quote (registry.services.policy_current()).
FIGURES = ("minimum_wage", "weekly_hours", "rest_days", "leave_days")
CONTACT_LABELS = ("phone", "email", "address", "hours", "languages", "website", "none")
UI_STRINGS = ("other_languages", "leaflet", "qr", "address")
# Codes a notice or a worker record may carry for a language written here under another code.
ALIASES = {"fil": "tl", "zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh"}
NOT_ALIASES = {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}  # Traditional Chinese is not written here
PLACEHOLDER = re.compile(r"\{(\w*)\}")
LEAFLET_CACHE_SECONDS = 24 * 60 * 60


class ReviewStatus(models.TextChoices):
    REVIEWED = "reviewed", gettext_lazy("Reviewed by a native speaker")
    DRAFT = "draft", gettext_lazy("Machine or draft — needs review by a native speaker")


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class RightsText:
    """The text of the rights information in one language, as its file holds it."""

    code: str
    name: str  # in its own script
    english_name: str
    script: str
    direction: str
    html_lang: str
    review_status: str
    reviewed_by: str
    reviewed_on: dt.date | None
    review_note: str
    title: str
    subtitle: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    contact_kinds: dict[str, str]
    contact_labels: dict[str, str]
    ui: dict[str, str]

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def is_reviewed(self) -> bool:
        return self.review_status == ReviewStatus.REVIEWED

    def get_review_status_display(self) -> str:
        return str(ReviewStatus(self.review_status).label)


@dataclass(frozen=True)
class Contact:
    """A contact point as one language shows it: the kind in that language, the rest as entered."""

    kind: str
    kind_label: str
    name: str
    phone: str
    tel: str
    email: str
    website: str
    address: str
    hours: str
    languages: str


@dataclass(frozen=True)
class RenderedRights:
    """The rights information in one language with the host state's figures and the contacts."""

    text: RightsText
    sections: tuple[Section, ...]
    contacts: tuple[Contact, ...]
    page_url: str


# --- The text ------------------------------------------------------------------------------


def content_problems(data: dict, *, code: str, source: dict | None = None) -> list[str]:
    """What is wrong with one language file: missing or empty texts, unknown sections, lines that
    do not match the English source one for one, unknown or missing {placeholders}."""
    problems = []

    def text(value, where) -> None:
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: a text is missing or empty")
            return
        for name in PLACEHOLDER.findall(value):
            if name not in FIGURES:
                problems.append(f"{where}: unknown placeholder {{{name}}}")

    for key in ("code", "name", "english_name", "script", "direction", "html_lang", "title"):
        text(data.get(key), key)
    text(data.get("subtitle"), "subtitle")
    if data.get("code") != code:
        problems.append(f"code: {data.get('code')!r} in the file named {code}.toml")
    if data.get("script") not in SCRIPTS:
        problems.append(f"script: {data.get('script')!r} is not one of {', '.join(SCRIPTS)}")
    if data.get("direction") not in ("ltr", "rtl"):
        problems.append("direction: must be ltr or rtl")
    review = data.get("review") or {}
    if review.get("status") not in ReviewStatus.values:
        problems.append("review.status: must be reviewed or draft")
    if review.get("on") is not None and not isinstance(review.get("on"), dt.date):
        problems.append("review.on: must be a date such as 2027-01-31")
    intro = data.get("intro") or []
    for index, line in enumerate(intro):
        text(line, f"intro[{index}]")
    sections = data.get("sections") or {}
    if set(sections) != set(SECTIONS):
        problems.append(f"sections: expected {', '.join(SECTIONS)}, found {', '.join(sections)}")
    for key in SECTIONS:
        section = sections.get(key) or {}
        text(section.get("heading"), f"sections.{key}.heading")
        for index, line in enumerate(section.get("lines") or []):
            text(line, f"sections.{key}.lines[{index}]")
    for table, keys in (
        ("contact_kinds", ContactPoint.Kind.values),
        ("contact_labels", CONTACT_LABELS),
        ("ui", UI_STRINGS),
    ):
        for key in keys:
            text((data.get(table) or {}).get(key), f"{table}.{key}")
    if source is not None:
        if len(intro) != len(source["intro"]):
            problems.append(
                f"intro: {len(intro)} lines, the English text has {len(source['intro'])}"
            )
        for key in SECTIONS:
            lines = (sections.get(key) or {}).get("lines") or []
            source_lines = source["sections"][key]["lines"]
            if len(lines) != len(source_lines):
                problems.append(
                    f"sections.{key}: {len(lines)} lines, the English text has {len(source_lines)}"
                )
                continue
            for index, (line, source_line) in enumerate(zip(lines, source_lines, strict=True)):
                if set(PLACEHOLDER.findall(str(line))) != set(PLACEHOLDER.findall(source_line)):
                    problems.append(
                        f"sections.{key}.lines[{index}]: placeholders differ from the English text"
                    )
    return problems


def content_file_read(code: str) -> dict:
    path = CONTENT_DIR / f"{code}.toml"
    with path.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=len(LANGUAGES))
def content_load(code: str) -> RightsText:
    """The checked text in one of LANGUAGES. A broken file stops the page loudly, never shows half
    a text."""
    if code not in LANGUAGES:
        raise KeyError(code)
    data = content_file_read(code)
    source = None if code == SOURCE_LANGUAGE else content_file_read(SOURCE_LANGUAGE)
    problems = content_problems(data, code=code, source=source)
    if problems:
        raise ImproperlyConfigured(
            f"notifications/rights_content/{code}.toml: " + "; ".join(problems)
        )
    review = data["review"]
    return RightsText(
        code=code,
        name=data["name"],
        english_name=data["english_name"],
        script=data["script"],
        direction=data["direction"],
        html_lang=data["html_lang"],
        review_status=review["status"],
        reviewed_by=review.get("by", ""),
        reviewed_on=review.get("on"),
        review_note=review.get("note", ""),
        title=data["title"],
        subtitle=data["subtitle"],
        intro=tuple(data["intro"]),
        sections=tuple(
            Section(key, data["sections"][key]["heading"], tuple(data["sections"][key]["lines"]))
            for key in SECTIONS
        ),
        contact_kinds=dict(data["contact_kinds"]),
        contact_labels=dict(data["contact_labels"]),
        ui=dict(data["ui"]),
    )


def contents_all() -> list[RightsText]:
    return [content_load(code) for code in LANGUAGES]


def language_resolve(code: str) -> str | None:
    """The code the rights information is written under for `code` (an ISO 639-1 or 639-3 code,
    with or without a region or script), or None when there is no text in that language."""
    code = (code or "").strip().lower().replace("_", "-")
    if not code or any(code == other or code.startswith(other + "-") for other in NOT_ALIASES):
        return None
    if code in LANGUAGES:
        return code
    if code in ALIASES:
        return ALIASES[code]
    base = code.split("-", 1)[0]
    if base in LANGUAGES:
        return base
    if base in ALIASES:
        return ALIASES[base]
    if len(base) == 3:
        import pycountry

        known = pycountry.languages.get(alpha_3=base) or pycountry.languages.get(bibliographic=base)
        alpha_2 = getattr(known, "alpha_2", None)
        if alpha_2 in LANGUAGES:
            return alpha_2
    return None


def language_name_in(code: str, interface_language: str) -> str:
    """The name of a language in the staff member's or visitor's interface language."""
    text = content_load(code)
    if interface_language.split("-")[0] == SOURCE_LANGUAGE:
        return text.english_name
    import pycountry

    known = pycountry.languages.get(alpha_2=code)
    if known is None:
        return text.english_name
    catalogue = gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[interface_language], fallback=True
    )
    name = catalogue.gettext(known.name)
    # "Nepali (macrolanguage)": the qualifier means nothing to a reader.
    if known.name.endswith("(macrolanguage)"):
        name = re.sub(r"\s*\([^)]*\)$", "", name)
    return name


# --- Rendering -----------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text


def policy_figures(policy=None) -> dict[str, str]:
    """The host state's minimums and maximums as the text quotes them."""
    if policy is None:
        from registry.services import policy_current

        policy = policy_current()
    return {
        "minimum_wage": f"{_amount(policy.minimum_monthly_wage)} {policy.currency}",
        "weekly_hours": str(policy.maximum_weekly_hours),
        "rest_days": str(policy.minimum_weekly_rest_days),
        "leave_days": str(policy.minimum_annual_leave_days),
    }


def _fill(line: str, figures: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: figures[match.group(1)], line)


def contacts_active() -> list[ContactPoint]:
    return list(ContactPoint.objects.filter(is_active=True).order_by("position", "id"))


def rights_render(
    code: str,
    *,
    figures: dict[str, str] | None = None,
    contact_points: list[ContactPoint] | None = None,
) -> RenderedRights:
    """The rights information in `code` with today's figures and the active contacts."""
    text = content_load(code)
    figures = figures if figures is not None else policy_figures()
    contact_points = contact_points if contact_points is not None else contacts_active()
    return RenderedRights(
        text=text,
        sections=tuple(
            Section(s.key, s.heading, tuple(_fill(line, figures) for line in s.lines))
            for s in text.sections
        ),
        contacts=tuple(
            Contact(
                kind=point.kind,
                kind_label=text.contact_kinds[point.kind],
                name=point.name,
                phone=point.phone,
                tel="tel:" + re.sub(r"[^0-9+]", "", point.phone),
                email=point.email,
                website=point.website,
                address=point.address,
                hours=point.hours,
                languages=point.languages,
            )
            for point in contact_points
        ),
        page_url=rights_page_url(code),
    )


def rights_page_url(language: str) -> str:
    """The public rights page in `language`, as an absolute address for notices, the QR code and
    the leaflet; the language chooser when there is no text in that language."""
    code = language_resolve(language)
    if code is None:
        path = reverse("rights:language-list")
    else:
        path = reverse("rights:page-detail", kwargs={"language": code})
    return settings.HESTIA_PUBLIC_URL + path


def qr_svg(url: str) -> str:
    """A QR code pointing at `url`, as an SVG document (for the page, the leaflet, a poster)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


# --- The leaflet ---------------------------------------------------------------------------


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def host_language() -> str:
    """The host state's language if the rights information is written in it, else English."""
    return language_resolve(settings.HESTIA_HOST_LANGUAGE) or SOURCE_LANGUAGE


def leaflet_html(code: str) -> str:
    """The leaflet as HTML for WeasyPrint: the worker's language beside the host state's."""
    figures = policy_figures()
    contact_points = contacts_active()
    columns = [rights_render(code, figures=figures, contact_points=contact_points)]
    if host_language() != code:
        columns.append(
            rights_render(host_language(), figures=figures, contact_points=contact_points)
        )
    worker = columns[0]
    qr = base64.b64encode(qr_svg(worker.page_url).encode()).decode()
    rows = [
        [(column, column.sections[index]) for column in columns] for index in range(len(SECTIONS))
    ]
    # The contacts once across the page, each kind named in every column's language.
    contact_rows = [
        {
            "contact": contact,
            "kinds": [(column.text, column.contacts[index].kind_label) for column in columns],
        }
        for index, contact in enumerate(worker.contacts)
    ]
    return render_to_string(
        "notifications/rights_pdf.html",
        {
            "worker": worker,
            "columns": columns,
            "rows": rows,
            "contact_rows": contact_rows,
            "qr_data_uri": f"data:image/svg+xml;base64,{qr}",
            "ministry_name": settings.HESTIA_MINISTRY_NAME,
        },
    )


def leaflet_pdf(code: str) -> bytes:
    """The printable leaflet in `code`. The same text and contacts give the same file, so it is
    rendered once and kept for a day."""
    html = leaflet_html(code)
    key = "rights-leaflet:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as error:
            raise PdfUnavailable(str(error)) from error
        pdf = HTML(string=html, base_url=str(CONTENT_DIR)).write_pdf()
        cache.set(key, pdf, LEAFLET_CACHE_SECONDS)
    return pdf


# --- The contacts (administrators) ---------------------------------------------------------

CONTACT_FIELDS = (
    "kind", "name", "phone", "email", "website", "address", "hours", "languages", "is_active",
)  # fmt: skip


@transaction.atomic
def contact_point_save(
    *, by, contact_point: ContactPoint | None = None, request=None, **data
) -> ContactPoint:
    """Create or change a contact shown to workers (recommendation 36: whom to contact).

    Saving an example left by the data migration marks it as checked. Audited by field name.
    """
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Not a contact point field: {', '.join(sorted(unknown))}")
    created = contact_point is None
    if created:
        highest = ContactPoint.objects.aggregate(highest=Max("position"))["highest"] or 0
        contact_point = ContactPoint(position=highest + 10)
    changed = [
        name for name, value in data.items() if created or getattr(contact_point, name) != value
    ]
    for name, value in data.items():
        setattr(contact_point, name, value)
    if contact_point.is_example:
        contact_point.is_example = False
        changed.append("is_example")
    contact_point.full_clean()
    contact_point.save()
    audit_log(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        actor=by,
        request=request,
        obj=contact_point,
        changed_fields=changed,
    )
    return contact_point


@transaction.atomic
def contact_point_move(
    *, by, contact_point: ContactPoint, direction: str, request=None
) -> ContactPoint:
    """Move a contact one place up or down the list workers see; audited."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."), code="direction")
    ordered = list(ContactPoint.objects.select_for_update().order_by("position", "id"))
    index = next(i for i, point in enumerate(ordered) if point.pk == contact_point.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise ValidationError(
            _("This contact is already first.")
            if direction == "up"
            else _("This contact is already last."),
            code="edge",
        )
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, point in enumerate(ordered, start=1):
        if point.position != position * 10:
            point.position = position * 10
            point.save(update_fields=["position"])
    audit_log(
        action=AuditEntry.Action.UPDATE,
        actor=by,
        request=request,
        obj=contact_point,
        changed_fields=["position"],
    )
    contact_point.refresh_from_db()
    return contact_point
