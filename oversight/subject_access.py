"""Subject access: everything Hestia holds about one worker, as JSON and as a PDF.

Restricted interview notes, addenda and concern details are included only for a user who may
read them (the interviewer's and supervisors' permissions); for anyone else the export says
that they exist and who can release them, so producing the export never widens who reads them.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from interviews.models import (
    Concern,
    ConcernAction,
    IndicatorAnswer,
    Interview,
    InterviewRecord,
    RecordAddendum,
    Referral,
)
from notifications.models import Message
from notifications.rights import PdfUnavailable
from oversight.models import LegalHold
from registry.models import (
    BankAccount,
    BankEvidence,
    Consent,
    Employment,
    IdentityCard,
    LanguageCourseReferral,
    Registration,
    SalaryDeposit,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)

WITHHELD = "withheld"


def _value(value):
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return value.code
    if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
        return str(value)
    return value


def _row(instance, fields: list[str]) -> dict:
    return {name: _value(getattr(instance, name)) for name in fields}


def may_read_restricted(user) -> bool:
    return user.has_perm("interviews.view_restricted_notes") and user.has_perm(
        "interviews.view_all_concerns"
    )


def worker_data(worker: Worker, *, user) -> dict:
    """Everything held about `worker`, as plain JSON-ready values."""
    restricted = may_read_restricted(user)
    data = {
        "produced_at": _value(timezone.now()),
        "produced_by": user.get_username(),
        "worker": _row(
            worker,
            [
                "id",
                "family_name",
                "given_names",
                "other_spellings",
                "date_of_birth",
                "sex",
                "nationality",
                "passport_number",
                "passport_expiry",
                "preferred_language",
                "host_language_level",
                "email",
                "created_at",
                "anonymised_at",
            ],
        ),
        "languages": [_row(entry, ["language", "level"]) for entry in worker.languages.all()],
        "phones": [
            {
                **_row(phone, ["is_mobile", "is_safe", "is_sms_number", "note"]),
                "number": str(phone.number),
            }
            for phone in worker.phones.all()
        ],
        "consents": [
            _row(consent, ["kind", "given", "recorded_at", "note"])
            for consent in worker.consents.all()
        ],
        "employments": [],
        "cards": [
            _row(card, ["kind", "number", "issue_date", "expiry_date", "status"])
            for card in worker.cards.all()
        ],
        "bank_accounts": [],
        "language_courses": [
            _row(course, ["language", "provider", "referred_on", "outcome", "note"])
            for course in worker.course_referrals.all()
        ],
        "notices": [
            _row(
                message,
                [
                    "kind",
                    "channel",
                    "language",
                    "recipient",
                    "subject",
                    "body",
                    "status",
                    "created_at",
                    "sent_at",
                    "delivered_at",
                ],
            )
            for message in Message.objects.filter(worker=worker).order_by("created_at", "pk")
        ],
        "interviews": [],
        "concerns": [],
        "legal_holds": [
            _row(hold, ["reason", "note", "placed_at", "review_on", "lifted_at", "lift_reason"])
            for hold in LegalHold.objects.filter(worker=worker)
        ],
        "restricted_content_included": restricted,
    }
    for employment in worker.employments.select_related("employer__mission", "registration"):
        row = _row(
            employment,
            [
                "start_date",
                "end_date",
                "duties",
                "monthly_salary",
                "currency",
                "weekly_hours",
                "weekly_rest_days",
                "annual_leave_days",
                "accommodation",
                "contract_languages",
                "status",
                "end_reason",
            ],
        )
        row["employer"] = str(employment.employer)
        row["mission"] = str(employment.employer.mission)
        registration = getattr(employment, "registration", None)
        if registration is not None:
            row["registration"] = _row(
                registration,
                [
                    "held_at",
                    "identity_checked",
                    "held_own_passport",
                    "employer_absent",
                    "language",
                    "interpreter",
                    "rights_explained",
                    "leaflet_language",
                    "notes",
                ],
            )
        data["employments"].append(row)
    for account in worker.bank_accounts.prefetch_related("deposits", "evidence"):
        row = _row(
            account,
            [
                "iban",
                "account_number",
                "bank_code",
                "bic",
                "bank_name",
                "country",
                "holder_names",
                "sole_holder",
                "status",
                "verified_on",
                "verification_expires_on",
            ],
        )
        row["deposits"] = [
            _row(deposit, ["month", "amount", "currency", "shortfall"])
            for deposit in account.deposits.all()
        ]
        row["evidence"] = [
            _row(evidence, ["original_name", "content_type", "size", "uploaded_at"])
            for evidence in account.evidence.all()
        ]
        data["bank_accounts"].append(row)
    records = {
        record.interview_id: record
        for record in InterviewRecord.objects.filter(interview__worker=worker).prefetch_related(
            "indicators", "addenda"
        )
    }
    for interview in (
        Interview.objects.filter(worker=worker)
        .select_related("room", "interpreter")
        .order_by("created_at", "pk")
    ):
        row = _row(
            interview,
            [
                "kind",
                "status",
                "due_on",
                "starts_at",
                "language",
                "confirmed_at",
                "move_request_note",
                "cancel_reason",
            ],
        )
        row["place"] = interview.room.location if interview.room else ""
        row["interpreter"] = str(interview.interpreter) if interview.interpreter else ""
        record = records.get(interview.pk)
        if record is not None:
            answers = _row(
                record,
                [
                    "held_at",
                    "in_person",
                    "in_private",
                    "no_employer_present",
                    "counts",
                    "language",
                    "passport_holder",
                    "card_holder",
                    "daily_hours",
                    "weekly_hours",
                    "weekly_rest_day",
                    "annual_leave",
                    "wage_amount",
                    "wage_into_own_account",
                    "wage_on_time",
                    "wage_in_full",
                    "own_room_locks",
                    "free_to_go_out",
                    "own_phone",
                    "contact_family",
                    "threats_or_abuse",
                    "wish_to_continue",
                    "bank_account_confirmed",
                    "outcome",
                ],
            )
            answers["indicators"] = [
                {
                    "indicator": answer.indicator,
                    "level": answer.level,
                    "note": answer.note if restricted else WITHHELD,
                }
                for answer in record.indicators.all()
            ]
            answers["restricted_notes"] = record.restricted_notes if restricted else WITHHELD
            answers["addenda"] = [
                {
                    "written_at": _value(addendum.written_at),
                    "text": addendum.text if restricted else WITHHELD,
                }
                for addendum in record.addenda.all()
            ]
            row["record"] = answers
        data["interviews"].append(row)
    for concern in Concern.objects.filter(worker=worker).prefetch_related(
        "actions", "referrals__organisation"
    ):
        row = _row(
            concern,
            [
                "source",
                "severity",
                "status",
                "summary",
                "indicators",
                "due_on",
                "opened_at",
                "closed_at",
                "closure_reason",
                "closure_note",
            ],
        )
        row["details"] = concern.details if restricted else WITHHELD
        row["actions"] = [
            {"taken_on": _value(action.taken_on), "text": action.text if restricted else WITHHELD}
            for action in concern.actions.all()
        ]
        row["referrals"] = [
            {
                **_row(referral, ["referred_on", "status", "response_on"]),
                "organisation": referral.organisation.name,
                "response": referral.response if restricted else WITHHELD,
            }
            for referral in concern.referrals.all()
        ]
        data["concerns"].append(row)
    return data


def pdf_language(worker: Worker, requested: str = "") -> str:
    """The worker's language when the staff interface has it, else the host state's, else English."""
    available = {code for code, _name in settings.LANGUAGES}
    for code in (requested, worker.preferred_language, settings.HESTIA_HOST_LANGUAGE, "en"):
        if code in available:
            return code
    return "en"


SECTIONS = [
    ("worker", Worker),
    ("languages", WorkerLanguage),
    ("phones", WorkerPhone),
    ("consents", Consent),
    ("employments", Employment),
    ("cards", IdentityCard),
    ("bank_accounts", BankAccount),
    ("language_courses", LanguageCourseReferral),
    ("notices", Message),
    ("interviews", Interview),
    ("concerns", Concern),
    ("legal_holds", LegalHold),
]
NESTED = {
    "registration": Registration,
    "record": InterviewRecord,
    "deposits": SalaryDeposit,
    "evidence": BankEvidence,
    "indicators": IndicatorAnswer,
    "addenda": RecordAddendum,
    "actions": ConcernAction,
    "referrals": Referral,
}


def _titles() -> dict[str, str]:
    return {
        "worker": _("Personal details"),
        "languages": _("Languages"),
        "phones": _("Phone numbers"),
        "consents": _("Consents"),
        "employments": _("Contracts"),
        "cards": _("ID cards and visas"),
        "bank_accounts": _("Bank accounts"),
        "language_courses": _("Language courses"),
        "notices": _("Notices sent"),
        "interviews": _("Interviews"),
        "concerns": _("Concerns"),
        "legal_holds": _("Legal holds"),
        "employer": _("Employer"),
        "mission": _("Mission"),
        "place": _("Place"),
        "interpreter": _("Interpreter"),
        "indicators": _("Indicators of forced labour"),
        "addenda": _("Addenda"),
        "deposits": _("Salary deposits"),
        "evidence": _("Evidence"),
        "number": _("Number"),
        "registration": _("Registration in person"),
        "record": _("Interview record"),
        "actions": _("Actions taken"),
        "referrals": _("Referrals"),
    }


def _labelled(model, row: dict, titles: dict) -> list[tuple[str, object]]:
    """(label, value) pairs in the active language; choices shown by their label, nested
    rows (a registration, an interview record) labelled with their own model."""
    pairs = []
    for key, value in row.items():
        try:
            model_field = model._meta.get_field(key)
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and not model_field.auto_created:
            label = str(model_field.verbose_name)
            choices = dict(model_field.choices or ())
        else:  # not a field, or a reverse relation (deposits, a registration, a record)
            label, choices = titles.get(key, key.replace("_", " ")), {}
        if value == [] or value == {}:
            value = ""
        elif value == WITHHELD:
            value = _("Withheld: restricted to the interviewer and supervisors.")
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, str) and value in choices:
            value = str(choices[value])
        elif isinstance(value, dict) and key in NESTED:
            value = _labelled(NESTED[key], value, titles)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = [_labelled(NESTED.get(key, model), item, titles) for item in value]
        pairs.append((label, value))
    return pairs


def pdf_sections(data: dict) -> list[tuple[str, list]]:
    titles = _titles()
    sections = []
    for key, model in SECTIONS:
        rows = data[key] if isinstance(data[key], list) else [data[key]]
        sections.append((titles[key], [_labelled(model, row, titles) for row in rows]))
    return sections


def worker_pdf(worker: Worker, *, user, language: str) -> bytes:
    data = worker_data(worker, user=user)
    with translation.override(language):
        html = render_to_string(
            "oversight/subject_access_pdf.html",
            {
                "sections": pdf_sections(data),
                "data": data,
                "worker": worker,
                "language": language,
                "bidi": translation.get_language_bidi(),
                "ministry": settings.HESTIA_MINISTRY_NAME,
            },
        )
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html).write_pdf()
