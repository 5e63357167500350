"""A card whose renewal may go ahead, and the pieces the clearance tests change one at a time.

ready_card() builds a worker with an active contract that meets the default policy, a card
expiring on `expiry`, a bank account in the worker's sole name verified on `verified_on`, and an
annual interview held on `held_on` whose record counts (in person, in private, no employer).
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

from interviews.models import ClearanceDecision, Concern, Interview
from registry.models import BankAccount
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    ConcernFactory,
    RecordFactory,
    SlotFactory,
    at,
)
from tests.registry.factories_workers import (
    AccountFactory,
    CardFactory,
    IndexedWorkerFactory,
    WorkerEmploymentFactory,
)

EXPIRY = dt.date(2026, 7, 1)  # the window opens on 2026-04-02 with the default 90 days
HELD_ON = dt.date(2026, 4, 20)
VERIFIED_ON = dt.date(2026, 3, 2)


def verified_account(worker, *, verified_on=VERIFIED_ON, months=12, **kwargs) -> BankAccount:
    fields = {
        "status": BankAccount.Status.VERIFIED,
        "verified_on": verified_on,
        "verification_method": BankAccount.Method.IN_PERSON,
        "verification_expires_on": verified_on + relativedelta(months=months),
        **kwargs,
    }
    return AccountFactory(worker=worker, **fields)


def held_interview(card, *, held_on=HELD_ON, kind=None, **record):
    """An interview of `card`'s worker held on `held_on`, with its record."""
    slot = SlotFactory(starts_at=at(held_on.year, held_on.month, held_on.day, 10))
    fields = {"worker": card.worker, "employment": card.employment, "card": card}
    if kind is not None:
        fields["kind"] = kind
    interview = BookedInterviewFactory(slot=slot, status=Interview.Status.HELD, **fields)
    return RecordFactory(interview=interview, **record)


def ready_card(
    *,
    expiry=EXPIRY,
    held_on=HELD_ON,
    verified_on=VERIFIED_ON,
    number=None,
    worker=None,
    employment=None,
):
    worker = worker or IndexedWorkerFactory()
    employment = employment or WorkerEmploymentFactory(worker=worker)
    card_fields = {"number": number} if number else {}
    card = CardFactory(
        worker=worker,
        employment=employment,
        issue_date=expiry - relativedelta(years=1),
        expiry_date=expiry,
        **card_fields,
    )
    if verified_on is not None:
        verified_account(worker, verified_on=verified_on)
    if held_on is not None:
        held_interview(card, held_on=held_on)
    return card


def urgent_concern(worker, **kwargs) -> Concern:
    fields = {
        "severity": Concern.Severity.URGENT,
        "summary": "Employer keeps her passport and threatens her",
        "details": "She says the employer locks her in at night.",
        **kwargs,
    }
    return ConcernFactory(worker=worker, **fields)


def decision(card, kind=ClearanceDecision.Decision.RELEASED, *, by=None, **kwargs):
    return ClearanceDecision.objects.create(
        card=card,
        decision=kind,
        reason=kwargs.pop("reason", "The worker wants to stay; renewal protects her status."),
        decided_by=by or UserFactory(username="deciding-supervisor"),
        **kwargs,
    )
