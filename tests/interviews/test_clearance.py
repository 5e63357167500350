"""Renewal clearance: the rules (interviews.clearance).

A card's renewal goes ahead when an interview that counts was held in its window, a bank account
in the worker's sole name was verified within the policy's months, and the worker has an active
contract that meets the policy (or carries a supervisor's exception). An open urgent concern puts
it on hold for a supervisor, who releases or refuses it.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from interviews.clearance import (
    Code,
    Status,
    clearance_decide,
    clearance_for,
    clearances_for,
)
from interviews.models import ClearanceDecision, Concern, InterviewKind
from interviews.services import policy_current
from registry.models import BankAccount, Employment
from registry.services import policy_current as registry_policy_current
from tests.interviews.factories_clearance import (
    EXPIRY,
    decision,
    held_interview,
    ready_card,
    urgent_concern,
    verified_account,
)
from tests.registry.factories_workers import AccountFactory, WorkerEmploymentFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_card_with_every_condition_met_is_cleared():
    card = ready_card()

    clearance = clearance_for(card)

    assert clearance.cleared is True
    assert clearance.status == Status.CLEARED
    assert clearance.reasons == ()
    assert clearance.interview_held_on == dt.date(2026, 4, 20)
    assert clearance.bank_account_verified_on == dt.date(2026, 3, 2)
    assert [c.met for c in clearance.conditions] == [True, True, True]
    assert (clearance.window_opens_on, clearance.window_closes_on) == (
        dt.date(2026, 4, 2),
        EXPIRY,
    )


# --- The hold -------------------------------------------------------------------------------


def test_an_open_urgent_concern_puts_a_card_on_hold_even_when_all_else_is_fine():
    card = ready_card()
    urgent_concern(card.worker)

    clearance = clearance_for(card)

    assert clearance.cleared is False
    assert clearance.status == Status.ON_HOLD
    assert clearance.codes == [Code.PENDING_SUPERVISOR_DECISION]
    assert clearance.messages == ["Pending a supervisor's decision."]
    assert clearance.held is True


def test_the_hold_never_names_the_concern():
    card = ready_card()
    urgent_concern(card.worker)

    clearance = clearance_for(card)

    words = " ".join([clearance.status_label, *clearance.messages, *clearance.codes]).lower()
    assert "concern" not in words


def test_the_hold_also_lists_what_else_is_missing():
    card = ready_card(verified_on=None)
    urgent_concern(card.worker)

    clearance = clearance_for(card)

    assert clearance.status == Status.ON_HOLD
    assert clearance.codes == [Code.PENDING_SUPERVISOR_DECISION, Code.BANK_ACCOUNT_NOT_VERIFIED]


@pytest.mark.parametrize(
    ("severity", "status"),
    [
        (Concern.Severity.HIGH, Concern.Status.OPEN),
        (Concern.Severity.URGENT, Concern.Status.CLOSED),
    ],
)
def test_a_concern_that_is_not_urgent_or_is_closed_does_not_hold_the_card(severity, status):
    card = ready_card()
    urgent_concern(card.worker, severity=severity, status=status)

    assert clearance_for(card).status == Status.CLEARED


def test_an_urgent_concern_in_progress_or_referred_still_holds_the_card():
    card = ready_card()
    urgent_concern(card.worker, status=Concern.Status.REFERRED)

    assert clearance_for(card).status == Status.ON_HOLD


def test_a_supervisor_who_releases_the_hold_clears_the_card():
    card = ready_card()
    urgent_concern(card.worker)
    made = decision(card, ClearanceDecision.Decision.RELEASED)

    clearance = clearance_for(card)

    assert clearance.cleared is True
    assert clearance.status == Status.RELEASED
    assert clearance.reasons == ()
    assert clearance.decision == made


def test_a_released_hold_does_not_clear_a_card_missing_a_condition_and_says_so():
    card = ready_card(held_on=None)
    urgent_concern(card.worker)
    decision(card, ClearanceDecision.Decision.RELEASED)

    clearance = clearance_for(card)

    assert clearance.cleared is False
    assert clearance.status == Status.NOT_CLEARED
    assert clearance.codes == [Code.HOLD_RELEASED, Code.NO_INTERVIEW_IN_WINDOW]
    assert clearance.messages[0] == (
        "A supervisor released the hold, but these conditions are not met."
    )


def test_a_supervisor_who_refuses_leaves_the_card_not_cleared_without_quoting_the_reason():
    card = ready_card()
    urgent_concern(card.worker)
    decision(card, ClearanceDecision.Decision.REFUSED, reason="She left the household in fear.")

    clearance = clearance_for(card)

    assert clearance.cleared is False
    assert clearance.status == Status.REFUSED
    assert clearance.codes == [Code.REFUSED_BY_SUPERVISOR]
    assert "fear" not in " ".join(clearance.messages)


def test_the_latest_decision_counts():
    card = ready_card()
    urgent_concern(card.worker, opened_at=timezone.now() - dt.timedelta(days=5))
    decision(
        card, ClearanceDecision.Decision.REFUSED, decided_at=timezone.now() - dt.timedelta(days=2)
    )
    decision(
        card, ClearanceDecision.Decision.RELEASED, decided_at=timezone.now() - dt.timedelta(days=1)
    )

    assert clearance_for(card).status == Status.RELEASED


def test_a_new_urgent_concern_after_a_decision_puts_the_card_on_hold_again():
    card = ready_card()
    decision(card, decided_at=timezone.now() - dt.timedelta(days=10))
    urgent_concern(card.worker, opened_at=timezone.now() - dt.timedelta(days=1))

    assert clearance_for(card).status == Status.ON_HOLD


def test_once_no_urgent_concern_is_open_the_facts_decide_again():
    card = ready_card(held_on=None)
    concern = urgent_concern(card.worker)
    decision(card, ClearanceDecision.Decision.REFUSED)
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.CLOSED)

    clearance = clearance_for(card)

    assert clearance.status == Status.NOT_CLEARED
    assert clearance.codes == [Code.NO_INTERVIEW_IN_WINDOW]
    assert clearance.decision is None


# --- The interview --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "held_on",
    [dt.date(2026, 4, 1), EXPIRY + dt.timedelta(days=1), dt.date(2025, 6, 1)],
    ids=["the-day-before-the-window-opens", "after-the-card-expired", "last-year"],
)
def test_an_interview_outside_the_window_does_not_count(held_on):
    with time_machine.travel(dt.datetime(2026, 7, 20, 10, tzinfo=dt.UTC), tick=False):
        card = ready_card(held_on=held_on)
        clearance = clearance_for(card)

    assert clearance.cleared is False
    assert clearance.codes == [Code.NO_INTERVIEW_IN_WINDOW]
    assert clearance.interview_held_on is None
    assert clearance.messages == [
        "No interview that counts was held between 2026-04-02 and 2026-07-01."
    ]


@pytest.mark.parametrize("held_on", [dt.date(2026, 4, 2), EXPIRY])
def test_an_interview_on_the_first_or_last_day_of_the_window_counts(held_on):
    card = ready_card(held_on=held_on)

    assert clearance_for(card).interview_held_on == held_on


def test_the_window_follows_the_policy():
    policy = policy_current()
    policy.window_opens_days = 30
    policy.due_days = 10
    policy.save()
    card = ready_card(held_on=dt.date(2026, 4, 20))  # 72 days before expiry

    assert clearance_for(card).codes == [Code.NO_INTERVIEW_IN_WINDOW]


def test_an_interview_whose_record_does_not_count_does_not_count():
    card = ready_card(held_on=None)
    record = held_interview(card, in_private=False)
    assert record.counts is False

    clearance = clearance_for(card)

    assert clearance.codes == [Code.NO_INTERVIEW_IN_WINDOW]


def test_a_follow_up_interview_held_in_the_window_counts():
    card = ready_card(held_on=None)
    held_interview(card, kind=InterviewKind.FOLLOW_UP, held_on=dt.date(2026, 4, 28))

    assert clearance_for(card).interview_held_on == dt.date(2026, 4, 28)


def test_another_workers_interview_does_not_count():
    card = ready_card(held_on=None)
    other = ready_card(held_on=None)
    held_interview(other)

    assert clearance_for(card).codes == [Code.NO_INTERVIEW_IN_WINDOW]


def test_before_the_window_opens_the_reason_says_when_it_opens():
    card = ready_card(expiry=dt.date(2026, 12, 1), held_on=None)

    assert clearance_for(card).messages == [
        "No interview has been held yet: the window for this card opens on 2026-09-02."
    ]


# --- The bank account -----------------------------------------------------------------------


def test_an_account_verified_13_months_ago_does_not_count_even_if_marked_valid_longer():
    card = ready_card(verified_on=None)
    verified_account(card.worker, verified_on=dt.date(2025, 4, 4), months=24)

    clearance = clearance_for(card)

    assert clearance.codes == [Code.BANK_ACCOUNT_NOT_VERIFIED]
    assert clearance.bank_account_verified_on is None
    assert clearance.messages == [
        "No bank account in the worker's sole name was verified in the last 12 months."
    ]


def test_an_account_verified_just_under_12_months_ago_counts():
    card = ready_card(verified_on=dt.date(2025, 5, 4))

    assert clearance_for(card).bank_account_verified_on == dt.date(2025, 5, 4)


def test_the_months_follow_the_registry_policy():
    policy = registry_policy_current()
    policy.bank_verification_months = 6
    policy.save()
    card = ready_card(verified_on=dt.date(2025, 10, 1))

    assert clearance_for(card).codes == [Code.BANK_ACCOUNT_NOT_VERIFIED]


def test_an_expired_verification_does_not_count():
    card = ready_card(verified_on=None)
    verified_account(card.worker, verified_on=dt.date(2026, 1, 5), months=3)

    assert clearance_for(card).codes == [Code.BANK_ACCOUNT_NOT_VERIFIED]


def test_a_joint_account_does_not_count():
    card = ready_card(verified_on=None)
    verified_account(card.worker, sole_holder=False, holder_names="Rosario and Jose Dela Cruz")

    clearance = clearance_for(card)

    assert clearance.codes == [Code.BANK_ACCOUNT_NOT_SOLE_HOLDER]
    assert clearance.bank_account_verified_on is None


@pytest.mark.parametrize("status", [BankAccount.Status.CLOSED, BankAccount.Status.REJECTED])
def test_a_closed_or_rejected_account_does_not_count(status):
    card = ready_card(verified_on=None)
    verified_account(card.worker, status=status)

    assert clearance_for(card).codes == [Code.BANK_ACCOUNT_NOT_VERIFIED]


def test_an_unverified_account_does_not_count():
    card = ready_card(verified_on=None)
    AccountFactory(worker=card.worker)

    assert clearance_for(card).codes == [Code.BANK_ACCOUNT_NOT_VERIFIED]


# --- The employment -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Employment.Status.SUSPENDED, Employment.Status.REGISTERED])
def test_without_an_active_employment_the_card_is_not_cleared(status):
    employment = WorkerEmploymentFactory(status=status)
    card = ready_card(worker=employment.worker, employment=employment)

    assert clearance_for(card).codes == [Code.NO_ACTIVE_EMPLOYMENT]


def test_a_contract_below_the_policy_without_an_exception_does_not_count():
    employment = WorkerEmploymentFactory(monthly_salary=Decimal("1200.00"))
    card = ready_card(worker=employment.worker, employment=employment)

    clearance = clearance_for(card)

    assert clearance.codes == [Code.CONTRACT_BELOW_POLICY]
    assert clearance.contract_breaches == (
        "The monthly salary 1200.00 EUR is below the minimum wage of 1800.00 EUR.",
    )


def test_a_contract_below_the_policy_with_a_supervisors_exception_counts(supervisor):
    employment = WorkerEmploymentFactory(
        monthly_salary=Decimal("1200.00"),
        policy_override_reason="Lodging and meals provided on top; checked with the ministry.",
        policy_override_by=supervisor,
        policy_override_at=timezone.now(),
    )
    card = ready_card(worker=employment.worker, employment=employment)

    clearance = clearance_for(card)

    assert clearance.cleared is True
    assert clearance.contract_breaches  # still shown on the clearance page


def test_an_employer_over_the_workers_limit_breaches_the_policy():
    first = WorkerEmploymentFactory()
    second = WorkerEmploymentFactory(employer=first.employer)
    card = ready_card(worker=second.worker, employment=second)

    assert clearance_for(card).codes == [Code.CONTRACT_BELOW_POLICY]


# --- Many cards -----------------------------------------------------------------------------


def test_clearances_for_keeps_the_order_and_answers_each_card():
    cleared = ready_card()
    held = ready_card()
    urgent_concern(held.worker)
    missing = ready_card(verified_on=None)

    statuses = [c.status for c in clearances_for([missing, cleared, held])]

    assert statuses == [Status.NOT_CLEARED, Status.CLEARED, Status.ON_HOLD]


def test_clearances_for_no_card_costs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert clearances_for([]) == []


@pytest.mark.parametrize("size", [3, 12])
def test_clearances_for_reads_a_fixed_number_of_queries(size, django_assert_num_queries):
    cards = [ready_card() for _ in range(size)]
    for card in cards[:2]:
        urgent_concern(card.worker)
        decision(card)
    policy_current()
    registry_policy_current()  # both policies exist, as they do after the first page

    # Two policies, records, accounts, employments, concerns, decisions.
    with django_assert_num_queries(7):
        clearances = clearances_for(cards)

    assert [c.status for c in clearances][:3] == [Status.RELEASED, Status.RELEASED, Status.CLEARED]


# --- The supervisor's decision --------------------------------------------------------------


def test_a_supervisor_releases_a_card_on_hold_and_it_is_audited(supervisor):
    card = ready_card()
    urgent_concern(card.worker)

    made = clearance_decide(
        card=card, decision="released", reason="  She wishes to stay.  ", by=supervisor
    )

    assert made.reason == "She wishes to stay."
    assert made.decided_by == supervisor
    assert clearance_for(card).status == Status.RELEASED
    entry = AuditEntry.objects.get(object_type="interviews.clearancedecision")
    assert (entry.actor, entry.action, entry.object_id) == (
        supervisor,
        AuditEntry.Action.CREATE,
        str(made.pk),
    )
    assert entry.changed_fields == ["card", "decision", "reason"]


@pytest.mark.parametrize(
    ("kind", "reason", "field"),
    [("released", "", "reason"), ("released", " a ", "reason"), ("maybe", "Fine.", "decision")],
)
def test_a_decision_without_a_reason_or_a_choice_changes_nothing(supervisor, kind, reason, field):
    card = ready_card()
    urgent_concern(card.worker)

    with pytest.raises(ValidationError) as error:
        clearance_decide(card=card, decision=kind, reason=reason, by=supervisor)

    assert field in error.value.error_dict
    assert not ClearanceDecision.objects.exists()
    assert clearance_for(card).status == Status.ON_HOLD


def test_a_card_that_is_not_on_hold_cannot_be_decided(supervisor):
    card = ready_card()

    with pytest.raises(ValidationError, match="not on hold"):
        clearance_decide(card=card, decision="refused", reason="No reason to.", by=supervisor)

    assert not ClearanceDecision.objects.exists()
    assert not AuditEntry.objects.filter(object_type="interviews.clearancedecision").exists()
