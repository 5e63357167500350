"""The rights information (recommendations 36 and 38): the text in 24 languages, the public page,
its QR code, the printable leaflet, and the contacts administrators keep.

The leaflet tests read the PDFs with poppler-utils (pdftotext, pdffonts) and the fonts with
fontTools. Without WeasyPrint's system libraries or poppler they skip, unless
HESTIA_PDF_REQUIRED=1 (as in CI), in which case they fail.
"""

import os
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AuditEntry
from notifications import rights
from notifications.models_contacts import ContactPoint
from registry.services import policy_current
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

# A sentence of each language, written here rather than read from the files, so that a text lost
# or replaced by another language fails. The passport line, except where a PDF's text layer
# cannot give the line back letter for letter (Arabic lam-alef ligatures, Bengali and Sinhala
# conjuncts): there another sentence of the same text.
KNOWN = {
    "en": "You keep your own passport.",
    "fr": "Vous gardez vous-même votre passeport.",
    "es": "Usted guarda su propio pasaporte.",
    "pt": "Guarda o seu próprio passaporte.",
    "ar": "جواز سفرك وبطاقتك",
    "tl": "Ikaw ang may hawak ng sarili mong pasaporte.",
    "id": "Anda menyimpan paspor Anda sendiri.",
    "am": "ፓስፖርትዎን እርስዎ ራስዎ ይይዛሉ።",
    "ti": "ፓስፖርትኩም ባዕልኹም ትሕዝዎ።",
    "sw": "Unashika pasipoti yako mwenyewe.",
    "ne": "तपाईंको राहदानी तपाईं आफैँ राख्नुहुन्छ।",
    "hi": "आप अपना पासपोर्ट खुद रखते हैं।",
    "bn": "আপনার অধিকার ও কর্তব্য",
    "si": "ඔබේ හැඳුනුම්පත ඔබ ළඟම තබා ගන්න.",
    "ta": "உங்கள் கடவுச்சீட்டை நீங்களே வைத்துக்கொள்வீர்கள்.",
    "ml": "നിങ്ങളുടെ പാസ്‌പോർട്ട് നിങ്ങൾ തന്നെ സൂക്ഷിക്കും.",
    "ur": "آپ اپنا پاسپورٹ خود اپنے پاس رکھتے ہیں۔",
    "th": "คุณเก็บหนังสือเดินทางของคุณเอง",
    "vi": "Bạn tự giữ hộ chiếu của mình.",
    "my": "သင့်နိုင်ငံကူးလက်မှတ်ကို သင်ကိုယ်တိုင် သိမ်းထားပါ။",
    "zh": "您自己保管您的护照。",
    "ru": "Ваш паспорт хранится у вас.",
    "uk": "Ваш паспорт зберігається у вас.",
    "tr": "Pasaportunuzu kendiniz saklarsınız.",
}
RTL = {"ar", "ur"}
HTML_LANG = {"zh": "zh-Hans"}
# The font family each script is set in on the leaflet, as pdffonts names it.
PDF_FONT = {
    "latin": "Noto-Sans",
    "cyrillic": "Noto-Sans",
    "arabic": "Noto-Naskh-Arabic",
    "urdu": "Noto-Naskh-Arabic",
    "ethiopic": "Noto-Sans-Ethiopic",
    "devanagari": "Noto-Sans-Devanagari",
    "bengali": "Noto-Sans-Bengali",
    "sinhala": "Noto-Sans-Sinhala",
    "tamil": "Noto-Sans-Tamil",
    "malayalam": "Noto-Sans-Malayalam",
    "thai": "Noto-Sans-Thai",
    "myanmar": "Noto-Sans-Myanmar",
    "han_sc": "Noto-Sans-CJK-SC",
}


def _pdf_tools_or_skip():
    """WeasyPrint with Pango, and poppler-utils to read what it wrote."""
    missing = []
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        missing.append(f"WeasyPrint cannot load ({error})")
    for tool in ("pdftotext", "pdffonts", "fc-match"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} is not installed (poppler-utils, fontconfig)")
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("HESTIA_PDF_REQUIRED") == "1":
            pytest.fail(f"HESTIA_PDF_REQUIRED=1 but {reason}", pytrace=False)
        pytest.skip(f"{reason} (set HESTIA_PDF_REQUIRED=1 to make this an error)")


def _letters(text: str) -> str:
    """Only the letters, in compatibility form: a PDF's text layer splits words at glyph runs and
    gives Arabic presentation forms, and vowel signs may come back around the consonant."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in normal if unicodedata.category(ch).startswith("L"))


def _pdf_text(pdf: bytes, tmp_path, *, rtl: bool) -> str:
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if rtl:
        # In raw mode, right-to-left lines come out in visual order: words right to left.
        text = "\n".join(" ".join(reversed(line.split())) for line in text.splitlines())
    return text


def _pdf_fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name without the subset prefix, embedded yes/no) for every font in the PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        columns = line.split()
        name = re.sub(r"^[A-Z]{6}\+", "", columns[0])
        embedded = columns[-5]  # name, type..., encoding, emb, sub, uni, object ID (2 columns)
        fonts.append((name, embedded))
    return fonts


def _page(client, code):
    return client.get(reverse("rights:page-detail", args=[code]))


# --- The text ------------------------------------------------------------------------------


def test_the_text_exists_in_the_24_languages_and_each_matches_the_english_line_for_line():
    assert len(rights.LANGUAGES) == 24
    files = sorted(path.stem for path in rights.CONTENT_DIR.glob("*.toml"))
    assert files == sorted(rights.LANGUAGES)
    source = rights.content_file_read("en")
    for code in rights.LANGUAGES:
        data = rights.content_file_read(code)
        problems = rights.content_problems(data, code=code, source=None if code == "en" else source)
        assert problems == [], (code, problems)
        text = rights.content_load(code)
        assert [section.key for section in text.sections] == list(rights.SECTIONS)


def test_english_is_reviewed_and_every_translation_is_a_draft_awaiting_a_native_speaker():
    english = rights.content_load("en")
    assert english.is_reviewed and english.reviewed_on is not None
    drafts = [text for text in rights.contents_all() if not text.is_reviewed]
    assert len(drafts) == 23
    assert {text.get_review_status_display() for text in drafts} == {
        "Machine or draft — needs review by a native speaker"
    }


def test_a_broken_translation_is_refused_with_each_reason():
    data = rights.content_file_read("am")
    data["direction"] = "sideways"
    data["sections"]["pay"]["lines"] = data["sections"]["pay"]["lines"][:-1]
    data["sections"]["bank"]["lines"][0] = "ደሞዝዎ {salary}"
    data["ui"]["qr"] = " "
    problems = rights.content_problems(data, code="am", source=rights.content_file_read("en"))
    assert "direction: must be ltr or rtl" in problems
    assert "sections.pay: 8 lines, the English text has 9" in problems
    assert "sections.bank.lines[0]: unknown placeholder {salary}" in problems
    assert "sections.bank.lines[0]: placeholders differ from the English text" in problems
    assert "ui.qr: a text is missing or empty" in problems


@pytest.mark.parametrize(
    ("code", "resolved"),
    [
        ("am", "am"),
        ("AM", "am"),
        ("fil", "tl"),
        ("zh-Hans", "zh"),
        ("zh_CN", "zh"),
        ("pt-BR", "pt"),
        ("amh", "am"),
        ("fre", "fr"),
        ("zh-Hant", None),
        ("zh-Hant-TW", None),
        ("nl", None),
        ("", None),
    ],
)
def test_language_codes_resolve_to_the_text_written_for_them(code, resolved):
    assert rights.language_resolve(code) == resolved


def test_the_notice_links_to_the_public_page_in_the_workers_language(settings):
    settings.HESTIA_PUBLIC_URL = "https://hestia.ministry.example"
    assert rights.rights_page_url("am") == "https://hestia.ministry.example/rights/am/"
    assert rights.rights_page_url("fil") == "https://hestia.ministry.example/rights/tl/"
    # No text in Dutch: the worker lands on the chooser, which lists every language.
    assert rights.rights_page_url("nl") == "https://hestia.ministry.example/rights/"


# --- The public page -----------------------------------------------------------------------


@pytest.mark.parametrize("code", list(KNOWN))
def test_the_public_page_is_written_in_the_workers_language_and_direction(client, code):
    response = _page(client, code)
    assert response.status_code == 200
    html = response.content.decode()
    lang = HTML_LANG.get(code, code)
    direction = "rtl" if code in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert KNOWN[code] in html
    if direction == "rtl":
        assert "bootstrap.rtl.min.css" in html


def test_the_page_quotes_the_host_states_minimums_from_the_policy(client):
    policy = policy_current()
    policy.minimum_monthly_wage = Decimal("2075.50")
    policy.currency = "EUR"
    policy.maximum_weekly_hours = 38
    policy.minimum_weekly_rest_days = 2
    policy.minimum_annual_leave_days = 24
    policy.save()
    html = _page(client, "en").content.decode()
    assert "Lowest pay each month: 2075.50 EUR." in html
    assert "Most working hours each week: 38." in html
    assert "Rest days each week, at least: 2." in html
    assert "Paid days off each year, at least: 24." in html
    assert "{" not in re.sub(r"<style>.*?</style>", "", html, flags=re.S)


def test_the_page_lists_the_active_contacts_in_order_with_their_kind_in_the_workers_language(
    client,
):
    ContactPoint.objects.all().delete()
    ContactPoint.objects.create(kind="emergency", name="Emergency", phone="112", position=30)
    ContactPoint.objects.create(
        kind="ngo", name="PAG-ASA", phone="+32 2 511 64 64", position=10, hours="24/7"
    )
    ContactPoint.objects.create(
        kind="hotline", name="Old helpline", phone="+32 2 000 00 00", position=20, is_active=False
    )
    html = _page(client, "am").content.decode()
    assert html.index("PAG-ASA") < html.index("112")
    assert "Old helpline" not in html
    assert "ለቤት ሠራተኞች እርዳታ" in html  # "Help for domestic workers"
    assert 'href="tel:+3225116464"' in html
    assert "24/7" in html


def test_without_contacts_the_page_tells_the_worker_to_ask_the_ministry(client):
    ContactPoint.objects.update(is_active=False)
    assert "Ask the ministry for the phone numbers." in _page(client, "en").content.decode()


def test_an_unknown_language_is_not_found_and_an_alias_goes_to_its_own_page(client):
    assert _page(client, "xx").status_code == 404
    assert client.get("/rights/zz-Zzzz/").status_code == 404
    response = _page(client, "fil")
    assert response.status_code == 301
    assert response["Location"] == reverse("rights:page-detail", args=["tl"])


def test_the_public_pages_need_no_login_hold_no_personal_data_and_are_not_audited(client):
    worker = WorkerFactory(given_names="Rosario Unique")
    entries = AuditEntry.objects.count()
    for name, kwargs in [
        ("rights:language-list", {}),
        ("rights:page-detail", {"language": "tl"}),
        ("rights:page-qr", {"language": "tl"}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        assert worker.given_names not in response.content.decode()
        assert "public" in response["Cache-Control"]
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert AuditEntry.objects.count() == entries


def test_the_chooser_lists_every_language_in_its_own_script(client):
    response = client.get(reverse("rights:language-list"))
    html = response.content.decode()
    for text in rights.contents_all():
        link = reverse("rights:page-detail", args=[text.code])
        assert f'href="{link}"' in html
        assert f'lang="{text.html_lang}" dir="{text.direction}">{text.name}</span>' in html
    assert html.count("data-language=") == 24


def test_the_chooser_names_each_language_in_the_visitors_interface_language(client):
    french = client.get(reverse("rights:language-list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr" dir="ltr">' in french.content.decode()
    assert "Amharique" in french.content.decode()
    english = client.get(reverse("rights:language-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Filipino (Tagalog)" in english.content.decode()


def test_the_qr_code_is_an_svg_of_the_pages_public_address(client, settings):
    settings.HESTIA_PUBLIC_URL = "https://hestia.ministry.example"
    response = client.get(reverse("rights:page-qr", args=["ar"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert svg == rights.qr_svg("https://hestia.ministry.example/rights/ar/")
    page = _page(client, "ar").content.decode()
    assert "https://hestia.ministry.example/rights/ar/" in page
    assert svg in page


# --- The leaflet ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(KNOWN))
def test_each_leaflet_holds_its_text_beside_the_host_language_in_a_font_for_its_script(
    client, tmp_path, code
):
    _pdf_tools_or_skip()
    response = client.get(reverse("rights:leaflet-pdf", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path, rtl=code in RTL)
    assert _letters(KNOWN[code]) in _letters(text)
    # The host state's language (French by default) beside it, in full.
    assert KNOWN[settings.HESTIA_HOST_LANGUAGE] in _pdf_text(pdf, tmp_path, rtl=False)
    fonts = _pdf_fonts(pdf, tmp_path)
    names = {name for name, _embedded in fonts}
    script_font = PDF_FONT[rights.content_load(code).script]
    assert script_font in names, (code, names)
    assert {embedded for _name, embedded in fonts} == {"yes"}
    # Nothing fell back to a font without the script (which would draw empty boxes).
    assert all(name.startswith("Noto-") for name in names), names


def test_every_character_of_each_text_is_in_the_font_named_for_its_script():
    _pdf_tools_or_skip()
    from fontTools.ttLib import TTCollection, TTFont

    families = {
        "latin": "Noto Sans",
        "cyrillic": "Noto Sans",
        "arabic": "Noto Naskh Arabic",
        "urdu": "Noto Naskh Arabic",
        "ethiopic": "Noto Sans Ethiopic",
        "devanagari": "Noto Sans Devanagari",
        "bengali": "Noto Sans Bengali",
        "sinhala": "Noto Sans Sinhala",
        "tamil": "Noto Sans Tamil",
        "malayalam": "Noto Sans Malayalam",
        "thai": "Noto Sans Thai",
        "myanmar": "Noto Sans Myanmar",
        "han_sc": "Noto Sans CJK SC",
    }
    for text in rights.contents_all():
        family = families[text.script]
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}", family], capture_output=True, text=True
        ).stdout.splitlines()
        assert family in found[0].split(","), f"{family} is not installed: {found}"
        path = found[1]
        font = TTCollection(path).fonts[0] if path.endswith(".ttc") else TTFont(path)
        if text.script == "han_sc":
            # The CJK collection's first face is Japanese; the SC face shares its cmap.
            font = next(
                face for face in TTCollection(path).fonts if "SC" in face["name"].getDebugName(1)
            )
        cmap = font.getBestCmap()
        everything = " ".join(
            [
                text.title,
                text.subtitle,
                *text.intro,
                *(line for s in text.sections for line in (s.heading, *s.lines)),
                *text.contact_kinds.values(),
                *text.contact_labels.values(),
                *text.ui.values(),
            ]
        )
        missing = {
            ch
            for ch in everything
            if ord(ch) > 0x7F and unicodedata.category(ch)[0] not in "ZC" and ord(ch) not in cmap
        }
        assert missing == set(), (text.code, family, sorted(missing))


def test_the_leaflet_in_the_host_language_has_one_column(client, tmp_path):
    _pdf_tools_or_skip()
    pdf = client.get(reverse("rights:leaflet-pdf", args=[settings.HESTIA_HOST_LANGUAGE])).content
    text = _pdf_text(pdf, tmp_path, rtl=False)
    assert text.count(KNOWN[settings.HESTIA_HOST_LANGUAGE]) == 1


def test_the_leaflet_shows_the_contacts_and_the_address_of_the_page(client, tmp_path, settings):
    _pdf_tools_or_skip()
    settings.HESTIA_PUBLIC_URL = "https://hestia.ministry.example"
    ContactPoint.objects.all().delete()
    ContactPoint.objects.create(kind="mediation", name="Mediation office", phone="+32 2 222 22 22")
    text = _pdf_text(client.get("/rights/sw/leaflet.pdf").content, tmp_path, rtl=False)
    assert "Mediation office" in text
    assert "+32 2 222 22 22" in text
    assert "Ofisi ya upatanishi" in text  # the kind, in Swahili
    assert "Bureau de médiation" in text  # and in French
    assert "https://hestia.ministry.example/rights/sw/" in text


# --- The contacts (administrators) ---------------------------------------------------------

VALID = {
    "kind": "hotline",
    "name": "National helpline against exploitation",
    "phone": "+32 800 12 345",
    "hours": "24/7",
    "languages": "French, Dutch, English",
    "address": "",
    "email": "help@helpline.example",
    "website": "https://helpline.example",
    "is_active": "on",
}


def test_the_data_migration_left_examples_for_the_host_state_marked_as_such():
    examples = ContactPoint.objects.filter(is_example=True)
    kinds = set(examples.values_list("kind", flat=True))
    assert {"ministry", "mediation", "emergency"} <= kinds
    assert examples.filter(kind="ministry", phone=settings.HESTIA_MINISTRY_PHONE).exists()
    assert examples.filter(kind="emergency", phone="112").exists()
    if settings.HESTIA_HOST_COUNTRY == "BE":
        assert examples.filter(kind="ngo", name__startswith="PAG-ASA").exists()


def test_an_administrator_sees_which_contacts_are_examples_to_replace(client_for, administrator):
    response = client_for(administrator).get(reverse("rights:contact-list"))
    html = response.content.decode()
    examples = ContactPoint.objects.filter(is_example=True).count()
    assert f"{examples} contacts are examples entered at installation" in html
    assert html.count("Example: check and replace") == examples


def test_an_administrator_adds_a_contact_shown_last_and_the_change_is_audited(
    client_for, administrator, client
):
    response = client_for(administrator).post(reverse("rights:contact-create"), VALID)
    assert response["Location"] == reverse("rights:contact-list")
    contact = ContactPoint.objects.get(name=VALID["name"])
    assert contact.position > max(
        ContactPoint.objects.exclude(pk=contact.pk).values_list("position", flat=True)
    )
    assert not contact.is_example
    entry = AuditEntry.objects.get(
        object_type="notifications.contactpoint", object_id=str(contact.pk)
    )
    assert (entry.action, entry.actor) == ("create", administrator)
    assert "phone" in entry.changed_fields
    assert VALID["name"] in _page(client, "en").content.decode()


def test_saving_an_example_marks_it_as_checked_and_audits_the_fields_that_changed(
    client_for, administrator
):
    example = ContactPoint.objects.filter(is_example=True, kind="ministry").first()
    data = {
        **VALID,
        "kind": example.kind,
        "name": example.name,
        "phone": "+32 2 501 99 99",
        "hours": example.hours,
        "languages": example.languages,
    }
    response = client_for(administrator).post(
        reverse("rights:contact-update", args=[example.pk]), data
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert (example.phone, example.is_example) == ("+32 2 501 99 99", False)
    entry = AuditEntry.objects.get(action="update", object_id=str(example.pk))
    assert set(entry.changed_fields) == {"phone", "email", "website", "is_example"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("phone", "call us", "Enter a phone number"),
        ("phone", "+32 2 501 81 11 ext", "Enter a phone number"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("website", "helpline", "Enter a valid URL."),
        ("kind", "police", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_changes_nothing(
    client_for, administrator, field, value, message
):
    client = client_for(administrator)
    example = ContactPoint.objects.filter(is_example=True).first()
    before = list(ContactPoint.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()
    for url in (
        reverse("rights:contact-create"),
        reverse("rights:contact-update", args=[example.pk]),
    ):
        response = client.post(url, {**VALID, field: value})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert list(ContactPoint.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == entries


def test_making_a_contact_inactive_takes_it_off_the_page_and_the_leaflet(
    client_for, administrator, client
):
    example = ContactPoint.objects.get(kind="emergency")
    data = {
        **VALID,
        "kind": "emergency",
        "name": example.name,
        "phone": example.phone,
        "hours": example.hours,
    }
    del data["is_active"]  # an unticked box is not sent
    client_for(administrator).post(reverse("rights:contact-update", args=[example.pk]), data)
    example.refresh_from_db()
    assert example.is_active is False
    assert example.name not in _page(client, "en").content.decode()
    assert example.name not in rights.leaflet_html("en")


def test_contacts_move_up_and_down_and_the_first_cannot_go_higher(client_for, administrator):
    client = client_for(administrator)
    first, second, *_rest = ContactPoint.objects.order_by("position", "id")
    client.post(reverse("rights:contact-move", args=[second.pk]), {"direction": "up"})
    assert list(ContactPoint.objects.order_by("position", "id")[:2]) == [second, first]
    assert AuditEntry.objects.filter(
        object_id=str(second.pk), changed_fields=["position"], actor=administrator
    ).exists()
    entries = AuditEntry.objects.count()
    response = client.post(
        reverse("rights:contact-move", args=[second.pk]), {"direction": "up"}, follow=True
    )
    assert "This contact is already first." in response.content.decode()
    response = client.post(
        reverse("rights:contact-move", args=[second.pk]), {"direction": "sideways"}, follow=True
    )
    assert "Choose up or down." in response.content.decode()
    assert list(ContactPoint.objects.order_by("position", "id")[:2]) == [second, first]
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("role", ["officer", "interviewer", "supervisor", "auditor"])
def test_no_other_role_can_change_a_contact(client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    contact = ContactPoint.objects.order_by("position").last()
    before = list(ContactPoint.objects.order_by("pk").values())
    assert client.post(reverse("rights:contact-create"), VALID).status_code == 403
    assert (
        client.post(reverse("rights:contact-update", args=[contact.pk]), VALID).status_code == 403
    )
    assert (
        client.post(
            reverse("rights:contact-move", args=[contact.pk]), {"direction": "up"}
        ).status_code
        == 403
    )
    assert list(ContactPoint.objects.order_by("pk").values()) == before


def test_the_contact_list_costs_the_same_queries_for_3_or_30_contacts(client_for, administrator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(administrator)
    client.get(reverse("rights:contact-list"))  # the session's first request writes it
    counts = []
    for total in (3, 30):
        ContactPoint.objects.all().delete()
        for index in range(total):
            ContactPoint.objects.create(kind="ngo", name=f"NGO {index}", phone="+32 2 000 00 00")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("rights:contact-list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_translation_overview_shows_each_language_with_its_review_status(
    client_for, administrator
):
    response = client_for(administrator).get(reverse("rights:translation-list"))
    html = response.content.decode()
    assert html.count("data-language=") == 24
    assert "23 translations still need review by a native speaker." in html
    assert html.count("Machine or draft — needs review by a native speaker") == 23
    assert html.count("Reviewed by a native speaker") == 1
    assert '<span lang="am" dir="ltr">አማርኛ</span>' in html
    assert '<span lang="ur" dir="rtl">اردو</span>' in html
