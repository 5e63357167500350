"""Double booking is impossible even under concurrent requests: two connections racing, on
PostgreSQL (SQLite serialises every write, so there is no race to lose there)."""

import datetime as dt
import itertools
import threading

import pytest
from django.db import connection
from django.utils import timezone

from interviews.availability import slots_publish
from interviews.models import Interview, Slot
from interviews.services import BookingError, interview_book
from tests.factories import UserFactory
from tests.interviews.factories import (
    InterpreterFactory,
    InterviewFactory,
    RoomFactory,
    SlotFactory,
)
from tests.interviews.factories_availability import PatternFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two connections racing need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WEEKS = 8


def _race(*calls):
    """Run each call in its own thread and connection, all released at the same moment.
    Returns each call's result or the exception it raised, in order."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def work(index, call):
        from django.db import connection as thread_connection

        try:
            start.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _window():
    first = timezone.localdate() + dt.timedelta(days=1)
    return first, first + dt.timedelta(weeks=WEEKS, days=-1)


def _overlaps(slots) -> list:
    slots = sorted(slots, key=lambda s: s.starts_at)
    return [(a.pk, b.pk) for a, b in itertools.pairwise(slots) if b.starts_at < a.ends_at]


def test_two_publications_for_one_interviewer_at_once_leave_no_overlap():
    first, last = _window()
    interviewer = UserFactory()
    # Two periods in two rooms that overlap each other: only the lock keeps them apart.
    PatternFactory(interviewer=interviewer, weekday=first.weekday())
    PatternFactory(
        interviewer=interviewer,
        weekday=first.weekday(),
        start_time=dt.time(9, 30),
        end_time=dt.time(12, 30),
    )

    def publish():
        return slots_publish(interviewer=interviewer, start=first, end=last)

    outcomes = _race(publish, publish)
    assert sorted(outcomes) == [0, 4 * WEEKS], outcomes
    assert _overlaps(Slot.objects.filter(interviewer=interviewer)) == []


def test_two_interviewers_published_at_once_never_share_a_room():
    first, last = _window()
    room = RoomFactory()
    morning = PatternFactory(room=room, weekday=first.weekday())
    later = PatternFactory(
        room=room, weekday=first.weekday(), start_time=dt.time(9, 30), end_time=dt.time(12, 30)
    )
    outcomes = _race(
        lambda: slots_publish(interviewer=morning.interviewer, start=first, end=last),
        lambda: slots_publish(interviewer=later.interviewer, start=first, end=last),
    )
    assert sorted(outcomes) == [0, 4 * WEEKS], outcomes
    assert _overlaps(Slot.objects.filter(room=room)) == []


def test_an_interpreter_is_never_booked_into_two_interviews_at_once():
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    interpreter = InterpreterFactory(languages=["tl"])
    slots = [SlotFactory(starts_at=starts_at), SlotFactory(starts_at=starts_at)]
    interviews = [InterviewFactory(), InterviewFactory()]

    def book(index):
        return lambda: interview_book(
            interview=interviews[index], slot=slots[index], language="tl", interpreter=interpreter
        )

    outcomes = _race(book(0), book(1))
    booked = [o for o in outcomes if isinstance(o, Interview)]
    refused = [o for o in outcomes if isinstance(o, BookingError)]
    assert (len(booked), len(refused)) == (1, 1), outcomes
    assert "interpreter is already booked" in refused[0].messages[0]
    assert Interview.objects.filter(interpreter=interpreter, status="invited").count() == 1
