"""Renewal clearance read from a query on the cards (as the oversight dashboard and the clearance
list read it): the same answer as from the cards themselves, with the holds read in the cards'
own query and the registry's policy taken from the caller when it has read it already."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from interviews.clearance import Status, clearances_for
from interviews.models import ClearanceDecision
from interviews.services import policy_current
from registry.models import IdentityCard
from registry.services import policy_current as registry_policy_current
from tests.factories import UserFactory
from tests.interviews.factories_clearance import decision, ready_card, urgent_concern

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
Decision = ClearanceDecision.Decision


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def cards_in_every_state() -> list[IdentityCard]:
    """One card per status, two of them for the same worker (a hold is the worker's)."""
    supervisor = UserFactory(username="deciding")
    cleared = ready_card()
    missing = ready_card(verified_on=None)
    held = ready_card()
    urgent_concern(held.worker, opened_at=timezone.now() - dt.timedelta(days=3))
    second_of_held = ready_card(worker=held.worker, employment=held.employment)
    released = ready_card()
    urgent_concern(released.worker, opened_at=timezone.now() - dt.timedelta(days=5))
    decision(released, by=supervisor)
    refused = ready_card()
    urgent_concern(refused.worker, opened_at=timezone.now() - dt.timedelta(days=5))
    decision(refused, Decision.REFUSED, by=supervisor)
    # Decided before the newest urgent concern was raised: on hold again.
    decided_before = ready_card()
    urgent_concern(decided_before.worker, opened_at=timezone.now() - dt.timedelta(days=9))
    decision(decided_before, by=supervisor, decided_at=timezone.now() - dt.timedelta(days=4))
    urgent_concern(decided_before.worker, opened_at=timezone.now() - dt.timedelta(days=2))
    return [cleared, missing, held, second_of_held, released, refused, decided_before]


def _summary(clearances) -> list[tuple]:
    return [
        (
            c.card.pk,
            c.status,
            c.codes,
            c.held,
            c.decision.pk if c.decision else None,
            c.interview_held_on,
            c.bank_account_verified_on,
            c.employment.pk if c.employment else None,
        )
        for c in clearances
    ]


def test_a_query_on_the_cards_gives_the_same_clearances_as_the_cards():
    cards = cards_in_every_state()
    query = IdentityCard.objects.filter(pk__in=[card.pk for card in cards]).order_by("pk")

    from_query = clearances_for(query)

    assert _summary(from_query) == _summary(clearances_for(list(query)))
    assert [c.status for c in from_query] == [
        Status.CLEARED,
        Status.NOT_CLEARED,
        Status.ON_HOLD,
        Status.ON_HOLD,
        Status.RELEASED,
        Status.REFUSED,
        Status.ON_HOLD,
    ]


@pytest.mark.parametrize("size", [3, 12])
def test_a_query_on_the_cards_reads_the_holds_with_the_cards(size, django_assert_num_queries):
    cards = [ready_card() for _ in range(size)]
    for card in cards[:2]:
        urgent_concern(card.worker)
        decision(card, by=UserFactory())
    policy_current()
    registry_policy = registry_policy_current()
    query = IdentityCard.objects.order_by("pk")

    # The cards with their holds, the interview policy, records, accounts, employments and
    # decisions: the registry's policy was read by the caller.
    with django_assert_num_queries(6):
        clearances = clearances_for(query, registry_policy=registry_policy)

    assert [c.status for c in clearances][:3] == [Status.RELEASED, Status.RELEASED, Status.CLEARED]
    assert len(clearances) == size


def test_an_empty_query_reads_only_the_cards(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert clearances_for(IdentityCard.objects.all()) == []
