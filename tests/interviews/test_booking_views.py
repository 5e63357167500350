"""Booking by hand: an officer books, moves and cancels appointments; the worker is told; a
refused booking shows why and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from interviews.models import Interview, InterviewKind
from notifications.models import Kind, Message
from notifications.services import localised_moments
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewFactory,
    RoomFactory,
    at,
)
from tests.interviews.factories_booking import slot_at, speaker
from tests.registry.factories_workers import CardFactory, IndexedWorkerFactory

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 30, 9, 0)  # a Monday morning
TOMORROW_10 = at(2026, 12, 1, 10, 0)
TOMORROW_11 = at(2026, 12, 1, 11, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def web(officer, client_for):
    return client_for(officer)


def _book_url(interview):
    return reverse("interviews:interview-book", args=[interview.pk])


def _move_url(interview):
    return reverse("interviews:interview-move", args=[interview.pk])


def _messages(interview, kind=None):
    messages = Message.objects.filter(worker=interview.worker)
    return messages.filter(kind=kind) if kind else messages


def _says_the_date(message, moment):
    """The notice gives the appointment's date and time, written in the notice's language."""
    written = localised_moments({"date": moment}, message.language)
    return written["date"] in message.body and written["time"] in message.body


# --- Booking ------------------------------------------------------------------------------


def test_proposals_show_first_the_interviewers_who_speak_the_workers_language(web):
    interview = InterviewFactory()
    needs_help = slot_at(TOMORROW_10, interviewer=speaker("en", username="english-only"))
    speaks = slot_at(TOMORROW_11, interviewer=speaker("tl", username="tagalog"))
    InterpreterFactory(name="Ligaya Reyes", languages=["tl"])
    InterpreterFactory(name="Linked To Mission", languages=["tl"], independent=False)

    response = web.get(_book_url(interview))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(f'data-slot="{speaks.pk}"') < page.index(f'data-slot="{needs_help.pk}"')
    assert "speaks Tagalog (Filipino)" in page
    assert "needs an interpreter for Tagalog (Filipino)" in page
    assert "Ligaya Reyes" in page
    assert "Linked To Mission" not in page


def test_booking_a_proposed_time_invites_the_worker(web, officer):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_11)

    response = web.post(_book_url(interview), {"slot": slot.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:interview-detail", args=[interview.pk])
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    assert interview.slot == slot
    assert interview.starts_at == TOMORROW_11
    assert interview.interviewer == slot.interviewer
    assert interview.language == "tl"
    assert interview.interpreter is None
    invitation = _messages(interview, Kind.INTERVIEW_INVITATION).get()
    assert _says_the_date(invitation, TOMORROW_11)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_id=str(interview.pk), actor=officer
    ).exists()


def test_booking_with_an_interpreter_when_the_interviewer_does_not_speak_the_language(web):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_10, interviewer=speaker("en"))
    interpreter = InterpreterFactory(languages=["tl"])

    response = web.post(_book_url(interview), {"slot": slot.pk, "interpreter": interpreter.pk})

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    assert interview.interpreter == interpreter
    assert interview.language == "tl"


def test_it_refuses_a_time_without_a_shared_language_or_an_interpreter(web):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_10, interviewer=speaker("en"))

    response = web.post(_book_url(interview), {"slot": slot.pk})

    assert response.status_code == 200
    assert "The interviewer does not speak the worker" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE
    assert interview.slot is None
    assert not _messages(interview).exists()


def test_it_refuses_an_interpreter_who_does_not_speak_the_workers_languages(web):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_10, interviewer=speaker("en"))
    amharic = InterpreterFactory(languages=["am"])

    response = web.post(_book_url(interview), {"slot": slot.pk, "interpreter": amharic.pk})

    assert response.status_code == 200
    assert "This interpreter does not speak the worker" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


def test_a_time_someone_booked_meanwhile_gives_a_clear_error_and_changes_nothing(web):
    slot = slot_at(TOMORROW_11)
    BookedInterviewFactory(slot=slot)
    interview = InterviewFactory()

    response = web.post(_book_url(interview), {"slot": slot.pk})

    assert response.status_code == 200
    assert "Someone has just booked this time. Choose another." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE
    assert interview.slot is None
    assert not _messages(interview).exists()


def test_a_withdrawn_time_is_refused(web):
    slot = slot_at(TOMORROW_11)
    slot.withdrawn = True
    slot.save()
    interview = InterviewFactory()

    response = web.post(_book_url(interview), {"slot": slot.pk})

    assert "This time is no longer offered. Choose another." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


def test_a_busy_interpreter_is_not_offered_and_cannot_be_booked(web):
    interpreter = InterpreterFactory(name="Ligaya Reyes", languages=["tl"])
    elsewhere = slot_at(TOMORROW_10, interviewer=speaker("en"))
    BookedInterviewFactory(slot=elsewhere, interpreter=interpreter)
    interview = InterviewFactory()
    same_time = slot_at(TOMORROW_10, interviewer=speaker("en"))

    proposals = web.get(_book_url(interview)).content.decode()
    in_range = web.get(_book_url(interview), {"after": "2026-12-01", "before": "2026-12-01"})
    response = web.post(_book_url(interview), {"slot": same_time.pk, "interpreter": interpreter.pk})

    assert f'data-slot="{same_time.pk}"' not in proposals
    assert "No independent interpreter is free at this time." in in_range.content.decode()
    assert "The interpreter is already booked at this time." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


def test_an_interviewer_is_never_booked_twice_in_overlapping_slots(web):
    interviewer = speaker("tl")
    first = slot_at(TOMORROW_10, interviewer=interviewer, room=RoomFactory(name="Room A"))
    overlapping = slot_at(
        TOMORROW_10 + dt.timedelta(minutes=30),
        interviewer=interviewer,
        room=RoomFactory(name="Room B"),
    )
    BookedInterviewFactory(slot=first)
    interview = InterviewFactory()

    page = web.get(_book_url(interview)).content.decode()
    response = web.post(_book_url(interview), {"slot": overlapping.pk})

    assert f'data-slot="{overlapping.pk}"' not in page
    assert (
        "The interviewer already has an appointment at this time. Choose another."
        in response.content.decode()
    )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


def test_a_room_is_never_booked_twice_at_overlapping_times(web):
    room = RoomFactory(name="Room A")
    first = slot_at(TOMORROW_10, room=room)
    overlapping = slot_at(TOMORROW_10 + dt.timedelta(minutes=15), room=room)
    BookedInterviewFactory(slot=first)
    interview = InterviewFactory()

    response = web.post(_book_url(interview), {"slot": overlapping.pk})

    assert "The room is already taken at this time. Choose another." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


def test_any_free_time_in_a_range_of_dates_can_be_chosen(web):
    interview = InterviewFactory()
    soon = slot_at(TOMORROW_10)
    later = slot_at(at(2027, 1, 12, 10, 0))

    response = web.get(_book_url(interview), {"after": "2027-01-11", "before": "2027-01-13"})

    page = response.content.decode()
    assert "Free times in this range" in page
    assert f'data-slot="{later.pk}"' in page
    assert f'data-slot="{soon.pk}"' not in page


def test_a_backwards_range_of_dates_is_refused_with_a_clear_error(web):
    interview = InterviewFactory()
    slot_at(TOMORROW_10)

    response = web.get(_book_url(interview), {"after": "2027-01-13", "before": "2027-01-11"})

    page = response.content.decode()
    assert "The end of the range is before its start." in page
    assert "Proposed times" in page


def test_an_interview_already_booked_cannot_be_booked_again(web):
    interview = BookedInterviewFactory()
    other = slot_at(TOMORROW_11)

    page = web.get(_book_url(interview)).content.decode()
    response = web.post(_book_url(interview), {"slot": other.pk})

    assert "This interview is already booked or closed." in page
    assert "This interview is already booked or closed." in response.content.decode()
    interview.refresh_from_db()
    assert interview.slot != other


def test_an_interviewer_cannot_book(interviewer, client_for):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_11)

    response = client_for(interviewer).post(_book_url(interview), {"slot": slot.pk})

    assert response.status_code == 403
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


# --- Moving ---------------------------------------------------------------------------------


def test_moving_an_appointment_tells_the_worker_the_new_date(web):
    interview = BookedInterviewFactory(
        slot=slot_at(TOMORROW_10),
        status=Interview.Status.CONFIRMED,
        move_requested_at=NOW,
        move_request_note="Sunday afternoon",
    )
    new_time = at(2026, 12, 3, 14, 30)
    target = slot_at(new_time)

    page = web.get(_move_url(interview)).content.decode()
    response = web.post(_move_url(interview), {"slot": target.pk})

    assert "Sunday afternoon" in page
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.slot == target
    assert interview.starts_at == new_time
    assert interview.status == Interview.Status.INVITED
    assert interview.confirmed_at is None
    assert interview.move_requested_at is None
    moved = _messages(interview, Kind.MOVED).get()
    assert _says_the_date(moved, new_time)


def test_moving_into_a_taken_time_changes_nothing(web):
    old = slot_at(TOMORROW_10)
    interview = BookedInterviewFactory(slot=old)
    taken = slot_at(TOMORROW_11)
    BookedInterviewFactory(slot=taken)

    response = web.post(_move_url(interview), {"slot": taken.pk})

    assert response.status_code == 200
    assert "Someone has just booked this time. Choose another." in response.content.decode()
    interview.refresh_from_db()
    assert interview.slot == old
    assert not _messages(interview, Kind.MOVED).exists()


def test_an_interview_not_booked_cannot_be_moved(web):
    interview = InterviewFactory()
    slot = slot_at(TOMORROW_10)

    page = web.get(_move_url(interview)).content.decode()
    response = web.post(_move_url(interview), {"slot": slot.pk})

    assert "Only a booked appointment can be moved." in page
    assert "Only a booked appointment can be moved." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DUE


# --- Cancelling -----------------------------------------------------------------------------


def _cancel_url(interview):
    return reverse("interviews:interview-cancel", args=[interview.pk])


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(web):
    interview = BookedInterviewFactory(slot=slot_at(TOMORROW_10))

    response = web.post(_cancel_url(interview), {"reason": " "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED
    assert not _messages(interview).exists()


def test_a_reason_of_one_word_fragment_is_refused(web):
    interview = BookedInterviewFactory(slot=slot_at(TOMORROW_10))

    response = web.post(_cancel_url(interview), {"reason": "no"})

    assert "Give the reason, in a few words." in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.INVITED


def test_cancelling_an_appointment_frees_the_time_and_tells_the_worker(web):
    slot = slot_at(TOMORROW_10)
    interview = BookedInterviewFactory(slot=slot)

    response = web.post(_cancel_url(interview), {"reason": "The worker left the country"})

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    assert interview.cancel_reason == "The worker left the country"
    cancelled = _messages(interview, Kind.CANCELLED).get()
    assert _says_the_date(cancelled, TOMORROW_10)
    assert "left the country" not in cancelled.body
    other = InterviewFactory()
    assert f'data-slot="{slot.pk}"' in web.get(_book_url(other)).content.decode()


def test_cancelling_an_interview_not_booked_sends_nothing(web):
    interview = InterviewFactory()

    web.post(_cancel_url(interview), {"reason": "Created twice by mistake"})

    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    assert not _messages(interview).exists()


def test_a_closed_interview_cannot_be_cancelled(web):
    interview = InterviewFactory(status=Interview.Status.CANCELLED, cancel_reason="Duplicate")

    page = web.get(_cancel_url(interview)).content.decode()
    response = web.post(_cancel_url(interview), {"reason": "Once more"})

    assert "This interview is already closed." in page
    assert "This interview is already closed." in response.content.decode()
    interview.refresh_from_db()
    assert interview.cancel_reason == "Duplicate"


# --- Creating by hand -----------------------------------------------------------------------


def _create_url(worker):
    return reverse("interviews:interview-create", args=[worker.pk])


def test_an_officer_creates_a_follow_up_and_goes_on_to_choose_a_time(web, officer):
    worker = IndexedWorkerFactory()

    response = web.post(
        _create_url(worker),
        {"kind": InterviewKind.FOLLOW_UP, "due_on": "2026-12-20", "book_now": "on"},
    )

    interview = Interview.objects.get(worker=worker)
    assert response.status_code == 302
    assert response["Location"] == _book_url(interview)
    assert interview.kind == InterviewKind.FOLLOW_UP
    assert interview.status == Interview.Status.DUE
    assert interview.due_on == dt.date(2026, 12, 20)
    assert interview.language == "tl"
    assert interview.created_by == officer
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE,
        object_type="interviews.interview",
        object_id=str(interview.pk),
    ).exists()


def test_without_a_due_date_a_hand_made_interview_is_due_in_thirty_days(web):
    worker = IndexedWorkerFactory()

    response = web.post(_create_url(worker), {"kind": InterviewKind.EXIT})

    interview = Interview.objects.get(worker=worker)
    assert response["Location"] == reverse("interviews:interview-detail", args=[interview.pk])
    assert interview.due_on == dt.date(2026, 12, 30)


def test_an_annual_interview_is_due_as_the_policy_says_for_the_card(web):
    card = CardFactory(expiry_date=dt.date(2027, 2, 28))

    web.post(_create_url(card.worker), {"kind": InterviewKind.ANNUAL, "card": card.pk})

    interview = Interview.objects.get(worker=card.worker)
    assert interview.card == card
    assert interview.due_on == dt.date(2027, 1, 29)  # 30 days before expiry
    assert interview.window_opens_on == dt.date(2026, 11, 30)  # 90 days before expiry


def test_an_annual_interview_needs_a_card(web):
    worker = IndexedWorkerFactory()

    response = web.post(_create_url(worker), {"kind": InterviewKind.ANNUAL})

    assert response.status_code == 200
    assert "Choose the card whose renewal this interview is for." in response.content.decode()
    assert not Interview.objects.filter(worker=worker).exists()


def test_a_card_has_one_open_annual_interview_at_most(web):
    existing = InterviewFactory()

    response = web.post(
        _create_url(existing.worker), {"kind": InterviewKind.ANNUAL, "card": existing.card.pk}
    )

    assert "This card already has an open annual interview." in response.content.decode()
    assert Interview.objects.filter(worker=existing.worker).count() == 1


def test_another_workers_card_is_not_offered(web):
    worker = IndexedWorkerFactory()
    strangers_card = CardFactory()

    response = web.post(
        _create_url(worker), {"kind": InterviewKind.ANNUAL, "card": strangers_card.pk}
    )

    assert "Select a valid choice." in response.content.decode()
    assert not Interview.objects.filter(worker=worker).exists()


def test_a_due_date_in_the_past_is_refused(web):
    worker = IndexedWorkerFactory()

    response = web.post(
        _create_url(worker), {"kind": InterviewKind.FOLLOW_UP, "due_on": "2026-11-01"}
    )

    assert "The due date cannot be in the past." in response.content.decode()
    assert not Interview.objects.filter(worker=worker).exists()
