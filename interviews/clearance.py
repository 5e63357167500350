"""Renewal clearance (recommendations 36, 37 and 39), and the interview policy it reads.

A card or visa may be renewed when three things hold: an interview that counts (in person, in
private, no employer present) was held in the card's window; a bank account in the worker's
sole name was verified within the policy's months; and the worker has an active employment
whose contract meets the policy or carries a supervisor's exception.

An open urgent concern puts the clearance on hold instead of refusing it, so a worker who spoke
up never loses status for it. While the hold lasts, the latest supervisor's decision made since
the newest open urgent concern was raised settles it: released (cleared if the three conditions
hold) or refused. Once no urgent concern is open, the clearance is computed from the facts again.

Nothing here says "concern" in what leaves Hestia: the notice and the API say "pending a
supervisor's decision", and a supervisor's reason stays inside Hestia.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry, User
from accounts.services import audit_log
from interviews.models import (
    ClearanceDecision,
    Concern,
    Interview,
    InterviewPolicy,
    InterviewRecord,
)
from interviews.services import policy_current
from registry import services as registry_services
from registry.models import BankAccount, Employment, IdentityCard, Policy

Action = AuditEntry.Action


class Status(models.TextChoices):
    CLEARED = "cleared", gettext_lazy("Cleared")
    NOT_CLEARED = "not_cleared", gettext_lazy("Not cleared")
    # Never name the reason: this label is printed on the notice for the card office.
    ON_HOLD = "on_hold", gettext_lazy("On hold, pending a supervisor's decision")
    RELEASED = "released", gettext_lazy("Cleared after a supervisor's decision")
    REFUSED = "refused", gettext_lazy("Refused by a supervisor")


class Code(models.TextChoices):
    """Stable machine codes of the reasons, for the card office's API."""

    NO_INTERVIEW_IN_WINDOW = "no_interview_in_window", "no_interview_in_window"
    BANK_ACCOUNT_NOT_VERIFIED = "bank_account_not_verified", "bank_account_not_verified"
    BANK_ACCOUNT_NOT_SOLE_HOLDER = "bank_account_not_sole_holder", "bank_account_not_sole_holder"
    NO_ACTIVE_EMPLOYMENT = "no_active_employment", "no_active_employment"
    CONTRACT_BELOW_POLICY = "contract_below_policy", "contract_below_policy"
    # An open urgent concern; the code does not say so, the card office needs only the wait.
    PENDING_SUPERVISOR_DECISION = "pending_supervisor_decision", "pending_supervisor_decision"
    HOLD_RELEASED = "hold_released", "hold_released"
    REFUSED_BY_SUPERVISOR = "refused_by_supervisor", "refused_by_supervisor"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Condition:
    """One of the three conditions, met or not, for the clearance page."""

    key: str
    label: str
    met: bool
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Clearance:
    card: IdentityCard
    cleared: bool
    status: str
    reasons: tuple[Reason, ...]
    interview_held_on: dt.date | None
    bank_account_verified_on: dt.date | None
    decision: ClearanceDecision | None
    conditions: tuple[Condition, ...] = ()
    # An open urgent concern holds the card (whether or not a supervisor has decided since).
    held: bool = False
    window_opens_on: dt.date | None = None
    window_closes_on: dt.date | None = None
    employment: Employment | None = None
    contract_breaches: tuple[str, ...] = field(default=())
    computed_on: dt.date | None = None

    @property
    def messages(self) -> list[str]:
        return [reason.message for reason in self.reasons]

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def may_be_decided(self) -> bool:
        """A supervisor may decide (or revise the decision) while the hold lasts."""
        return self.held


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def window_for(card: IdentityCard, policy: InterviewPolicy) -> tuple[dt.date, dt.date]:
    """The days in which the renewal interview must be held: from window_opens_days before the
    card expires until it expires."""
    return card.expiry_date - dt.timedelta(days=policy.window_opens_days), card.expiry_date


def _with_other_open_employments(employments):
    """`others`, as registry.services.employment_policy_breaches counts them, for every row at
    once: the employer's employments not ended that were recorded before this one."""
    others = (
        Employment.objects.filter(employer=OuterRef("employer"))
        .exclude(status=Employment.Status.ENDED)
        .filter(pk__lt=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return employments.annotate(others=Coalesce(Subquery(others, output_field=IntegerField()), 0))


@dataclass
class _Facts:
    """What the database says about a set of workers, read in a fixed number of queries."""

    held_interviews: dict[int, list[dt.date]]
    accounts: dict[int, list[dict]]
    employments: dict[int, Employment]
    hold_since: dict[int, dt.datetime]
    decisions: dict[int, ClearanceDecision]


def _open_urgent_concerns() -> QuerySet:
    return Concern.objects.filter(
        status__in=Concern.OPEN_STATUSES, severity=Concern.Severity.URGENT
    )


def _with_hold_since(cards: QuerySet) -> QuerySet:
    """Annotate `clearance_hold_since`: when the newest open urgent concern about the card's
    worker was raised (None without one), as _facts reads it."""
    since = (
        _open_urgent_concerns()
        .filter(worker=OuterRef("worker"))
        .order_by()
        .values("worker")
        .annotate(since=Max("opened_at"))
        .values("since")
    )
    return cards.annotate(clearance_hold_since=Subquery(since))


def _facts(
    cards: list[IdentityCard],
    policy: InterviewPolicy,
    hold_since: dict[int, dt.datetime] | None = None,
) -> _Facts:
    """`hold_since`, when the cards were read with it (_with_hold_since), is not read again."""
    worker_ids = {card.worker_id for card in cards}
    first_day = min(card.expiry_date for card in cards) - dt.timedelta(
        days=policy.window_opens_days
    )
    last_day = max(card.expiry_date for card in cards)

    held_interviews: dict[int, list[dt.date]] = defaultdict(list)
    records = InterviewRecord.objects.filter(
        interview__worker_id__in=worker_ids,
        interview__status=Interview.Status.HELD,
        counts=True,
        held_at__gte=_day_start(first_day),
        held_at__lt=_day_start(last_day + dt.timedelta(days=1)),
    ).values_list("interview__worker_id", "held_at")
    for worker_id, held_at in records:
        held_interviews[worker_id].append(_local_date(held_at))

    # values(): the account numbers are encrypted and not needed here.
    accounts: dict[int, list[dict]] = defaultdict(list)
    for row in (
        BankAccount.objects.filter(worker_id__in=worker_ids)
        .exclude(status__in=[BankAccount.Status.CLOSED, BankAccount.Status.REJECTED])
        .values("worker_id", "status", "sole_holder", "verified_on", "verification_expires_on")
    ):
        accounts[row["worker_id"]].append(row)

    employments = {
        employment.worker_id: employment
        for employment in _with_other_open_employments(
            Employment.objects.filter(
                worker_id__in=worker_ids, status=Employment.Status.ACTIVE
            ).select_related("employer")
        )
    }

    if hold_since is None:
        hold_since = dict(
            _open_urgent_concerns()
            .filter(worker_id__in=worker_ids)
            .order_by()
            .values("worker_id")
            .annotate(since=Max("opened_at"))
            .values_list("worker_id", "since")
        )

    decisions: dict[int, ClearanceDecision] = {}
    for decision in ClearanceDecision.objects.filter(
        card_id__in=[card.pk for card in cards]
    ).select_related("decided_by"):
        decisions.setdefault(decision.card_id, decision)  # newest first (Meta.ordering)
    return _Facts(held_interviews, accounts, employments, hold_since, decisions)


def _interview_condition(
    card: IdentityCard, policy: InterviewPolicy, held: list[dt.date], today: dt.date
) -> tuple[Condition, dt.date | None]:
    opens, closes = window_for(card, policy)
    in_window = [day for day in held if opens <= day <= closes]
    label = _(
        "An interview that counts (in person, in private, with no employer or mission member "
        "present) was held between %(opens)s and %(closes)s."
    ) % {"opens": opens.isoformat(), "closes": closes.isoformat()}
    if in_window:
        return Condition("interview", label, True), max(in_window)
    if today < opens:
        message = _(
            "No interview has been held yet: the window for this card opens on %(opens)s."
        ) % {"opens": opens.isoformat()}
    else:
        message = _("No interview that counts was held between %(opens)s and %(closes)s.") % {
            "opens": opens.isoformat(),
            "closes": closes.isoformat(),
        }
    reason = Reason(Code.NO_INTERVIEW_IN_WINDOW, message)
    return Condition("interview", label, False, (reason,)), None


def _bank_condition(
    accounts: list[dict], months: int, today: dt.date
) -> tuple[Condition, dt.date | None]:
    earliest = today - relativedelta(months=months)
    label = _(
        "A bank account in the worker's sole name was verified in the last %(months)d months."
    ) % {"months": months}

    def current(account: dict) -> bool:
        return (
            account["status"] == BankAccount.Status.VERIFIED
            and account["verified_on"] is not None
            and account["verified_on"] >= earliest
            and account["verification_expires_on"] is not None
            and account["verification_expires_on"] >= today
        )

    good = [a for a in accounts if a["sole_holder"] and current(a)]
    if good:
        return Condition("bank_account", label, True), max(a["verified_on"] for a in good)
    if accounts and not any(a["sole_holder"] for a in accounts):
        reason = Reason(
            Code.BANK_ACCOUNT_NOT_SOLE_HOLDER,
            _(
                "The worker's bank account is not in their sole name; the salary must be paid "
                "into an account only the worker holds."
            ),
        )
    else:
        reason = Reason(
            Code.BANK_ACCOUNT_NOT_VERIFIED,
            _(
                "No bank account in the worker's sole name was verified in the last %(months)d "
                "months."
            )
            % {"months": months},
        )
    return Condition("bank_account", label, False, (reason,)), None


def _employment_condition(
    employment: Employment | None, registry_policy
) -> tuple[Condition, tuple[str, ...]]:
    label = _(
        "The worker has an active employment whose contract meets the policy, or a "
        "supervisor recorded an exception."
    )
    if employment is None:
        reason = Reason(Code.NO_ACTIVE_EMPLOYMENT, _("The worker has no active employment."))
        return Condition("employment", label, False, (reason,)), ()
    breaches = tuple(
        registry_services.employment_policy_breaches(
            employment, registry_policy, others=employment.others
        )
    )
    if breaches and not employment.policy_override_reason:
        reason = Reason(
            Code.CONTRACT_BELOW_POLICY,
            _("The contract does not meet the policy and no supervisor has recorded an exception."),
        )
        return Condition("employment", label, False, (reason,)), breaches
    return Condition("employment", label, True), breaches


def _settle(
    card: IdentityCard,
    facts: _Facts,
    policy: InterviewPolicy,
    registry_policy,
    today: dt.date,
) -> Clearance:
    interview, interview_held_on = _interview_condition(
        card, policy, facts.held_interviews.get(card.worker_id, []), today
    )
    bank, verified_on = _bank_condition(
        facts.accounts.get(card.worker_id, []), registry_policy.bank_verification_months, today
    )
    employment = facts.employments.get(card.worker_id)
    contract, breaches = _employment_condition(employment, registry_policy)
    conditions = (interview, bank, contract)
    unmet = tuple(reason for condition in conditions for reason in condition.reasons)

    hold_since = facts.hold_since.get(card.worker_id)
    decision = facts.decisions.get(card.pk)
    held = hold_since is not None
    applies = held and decision is not None and decision.decided_at >= hold_since
    if held and not applies:
        status = Status.ON_HOLD
        reasons = (Reason(Code.PENDING_SUPERVISOR_DECISION, _("Pending a supervisor's decision.")),)
        reasons += unmet
    elif applies and decision.decision == ClearanceDecision.Decision.REFUSED:
        status = Status.REFUSED
        reasons = (
            Reason(Code.REFUSED_BY_SUPERVISOR, _("A supervisor refused the renewal.")),
            *unmet,
        )
    elif applies and unmet:
        status = Status.NOT_CLEARED
        reasons = (
            Reason(
                Code.HOLD_RELEASED,
                _("A supervisor released the hold, but these conditions are not met."),
            ),
            *unmet,
        )
    elif applies:
        status, reasons = Status.RELEASED, ()
    else:
        status, reasons = (Status.NOT_CLEARED, unmet) if unmet else (Status.CLEARED, ())
    opens, closes = window_for(card, policy)
    return Clearance(
        card=card,
        cleared=status in (Status.CLEARED, Status.RELEASED),
        status=str(status),
        reasons=reasons,
        interview_held_on=interview_held_on,
        bank_account_verified_on=verified_on,
        decision=decision if applies else None,
        conditions=conditions,
        held=held,
        window_opens_on=opens,
        window_closes_on=closes,
        employment=employment,
        contract_breaches=breaches,
        computed_on=today,
    )


def clearances_for(
    cards: Iterable[IdentityCard],
    *,
    today: dt.date | None = None,
    registry_policy: Policy | None = None,
) -> list[Clearance]:
    """The clearance of every card, in the order given, in a fixed number of queries (one fewer
    when `cards` is a query on IdentityCard, read here). `registry_policy`, when the caller has
    read registry.services.policy_current() already, is not read again."""
    hold_since = None
    if isinstance(cards, QuerySet) and cards.model is IdentityCard and not cards.query.is_sliced:
        # The holds come with the cards, in the same query.
        cards = list(_with_hold_since(cards))
        hold_since = {
            card.worker_id: card.clearance_hold_since
            for card in cards
            if card.clearance_hold_since is not None
        }
    else:
        cards = list(cards)
    if not cards:
        return []
    today = today or timezone.localdate()
    policy = policy_current()
    registry_policy = registry_policy or registry_services.policy_current()
    facts = _facts(cards, policy, hold_since)
    return [_settle(card, facts, policy, registry_policy, today) for card in cards]


def clearance_for(card: IdentityCard, *, today: dt.date | None = None) -> Clearance:
    """Whether this card's renewal may go ahead, and why not."""
    return clearances_for([card], today=today)[0]


def open_urgent_concerns(card: IdentityCard):
    """The open urgent concerns that hold this card (for supervisors' eyes only)."""
    return Concern.objects.filter(
        worker_id=card.worker_id,
        status__in=Concern.OPEN_STATUSES,
        severity=Concern.Severity.URGENT,
    ).order_by("-opened_at", "-id")


@transaction.atomic
def clearance_decide(
    *, card: IdentityCard, decision: str, reason: str, by: User, request=None
) -> ClearanceDecision:
    """A supervisor releases or refuses a renewal put on hold by an open urgent concern. The
    reason stays in Hestia; nothing is sent to the worker, the employer or the mission."""
    # One decision at a time per card: a second supervisor sees the first one's decision.
    card = IdentityCard.objects.select_for_update().get(pk=card.pk)
    reason = (reason or "").strip()
    errors = {}
    if decision not in ClearanceDecision.Decision.values:
        errors["decision"] = _("Choose whether the renewal may go ahead.")
    if len(reason) < 3:
        errors["reason"] = _("Give the reason for the decision, in a few words.")
    if errors:
        raise ValidationError(errors)
    if not clearance_for(card).held:
        raise ValidationError(
            _("This renewal is not on hold any more; there is nothing to decide."), code="not_held"
        )
    made = ClearanceDecision.objects.create(
        card=card, decision=decision, reason=reason, decided_by=by
    )
    audit_log(
        action=Action.CREATE,
        actor=by,
        request=request,
        obj=made,
        changed_fields=["card", "decision", "reason"],
        detail=f"clearance {decision}",
    )
    return made


# --- The interview policy (administrators) -------------------------------------------------

POLICY_FIELDS = [
    "probation_months",
    "window_opens_days",
    "due_days",
    "slot_minutes",
    "reminder_hours",
    "missed_for_concern",
    "link_valid_days",
]


@transaction.atomic
def interview_policy_save(
    *, policy: InterviewPolicy, by: User, request=None, **data
) -> InterviewPolicy:
    """Change the interview policy; every version is kept (django-simple-history) and audited."""
    unknown = set(data) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"Not an interview policy field: {', '.join(sorted(unknown))}")
    policy = InterviewPolicy.objects.select_for_update().get(pk=policy.pk)
    changed = [name for name, value in data.items() if getattr(policy, name) != value]
    for name, value in data.items():
        setattr(policy, name, value)
    if policy.window_opens_days <= policy.due_days:
        raise ValidationError(
            {
                "window_opens_days": _(
                    "The window must open before the interview is due: give more days than "
                    "for the due date."
                )
            }
        )
    policy.full_clean()
    if not changed:
        return policy
    policy._history_user = by
    policy.save()
    audit_log(action=Action.UPDATE, actor=by, request=request, obj=policy, changed_fields=changed)
    return policy
