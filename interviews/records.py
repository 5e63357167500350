"""Interview records (recommendations 36, 37 and 39): what the worker said, heard in private.

A record is written once, by the interview's interviewer or a supervisor, after the appointment
has started; it is corrected only by addenda, so the original always stays. An interview held
without the worker in person, in private and with no employer or mission member present is
recorded but does not count, and a follow-up interview is created so an officer books a proper
one. The outcome opens a concern (an urgent one alerts every supervisor). Restricted notes are
encrypted at rest and every reading is in the audit log.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from interviews.models import (
    Answer,
    Concern,
    DocumentHolder,
    Indicator,
    IndicatorAnswer,
    IndicatorLevel,
    Interview,
    InterviewKind,
    InterviewRecord,
    Outcome,
    RecordAddendum,
)
from interviews.services import concern_open, interviews_visible_to
from registry.models import BankAccount

Action = AuditEntry.Action

# What the record form may write; the rest (interview, recorded_by, counts) the service sets.
RECORD_FIELDS = (
    "held_at",
    "in_person",
    "in_private",
    "no_employer_present",
    "language",
    "interpreter",
    "interpreter_independent",
    "identity_checked",
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
    "restricted_notes",
)

# Documents held by any of these are retained documents (ILO indicator 7).
HELD_BY_SOMEONE_ELSE = (DocumentHolder.EMPLOYER, DocumentHolder.MISSION, DocumentHolder.OTHER)

SEVERITY_FOR_OUTCOME = {
    Outcome.URGENT: Concern.Severity.URGENT,
    Outcome.REFERRAL: Concern.Severity.HIGH,
    Outcome.FOLLOW_UP: Concern.Severity.MEDIUM,
}

# A follow-up the interviewer asks for is due in a month; an interview that did not count is
# replaced sooner, since the card's renewal waits for it.
FOLLOW_UP_DUE_DAYS = 30
NOT_COUNTING_DUE_DAYS = 14

# The day page lists appointments, not interviews still to be booked or cancelled ones.
DAY_STATUSES = (
    Interview.Status.INVITED,
    Interview.Status.CONFIRMED,
    Interview.Status.HELD,
    Interview.Status.NO_SHOW,
)


def indicator_field(code: str) -> str:
    """The name under which an indicator's answer and its errors travel (form and service)."""
    return f"indicator_{code}"


# --- Who may do what --------------------------------------------------------------------------


def is_supervisor(user: User) -> bool:
    return user.has_perm("interviews.view_all_concerns")


def record_may_write(user: User, interview: Interview) -> bool:
    """The interview's own interviewer, or a supervisor, records it and adds addenda."""
    if not user.has_perm("interviews.record_interview"):
        return False
    return is_supervisor(user) or (
        interview.interviewer_id is not None and interview.interviewer_id == user.pk
    )


def record_may_read(
    user: User, interview: Interview, record: InterviewRecord | None = None
) -> bool:
    """The whole record (checklist, indicators, addenda): its interviewer, whoever recorded it,
    and supervisors."""
    if not user.has_perm("interviews.view_interviewrecord"):
        return False
    if is_supervisor(user):
        return True
    if interview.interviewer_id is not None and interview.interviewer_id == user.pk:
        return True
    return record is not None and record.recorded_by_id == user.pk


def record_may_read_notes(user: User, record: InterviewRecord) -> bool:
    return user.has_perm("interviews.view_restricted_notes") and record_may_read(
        user, record.interview, record
    )


# --- Reads ------------------------------------------------------------------------------------


def current_bank_account(worker) -> BankAccount | None:
    """The account the salary goes into now: verified first, then the newest not closed or
    rejected."""
    accounts = worker.bank_accounts.exclude(
        status__in=[BankAccount.Status.CLOSED, BankAccount.Status.REJECTED]
    )
    verified = accounts.filter(status=BankAccount.Status.VERIFIED).order_by("-created_at", "-pk")
    return verified.first() or accounts.order_by("-created_at", "-pk").first()


def record_refusal(interview: Interview, *, now: dt.datetime | None = None) -> str:
    """Why this interview cannot be recorded now, or "" when it can."""
    now = now or timezone.now()
    if InterviewRecord.objects.filter(interview_id=interview.pk).exists():
        return _("This interview is already recorded. To correct it, add an addendum.")
    if interview.status == Interview.Status.DUE:
        return _("This interview is not booked yet.")
    if interview.status == Interview.Status.NO_SHOW:
        return _("This appointment was marked as missed.")
    if interview.status == Interview.Status.CANCELLED:
        return _("This interview was cancelled.")
    if interview.status not in Interview.BOOKED_STATUSES or interview.starts_at is None:
        return _("This interview cannot be recorded.")
    if interview.starts_at > now:
        when = timezone.localtime(interview.starts_at).strftime("%Y-%m-%d %H:%M")
        return _("The appointment is at %(time)s. It can be recorded once it has started.") % {
            "time": when
        }
    return ""


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight (23 or 25 hours on the days the clocks change)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def day_interviews(*, viewer: User, day: dt.date, interviewer: User | None = None) -> QuerySet:
    """The appointments of one day in time order, as far as `viewer` may see them. One query,
    whatever the number of rows: the record is only looked at, never loaded (its notes stay
    encrypted)."""
    start, end = day_bounds(day)
    records = InterviewRecord.objects.filter(interview=OuterRef("pk"))
    queryset = Interview.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=DAY_STATUSES
    )
    if interviewer is not None:
        queryset = queryset.filter(interviewer=interviewer)
    return (
        interviews_visible_to(viewer, queryset)
        .select_related("worker", "room", "interpreter", "interviewer")
        .annotate(has_record=Exists(records), record_counts=Subquery(records.values("counts")[:1]))
        .order_by("starts_at", "pk")
    )


@dataclass
class RecordFlags:
    """What in a record calls for attention, for the concern it opens."""

    indicators: list[tuple[str, str]]  # (code, level) suspected or observed
    bank_not_sole: bool
    not_counting: bool


# --- Writes -----------------------------------------------------------------------------------


def _indicator_answers(indicators: dict) -> tuple[list[tuple[str, str, str]], dict]:
    """(code, level, note) for each of the eleven indicators, and the errors by field name."""
    unknown = set(indicators) - set(Indicator.values)
    if unknown:
        raise ValidationError(_("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)})
    answers, errors = [], {}
    for code in Indicator.values:
        value = indicators.get(code)
        if isinstance(value, dict):
            level, note = value.get("level") or "", value.get("note") or ""
        else:
            level, note = value or "", ""
        if level not in IndicatorLevel.values:
            errors[indicator_field(code)] = _("Answer: not seen, suspected or observed.")
        answers.append((code, level, (note or "").strip()))
    return answers, errors


def _rules_checked(record: InterviewRecord, answers: list[tuple[str, str, str]]) -> dict:
    """The record's own rules, by field name; empty when the record may be saved."""
    errors: dict[str, str] = {}
    levels = {code: level for code, level, _note in answers}
    no_concern = record.outcome == Outcome.NO_CONCERN
    if no_concern and IndicatorLevel.OBSERVED in levels.values():
        errors["outcome"] = _(
            "An observed indicator needs a follow-up, a referral or an urgent outcome."
        )
    elif no_concern and record.bank_account_confirmed == Answer.NO:
        errors["outcome"] = _(
            "The worker does not alone hold and use the bank account: choose a follow-up, "
            "a referral or an urgent outcome."
        )
    held_elsewhere = (
        record.passport_holder in HELD_BY_SOMEONE_ELSE or record.card_holder in HELD_BY_SOMEONE_ELSE
    )
    if held_elsewhere and levels.get(Indicator.RETENTION_OF_DOCUMENTS) == IndicatorLevel.NOT_SEEN:
        errors[indicator_field(Indicator.RETENTION_OF_DOCUMENTS)] = _(
            "Someone else holds the passport or the ID card: this indicator cannot be “not seen”."
        )
    if record.interpreter is not None:
        if not record.interpreter.independent:
            errors["interpreter"] = _(
                "This interpreter is linked to an employer or a mission and cannot be used."
            )
        elif record.interpreter_independent is None:
            errors["interpreter_independent"] = _(
                "Say whether the interpreter has any link to the employer or the mission."
            )
        elif record.interpreter_independent is False and record.in_private:
            errors["interpreter_independent"] = _(
                "An interpreter linked to the employer or the mission was there, so the "
                "interview was not private. Answer “no” to “held in private”."
            )
    return errors


def _flags(record: InterviewRecord, answers: list[tuple[str, str, str]]) -> RecordFlags:
    return RecordFlags(
        indicators=[
            (code, level)
            for code, level, _note in answers
            if level in (IndicatorLevel.SUSPECTED, IndicatorLevel.OBSERVED)
        ],
        bank_not_sole=record.bank_account_confirmed == Answer.NO,
        not_counting=not record.counts,
    )


def _concern_text(record: InterviewRecord, flags: RecordFlags) -> tuple[str, str]:
    """The concern's summary and details, in the recorder's language; never the notes."""
    date = timezone.localtime(record.held_at).strftime("%Y-%m-%d")
    opening = {
        Outcome.URGENT: _("Urgent outcome of the interview on %(date)s."),
        Outcome.REFERRAL: _("Referral asked after the interview on %(date)s."),
        Outcome.FOLLOW_UP: _("Follow-up asked after the interview on %(date)s."),
    }[record.outcome] % {"date": date}
    sentences = [opening]
    if flags.indicators:
        listed = ", ".join(
            _("%(indicator)s (%(level)s)")
            % {"indicator": Indicator(code).label, "level": IndicatorLevel(level).label}
            for code, level in flags.indicators
        )
        sentences.append(_("Indicators: %(indicators)s.") % {"indicators": listed})
    if flags.bank_not_sole:
        sentences.append(_("The worker does not alone hold and use the bank account."))
    if flags.not_counting:
        sentences.append(
            _("The interview was not held in person and in private, so it does not count.")
        )
    summary = " ".join(sentences)
    return summary[:200], "\n".join(sentences)


def _follow_up_create(
    *, interview: Interview, due_on: dt.date, by: User, request=None
) -> Interview:
    follow_up = Interview.objects.create(
        worker_id=interview.worker_id,
        employment_id=interview.employment_id,
        card_id=interview.card_id,
        kind=InterviewKind.FOLLOW_UP,
        status=Interview.Status.DUE,
        window_opens_on=timezone.localdate(),
        due_on=due_on,
        language=interview.language,
        follows=interview,
        created_by=by,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=follow_up,
        changed_fields=["worker", "employment", "card", "kind", "status", "due_on", "follows"],
        detail="follow-up of a recorded interview",
    )
    return follow_up


@transaction.atomic
def record_create(
    *, interview: Interview, by: User, request=None, indicators: dict, **fields
) -> InterviewRecord:
    """Write the record of a held interview (recommendation 36: in person and in private;
    recommendation 39: the bank account re-checked) and act on its outcome.

    Raises PermissionDenied for anyone but the interview's interviewer or a supervisor, and
    ValidationError (by field name where there is one) when the record cannot be saved; then
    nothing is written.
    """
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"record_create() got unexpected fields: {sorted(unknown)}")
    interview = Interview.objects.select_for_update().select_related("worker").get(pk=interview.pk)
    if not record_may_write(by, interview):
        raise PermissionDenied
    refusal = record_refusal(interview)
    if refusal:
        raise ValidationError(refusal)

    fields.setdefault("held_at", interview.starts_at)
    if fields.get("interpreter") is None:
        fields["interpreter_independent"] = None
    account = current_bank_account(interview.worker)
    if account is None:
        # Nothing to re-check: the question is about this account.
        fields["bank_account_confirmed"] = Answer.NOT_ANSWERED
    record = InterviewRecord(interview=interview, recorded_by=by, bank_account=account, **fields)
    record.counts = bool(record.in_person and record.in_private and record.no_employer_present)

    errors: dict = {}
    try:
        record.full_clean(exclude=["interview", "recorded_by", "bank_account"])
    except ValidationError as error:
        errors.update(error.message_dict)
    answers, indicator_errors = _indicator_answers(indicators)
    errors.update(indicator_errors)
    if not errors:
        errors.update(_rules_checked(record, answers))
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # The one-to-one: someone recorded this interview in the same instant.
        raise ValidationError(
            _("This interview is already recorded. To correct it, add an addendum.")
        ) from None
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(record=record, indicator=code, level=level, note=note)
        for code, level, note in answers
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=record,
        changed_fields=[
            *(name for name in RECORD_FIELDS if name in fields),
            "bank_account",
            "indicators",
        ],
        detail="interview record",
    )
    interview.status = Interview.Status.HELD
    interview.save(update_fields=["status", "updated_at"])
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=interview,
        changed_fields=["status"],
        detail="held",
    )

    flags = _flags(record, answers)
    today = timezone.localdate()
    due_days = []
    if not record.counts:
        due_days.append(NOT_COUNTING_DUE_DAYS)
    if record.outcome == Outcome.FOLLOW_UP:
        due_days.append(FOLLOW_UP_DUE_DAYS)
    if due_days:
        # One follow-up interview, by the earlier of the dates asked for.
        _follow_up_create(
            interview=interview,
            due_on=today + dt.timedelta(days=min(due_days)),
            by=by,
            request=request,
        )
    severity = SEVERITY_FOR_OUTCOME.get(record.outcome)
    if severity is not None:
        summary, details = _concern_text(record, flags)
        concern_open(
            worker=interview.worker,
            source=Concern.Source.RECORD,
            severity=severity,
            summary=summary,
            details=details,
            record=record,
            interview=interview,
            indicators=[code for code, _level in flags.indicators],
            owner=None,
            by=by,
            request=request,
        )
    return record


def record_notes_read(*, record: InterviewRecord, user: User, request=None) -> str:
    """The restricted notes, for the interviewer and supervisors only; every reading is logged."""
    if not record_may_read_notes(user, record):
        raise PermissionDenied
    audit_log(
        action=Action.VIEW,
        actor=user,
        request=request,
        obj=record,
        detail="restricted notes",
    )
    return record.restricted_notes


@transaction.atomic
def record_addendum_add(
    *, record: InterviewRecord, by: User, text: str, request=None
) -> RecordAddendum:
    """Correct or complete a record: the addendum is added, the record itself never changes."""
    if not record_may_write(by, record.interview):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the addendum corrects or adds.")})
    addendum = RecordAddendum.objects.create(record=record, text=text, written_by=by)
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=addendum,
        changed_fields=["record", "text"],
        detail="addendum",
    )
    return addendum
