"""The retention policy: what is kept, for how long, and how a worker's personal data is removed.

A worker whose last employment ended longer ago than the policy allows is anonymised: names
replaced, date of birth coarsened to the year, passport, phones, e-mail and account numbers
removed, uploaded evidence deleted from storage, free-text notes blanked, and the history rows
that still hold the old values deleted. What statistics count stays: sex, nationality, year of
birth, languages, contracts' terms and dates, interviews' dates and structured answers, concerns'
indicators and outcomes, referrals' organisations. A worker under an active legal hold, or with
an open concern, is left untouched. Texts of notices in a final state are blanked after the
policy's number of days.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_log
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
from oversight.models import LegalHold, RetentionPolicy, RetentionRun
from registry.models import (
    BankAccount,
    BankEvidence,
    Consent,
    Employment,
    IdentityCard,
    LanguageCourseReferral,
    NotDuplicate,
    Registration,
    Worker,
    WorkerPhone,
)

logger = logging.getLogger(__name__)
Action = AuditEntry.Action
ANONYMISED_FAMILY_NAME = "ANONYMISED"


def policy_current() -> RetentionPolicy:
    policy = RetentionPolicy.objects.order_by("pk").first()
    return policy or RetentionPolicy.objects.create()


@transaction.atomic
def policy_save(*, policy: RetentionPolicy, by: User, request=None, **data) -> RetentionPolicy:
    changed = [name for name, value in data.items() if getattr(policy, name) != value]
    for name, value in data.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit_log(action=Action.UPDATE, actor=by, request=request, obj=policy, changed_fields=changed)
    return policy


# --- Who is due -------------------------------------------------------------------------------


def _active_holds() -> QuerySet:
    return LegalHold.objects.filter(worker=OuterRef("pk"), lifted_at__isnull=True)


def _open_concerns() -> QuerySet:
    return Concern.objects.filter(worker=OuterRef("pk"), status__in=Concern.OPEN_STATUSES)


def due_for_anonymisation(today: dt.date | None = None, policy=None) -> QuerySet[Worker]:
    """Workers not yet anonymised with no open employment whose last one ended before the
    cut-off, or with no employment at all and registered before it."""
    today = today or timezone.localdate()
    policy = policy or policy_current()
    cutoff = today - relativedelta(years=policy.anonymise_after_years)
    open_employment = Employment.objects.filter(worker=OuterRef("pk")).exclude(
        status=Employment.Status.ENDED
    )
    any_employment = Employment.objects.filter(worker=OuterRef("pk"))
    return (
        Worker.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(open_employment))
        .annotate(last_end=Max("employments__end_date"))
        .filter(
            Q(Exists(any_employment), last_end__lt=cutoff)
            | Q(~Exists(any_employment), created_at__date__lt=cutoff)
        )
        .order_by("last_end", "pk")
    )


def held(workers: QuerySet[Worker]) -> QuerySet[Worker]:
    """Of `workers`, those the policy must not touch: an active legal hold or an open concern."""
    return workers.filter(Q(Exists(_active_holds())) | Q(Exists(_open_concerns())))


def not_held(workers: QuerySet[Worker]) -> QuerySet[Worker]:
    return workers.exclude(Exists(_active_holds())).exclude(Exists(_open_concerns()))


# --- Anonymising one worker -------------------------------------------------------------------


def _delete_history(model, **lookup) -> None:
    model.history.model.objects.filter(**lookup).delete()


@transaction.atomic
def worker_anonymise(*, worker: Worker, by: User | None = None, request=None) -> list[str]:
    """Remove the worker's personal data for good; returns the names of the evidence files
    deleted from storage. Refuses a worker under legal hold or with an open concern."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.anonymised_at is not None:
        raise ValidationError(_("This worker's personal data has already been removed."))
    if LegalHold.objects.filter(worker=worker, lifted_at__isnull=True).exists():
        raise ValidationError(_("This worker is under a legal hold: nothing may be removed."))
    if Concern.objects.filter(worker=worker, status__in=Concern.OPEN_STATUSES).exists():
        raise ValidationError(_("This worker has an open concern: nothing may be removed."))

    worker.family_name = ANONYMISED_FAMILY_NAME
    worker.given_names = f"#{worker.pk}"
    worker.other_spellings = ""
    worker.date_of_birth = worker.date_of_birth.replace(month=1, day=1)
    worker.passport_number = ""
    worker.passport_number_hash = ""
    worker.passport_expiry = None
    worker.email = ""
    worker.search_names = ""
    worker.anonymised_at = timezone.now()
    worker.save()
    _delete_history(Worker, id=worker.pk)

    WorkerPhone.objects.filter(worker=worker).delete()
    NotDuplicate.objects.filter(Q(worker=worker) | Q(other=worker)).delete()
    Consent.objects.filter(worker=worker).update(note="")
    LanguageCourseReferral.objects.filter(worker=worker).update(note="")
    Registration.objects.filter(employment__worker=worker).update(notes="", interpreter="")

    cards = IdentityCard.objects.filter(worker=worker)
    card_ids = list(cards.values_list("pk", flat=True))
    cards.update(number="", number_normalised="")
    _delete_history(IdentityCard, id__in=card_ids)

    accounts = BankAccount.objects.filter(worker=worker)
    account_ids = list(accounts.values_list("pk", flat=True))
    accounts.update(
        iban="", account_number="", account_hash="", account_last4="", holder_names="", bic=""
    )
    _delete_history(BankAccount, id__in=account_ids)
    files = []
    for evidence in BankEvidence.objects.filter(account_id__in=account_ids):
        files.append(evidence.file.name)
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        # The file goes once the transaction commits: a rollback keeps file and row together.
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))

    Message.objects.filter(worker=worker).update(recipient="", subject="", body="", context={})

    interviews = Interview.objects.filter(worker=worker)
    interviews.update(move_request_note="")
    Interview.history.model.objects.filter(worker_id=worker.pk).update(move_request_note="")
    records = InterviewRecord.objects.filter(interview__worker=worker)
    records.update(restricted_notes="")
    IndicatorAnswer.objects.filter(record__in=records).update(note="")
    RecordAddendum.objects.filter(record__in=records).update(text="")
    concerns = Concern.objects.filter(worker=worker)
    concern_ids = list(concerns.values_list("pk", flat=True))
    concerns.update(summary="—", details="", closure_note="")
    _delete_history(Concern, id__in=concern_ids)
    ConcernAction.objects.filter(concern_id__in=concern_ids).update(text="")
    Referral.objects.filter(concern_id__in=concern_ids).update(response="")

    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=worker,
        username="retention",
        changed_fields=[
            "family_name",
            "given_names",
            "other_spellings",
            "date_of_birth",
            "passport_number",
            "passport_expiry",
            "email",
            "phones",
            "bank_accounts",
            "bank_evidence",
            "cards",
            "messages",
            "notes",
        ],
        detail="anonymised under the retention policy",
    )
    return files


# --- Message texts ----------------------------------------------------------------------------


def messages_due_for_blanking(today: dt.date | None = None, policy=None) -> QuerySet[Message]:
    """Notices in a final state older than the policy's days whose text is still stored."""
    policy = policy or policy_current()
    now = (
        timezone.now()
        if today is None
        else timezone.make_aware(dt.datetime.combine(today, dt.time()))
    )
    cutoff = now - dt.timedelta(days=policy.message_body_days)
    return Message.objects.filter(status__in=Message.FINAL, created_at__lt=cutoff).exclude(body="")


# --- A run ------------------------------------------------------------------------------------


@dataclass
class RunResult:
    run: RetentionRun
    to_anonymise: list[Worker] = field(default_factory=list)
    held: list[Worker] = field(default_factory=list)
    messages: int = 0


def retention_apply(
    *, dry_run: bool, today: dt.date | None = None, by: User | None = None, request=None
) -> RunResult:
    """Apply the policy (or, in a dry run, only list what it would do). Each worker is
    anonymised in a transaction of its own, so one failure does not undo the others."""
    policy = policy_current()
    due = due_for_anonymisation(today, policy)
    result = RunResult(
        run=RetentionRun.objects.create(dry_run=dry_run, started_by=by),
        to_anonymise=list(not_held(due)),
        held=list(held(due)),
    )
    messages = messages_due_for_blanking(today, policy)
    result.run.workers_held = len(result.held)
    if dry_run:
        result.messages = messages.count()
        result.run.workers_anonymised = len(result.to_anonymise)
        result.run.message_bodies_removed = result.messages
    else:
        for worker in result.to_anonymise:
            try:
                files = worker_anonymise(worker=worker, by=by, request=request)
            except ValidationError:
                # A hold or a concern appeared since the list was drawn: leave the worker.
                result.run.workers_held += 1
                continue
            result.run.workers_anonymised += 1
            result.run.evidence_files_deleted += len(files)
        result.messages = messages.update(subject="", body="", context={})
        result.run.message_bodies_removed = result.messages
    result.run.finished_at = timezone.now()
    result.run.save()
    audit_log(
        action=Action.VIEW if dry_run else Action.UPDATE,
        actor=by,
        request=request,
        obj=result.run,
        username="retention",
        detail=(
            f"{'dry run' if dry_run else 'applied'}: {result.run.workers_anonymised} workers, "
            f"{result.run.workers_held} held, {result.messages} message texts"
        ),
    )
    return result


# --- Legal holds ------------------------------------------------------------------------------


@transaction.atomic
def legal_hold_place(
    *,
    worker: Worker,
    reason: str,
    owner: User,
    by: User,
    note: str = "",
    review_on: dt.date | None = None,
    request=None,
) -> LegalHold:
    if worker.anonymised_at is not None:
        raise ValidationError(_("This worker's personal data has already been removed."))
    if reason not in LegalHold.Reason.values:
        raise ValidationError({"reason": _("Choose the reason for the hold.")})
    if reason == LegalHold.Reason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say what the hold is for.")})
    hold = LegalHold.objects.create(
        worker=worker,
        reason=reason,
        note=note.strip(),
        owner=owner,
        placed_by=by,
        review_on=review_on,
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=hold,
        changed_fields=["worker", "reason", "note", "owner", "review_on"],
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, reason: str, by: User, request=None) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("This hold has already been lifted."))
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValidationError({"lift_reason": _("Give the reason, in a few words.")})
    hold.lifted_at = timezone.now()
    hold.lifted_by = by
    hold.lift_reason = reason[:300]
    hold.save()
    audit_log(
        action=Action.UPDATE,
        actor=by,
        request=request,
        obj=hold,
        changed_fields=["lifted_at", "lifted_by", "lift_reason"],
    )
    return hold
