"""Rooms, interpreters, interviewers' profiles and the availability page, as staff use them."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews.models import (
    AvailabilityException,
    AvailabilityPattern,
    Interpreter,
    InterviewerProfile,
    Room,
    Slot,
)
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewerProfileFactory,
    RoomFactory,
    at,
)
from tests.interviews.factories_availability import DayOffFactory, PatternFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
ROOM_LIST = reverse("interviews:room-list")
ROOM_CREATE = reverse("interviews:room-create")
INTERPRETER_LIST = reverse("interviews:interpreter-list")
INTERPRETER_CREATE = reverse("interviews:interpreter-create")


@pytest.fixture(autouse=True)
def clock():
    # Monday 2 March 2026, 08:00.
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=BRUSSELS), tick=False) as t:
        yield t


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Rooms ------------------------------------------------------------------------------------


def test_an_officer_reads_the_rooms_but_cannot_add_one(officer, client_for):
    RoomFactory(name="Room 2.14", location="Rue de la Loi 15, second floor")
    RoomFactory(name="Old room", active=False)
    response = client_for(officer).get(ROOM_LIST)
    page = _text(response)
    assert "Room 2.14" in page and "Rue de la Loi 15, second floor" in page
    assert "Not in use" in page
    assert ROOM_CREATE not in page
    assert client_for(officer).get(ROOM_CREATE).status_code == 403


def test_a_supervisor_adds_a_room_and_it_is_audited(supervisor, client_for):
    response = client_for(supervisor).post(
        ROOM_CREATE,
        {
            "name": "Room 3.01",
            "location": "Rue de la Loi 15, third floor",
            "is_private": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    room = Room.objects.get(name="Room 3.01")
    assert (room.is_private, room.active) == (True, True)
    entry = AuditEntry.objects.get(object_type="interviews.room")
    assert (entry.action, entry.actor, entry.object_id) == ("create", supervisor, str(room.pk))


def test_a_room_name_already_taken_is_refused_and_nothing_changes(supervisor, client_for):
    RoomFactory(name="Room 3.01")
    response = client_for(supervisor).post(
        ROOM_CREATE, {"name": "room 3.01", "location": "Elsewhere", "active": "on"}
    )
    assert response.status_code == 200
    assert "Another room already has this name." in _text(response)
    assert Room.objects.count() == 1


def test_an_interviewer_cannot_add_a_room(interviewer, client_for):
    response = client_for(interviewer).post(ROOM_CREATE, {"name": "Mine", "location": "Here"})
    assert response.status_code == 403
    assert not Room.objects.exists()


def test_an_administrator_takes_a_room_out_of_use_instead_of_deleting_it(administrator, client_for):
    room = RoomFactory(name="Room 2.14")
    Slot.objects.create(
        interviewer=UserFactory(),
        room=room,
        starts_at=at(2026, 3, 3, 9),
        ends_at=at(2026, 3, 3, 10),
    )
    url = reverse("interviews:room-edit", args=[room.pk])
    page = _text(client_for(administrator).get(url))
    assert "Edit the room Room 2.14" in page
    response = client_for(administrator).post(
        url, {"name": "Room 2.14", "location": room.location, "is_private": "on"}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.active is False
    assert Slot.objects.get().withdrawn is True
    entry = AuditEntry.objects.get(object_type="interviews.room", action="update")
    assert entry.changed_fields == ["active"]


def test_the_room_list_costs_the_same_whatever_the_number_of_rooms(
    officer, client_for, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(ROOM_LIST)
    RoomFactory.create_batch(2)
    with django_assert_max_num_queries(12):
        client.get(ROOM_LIST)
    RoomFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = client.get(ROOM_LIST)
    assert len(response.context["rooms"]) == 32


# --- Interpreters -----------------------------------------------------------------------------


def interpreter_data(**overrides):
    return {
        "name": "Ana Lopez",
        "mode": Interpreter.Mode.PHONE,
        "languages": "TL, am ,tl",
        "phone": "+32 2 501 81 11",
        "email": "ana@interpreters.example",
        "independent": "on",
        "active": "on",
        **overrides,
    }


def test_a_supervisor_adds_an_interpreter_with_iso_639_languages(supervisor, client_for):
    response = client_for(supervisor).post(INTERPRETER_CREATE, interpreter_data())
    assert response.status_code == 302
    interpreter = Interpreter.objects.get()
    assert interpreter.languages == ["tl", "am"]
    assert interpreter.phone == "+3225018111"
    assert interpreter.independent is True
    entry = AuditEntry.objects.get(object_type="interviews.interpreter")
    assert (entry.action, entry.actor) == ("create", supervisor)
    assert "email" in entry.changed_fields


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"languages": "tl, zz"}, "“zz” is not an ISO 639 language code"),
        ({"languages": "Tagalog"}, "“Tagalog” is not an ISO 639 language code"),
        ({"languages": " , "}, "Give at least one language."),
        ({"phone": ""}, "An interpreter by phone needs a phone number."),
        ({"phone": "12"}, "This phone number is not valid."),
    ],
)
def test_a_bad_interpreter_is_refused_with_a_clear_error(supervisor, client_for, overrides, error):
    response = client_for(supervisor).post(INTERPRETER_CREATE, interpreter_data(**overrides))
    assert response.status_code == 200
    assert error in _text(response)
    assert not Interpreter.objects.exists()
    assert not AuditEntry.objects.filter(object_type="interviews.interpreter").exists()


def test_an_interpreter_linked_to_an_employer_is_marked_never_booked(
    administrator, officer, client_for
):
    interpreter = InterpreterFactory(name="Ben Cruz")
    url = reverse("interviews:interpreter-edit", args=[interpreter.pk])
    response = client_for(administrator).post(
        url, interpreter_data(name="Ben Cruz", mode="in_house", independent="")
    )
    assert response.status_code == 302
    interpreter.refresh_from_db()
    assert interpreter.independent is False
    assert interpreter.pk  # never deleted
    page = _text(client_for(officer).get(INTERPRETER_LIST))
    assert "Linked to an employer or a mission: never booked" in page
    assert url not in page  # officers read only


def test_the_interpreter_list_names_the_languages_at_a_fixed_cost(
    interviewer, client_for, django_assert_max_num_queries
):
    client = client_for(interviewer)
    InterpreterFactory(name="Ana Lopez", languages=["tl", "am"])
    with django_assert_max_num_queries(12):
        page = _text(client.get(INTERPRETER_LIST))
    assert "Tagalog" in page and "Amharic" in page
    InterpreterFactory.create_batch(30)
    with django_assert_max_num_queries(12):
        response = client.get(INTERPRETER_LIST)
    assert len(response.context["interpreters"]) == 31


def test_an_officer_cannot_change_an_interpreter(officer, client_for):
    interpreter = InterpreterFactory(name="Ana Lopez")
    url = reverse("interviews:interpreter-edit", args=[interpreter.pk])
    assert client_for(officer).post(url, interpreter_data(name="Changed")).status_code == 403
    interpreter.refresh_from_db()
    assert interpreter.name == "Ana Lopez"


# --- The interviewer's profile ----------------------------------------------------------------


def _profile_url(user) -> str:
    return reverse("interviews:profile-edit", args=[user.pk])


def test_an_interviewer_records_their_languages_and_usual_room(interviewer, client_for):
    room = RoomFactory(name="Room 2.14")
    response = client_for(interviewer).post(
        _profile_url(interviewer), {"languages": "fr, EN, tl", "default_room": room.pk}
    )
    assert response.status_code == 302
    profile = InterviewerProfile.objects.get(user=interviewer)
    assert (profile.languages, profile.default_room) == (["fr", "en", "tl"], room)
    entry = AuditEntry.objects.get(object_type="interviews.interviewerprofile")
    assert (entry.action, entry.actor) == ("create", interviewer)


def test_a_bad_language_code_changes_nothing(interviewer, client_for):
    InterviewerProfileFactory(user=interviewer, languages=["fr"])
    response = client_for(interviewer).post(_profile_url(interviewer), {"languages": "fr, xyz1"})
    assert response.status_code == 200
    assert "is not an ISO 639 language code" in _text(response)
    assert InterviewerProfile.objects.get(user=interviewer).languages == ["fr"]


def test_an_interviewer_cannot_open_a_colleagues_profile(interviewer, client_for):
    colleague = UserFactory(username="colleague", role=Role.INTERVIEWER)
    response = client_for(interviewer).post(_profile_url(colleague), {"languages": "fr"})
    assert response.status_code == 403
    assert not InterviewerProfile.objects.exists()


def test_an_officer_has_no_interviewer_profile(officer, client_for):
    assert client_for(officer).get(_profile_url(officer)).status_code == 403


def test_a_supervisor_edits_any_interviewers_profile(supervisor, interviewer, client_for):
    response = client_for(supervisor).post(_profile_url(interviewer), {"languages": "am"})
    assert response.status_code == 302
    assert InterviewerProfile.objects.get(user=interviewer).languages == ["am"]


def test_a_supervisor_cannot_make_an_officer_an_interviewer(supervisor, officer, client_for):
    assert client_for(supervisor).get(_profile_url(officer)).status_code == 403


def test_only_the_interviewer_sees_their_feed_address(supervisor, interviewer, client_for):
    profile = InterviewerProfileFactory(user=interviewer)
    assert profile.calendar_token in _text(client_for(interviewer).get(_profile_url(interviewer)))
    assert profile.calendar_token not in _text(
        client_for(supervisor).get(_profile_url(interviewer))
    )


def test_resetting_the_feed_address_stops_the_old_one(interviewer, client, client_for):
    profile = InterviewerProfileFactory(user=interviewer)
    old = reverse("interviews:calendar-feed", args=[profile.calendar_token])
    assert client.get(old).status_code == 200
    response = client_for(interviewer).post(_profile_url(interviewer), {"reset_token": "1"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert client.get(old).status_code == 404
    assert (
        client.get(reverse("interviews:calendar-feed", args=[profile.calendar_token])).status_code
        == 200
    )
    entry = AuditEntry.objects.get(object_type="interviews.interviewerprofile")
    assert entry.changed_fields == ["calendar_token"]


# --- The availability page --------------------------------------------------------------------


def _availability(user) -> str:
    return reverse("interviews:availability", args=[user.pk])


def pattern_data(room, **overrides):
    return {
        "action": "pattern-add",
        "pattern-weekday": "0",
        "pattern-start_time": "09:00",
        "pattern-end_time": "12:00",
        "pattern-room": room.pk,
        "pattern-valid_from": "2026-03-02",
        "pattern-valid_until": "",
        **overrides,
    }


def test_the_page_shows_the_weekly_periods_days_off_and_slots(interviewer, client_for):
    InterviewerProfileFactory(user=interviewer, languages=["fr", "tl"])
    pattern = PatternFactory(interviewer=interviewer, room=RoomFactory(name="Room 2.14"))
    DayOffFactory(date=dt.date(2026, 3, 16), reason="National day")
    DayOffFactory(date=dt.date(2026, 3, 23), interviewer=UserFactory(), reason="Someone else")
    Slot.objects.create(
        interviewer=interviewer,
        room=pattern.room,
        starts_at=at(2026, 3, 9, 9),
        ends_at=at(2026, 3, 9, 9, 45),
    )
    page = _text(client_for(interviewer).get(_availability(interviewer)))
    assert "Monday" in page and "09:00–12:00" in page and "Room 2.14" in page
    assert "National day" in page and "Public holiday" in page
    assert "Someone else" not in page
    assert "2026-03-09" in page and "Free" in page
    assert "fr, tl" in page


def test_an_interviewer_adds_a_weekly_period(interviewer, client_for):
    room = RoomFactory()
    response = client_for(interviewer).post(
        _availability(interviewer), pattern_data(room), follow=True
    )
    pattern = AvailabilityPattern.objects.get()
    assert (pattern.interviewer, pattern.room, pattern.start_time) == (
        interviewer,
        room,
        dt.time(9),
    )
    assert "The weekly availability was added. Publish it to offer slots." in _messages(response)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"pattern-end_time": "08:00"}, "The period must end after it starts."),
        ({"pattern-valid_from": "2026-03-01"}, "The first day cannot be in the past."),
        ({"pattern-start_time": "nine"}, "Enter a valid time."),
    ],
)
def test_a_weekly_period_that_makes_no_sense_changes_nothing(
    interviewer, client_for, overrides, error
):
    room = RoomFactory()
    response = client_for(interviewer).post(
        _availability(interviewer), pattern_data(room, **overrides)
    )
    assert response.status_code == 200
    assert error in _text(response)
    assert not AvailabilityPattern.objects.exists()


def test_a_room_a_colleague_holds_at_that_time_is_refused(interviewer, client_for):
    taken = PatternFactory()
    response = client_for(interviewer).post(
        _availability(interviewer), pattern_data(taken.room, **{"pattern-start_time": "11:00"})
    )
    assert "is already used by another interviewer at this time" in _text(response)
    assert AvailabilityPattern.objects.count() == 1


def test_publishing_from_the_page_offers_the_slots(interviewer, client_for):
    PatternFactory(interviewer=interviewer)
    client = client_for(interviewer)
    response = client.post(
        _availability(interviewer), {"action": "publish", "publish-weeks": "2"}, follow=True
    )
    assert "8 new slots were published." in _messages(response)
    assert Slot.objects.filter(interviewer=interviewer).count() == 8
    response = client.post(
        _availability(interviewer), {"action": "publish", "publish-weeks": "2"}, follow=True
    )
    assert "0 new slots were published." in _messages(response)


def test_publishing_too_far_ahead_is_refused(interviewer, client_for):
    PatternFactory(interviewer=interviewer)
    response = client_for(interviewer).post(
        _availability(interviewer), {"action": "publish", "publish-weeks": "60"}
    )
    assert "Ensure this value is less than or equal to 26." in _text(response)
    assert not Slot.objects.exists()


def test_leave_withdraws_free_slots_and_lists_the_booked_one_to_move(interviewer, client_for):
    pattern = PatternFactory(interviewer=interviewer)
    client = client_for(interviewer)
    client.post(_availability(interviewer), {"action": "publish", "publish-weeks": "2"})
    booked = BookedInterviewFactory(slot=Slot.objects.get(starts_at=at(2026, 3, 9, 9, 45)))
    response = client.post(
        _availability(interviewer),
        {
            "action": "dayoff-add",
            "dayoff-kind": "leave",
            "dayoff-date": "2026-03-09",
            "dayoff-reason": "Annual leave",
        },
        follow=True,
    )
    assert AvailabilityException.objects.get().interviewer == interviewer
    messages = _messages(response)
    assert "3 free slots were withdrawn." in messages
    assert any("1 booked appointment must be moved" in m for m in messages)
    page = _text(response)
    assert "Appointments to move" in page
    assert reverse("interviews:interview-detail", args=[booked.pk]) in page
    assert pattern.room.name in page


def test_an_interviewer_cannot_declare_a_public_holiday(interviewer, client_for):
    response = client_for(interviewer).post(
        _availability(interviewer),
        {
            "action": "dayoff-add",
            "dayoff-kind": "everyone",
            "dayoff-date": "2026-03-09",
            "dayoff-reason": "Holiday",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice." in _text(response)
    assert not AvailabilityException.objects.exists()


def test_a_supervisor_declares_a_public_holiday_and_a_room_out_of_use(
    supervisor, interviewer, client_for
):
    room = RoomFactory()
    client = client_for(supervisor)
    client.post(
        _availability(interviewer),
        {
            "action": "dayoff-add",
            "dayoff-kind": "everyone",
            "dayoff-date": "2026-04-06",
            "dayoff-reason": "Easter Monday",
        },
    )
    client.post(
        _availability(interviewer),
        {
            "action": "dayoff-add",
            "dayoff-kind": "room",
            "dayoff-room": room.pk,
            "dayoff-date": "2026-03-10",
            "dayoff-reason": "Painting",
        },
    )
    holiday = AvailabilityException.objects.get(reason="Easter Monday")
    out_of_use = AvailabilityException.objects.get(reason="Painting")
    assert (holiday.interviewer, holiday.room) == (None, None)
    assert (out_of_use.interviewer, out_of_use.room) == (None, room)


def test_a_day_off_in_the_past_changes_nothing(interviewer, client_for):
    response = client_for(interviewer).post(
        _availability(interviewer),
        {
            "action": "dayoff-add",
            "dayoff-kind": "leave",
            "dayoff-date": "2026-02-27",
            "dayoff-reason": "Late",
        },
    )
    assert "This day has already passed." in _text(response)
    assert not AvailabilityException.objects.exists()


def test_an_interviewer_removes_their_own_leave_but_not_a_public_holiday(interviewer, client_for):
    leave = DayOffFactory(interviewer=interviewer, reason="Leave")
    holiday = DayOffFactory(reason="National day")
    client = client_for(interviewer)
    response = client.post(
        _availability(interviewer), {"action": "dayoff-remove", "day_off": holiday.pk}
    )
    assert response.status_code == 403
    response = client.post(
        _availability(interviewer), {"action": "dayoff-remove", "day_off": leave.pk}
    )
    assert response.status_code == 302
    assert list(AvailabilityException.objects.all()) == [holiday]
    assert AuditEntry.objects.filter(action="delete", object_id=str(leave.pk)).exists()


def test_ending_a_weekly_period_from_the_page(interviewer, client_for):
    pattern = PatternFactory(interviewer=interviewer, valid_from=dt.date(2026, 2, 2))
    response = client_for(interviewer).post(
        _availability(interviewer),
        {"action": "pattern-end", "end-pattern": pattern.pk, "end-first_day_without": "2026-03-16"},
        follow=True,
    )
    assert "The weekly availability was ended." in _messages(response)
    pattern.refresh_from_db()
    assert pattern.valid_until == dt.date(2026, 3, 15)


def test_an_interviewer_cannot_end_a_colleagues_weekly_period(interviewer, client_for):
    pattern = PatternFactory()
    response = client_for(interviewer).post(
        _availability(interviewer),
        {"action": "pattern-end", "end-pattern": pattern.pk, "end-first_day_without": "2026-03-16"},
    )
    assert response.status_code == 404
    pattern.refresh_from_db()
    assert pattern.valid_until is None


def test_an_unknown_action_changes_nothing(interviewer, client_for):
    response = client_for(interviewer).post(_availability(interviewer), {"action": "delete-all"})
    assert "Choose what to do." in _messages(response)


def test_an_interviewer_cannot_open_a_colleagues_availability(interviewer, client_for):
    colleague = UserFactory(username="colleague", role=Role.INTERVIEWER)
    room = RoomFactory()
    response = client_for(interviewer).post(_availability(colleague), pattern_data(room))
    assert response.status_code == 403
    assert not AvailabilityPattern.objects.exists()


def test_a_supervisor_manages_any_interviewers_availability(supervisor, interviewer, client_for):
    room = RoomFactory()
    response = client_for(supervisor).post(_availability(interviewer), pattern_data(room))
    assert response.status_code == 302
    assert AvailabilityPattern.objects.get().interviewer == interviewer


def test_the_availability_page_costs_the_same_whatever_the_number_of_slots(
    interviewer, client_for, django_assert_max_num_queries
):
    client = client_for(interviewer)
    room = RoomFactory()
    PatternFactory(interviewer=interviewer, room=room)
    client.post(_availability(interviewer), {"action": "publish", "publish-weeks": "1"})
    BookedInterviewFactory(slot=Slot.objects.filter(interviewer=interviewer).first())
    with django_assert_max_num_queries(25) as small:
        client.get(_availability(interviewer))
    small_count = len(small)  # read now: the next request clears the connection's query log
    for weekday in range(1, 5):
        PatternFactory(interviewer=interviewer, room=room, weekday=weekday)
    client.post(_availability(interviewer), {"action": "publish", "publish-weeks": "4"})
    for slot in Slot.objects.filter(interviewer=interviewer)[5:10]:
        BookedInterviewFactory(slot=slot)
    DayOffFactory.create_batch(3)
    with django_assert_max_num_queries(small_count):
        response = client.get(_availability(interviewer))
    assert len(response.context["overview"].slots) > 60
