"""Parallel requests racing for one slot, one interviewer, one room or one interpreter: exactly
one wins, every other officer gets the booking page back with a clear error, and nothing else
changes. Real threads, each with its own client and database connection, released together by
a barrier, against PostgreSQL's row locks and constraints."""

import datetime as dt
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from interviews.models import Interview, Slot
from notifications.models import Kind, Message
from tests.conftest import verified_client
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewFactory,
    RoomFactory,
)
from tests.interviews.factories_booking import slot_at, speaker

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="requests racing on separate connections need PostgreSQL: SQLite runs one "
        "writer at a time and has no row locks",
    ),
    # Committed rows, so every thread's connection sees them; the roles and notice templates
    # the migrations made are restored afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAKEN = "Someone has just booked this time. Choose another."
INTERVIEWER_BUSY = "The interviewer already has an appointment at this time. Choose another."
ROOM_TAKEN = "The room is already taken at this time. Choose another."
INTERPRETER_BUSY = "The interpreter is already booked at this time."


def _soon(hours: int = 0) -> dt.datetime:
    """A time well in the future of the real clock (the threads run in real time)."""
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return start + dt.timedelta(days=3, hours=hours)


def _race(attempts: list[tuple]) -> list[tuple[int, str]]:
    """POST every (client, url, data) at the same moment, one thread each; the answers in order."""
    barrier = threading.Barrier(len(attempts))
    answers: list = [None] * len(attempts)

    def attempt(index, client, url, data):
        try:
            barrier.wait(timeout=60)
            response = client.post(url, data)
            answers[index] = (response.status_code, response.content.decode())
        except Exception as error:  # reported by the assertion below
            answers[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(index, *entry))
        for index, entry in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not thread.is_alive() for thread in threads)
    assert not [answer for answer in answers if answer[0] == "error"], answers
    return answers


def _book(interview) -> str:
    return reverse("interviews:interview-book", args=[interview.pk])


def _move(interview) -> str:
    return reverse("interviews:interview-move", args=[interview.pk])


def test_fifty_officers_booking_one_slot_at_once_exactly_one_wins(officer, capsys):
    slot = slot_at(_soon())
    interviews = [InterviewFactory() for _ in range(50)]
    clients = [verified_client(officer) for _ in interviews]

    started = time.perf_counter()
    answers = _race(
        [
            (client, _book(i), {"slot": slot.pk})
            for client, i in zip(clients, interviews, strict=True)
        ]
    )
    elapsed = time.perf_counter() - started

    winners = [i for i, (status, _) in zip(interviews, answers, strict=True) if status == 302]
    losers = [i for i, (status, _) in zip(interviews, answers, strict=True) if status != 302]
    assert len(winners) == 1
    assert len(losers) == 49
    for status, page in (a for a in answers if a[0] != 302):
        assert status == 200
        assert TAKEN in page
    booked = Interview.objects.get(slot=slot, status__in=Interview.BOOKED_STATUSES)
    assert booked == winners[0]
    assert booked.status == Interview.Status.INVITED
    # The 49 others are untouched and their workers were told nothing.
    others = Interview.objects.filter(pk__in=[i.pk for i in losers])
    assert set(others.values_list("status", flat=True)) == {Interview.Status.DUE}
    assert not others.filter(slot__isnull=False).exists()
    assert not Message.objects.filter(worker__in=[i.worker for i in losers]).exists()
    assert Message.objects.filter(worker=booked.worker, kind=Kind.INTERVIEW_INVITATION).exists()
    with capsys.disabled():
        print(f"\n50 parallel bookings of one slot: 1 booked, 49 refused in {elapsed:.2f} s")


def test_two_officers_moving_two_appointments_into_one_slot_one_wins(officer):
    first = BookedInterviewFactory(slot=slot_at(_soon(1)))
    second = BookedInterviewFactory(slot=slot_at(_soon(2)))
    old_slots = {first.pk: first.slot_id, second.pk: second.slot_id}
    target = slot_at(_soon(5))

    answers = _race(
        [
            (verified_client(officer), _move(first), {"slot": target.pk}),
            (verified_client(officer), _move(second), {"slot": target.pk}),
        ]
    )

    assert sorted(status for status, _ in answers) == [200, 302]
    assert any(TAKEN in page for status, page in answers if status == 200)
    moved = Interview.objects.get(slot=target)
    stayed = Interview.objects.get(pk=(second if moved == first else first).pk)
    assert stayed.slot_id == old_slots[stayed.pk]
    assert Message.objects.filter(worker=moved.worker, kind=Kind.MOVED).count() == 1
    assert not Message.objects.filter(worker=stayed.worker, kind=Kind.MOVED).exists()


def test_the_database_refuses_two_slots_of_one_interviewer_at_one_time():
    interviewer = speaker("tl")
    starts_at = _soon()
    slot_at(starts_at, interviewer=interviewer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            interviewer=interviewer,
            room=RoomFactory(name="Another room"),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=45),
        )


def test_the_database_refuses_two_live_bookings_of_one_slot():
    slot = slot_at(_soon())
    BookedInterviewFactory(slot=slot)

    with pytest.raises(IntegrityError), transaction.atomic():
        BookedInterviewFactory(slot=slot)


def test_overlapping_slots_of_one_interviewer_booked_at_once_one_wins(officer):
    interviewer = speaker("tl")
    early = slot_at(_soon(), interviewer=interviewer, room=RoomFactory(name="Room A"))
    late = slot_at(
        _soon() + dt.timedelta(minutes=30), interviewer=interviewer, room=RoomFactory(name="Room B")
    )
    one, two = InterviewFactory(), InterviewFactory()

    answers = _race(
        [
            (verified_client(officer), _book(one), {"slot": early.pk}),
            (verified_client(officer), _book(two), {"slot": late.pk}),
        ]
    )

    assert sorted(status for status, _ in answers) == [200, 302]
    assert any(INTERVIEWER_BUSY in page for status, page in answers if status == 200)
    assert Interview.objects.filter(interviewer=interviewer, status="invited").count() == 1


def test_overlapping_slots_in_one_room_booked_at_once_one_wins(officer):
    room = RoomFactory(name="Room A")
    early = slot_at(_soon(), room=room)
    late = slot_at(_soon() + dt.timedelta(minutes=15), room=room)
    one, two = InterviewFactory(), InterviewFactory()

    answers = _race(
        [
            (verified_client(officer), _book(one), {"slot": early.pk}),
            (verified_client(officer), _book(two), {"slot": late.pk}),
        ]
    )

    assert sorted(status for status, _ in answers) == [200, 302]
    assert any(ROOM_TAKEN in page for status, page in answers if status == 200)
    assert Interview.objects.filter(room=room, status="invited").count() == 1


def test_one_interpreter_booked_for_two_appointments_at_once_one_wins(officer):
    interpreter = InterpreterFactory(languages=["tl"])
    here = slot_at(_soon(), interviewer=speaker("en"))
    there = slot_at(_soon(), interviewer=speaker("en"))
    one, two = InterviewFactory(), InterviewFactory()

    answers = _race(
        [
            (
                verified_client(officer),
                _book(one),
                {"slot": here.pk, "interpreter": interpreter.pk},
            ),
            (
                verified_client(officer),
                _book(two),
                {"slot": there.pk, "interpreter": interpreter.pk},
            ),
        ]
    )

    assert sorted(status for status, _ in answers) == [200, 302]
    assert any(INTERPRETER_BUSY in page for status, page in answers if status == 200)
    assert Interview.objects.filter(interpreter=interpreter, status="invited").count() == 1
