"""Writes for the registry. Every function runs in a transaction and writes the audit log."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty import exceptions as schwifty_errors
from schwifty.exceptions import SchwiftyException

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from notifications.services import notify
from registry.encryption import normalise_identifier, search_hash
from registry.models import (
    BankAccount,
    BankEvidence,
    Consent,
    Employer,
    Employment,
    IdentityCard,
    LanguageCourseReferral,
    Mission,
    NotDuplicate,
    Policy,
    Registration,
    SalaryDeposit,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)
from registry.names import holder_matches_worker, normalise_name

Action = AuditEntry.Action

WORKER_FIELDS = [
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
]


def _changed(instance, data: dict) -> list[str]:
    if instance.pk is None:
        return list(data)
    return [name for name, value in data.items() if getattr(instance, name, None) != value]


def _worker_index(worker: Worker) -> list[str]:
    """Keep the derived search columns in step with the names and passport number."""
    spellings = [worker.family_name, worker.given_names, *worker.other_spellings.splitlines()]
    worker.search_names = " | ".join(
        sorted(
            {
                normalise_name(f"{worker.family_name} {worker.given_names}"),
                *map(normalise_name, spellings),
            }
        )
    )
    worker.passport_number_hash = search_hash(worker.passport_number or "")
    return ["search_names", "passport_number_hash"]


# --- Missions and employers -----------------------------------------------------------------


def _record_save(instance, *, by: User, request, data: dict):
    """Validate, save and audit a plain record: what mission_save and employer_save share."""
    created = instance.pk is None
    changed = _changed(instance, data)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=instance,
        changed_fields=changed,
    )
    return instance


@transaction.atomic
def mission_save(*, by: User, mission: Mission | None = None, request=None, **data) -> Mission:
    return _record_save(mission or Mission(), by=by, request=request, data=data)


@transaction.atomic
def employer_save(*, by: User, employer: Employer | None = None, request=None, **data) -> Employer:
    return _record_save(employer or Employer(), by=by, request=request, data=data)


# --- Workers ------------------------------------------------------------------------------


@transaction.atomic
def worker_save(*, by: User, worker: Worker | None = None, request=None, **data) -> Worker:
    """Create or update a worker; a new worker needs a data-processing consent on record."""
    created = worker is None
    worker = worker or Worker()
    changed = _changed(worker, data)
    for name, value in data.items():
        setattr(worker, name, value)
    _worker_index(worker)
    worker.full_clean(exclude=["search_names", "passport_number_hash"])
    worker.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=worker,
        changed_fields=changed,
    )
    if not created and {"family_name", "given_names", "other_spellings"} & set(changed):
        # A corrected name may make an account holder's name match, or stop matching.
        for account in worker.bank_accounts.exclude(status=BankAccount.Status.CLOSED):
            mismatch = not holder_matches_worker(
                account.holder_names, worker.family_name, worker.given_names, worker.other_spellings
            )
            if mismatch != account.name_mismatch:
                account.name_mismatch = mismatch
                account.save(update_fields=["name_mismatch", "updated_at"])
                audit_log(
                    action=Action.UPDATE,
                    actor=by,
                    request=request,
                    obj=account,
                    changed_fields=["name_mismatch"],
                )
    return worker


def phone_validate(number: str, *, for_sms: bool) -> phonenumbers.PhoneNumber:
    """Parse a number in E.164 or in the host state's format; refuse a landline for SMS."""
    try:
        parsed = phonenumbers.parse(number, settings.HESTIA_HOST_COUNTRY)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number."), code="invalid") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("This phone number is not valid."), code="invalid")
    if for_sms and not _is_mobile(parsed):
        raise ValidationError(
            _("SMS notices need a mobile number; this number is not a mobile number."),
            code="not_mobile",
        )
    return parsed


def _is_mobile(parsed: phonenumbers.PhoneNumber) -> bool:
    return phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@transaction.atomic
def phone_add(
    *,
    by: User,
    worker: Worker,
    number: str,
    is_safe: bool,
    is_sms_number: bool,
    note: str = "",
    request=None,
) -> WorkerPhone:
    parsed = phone_validate(number, for_sms=is_sms_number)
    if is_sms_number and not is_safe:
        raise ValidationError(
            _(
                "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices."
            ),
            code="unsafe",
        )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if worker.phones.filter(number=e164).exists():
        raise ValidationError(_("This worker already has this phone number."), code="duplicate")
    if is_sms_number:
        for previous in worker.phones.filter(is_sms_number=True):
            previous.is_sms_number = False
            previous.save(update_fields=["is_sms_number", "updated_at"])
            audit_log(
                action=Action.UPDATE,
                actor=by,
                request=request,
                obj=previous,
                changed_fields=["is_sms_number"],
            )
    phone = WorkerPhone.objects.create(
        worker=worker,
        number=e164,
        is_mobile=_is_mobile(parsed),
        is_safe=is_safe,
        is_sms_number=is_sms_number,
        note=note,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=phone,
        changed_fields=["number", "is_safe", "is_sms_number"],
    )
    return phone


@transaction.atomic
def phone_mark_unsafe(*, by: User, phone: WorkerPhone, note: str = "", request=None) -> WorkerPhone:
    """A phone found to be controlled by the employer stops receiving anything at once."""
    phone.is_safe = False
    phone.is_sms_number = False
    if note:
        phone.note = note
    phone.save(update_fields=["is_safe", "is_sms_number", "note", "updated_at"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=phone,
        changed_fields=["is_safe", "is_sms_number"],
    )
    return phone


@transaction.atomic
def language_set(
    *, by: User, worker: Worker, language: str, level: str, request=None
) -> WorkerLanguage:
    entry, _created = WorkerLanguage.objects.update_or_create(
        worker=worker, language=language.strip().lower(), defaults={"level": level}
    )
    audit_log(
        action=Action.UPDATE, actor=by, request=request, obj=worker, changed_fields=["languages"]
    )
    return entry


@transaction.atomic
def consent_record(
    *, by: User, worker: Worker, kind: str, given: bool, note: str = "", request=None
) -> Consent:
    consent = Consent.objects.create(
        worker=worker, kind=kind, given=given, note=note, recorded_by=by
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=consent,
        changed_fields=["kind", "given"],
    )
    return consent


@transaction.atomic
def course_referral_save(
    *,
    by: User,
    worker: Worker,
    referral: LanguageCourseReferral | None = None,
    request=None,
    **data,
) -> LanguageCourseReferral:
    referral = referral or LanguageCourseReferral(worker=worker)
    return _record_save(referral, by=by, request=request, data=data)


@transaction.atomic
def worker_mark_not_duplicate(*, by: User, worker: Worker, other: Worker, request=None) -> None:
    first, second = sorted([worker, other], key=lambda w: w.pk)
    NotDuplicate.objects.get_or_create(worker=first, other=second, defaults={"marked_by": by})
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=worker,
        changed_fields=["not_duplicate_of"],
    )


# --- Policy and employments ---------------------------------------------------------------


def policy_current() -> Policy:
    """The host state's policy; created with conservative defaults the first time it is needed."""
    policy, _created = Policy.objects.get_or_create(
        host_country=settings.HESTIA_HOST_COUNTRY,
        defaults={"minimum_monthly_wage": Decimal("1800.00"), "currency": "EUR"},
    )
    return policy


@transaction.atomic
def policy_save(*, by: User, policy: Policy, request=None, **data) -> Policy:
    return _record_save(policy, by=by, request=request, data=data)


def employment_policy_breaches(
    employment: Employment, policy: Policy | None = None, *, others: int | None = None
) -> list[str]:
    """What in this contract falls below the host state's minimums or above its maximums.

    `others`, when a list has counted them already, is the number of the employer's open
    employments recorded before this one."""
    policy = policy or policy_current()
    breaches = []
    if (
        employment.currency == policy.currency
        and employment.monthly_salary < policy.minimum_monthly_wage
    ):
        breaches.append(
            _(
                "The monthly salary %(salary)s %(currency)s is below the minimum wage of %(minimum)s %(currency)s."
            )
            % {
                "salary": employment.monthly_salary,
                "minimum": policy.minimum_monthly_wage,
                "currency": policy.currency,
            }
        )
    if employment.currency != policy.currency:
        breaches.append(
            _(
                "The salary is in %(currency)s; the minimum wage is set in %(policy_currency)s and must be checked by hand."
            )
            % {"currency": employment.currency, "policy_currency": policy.currency}
        )
    if employment.weekly_hours > policy.maximum_weekly_hours:
        breaches.append(
            _("%(hours)d weekly hours is above the maximum of %(maximum)d.")
            % {"hours": employment.weekly_hours, "maximum": policy.maximum_weekly_hours}
        )
    if employment.weekly_rest_days < policy.minimum_weekly_rest_days:
        breaches.append(
            _("%(days)d weekly rest days is below the minimum of %(minimum)d.")
            % {"days": employment.weekly_rest_days, "minimum": policy.minimum_weekly_rest_days}
        )
    if employment.annual_leave_days < policy.minimum_annual_leave_days:
        breaches.append(
            _("%(days)d days of annual leave is below the minimum of %(minimum)d.")
            % {"days": employment.annual_leave_days, "minimum": policy.minimum_annual_leave_days}
        )
    limit = (
        policy.workers_per_head_of_mission
        if employment.employer.is_head_of_mission
        else policy.workers_per_staff_member
    )
    # Contracts recorded earlier come first: when a household goes over its limit, the newest
    # contract is the one that breaches it, not the ones already in force.
    if others is None:
        earlier = Employment.objects.filter(employer=employment.employer).exclude(
            status=Employment.Status.ENDED
        )
        if employment.pk is not None:
            earlier = earlier.filter(pk__lt=employment.pk)
        others = earlier.count()
    if others + 1 > limit:
        breaches.append(
            _(
                "This employer would have %(count)d domestic workers; the most allowed for this rank is %(limit)d."
            )
            % {"count": others + 1, "limit": limit}
        )
    return breaches


EMPLOYMENT_FIELDS = [
    "employer",
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
]


@transaction.atomic
def employment_create(*, by: User, worker: Worker, request=None, **data) -> Employment:
    """A new contract starts pre-notified; refused while the worker has one not yet ended."""
    Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.employments.exclude(status=Employment.Status.ENDED).exists():
        raise ValidationError(
            _(
                "This worker already has an employment that has not ended. End it before recording a new one."
            ),
            code="open_employment",
        )
    employment = Employment(worker=worker, **data)
    employment.full_clean()
    try:
        with transaction.atomic():
            employment.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "This worker already has an employment that has not ended. End it before recording a new one."
            ),
            code="open_employment",
        ) from None
    audit_log(
        action=Action.CREATE, actor=by, request=request, obj=employment, changed_fields=list(data)
    )
    return employment


@transaction.atomic
def employment_update(*, by: User, employment: Employment, request=None, **data) -> Employment:
    """Correct a contract's terms. A contract already in force keeps its employer (a new household
    is a new contract), and new terms that breach the policy send it back to wait for a
    supervisor's exception: a contract is never active below the minimums without one."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.status == Employment.Status.ENDED:
        raise ValidationError(_("An ended employment cannot be changed."), code="ended")
    if (
        "employer" in data
        and data["employer"] != employment.employer
        and employment.status != Employment.Status.PRE_NOTIFIED
    ):
        raise ValidationError(
            {
                "employer": _(
                    "The employer of a registered contract cannot be changed. End this employment "
                    "(reason: transferred) and record a new one with the new employer."
                )
            },
            code="employer",
        )
    changed = _changed(employment, data)
    for name, value in data.items():
        setattr(employment, name, value)
    employment.full_clean()
    terms = set(changed) - {"duties", "contract_languages", "end_date"}
    if (
        terms
        and employment.status
        in (Employment.Status.ACTIVE, Employment.Status.SUSPENDED, Employment.Status.REGISTERED)
        and employment_policy_breaches(employment)
    ):
        # The exception was granted for the old terms; the new ones need their own.
        employment.policy_override_reason = ""
        employment.policy_override_by = None
        employment.policy_override_at = None
        if employment.status != Employment.Status.REGISTERED:
            employment.status = Employment.Status.REGISTERED
            changed.append("status")
        changed.append("policy_override_reason")
    employment.save()
    audit_log(
        action=Action.UPDATE, actor=by, request=request, obj=employment, changed_fields=changed
    )
    return employment


def _can_override(user: User) -> bool:
    return user.has_perm("registry.override_policy")


@transaction.atomic
def employment_activate(
    *, by: User, employment: Employment, override_reason: str = "", request=None
) -> Employment:
    """Make a registered or suspended contract active; a policy breach needs a supervisor's reason."""
    if employment.status not in (Employment.Status.REGISTERED, Employment.Status.SUSPENDED):
        raise ValidationError(
            _(
                "Only a registered or suspended employment can become active. Record the registration first."
            ),
            code="status",
        )
    breaches = employment_policy_breaches(employment)
    changed = ["status"]
    if breaches and not employment.policy_override_reason:
        if not override_reason.strip():
            raise ValidationError(
                [
                    _(
                        "This contract does not meet the policy; a supervisor must record an exception and its reason."
                    ),
                    *breaches,
                ],
                code="policy",
            )
        if not _can_override(by):
            raise ValidationError(
                _("Only a supervisor can record an exception to the policy."), code="override"
            )
        employment.policy_override_reason = override_reason.strip()
        employment.policy_override_by = by
        employment.policy_override_at = timezone.now()
        changed += ["policy_override_reason", "policy_override_by"]
    employment.status = Employment.Status.ACTIVE
    employment.save()
    audit_log(
        action=Action.UPDATE, actor=by, request=request, obj=employment, changed_fields=changed
    )
    return employment


@transaction.atomic
def employment_suspend(*, by: User, employment: Employment, request=None) -> Employment:
    if employment.status != Employment.Status.ACTIVE:
        raise ValidationError(_("Only an active employment can be suspended."), code="status")
    employment.status = Employment.Status.SUSPENDED
    employment.save(update_fields=["status", "updated_at"])
    audit_log(
        action=Action.UPDATE, actor=by, request=request, obj=employment, changed_fields=["status"]
    )
    return employment


@transaction.atomic
def employment_end(
    *,
    by: User,
    employment: Employment,
    reason: str,
    end_date: dt.date,
    card_returned: bool,
    request=None,
) -> Employment:
    """End a contract with its reason, and record whether the worker's card came back."""
    if employment.status == Employment.Status.ENDED:
        raise ValidationError(_("This employment has already ended."), code="ended")
    if reason not in Employment.EndReason.values:
        raise ValidationError(_("Choose why the employment ended."), code="reason")
    if end_date < employment.start_date:
        raise ValidationError(_("The end date cannot be before the start date."), code="end_date")
    employment.status = Employment.Status.ENDED
    employment.end_reason = reason
    employment.end_date = end_date
    employment.card_returned = card_returned
    employment.save()
    if card_returned:
        for card in employment.cards.filter(status=IdentityCard.Status.ISSUED):
            card.status = IdentityCard.Status.RETURNED
            card.save(update_fields=["status", "updated_at"])
            audit_log(
                action=Action.UPDATE, actor=by, request=request, obj=card, changed_fields=["status"]
            )
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=employment,
        changed_fields=["status", "end_reason", "end_date", "card_returned"],
    )
    return employment


@dataclass
class RegistrationResult:
    registration: Registration
    activated: bool
    breaches: list[str]


@transaction.atomic
def registration_record(
    *, by: User, employment: Employment, request=None, **data
) -> RegistrationResult:
    """The in-person registration (recommendations 36 and 37).

    The worker must have been seen in private, with their own passport, and told their rights;
    the employment then becomes active (unless the contract breaches the policy, which waits for
    a supervisor) and the rights information is sent in the leaflet's language.
    """
    employment = (
        Employment.objects.select_for_update()
        .select_related("worker", "employer")
        .get(pk=employment.pk)
    )
    if employment.status != Employment.Status.PRE_NOTIFIED:
        raise ValidationError(_("This employment has already been registered."), code="status")
    required = {
        "identity_checked": _("The worker's identity must be checked against the passport."),
        "employer_absent": _(
            "The registration only counts if no employer or mission member was present."
        ),
        "rights_explained": _("The worker's rights and obligations must be explained."),
    }
    errors = [message for field, message in required.items() if not data.get(field)]
    if errors:
        raise ValidationError(errors, code="incomplete")
    registration = Registration(employment=employment, officer=by, **data)
    registration.full_clean(exclude=["employment", "officer"])
    registration.save()
    employment.status = Employment.Status.REGISTERED
    employment.save(update_fields=["status", "updated_at"])
    audit_log(
        action=Action.CREATE, actor=by, request=request, obj=registration, changed_fields=list(data)
    )
    breaches = employment_policy_breaches(employment)
    activated = False
    if not breaches or employment.policy_override_reason:
        employment_activate(by=by, employment=employment, request=request)
        activated = True
    notify(
        employment.worker,
        "rights_information",
        {"language": registration.leaflet_language, "employment_id": employment.pk},
        by=by,
        language=registration.leaflet_language,
    )
    return RegistrationResult(registration=registration, activated=activated, breaches=breaches)


# --- Cards --------------------------------------------------------------------------------


@transaction.atomic
def card_save(
    *, by: User, worker: Worker, card: IdentityCard | None = None, request=None, **data
) -> IdentityCard:
    created = card is None
    card = card or IdentityCard(worker=worker)
    changed = _changed(card, data)
    for name, value in data.items():
        setattr(card, name, value)
    card.number_normalised = normalise_identifier(card.number)
    if card.issue_date and card.expiry_date and card.expiry_date <= card.issue_date:
        raise ValidationError({"expiry_date": _("The expiry date must be after the issue date.")})
    card.full_clean()
    duplicate = IdentityCard.objects.filter(
        kind=card.kind, number_normalised=card.number_normalised
    ).exclude(pk=card.pk)
    if duplicate.exists():
        raise ValidationError({"number": _("Another card or visa already has this number.")})
    card.save()
    audit_log(
        action=Action.CREATE if created else Action.UPDATE,
        actor=by,
        request=request,
        obj=card,
        changed_fields=changed,
    )
    return card


# --- Bank accounts (recommendation 39) ----------------------------------------------------


@dataclass
class AccountCheck:
    iban: str
    account_number: str
    bank_code: str
    bic: str
    bank_name: str
    country: str


def _iban_error_message(error: SchwiftyException) -> str:
    """schwifty explains in English only; staff read why in their own language."""
    messages = [
        (
            schwifty_errors.InvalidCountryCode,
            _("This IBAN does not start with a known country code."),
        ),
        (
            schwifty_errors.InvalidLength,
            _("This IBAN has the wrong number of characters for its country."),
        ),
        (
            schwifty_errors.InvalidChecksumDigits,
            _("This IBAN's check digits do not match: a character is probably mistyped."),
        ),
        (
            schwifty_errors.InvalidBBANChecksum,
            _(
                "The account number in this IBAN fails its national check: a digit is probably mistyped."
            ),
        ),
        (schwifty_errors.InvalidBankCode, _("The bank code in this IBAN is not valid.")),
        (schwifty_errors.InvalidBranchCode, _("The branch code in this IBAN is not valid.")),
        (schwifty_errors.InvalidAccountCode, _("The account code in this IBAN is not valid.")),
        (
            schwifty_errors.InvalidStructure,
            _("This IBAN contains characters that are not allowed for its country."),
        ),
    ]
    for error_class, message in messages:
        if isinstance(error, error_class):
            return message
    return _("This IBAN is not valid.")


def bank_account_check(
    *, iban: str = "", account_number: str = "", bank_code: str = "", country: str = ""
) -> AccountCheck:
    """Validate an IBAN (checksum, length for its country, known bank) or a national number."""
    iban = iban.strip()
    if iban:
        try:
            parsed = IBAN(iban, validate_bban=True)
        except SchwiftyException as error:
            raise ValidationError({"iban": _iban_error_message(error)}) from None
        bic = parsed.bic
        return AccountCheck(
            iban=parsed.compact,
            account_number="",
            bank_code=parsed.bank_code or "",
            bic=str(bic) if bic else "",
            bank_name=parsed.bank_name or "",
            country=parsed.country_code,
        )
    number = normalise_identifier(account_number)
    if not number:
        raise ValidationError(
            {"iban": _("Enter an IBAN, or an account number with its bank code.")}
        )
    if not bank_code.strip():
        raise ValidationError(
            {"bank_code": _("An account number without an IBAN needs the bank code.")}
        )
    if not country:
        raise ValidationError({"country": _("Choose the country of the bank.")})
    if not 5 <= len(number) <= 34:
        raise ValidationError(
            {"account_number": _("An account number has between 5 and 34 letters and digits.")}
        )
    return AccountCheck(
        iban="",
        account_number=number,
        bank_code=bank_code.strip(),
        bic="",
        bank_name="",
        country=country,
    )


@transaction.atomic
def bank_account_add(
    *,
    by: User,
    worker: Worker,
    holder_names: str,
    sole_holder: bool,
    iban: str = "",
    account_number: str = "",
    bank_code: str = "",
    country: str = "",
    bank_name: str = "",
    request=None,
) -> BankAccount:
    checked = bank_account_check(
        iban=iban, account_number=account_number, bank_code=bank_code, country=country
    )
    identifier = checked.iban or f"{checked.bank_code}{checked.account_number}"
    account_hash = search_hash(identifier)
    if (
        BankAccount.objects.filter(account_hash=account_hash)
        .exclude(status=BankAccount.Status.CLOSED)
        .exists()
    ):
        raise ValidationError(
            {
                "iban": _(
                    "This account is already on record for a worker. One account cannot serve two workers."
                )
            }
        )
    account = BankAccount.objects.create(
        worker=worker,
        iban=checked.iban,
        account_number=checked.account_number,
        account_hash=account_hash,
        account_last4=identifier[-4:],
        bank_code=checked.bank_code,
        bic=checked.bic,
        bank_name=bank_name or checked.bank_name,
        country=checked.country,
        holder_names=holder_names.strip(),
        sole_holder=sole_holder,
        name_mismatch=not holder_matches_worker(
            holder_names, worker.family_name, worker.given_names, worker.other_spellings
        ),
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=account,
        changed_fields=[
            "iban" if checked.iban else "account_number",
            "holder_names",
            "sole_holder",
        ],
    )
    return account


EVIDENCE_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def evidence_content_type(head: bytes) -> str | None:
    for signature, content_type in EVIDENCE_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def bank_evidence_add(*, by: User, account: BankAccount, upload, request=None) -> BankEvidence:
    """Keep a bank letter or statement: PDF, PNG or JPEG by content, within the size limit."""
    limit = settings.HESTIA_EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": settings.HESTIA_EVIDENCE_MAX_MB},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    content_type = evidence_content_type(upload.read(8))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(_("Only PDF, PNG and JPEG files are accepted."), code="type")
    evidence = BankEvidence(
        account=account,
        original_name=upload.name[-255:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[content_type]
    evidence.file.save(f"account-{account.pk}.{extension}", upload, save=False)
    evidence.save()
    audit_log(
        action=Action.CREATE, actor=by, request=request, obj=evidence, changed_fields=["file"]
    )
    return evidence


@transaction.atomic
def bank_account_verify(
    *,
    by: User,
    account: BankAccount,
    method: str,
    verified_on: dt.date,
    accept_name_difference: bool = False,
    request=None,
) -> BankAccount:
    """An officer confirms the account is the worker's alone; valid for the policy's months."""
    errors = []
    if not account.sole_holder:
        errors.append(
            _(
                "The salary must be paid into an account in the worker's sole name (recommendation 39)."
            )
        )
    if account.name_mismatch and not accept_name_difference:
        errors.append(
            _(
                "The holder's name differs from the worker's. Confirm that you checked it is the same person."
            )
        )
    if method not in BankAccount.Method.values:
        errors.append(_("Choose how the account was verified."))
    if method != BankAccount.Method.IN_PERSON and not account.evidence.exists():
        errors.append(_("Upload the bank letter or statement before verifying."))
    if account.status not in (BankAccount.Status.UNVERIFIED, BankAccount.Status.VERIFIED):
        errors.append(_("A closed or rejected account cannot be verified."))
    months = policy_current().bank_verification_months
    if verified_on > timezone.localdate():
        errors.append(_("The verification date cannot be in the future."))
    elif verified_on + relativedelta(months=months) < timezone.localdate():
        errors.append(
            _(
                "A verification older than %(months)d months has already expired; verify the account again today."
            )
            % {"months": months}
        )
    if errors:
        raise ValidationError(errors, code="verify")
    account.status = BankAccount.Status.VERIFIED
    account.verified_by = by
    account.verified_on = verified_on
    account.verification_method = method
    account.verification_expires_on = verified_on + relativedelta(months=months)
    account.save()
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=account,
        changed_fields=["status", "verified_by", "verified_on", "verification_method"],
    )
    return account


@transaction.atomic
def salary_deposit_record(
    *,
    by: User,
    account: BankAccount,
    employment: Employment,
    month: dt.date,
    amount: Decimal,
    currency: str,
    request=None,
) -> SalaryDeposit:
    """Record a wage seen on a statement; a payment below the contract wage is a shortfall."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError(
            {"month": _("A deposit cannot be recorded for a month that has not started.")}
        )
    if employment.worker_id != account.worker_id:
        raise ValidationError(_("This account and this employment belong to different workers."))
    if month < employment.start_date.replace(day=1) or (
        employment.end_date and month > employment.end_date
    ):
        raise ValidationError({"month": _("This month is outside the employment's dates.")})
    if currency != employment.currency:
        raise ValidationError(
            {
                "currency": _("The contract wage is paid in %(currency)s.")
                % {"currency": employment.currency}
            }
        )
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if SalaryDeposit.objects.filter(employment=employment, month=month).exists():
        raise ValidationError({"month": _("A deposit is already recorded for this month.")})
    deposit = SalaryDeposit.objects.create(
        account=account,
        employment=employment,
        month=month,
        amount=amount,
        currency=currency,
        expected_amount=employment.monthly_salary,
        shortfall=max(Decimal("0"), employment.monthly_salary - amount),
        recorded_by=by,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=deposit,
        changed_fields=["month", "amount"],
    )
    return deposit


# --- Corrections: bank accounts and phone numbers -------------------------------------------

REASON_MAX_LENGTH = 200


def _reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")}, code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason is too long: at most %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            },
            code="max_length",
        )
    return reason


def _bank_account_end(
    *, by: User, account: BankAccount, status: str, reason: str, request=None
) -> BankAccount:
    """Close or reject an account in use or awaiting verification; the reason goes to the log."""
    reason = _reason_checked(reason)
    refusals = {
        (BankAccount.Status.CLOSED, BankAccount.Status.CLOSED): _(
            "This account is already closed."
        ),
        (BankAccount.Status.CLOSED, BankAccount.Status.REJECTED): _(
            "A rejected account cannot be closed."
        ),
        (BankAccount.Status.REJECTED, BankAccount.Status.REJECTED): _(
            "This account is already rejected."
        ),
        (BankAccount.Status.REJECTED, BankAccount.Status.CLOSED): _(
            "A closed account cannot be rejected."
        ),
    }
    refusal = refusals.get((status, account.status))
    if refusal:
        raise ValidationError(refusal, code="status")
    account.status = status
    # simple_history keeps the status change; its change reason holds the start of the reason.
    account._change_reason = reason[:100]
    account.save(update_fields=["status", "updated_at"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=account,
        changed_fields=["status"],
        detail=f"{status}: {reason}",
    )
    return account


@transaction.atomic
def bank_account_close(*, by: User, account: BankAccount, reason: str, request=None) -> BankAccount:
    """The worker closed the account or changed bank (recommendation 39): it no longer counts."""
    return _bank_account_end(
        by=by, account=account, status=BankAccount.Status.CLOSED, reason=reason, request=request
    )


@transaction.atomic
def bank_account_reject(
    *, by: User, account: BankAccount, reason: str, request=None
) -> BankAccount:
    """The account is not the worker's sole account or its evidence is false (recommendation 39)."""
    return _bank_account_end(
        by=by, account=account, status=BankAccount.Status.REJECTED, reason=reason, request=request
    )


def bank_account_correction_refusal(account: BankAccount) -> str:
    """Why this account's holder can no longer be corrected, or "" while it can."""
    if account.status == BankAccount.Status.VERIFIED:
        return _(
            "A verified account cannot be corrected. Close it and record the account again with the right details."
        )
    if account.status != BankAccount.Status.UNVERIFIED:
        return _("A closed or rejected account cannot be corrected.")
    return ""


@transaction.atomic
def bank_account_correct(
    *, by: User, account: BankAccount, holder_names: str, sole_holder: bool, request=None
) -> BankAccount:
    """Correct the holder's names and the sole-holder answer before the account is verified."""
    refusal = bank_account_correction_refusal(account)
    if refusal:
        raise ValidationError(refusal, code="status")
    holder_names = holder_names.strip()
    if not holder_names:
        raise ValidationError({"holder_names": _("Enter the account holder names.")})
    worker = account.worker
    data = {
        "holder_names": holder_names,
        "sole_holder": sole_holder,
        "name_mismatch": not holder_matches_worker(
            holder_names, worker.family_name, worker.given_names, worker.other_spellings
        ),
    }
    changed = _changed(account, data)
    if not changed:
        raise ValidationError(
            _("Nothing to correct: the names and the answer are the ones on record."),
            code="unchanged",
        )
    for name, value in data.items():
        setattr(account, name, value)
    account.save(update_fields=[*changed, "updated_at"])
    audit_log(action=Action.UPDATE, actor=by, request=request, obj=account, changed_fields=changed)
    return account


@transaction.atomic
def phone_update(
    *,
    by: User,
    phone: WorkerPhone,
    is_safe: bool,
    is_sms_number: bool,
    note: str = "",
    request=None,
) -> WorkerPhone:
    """Change whether a phone is safe, whether it gets the SMS notices, and its note.

    A phone that is not safe never receives anything: unticking "safe" also ends its SMS use.
    """
    if is_sms_number and not phone.is_sms_number:
        if not phone.is_mobile:
            raise ValidationError(
                _("SMS notices need a mobile number; this number is not a mobile number."),
                code="not_mobile",
            )
        if not is_safe:
            raise ValidationError(
                _(
                    "A phone that is not safe to use (for example one the employer controls) cannot receive SMS notices."
                ),
                code="unsafe",
            )
    data = {
        "is_safe": is_safe,
        "is_sms_number": is_sms_number and is_safe,
        "note": note.strip(),
    }
    changed = _changed(phone, data)
    if not changed:
        raise ValidationError(
            _("Nothing to change: these are the phone's details on record."), code="unchanged"
        )
    if data["is_sms_number"] and not phone.is_sms_number:
        for previous in phone.worker.phones.filter(is_sms_number=True).exclude(pk=phone.pk):
            previous.is_sms_number = False
            previous.save(update_fields=["is_sms_number", "updated_at"])
            audit_log(
                action=Action.UPDATE,
                actor=by,
                request=request,
                obj=previous,
                changed_fields=["is_sms_number"],
            )
    for name, value in data.items():
        setattr(phone, name, value)
    phone.save(update_fields=[*changed, "updated_at"])
    audit_log(action=Action.UPDATE, actor=by, request=request, obj=phone, changed_fields=changed)
    return phone


@transaction.atomic
def phone_remove(*, by: User, phone: WorkerPhone, request=None) -> None:
    """Delete a wrong or abandoned number; phones keep no history, so the log records it."""
    audit_log(
        action=Action.DELETE,
        actor=by,
        request=request,
        obj=phone,
        changed_fields=["number"],
        detail="removed",
    )
    phone.delete()
