"""Data for the oversight dashboard's tests: interviews, cards, concerns, accounts, contracts and
notices at known distances from a frozen NOW (Sunday 29 November 2026, 10:00 in the host state)."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from interviews.models import Concern, Interview
from notifications.models import Message
from registry.models import BankAccount, Employment, IdentityCard
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    InterviewFactory,
    SlotFactory,
    at,
)
from tests.interviews.factories_clearance import decision, ready_card, urgent_concern
from tests.registry.factories_workers import (
    AccountFactory,
    CardFactory,
    EndedEmploymentFactory,
    NoticeFactory,
    WorkerEmploymentFactory,
)

NOW = at(2026, 11, 29, 10, 0)
TODAY = dt.date(2026, 11, 29)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


# --- Interviews ---------------------------------------------------------------------------------


def due(*, due_on: dt.date, **kwargs) -> Interview:
    """An interview not yet booked."""
    return InterviewFactory(due_on=due_on, **kwargs)


def booked(*, starts_at: dt.datetime, status=Interview.Status.INVITED, **kwargs) -> Interview:
    """An interview with an appointment (invited, confirmed, held or missed)."""
    return BookedInterviewFactory(status=status, slot=SlotFactory(starts_at=starts_at), **kwargs)


def interviews_of_every_kind() -> dict[str, int]:
    """Interviews around every boundary of the interview figures, and the expected figures."""
    due(due_on=TODAY - 3 * DAY)  # due and overdue
    due(due_on=TODAY + 10 * DAY)  # due
    due(due_on=TODAY)  # due, not overdue yet: today is its last day
    booked(starts_at=NOW + 2 * DAY, due_on=TODAY - DAY)  # overdue
    booked(starts_at=NOW + 3 * DAY, status=Interview.Status.CONFIRMED, due_on=TODAY + 5 * DAY)
    InterviewFactory(status=Interview.Status.CANCELLED, due_on=TODAY - 9 * DAY)  # nothing
    booked(starts_at=NOW - 3 * DAY, status=Interview.Status.NO_SHOW)  # missed
    booked(starts_at=NOW - 30 * DAY + HOUR, status=Interview.Status.NO_SHOW)  # missed
    booked(starts_at=NOW - 30 * DAY - HOUR, status=Interview.Status.NO_SHOW)  # too long ago
    booked(starts_at=NOW - 2 * DAY, status=Interview.Status.HELD)  # held
    booked(starts_at=NOW - 45 * DAY, status=Interview.Status.HELD)  # too long ago
    return {"due": 3, "overdue": 2, "missed": 2, "held": 1, "follow_up": 3}


# --- Cards --------------------------------------------------------------------------------------


def cards_of_every_kind() -> dict[tuple[int, int], tuple[int, int]]:
    """Cards around every boundary of the card figures; per bucket, the expected (not cleared,
    all cards)."""
    # 0 to 30 days
    ready_card(expiry=TODAY + 10 * DAY, held_on=TODAY - 20 * DAY)  # cleared
    ready_card(expiry=TODAY + 20 * DAY, held_on=None)
    ready_card(expiry=TODAY + 30 * DAY, held_on=None)
    # 31 to 60 days
    ready_card(expiry=TODAY + 31 * DAY, held_on=None)
    ready_card(expiry=TODAY + 45 * DAY, held_on=TODAY - 10 * DAY)  # cleared
    held = ready_card(expiry=TODAY + 50 * DAY, held_on=TODAY - 5 * DAY)
    urgent_concern(held.worker, opened_at=NOW - 4 * DAY)  # on hold: not cleared
    # 61 to 90 days
    released = ready_card(expiry=TODAY + 70 * DAY, held_on=TODAY - 3 * DAY)
    urgent_concern(released.worker, opened_at=NOW - 2 * DAY)
    decision(released, decided_at=NOW - DAY)  # released by a supervisor: cleared
    ready_card(expiry=TODAY + 90 * DAY, held_on=None)
    # Left out: too far, already expired, not issued, no active employment.
    ready_card(expiry=TODAY + 91 * DAY, held_on=None)
    ready_card(expiry=TODAY - DAY, held_on=None)
    requested = ready_card(expiry=TODAY + 15 * DAY, held_on=None)
    IdentityCard.objects.filter(pk=requested.pk).update(status=IdentityCard.Status.REQUESTED)
    ended = EndedEmploymentFactory()
    CardFactory(
        worker=ended.worker,
        employment=ended,
        issue_date=TODAY - relativedelta(years=1),
        expiry_date=TODAY + 15 * DAY,
    )
    return {(0, 30): (2, 3), (31, 60): (2, 3), (61, 90): (1, 2)}


# --- Concerns -----------------------------------------------------------------------------------


def concern(severity: str, opened_at: dt.datetime, status=Concern.Status.OPEN, **kwargs):
    if status == Concern.Status.CLOSED:
        kwargs.setdefault("closed_at", opened_at + DAY)
        kwargs.setdefault("closure_reason", Concern.ClosureReason.RESOLVED)
    return ConcernFactory(severity=severity, opened_at=opened_at, status=status, **kwargs)


def concerns_of_every_kind() -> dict[tuple[str, str], int]:
    """Concerns around every boundary of the concern table; the expected non-zero cells."""
    Status = Concern.Status
    concern("urgent", NOW - DAY)
    concern("urgent", NOW - 7 * DAY)  # exactly seven days: 7 to 30
    concern("high", NOW - 10 * DAY, status=Status.IN_PROGRESS)
    concern("high", NOW - 30 * DAY + HOUR, status=Status.REFERRED)
    concern("medium", NOW - 40 * DAY, status=Status.REFERRED)
    concern("medium", NOW - 30 * DAY)  # exactly thirty days: more than 30
    concern("low", NOW - 7 * DAY + HOUR)
    concern("low", NOW - 2 * DAY, status=Status.CLOSED)  # closed: not counted
    return {
        ("urgent", "under7"): 1,
        ("urgent", "7to30"): 1,
        ("high", "7to30"): 2,
        ("medium", "30"): 2,
        ("low", "under7"): 1,
    }


# --- Bank accounts ------------------------------------------------------------------------------


def verified(worker, *, expires_on: dt.date, **kwargs) -> BankAccount:
    return AccountFactory(
        worker=worker,
        status=BankAccount.Status.VERIFIED,
        verified_on=expires_on - relativedelta(years=1),
        verification_method=BankAccount.Method.IN_PERSON,
        verification_expires_on=expires_on,
        **kwargs,
    )


def employed_worker():
    return WorkerEmploymentFactory().worker


def accounts_of_every_kind() -> dict[str, int]:
    """Workers in every state of their salary account; the expected counts per state."""
    employed_worker()  # no account at all: none
    AccountFactory(worker=employed_worker())  # unverified
    verified(employed_worker(), expires_on=TODAY - DAY)  # expired
    verified(employed_worker(), expires_on=TODAY + 100 * DAY)  # fine
    verified(employed_worker(), expires_on=TODAY)  # fine: valid until the end of today
    both = employed_worker()
    verified(both, expires_on=TODAY - 10 * DAY)  # the verified one counts: expired
    AccountFactory(worker=both)
    AccountFactory(worker=employed_worker(), status=BankAccount.Status.CLOSED)  # none
    AccountFactory(worker=employed_worker(), status=BankAccount.Status.REJECTED)  # none
    fine = employed_worker()
    verified(fine, expires_on=TODAY + 200 * DAY)
    AccountFactory(worker=fine, status=BankAccount.Status.CLOSED)
    EndedEmploymentFactory()  # no active employment: left out
    return {"none": 3, "unverified": 1, "expired": 2}


# --- Contracts ----------------------------------------------------------------------------------


def contracts_of_every_kind() -> dict[str, int]:
    WorkerEmploymentFactory(status=Employment.Status.REGISTERED)
    WorkerEmploymentFactory(status=Employment.Status.REGISTERED, monthly_salary=Decimal("900"))
    WorkerEmploymentFactory(monthly_salary=Decimal("1000.00"))  # active below the policy
    WorkerEmploymentFactory(
        monthly_salary=Decimal("1000.00"), policy_override_reason="Part-time, agreed"
    )
    WorkerEmploymentFactory(status=Employment.Status.PRE_NOTIFIED)
    return {"awaiting": 2, "below": 1}


# --- Notices ------------------------------------------------------------------------------------


def notice(status: str, *, created_at: dt.datetime = NOW - DAY, **kwargs) -> Message:
    return NoticeFactory(status=status, created_at=created_at, **kwargs)


def notices_of_every_kind() -> dict[str, int]:
    Status = Message.Status
    notice(Status.FAILED, last_attempt_at=NOW - 2 * DAY, channel="sms", kind="reminder")
    notice(Status.FAILED, last_attempt_at=NOW - 8 * DAY, created_at=NOW - 9 * DAY)
    notice(Status.FAILED, created_at=NOW - 6 * DAY)  # never attempted: when it was written
    notice(Status.FAILED, last_attempt_at=NOW - 6 * DAY, created_at=NOW - 20 * DAY)
    notice(Status.HELD)
    notice(Status.HELD, created_at=NOW - 60 * DAY)
    notice(Status.QUEUED, channel="sms")
    notice(Status.DELIVERED, channel="email", last_attempt_at=NOW - DAY)
    return {"failed": 3, "held": 2}


def everything() -> dict:
    return {
        "interviews": interviews_of_every_kind(),
        "cards": cards_of_every_kind(),
        "concerns": concerns_of_every_kind(),
        "bank": accounts_of_every_kind(),
        "contracts": contracts_of_every_kind(),
        "notices": notices_of_every_kind(),
    }


def workers_with_everything(count: int) -> None:
    """`count` workers, each with a contract, a card expiring within 90 days, an account in some
    state, interviews, a concern and notices: the query-count tests' data."""
    states = ["none", "unverified", "expired", "verified"]
    for index in range(count):
        employment = WorkerEmploymentFactory(
            monthly_salary=Decimal("1000.00") if index % 7 == 0 else Decimal("2000.00")
        )
        worker = employment.worker
        card = CardFactory(
            worker=worker,
            employment=employment,
            issue_date=TODAY - relativedelta(years=1),
            expiry_date=TODAY + (index * 11 % 90) * DAY,
        )
        state = states[index % 4]
        if state == "unverified":
            AccountFactory(worker=worker)
        elif state == "expired":
            verified(worker, expires_on=TODAY - DAY)
        elif state == "verified":
            verified(worker, expires_on=TODAY + 90 * DAY)
        fields = {"worker": worker, "employment": employment, "card": card}
        booked(starts_at=NOW - (index % 300 + 1) * DAY, status=Interview.Status.HELD, **fields)
        booked(starts_at=NOW - (index % 200 + 2) * DAY, status=Interview.Status.NO_SHOW, **fields)
        due(due_on=TODAY - (index % 3) * DAY, **fields)
        concern(
            ["urgent", "high", "medium", "low"][index % 4],
            NOW - (index * 5 % 400) * DAY,
            status=Concern.Status.CLOSED if index % 3 == 0 else Concern.Status.OPEN,
            worker=worker,
        )
        notice(Message.Status.FAILED, worker=worker, last_attempt_at=NOW - (index % 9) * DAY)
        notice(Message.Status.HELD, worker=worker)
