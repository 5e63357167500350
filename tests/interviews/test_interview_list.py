"""The interview list: who sees what, the filters, the order, and a query count that does not
grow with the rows."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import Interview, InterviewKind
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewFactory,
    at,
)
from tests.interviews.factories_booking import slot_at, speaker
from tests.registry.factories_workers import CardFactory, IndexedWorkerFactory

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 30, 9, 0)
URL = reverse("interviews:interview-list")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-interview="(\d+)"', response.content.decode())]


def _due(due_on, **kwargs):
    card = CardFactory(expiry_date=due_on.replace(year=due_on.year + 1))
    return InterviewFactory(worker=card.worker, card=card, employment=None, due_on=due_on, **kwargs)


def test_booked_appointments_come_first_by_time_then_the_rest_by_due_date(officer, client_for):
    later_due = _due(dt.date(2027, 1, 20))
    sooner_due = _due(dt.date(2026, 12, 20))
    afternoon = BookedInterviewFactory(slot=slot_at(at(2026, 12, 2, 15, 0)))
    morning = BookedInterviewFactory(slot=slot_at(at(2026, 12, 2, 9, 0)))

    response = client_for(officer).get(URL)

    assert response.status_code == 200
    assert _rows(response) == [morning.pk, afternoon.pk, sooner_due.pk, later_due.pk]


def test_by_default_only_open_interviews_are_listed(officer, client_for):
    open_one = InterviewFactory()
    InterviewFactory(status=Interview.Status.CANCELLED)

    assert _rows(client_for(officer).get(URL)) == [open_one.pk]
    assert len(_rows(client_for(officer).get(URL, {"status": "all"}))) == 2


def test_it_filters_by_status_and_kind(officer, client_for):
    InterviewFactory()
    booked = BookedInterviewFactory()
    exit_interview = InterviewFactory(kind=InterviewKind.EXIT)
    web = client_for(officer)

    assert _rows(web.get(URL, {"status": "invited"})) == [booked.pk]
    assert _rows(web.get(URL, {"kind": "exit"})) == [exit_interview.pk]


def test_it_filters_by_interviewer(officer, client_for):
    tagalog = speaker("tl", username="tagalog-speaker")
    theirs = BookedInterviewFactory(slot=slot_at(at(2026, 12, 2, 9, 0), interviewer=tagalog))
    BookedInterviewFactory()

    response = client_for(officer).get(URL, {"interviewer": tagalog.pk})

    assert _rows(response) == [theirs.pk]


def test_it_filters_by_due_date_and_not_yet_booked(officer, client_for):
    soon = _due(dt.date(2026, 12, 10))
    _due(dt.date(2027, 3, 1))
    BookedInterviewFactory(due_on=dt.date(2026, 12, 5))
    web = client_for(officer)

    assert _rows(web.get(URL, {"due_before": "2026-12-15", "unbooked": "on"})) == [soon.pk]


def test_it_lists_the_workers_who_asked_for_another_time(officer, client_for):
    asked = BookedInterviewFactory(move_requested_at=NOW, move_request_note="Sundays")
    BookedInterviewFactory()

    response = client_for(officer).get(URL, {"move_requested": "on"})

    assert _rows(response) == [asked.pk]
    assert "Asked for another time" in response.content.decode()


def test_it_finds_a_worker_by_any_spelling_of_the_name(officer, client_for):
    worker = IndexedWorkerFactory(family_name="Dela Cruz", given_names="Maria Rosario")
    found = InterviewFactory(worker=worker)
    InterviewFactory(worker=IndexedWorkerFactory(family_name="Bekele", given_names="Tigist"))

    response = client_for(officer).get(URL, {"q": "rosario dela"})

    assert _rows(response) == [found.pk]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, detail="interview search"
    ).exists()


def test_an_interviewer_sees_only_their_own_interviews(interviewer, client_for):
    own = BookedInterviewFactory(slot=slot_at(at(2026, 12, 2, 9, 0), interviewer=interviewer))
    BookedInterviewFactory()
    InterviewFactory()

    response = client_for(interviewer).get(URL)

    assert _rows(response) == [own.pk]
    assert 'name="interviewer"' not in response.content.decode()


@pytest.mark.parametrize("role", ["administrator", "auditor"])
def test_administrators_and_auditors_are_refused(role, request, client_for):
    user = request.getfixturevalue(role)

    assert client_for(user).get(URL).status_code == 403


def test_a_bad_date_in_the_filter_is_shown_and_the_list_stays(officer, client_for):
    InterviewFactory()

    response = client_for(officer).get(URL, {"due_before": "31/12/2026"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert len(_rows(response)) == 1


def test_the_list_is_paginated(officer, client_for):
    for _ in range(27):
        InterviewFactory()
    web = client_for(officer)

    assert len(_rows(web.get(URL))) == 25
    assert len(_rows(web.get(URL, {"page": 2}))) == 2


def _some_interviews(count: int) -> None:
    """A mix: not yet booked, booked, booked with an interpreter, asked for another time."""
    interpreter = InterpreterFactory()
    for index in range(count):
        if index % 3 == 0:
            InterviewFactory()
        else:
            BookedInterviewFactory(
                interpreter=interpreter if index % 3 == 1 else None,
                move_requested_at=NOW if index % 2 else None,
            )


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_the_rows(
    count, officer, client_for, django_assert_max_num_queries
):
    _some_interviews(count)
    web = client_for(officer)
    web.get(URL)  # the session and permissions are warm, as for any later page

    with django_assert_max_num_queries(9):
        response = web.get(URL, {"q": "dela", "status": "all"})

    assert len(_rows(response)) == min(count, 25)
