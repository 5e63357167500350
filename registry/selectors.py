"""Reads for the registry that several views share: worker search, possible duplicates, and
everything the worker's page shows, each in a fixed number of queries."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import and_, or_

import phonenumbers
from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Message
from registry.encryption import normalise_identifier, search_hash
from registry.models import (
    BankAccount,
    Consent,
    Employment,
    IdentityCard,
    LanguageCourseReferral,
    NotDuplicate,
    Policy,
    SalaryDeposit,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)
from registry.names import names_alike, normalise_name
from registry.services import employment_policy_breaches, policy_current

# A card that expires within this many days is flagged on the worker's page: its renewal
# needs an interview and a verified bank account first, which takes weeks to arrange.
EXPIRING_SOON_DAYS = 90

# Offered as suggestions wherever a language code is typed; any ISO 639 code is accepted.
COMMON_LANGUAGES = [
    ("tl", gettext_lazy("Tagalog (Filipino)")),
    ("am", gettext_lazy("Amharic")),
    ("si", gettext_lazy("Sinhala")),
    ("ne", gettext_lazy("Nepali")),
    ("sw", gettext_lazy("Swahili")),
    ("bn", gettext_lazy("Bengali")),
    ("vi", gettext_lazy("Vietnamese")),
    ("ar", gettext_lazy("Arabic")),
    ("fr", gettext_lazy("French")),
    ("es", gettext_lazy("Spanish")),
    ("en", gettext_lazy("English")),
    ("id", gettext_lazy("Indonesian")),
    ("ti", gettext_lazy("Tigrinya")),
    ("om", gettext_lazy("Oromo")),
    ("ur", gettext_lazy("Urdu")),
    ("hi", gettext_lazy("Hindi")),
    ("ta", gettext_lazy("Tamil")),
    ("pt", gettext_lazy("Portuguese")),
    ("ru", gettext_lazy("Russian")),
    ("uk", gettext_lazy("Ukrainian")),
    ("zh", gettext_lazy("Chinese")),
    ("ml", gettext_lazy("Malayalam")),
    ("my", gettext_lazy("Burmese")),
    ("th", gettext_lazy("Thai")),
    ("so", gettext_lazy("Somali")),
    ("nl", gettext_lazy("Dutch")),
    ("de", gettext_lazy("German")),
    ("it", gettext_lazy("Italian")),
]
_LANGUAGE_NAMES = dict(COMMON_LANGUAGES)

# The "status" filter's value for workers without an employment that has not ended.
NO_CURRENT_EMPLOYMENT = "none"


def actively_employed_workers():
    """The ids of workers in an active employment, as a subquery for `worker_id__in=`.

    An id list rather than EXISTS(an active employment) for each row: SQLite, which keeps no
    statistics, ran that EXISTS through the status index for every row (seconds at the size of a
    ministry); PostgreSQL plans both the same."""
    return Employment.objects.filter(status=Employment.Status.ACTIVE).values("worker_id")


def language_name(code: str) -> str:
    """The language's name in the user's language, or the code itself when it is not a common one."""
    name = _LANGUAGE_NAMES.get((code or "").lower())
    return str(name) if name else code


# --- Worker search ------------------------------------------------------------------------


def _open_employments() -> QuerySet[Employment]:
    return Employment.objects.exclude(status=Employment.Status.ENDED)


def _phone_e164(text: str) -> str:
    """The text as an E.164 number if it can be one (host state's format accepted), else ''."""
    if len(re.sub(r"\D", "", text)) < 6:
        return ""
    try:
        parsed = phonenumbers.parse(text, settings.HESTIA_HOST_COUNTRY)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def worker_search_condition(q: str) -> Q:
    """Any name spelling (each word the start of a word of a name, accents and case ignored),
    the passport number, an ID card or visa number, or a phone number."""
    conditions = []
    tokens = normalise_name(q).split()
    if tokens:
        # search_names holds "name | name | ..."; a word starts the text or follows a space.
        conditions.append(
            reduce(
                and_,
                [
                    Q(search_names__startswith=token) | Q(search_names__contains=f" {token}")
                    for token in tokens
                ],
            )
        )
    identifier = normalise_identifier(q)
    if identifier:
        conditions.append(Q(passport_number_hash=search_hash(identifier)))
        conditions.append(
            Q(
                Exists(
                    IdentityCard.objects.filter(worker=OuterRef("pk"), number_normalised=identifier)
                )
            )
        )
    e164 = _phone_e164(q)
    if e164:
        conditions.append(Q(Exists(WorkerPhone.objects.filter(worker=OuterRef("pk"), number=e164))))
    if not conditions:
        return Q(pk__in=[])
    return reduce(or_, conditions)


def worker_search(
    *,
    q: str = "",
    mission=None,
    employer=None,
    status: str = "",
    nationality: str = "",
) -> QuerySet[Worker]:
    """Workers for the list page, each with its current employment (employer and mission), the
    expiry of its current card and the state of its bank account, in three queries per page."""
    workers = Worker.objects.defer("passport_number")
    if q.strip():
        workers = workers.filter(worker_search_condition(q))
    open_employments = _open_employments().filter(worker=OuterRef("pk"))
    if mission is not None:
        workers = workers.filter(Exists(open_employments.filter(employer__mission=mission)))
    if employer is not None:
        workers = workers.filter(Exists(open_employments.filter(employer=employer)))
    if status == NO_CURRENT_EMPLOYMENT:
        workers = workers.filter(~Exists(open_employments))
    elif status:
        workers = workers.filter(Exists(open_employments.filter(status=status)))
    if nationality:
        workers = workers.filter(nationality=nationality)

    card = IdentityCard.objects.filter(
        worker=OuterRef("pk"), status=IdentityCard.Status.ISSUED
    ).order_by("-expiry_date", "-id")
    # The account that counts is a verified one if there is one, else the newest still open.
    account = (
        BankAccount.objects.filter(worker=OuterRef("pk"))
        .exclude(status=BankAccount.Status.CLOSED)
        .order_by(
            Case(
                When(status=BankAccount.Status.VERIFIED, then=V(0)),
                default=V(1),
                output_field=IntegerField(),
            ),
            "-verification_expires_on",
            "-created_at",
            "-id",
        )
    )
    return workers.annotate(
        card_kind=Subquery(card.values("kind")[:1]),
        card_expiry=Subquery(card.values("expiry_date")[:1]),
        bank_status=Subquery(account.values("status")[:1]),
        bank_verification_expires_on=Subquery(account.values("verification_expires_on")[:1]),
    ).prefetch_related(
        Prefetch(
            "employments",
            queryset=_open_employments().select_related("employer__mission"),
            to_attr="current_employments",
        )
    )


# --- Possible duplicates ------------------------------------------------------------------


@dataclass
class PossibleDuplicate:
    worker: Worker
    same_passport: bool


def _spellings(family_name: str, given_names: str, other_spellings: str) -> list[str]:
    return [
        f"{given_names} {family_name}",
        *(line.strip() for line in (other_spellings or "").splitlines() if line.strip()),
    ]


def possible_duplicates(
    *,
    family_name: str,
    given_names: str,
    date_of_birth: dt.date | None,
    other_spellings: str = "",
    passport_number: str = "",
    worker: Worker | None = None,
) -> list[PossibleDuplicate]:
    """Workers on record with the same passport number, or born the same day with a similar
    name (any spelling). For an existing `worker`, pairs marked as different people are left out."""
    passport_hash = search_hash(passport_number or "")
    condition = Q(pk__in=[])
    if date_of_birth:
        condition |= Q(date_of_birth=date_of_birth)
    if passport_hash:
        condition |= Q(passport_number_hash=passport_hash)
    candidates = Worker.objects.filter(condition).defer("passport_number")
    if worker is not None:
        marked = NotDuplicate.objects.filter(Q(worker=worker) | Q(other=worker))
        candidates = (
            candidates.exclude(pk=worker.pk)
            .exclude(pk__in=marked.values("worker"))
            .exclude(pk__in=marked.values("other"))
        )
    names = _spellings(family_name, given_names, other_spellings)
    found = []
    for candidate in candidates:
        same_passport = bool(passport_hash) and candidate.passport_number_hash == passport_hash
        alike = candidate.date_of_birth == date_of_birth and any(
            names_alike(mine, theirs)
            for mine in names
            for theirs in _spellings(
                candidate.family_name, candidate.given_names, candidate.other_spellings
            )
        )
        if same_passport or alike:
            found.append(PossibleDuplicate(worker=candidate, same_passport=same_passport))
    return found


def worker_duplicates(worker: Worker) -> list[PossibleDuplicate]:
    return possible_duplicates(
        family_name=worker.family_name,
        given_names=worker.given_names,
        other_spellings=worker.other_spellings,
        date_of_birth=worker.date_of_birth,
        passport_number=worker.passport_number,
        worker=worker,
    )


# --- The worker's page --------------------------------------------------------------------


def passport_masked(number: str) -> str:
    """Only the last four characters: enough to compare with the passport in hand."""
    compact = normalise_identifier(number or "")
    if not compact:
        return ""
    return "•••••" + compact[-4:] if len(compact) > 4 else "•" * len(compact)


@dataclass
class TimelineEvent:
    when: dt.datetime
    text: str
    kind: str
    has_time: bool = True


@dataclass
class WorkerPage:
    worker: Worker
    passport_display: str
    passport_in_full: bool
    preferred_language_name: str
    languages: list[WorkerLanguage]
    phones: list[WorkerPhone]
    consents: list[Consent]
    current_employment: Employment | None
    past_employments: list[Employment]
    breaches: list[str]
    cards: list[IdentityCard]
    bank_accounts: list[BankAccount]
    referrals: list[LanguageCourseReferral]
    notices: list[Message]
    duplicates: list[PossibleDuplicate]
    timeline: list[TimelineEvent] = field(default_factory=list)


def _at_start_of(day: dt.date) -> dt.datetime:
    """A date-only event (a verification, a card issued) sorts after the timed events of its day:
    it is usually recorded after the meeting that produced it."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _card_sentences(card: IdentityCard) -> tuple[str, str]:
    """Issued and expired sentences, whole for each kind (their grammar differs by language)."""
    values = {"number": card.number}
    if card.kind == IdentityCard.Kind.VISA:
        return _("Visa %(number)s issued.") % values, _("Visa %(number)s expired.") % values
    return _("ID card %(number)s issued.") % values, _("ID card %(number)s expired.") % values


def _timeline(page: WorkerPage, today: dt.date) -> list[TimelineEvent]:
    worker = page.worker
    events = [TimelineEvent(worker.created_at, _("Worker record created."), "worker")]
    for consent in page.consents:
        values = {"consent": consent.get_kind_display()}
        text = (
            _("Consent given: %(consent)s.") % values
            if consent.given
            else _("Consent refused or withdrawn: %(consent)s.") % values
        )
        events.append(TimelineEvent(consent.recorded_at, text, "consent"))
    for phone in page.phones:
        events.append(TimelineEvent(phone.created_at, _("Phone number added."), "phone"))
    for employment in [page.current_employment, *page.past_employments]:
        if employment is None:
            continue
        values = {
            "employer": str(employment.employer),
            "mission": employment.employer.mission.name,
        }
        events.append(
            TimelineEvent(
                _at_start_of(employment.start_date),
                _("Employment with %(employer)s (%(mission)s) starts.") % values,
                "employment",
                has_time=False,
            )
        )
        if employment.status == Employment.Status.ENDED and employment.end_date:
            events.append(
                TimelineEvent(
                    _at_start_of(employment.end_date),
                    _("Employment with %(employer)s ended: %(reason)s.")
                    % {**values, "reason": employment.get_end_reason_display()},
                    "employment",
                    has_time=False,
                )
            )
        if employment.registration_record is not None:
            events.append(
                TimelineEvent(
                    employment.registration_record.held_at,
                    _("Registered in person by %(officer)s.")
                    % {"officer": employment.registration_record.officer.get_username()},
                    "registration",
                )
            )
    for card in page.cards:
        issued, expired = _card_sentences(card)
        events.append(TimelineEvent(_at_start_of(card.issue_date), issued, "card", False))
        if card.expiry_date < today:
            events.append(TimelineEvent(_at_start_of(card.expiry_date), expired, "card", False))
    for account in page.bank_accounts:
        values = {"account": account.masked}
        events.append(
            TimelineEvent(
                account.created_at, _("Bank account %(account)s recorded.") % values, "bank"
            )
        )
        if account.verified_on:
            events.append(
                TimelineEvent(
                    _at_start_of(account.verified_on),
                    _("Bank account %(account)s verified.") % values,
                    "bank",
                    has_time=False,
                )
            )
        for deposit in account.shortfalls:
            events.append(
                TimelineEvent(
                    deposit.recorded_at,
                    _("The salary for %(month)s was %(shortfall)s %(currency)s short.")
                    % {
                        "month": date_format(deposit.month, "YEAR_MONTH_FORMAT"),
                        "shortfall": deposit.shortfall,
                        "currency": deposit.currency,
                    },
                    "bank",
                )
            )
    for referral in page.referrals:
        events.append(
            TimelineEvent(
                _at_start_of(referral.referred_on),
                _("Referred to a %(language)s course at %(provider)s.")
                % {"language": language_name(referral.language), "provider": referral.provider},
                "referral",
                has_time=False,
            )
        )
    for notice in page.notices:
        events.append(
            TimelineEvent(
                notice.created_at,
                _("Notice %(kind)s (%(channel)s): %(status)s.")
                % {
                    "kind": notice.get_kind_display(),
                    "channel": notice.get_channel_display(),
                    "status": notice.get_status_display(),
                },
                "notice",
            )
        )
    return sorted(events, key=lambda event: event.when, reverse=True)


# Every column of the policy row, which rides on the contracts query (see _employments).
_POLICY_COLUMNS = [column.attname for column in Policy._meta.concrete_fields]
# The columns of a salary deposit the page shows, joined to its account (see _bank_accounts).
_SHORTFALL_COLUMNS = [
    "id",
    "employment_id",
    "month",
    "amount",
    "currency",
    "expected_amount",
    "shortfall",
    "recorded_by_id",
    "recorded_at",
]


def _employments(worker: Worker) -> list[Employment]:
    """The worker's contracts, newest first, each with what the policy check of the current one
    needs: `earlier_open`, the employer's open contracts recorded before it (the rank limit),
    and the host state's policy row as `policy_<column>` annotations. Policy is a single row:
    carrying it here spares the page a query of its own."""
    earlier_open = (
        Employment.objects.filter(employer=OuterRef("employer"), pk__lt=OuterRef("pk"))
        .exclude(status=Employment.Status.ENDED)
        .order_by()
        .values("employer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    policy = Policy.objects.filter(host_country=settings.HESTIA_HOST_COUNTRY)
    employments = list(
        worker.employments.select_related(
            "employer__mission", "registration__officer", "policy_override_by"
        ).annotate(
            earlier_open=Coalesce(Subquery(earlier_open, output_field=IntegerField()), 0),
            **{f"policy_{name}": Subquery(policy.values(name)[:1]) for name in _POLICY_COLUMNS},
        )
    )
    for employment in employments:
        employment.registration_record = getattr(employment, "registration", None)
    return employments


def _policy_carried_by(employment: Employment) -> Policy:
    """The policy row from the contract's annotations; created with its defaults if missing."""
    if employment.policy_id is None:
        return policy_current()
    values = {}
    for column in Policy._meta.concrete_fields:
        value = getattr(employment, f"policy_{column.attname}")
        if isinstance(column, DecimalField):
            # SQLite gives a subquery's decimal without its places (2100 for 2100.00).
            value = value.quantize(Decimal(1).scaleb(-column.decimal_places))
        values[column.attname] = value
    return Policy(**values)


def _breaches(employment: Employment) -> list[str]:
    policy = _policy_carried_by(employment)
    return employment_policy_breaches(employment, policy, others=employment.earlier_open)


def _bank_accounts(worker: Worker) -> list[BankAccount]:
    """The worker's accounts, newest first, each with its salary shortfalls, newest month first,
    in `shortfalls`. One query: each shortfall comes joined to its account (one row per
    shortfall, or one row for an account without any)."""
    rows = (
        worker.bank_accounts.defer("iban", "account_number")
        .select_related("verified_by")
        .annotate(short=FilteredRelation("deposits", condition=Q(deposits__shortfall__gt=0)))
        .annotate(**{f"short_{name}": F(f"short__{name}") for name in _SHORTFALL_COLUMNS})
        .order_by("-created_at", "-id", "-short__month", "-short__id")
    )
    accounts: dict[int, BankAccount] = {}
    for row in rows:
        account = accounts.setdefault(row.pk, row)
        if account is row:
            account.shortfalls = []
            account.masked = f"···{account.account_last4}"
        if row.short_id is not None:
            account.shortfalls.append(
                SalaryDeposit(
                    account=account,
                    **{name: getattr(row, f"short_{name}") for name in _SHORTFALL_COLUMNS},
                )
            )
    return list(accounts.values())


def worker_page(worker: Worker, *, passport_in_full: bool) -> WorkerPage:
    """Everything on the worker's page, in the same number of queries however long the history."""
    today = timezone.localdate()
    employments = _employments(worker)
    current = next((e for e in employments if e.status != Employment.Status.ENDED), None)
    cards = list(worker.cards.all())
    soon = today + dt.timedelta(days=EXPIRING_SOON_DAYS)
    for card in cards:
        card.is_expired = card.expiry_date < today
        card.expiring_soon = (
            card.status == IdentityCard.Status.ISSUED and today <= card.expiry_date <= soon
        )
    accounts = _bank_accounts(worker)
    # Each list is ordered here, not by its model's ordering, which starts with "worker" and so
    # joins the worker's table for nothing.
    languages = list(worker.languages.order_by("language"))
    for language in languages:
        language.name = language_name(language.language)
    referrals = list(worker.course_referrals.order_by("-referred_on", "-id"))
    for referral in referrals:
        referral.language_name = language_name(referral.language)
    page = WorkerPage(
        worker=worker,
        passport_display=(
            worker.passport_number if passport_in_full else passport_masked(worker.passport_number)
        ),
        passport_in_full=passport_in_full and bool(worker.passport_number),
        preferred_language_name=language_name(worker.preferred_language),
        languages=languages,
        phones=list(worker.phones.order_by("-is_sms_number", "id")),
        consents=list(
            worker.consents.select_related("recorded_by").order_by("-recorded_at", "-id")
        ),
        current_employment=current,
        past_employments=[e for e in employments if e is not current],
        breaches=_breaches(current) if current else [],
        cards=cards,
        bank_accounts=accounts,
        referrals=referrals,
        notices=list(Message.objects.filter(worker=worker).select_related("created_by")),
        duplicates=worker_duplicates(worker),
    )
    page.timeline = _timeline(page, today)
    return page
