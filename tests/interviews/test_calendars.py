"""Calendars per interviewer and per room, and the interviewer's iCalendar feed."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from interviews.models import Interview, Slot
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterpreterFactory,
    InterviewerProfileFactory,
    RoomFactory,
    SlotFactory,
    at,
)
from tests.interviews.factories_availability import DayOffFactory
from tests.registry.factories_workers import PhoneFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def clock():
    # Wednesday 4 March 2026, 08:00: the week runs from Monday 2 to Sunday 8 March.
    with time_machine.travel(dt.datetime(2026, 3, 4, 8, 0, tzinfo=BRUSSELS), tick=False) as t:
        yield t


def _slot(interviewer, room, day, hour, minute=0) -> Slot:
    starts_at = at(2026, 3, day, hour, minute)
    return SlotFactory(
        interviewer=interviewer,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=45),
    )


def _calendar(user) -> str:
    return reverse("interviews:calendar-interviewer", args=[user.pk])


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def week(interviewer):
    """The interviewer's week: a free slot on Monday, a booked one with an interpreter on
    Thursday, a withdrawn one on Friday, and a colleague's booked slot in the same room."""
    room = RoomFactory(name="Room 2.14", location="Rue de la Loi 15, Room 2.14")
    free = _slot(interviewer, room, 2, 9)
    booked = BookedInterviewFactory(
        slot=_slot(interviewer, room, 5, 10, 30),
        worker__family_name="Dela Cruz",
        worker__given_names="Rosario",
        language="tl",
        interpreter=InterpreterFactory(name="Ana Lopez", mode="phone"),
    )
    withdrawn = _slot(interviewer, room, 6, 9)
    Slot.objects.filter(pk=withdrawn.pk).update(withdrawn=True)
    colleague = UserFactory(
        username="colleague", first_name="Sam", last_name="Other", role=Role.INTERVIEWER
    )
    theirs = BookedInterviewFactory(
        slot=_slot(colleague, room, 3, 14),
        worker__family_name="Mengistu",
        worker__given_names="Hana",
    )
    return {"room": room, "free": free, "booked": booked, "withdrawn": withdrawn, "theirs": theirs}


def test_an_officer_sees_an_interviewers_week_with_free_and_booked_slots(
    officer, interviewer, week, client_for
):
    response = client_for(officer).get(_calendar(interviewer))
    page = _text(response)
    assert "Week from 2026-03-02 to 2026-03-08" in page
    assert "09:00–09:45" in page and "Free" in page
    assert "10:30–11:15" in page and "Booked" in page
    assert "Dela Cruz, Rosario" in page
    assert "Tagalog" in page
    assert "Ana Lopez (By phone)" in page
    assert reverse("interviews:interview-detail", args=[week["booked"].pk]) in page
    assert "Mengistu" not in page  # another interviewer's calendar
    assert response.context["free_count"] == 1 and response.context["booked_count"] == 1
    # The withdrawn slot is not offered.
    assert f'data-slot="{week["withdrawn"].pk}"' not in page


def test_the_week_is_a_grid_on_wide_screens_and_a_list_on_phones(
    officer, interviewer, week, client_for
):
    page = _text(client_for(officer).get(_calendar(interviewer)))
    assert 'class="table-responsive d-none d-md-block" id="calendar-grid"' in page
    assert 'class="d-md-none" id="calendar-list"' in page
    # Each slot appears once in the grid and once in the list.
    assert page.count(f'data-slot="{week["free"].pk}"') == 2


def test_a_booked_slot_later_withdrawn_still_shows(officer, interviewer, week, client_for):
    Slot.objects.filter(pk=week["booked"].slot_id).update(withdrawn=True)
    page = _text(client_for(officer).get(_calendar(interviewer)))
    assert "Dela Cruz, Rosario" in page


def test_the_day_view_shows_one_day_with_links_to_the_days_around(
    officer, interviewer, week, client_for
):
    url = _calendar(interviewer)
    response = client_for(officer).get(url, {"view": "day", "date": "2026-03-05"})
    page = _text(response)
    assert "Dela Cruz, Rosario" in page
    assert "09:00–09:45" not in page  # Monday's free slot
    assert 'id="calendar-grid"' not in page
    assert response.context["previous_url"] == f"{url}?view=day&date=2026-03-04"
    assert response.context["next_url"] == f"{url}?view=day&date=2026-03-06"
    assert response.context["today_url"] == f"{url}?view=day&date=2026-03-04"
    assert response.context["week_url"] == f"{url}?view=week&date=2026-03-05"


def test_the_week_links_move_by_a_week(officer, interviewer, client_for):
    url = _calendar(interviewer)
    response = client_for(officer).get(url, {"date": "2026-03-12"})
    assert (response.context["first"], response.context["last"]) == (
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 15),
    )
    assert response.context["previous_url"] == f"{url}?view=week&date=2026-03-05"
    assert response.context["next_url"] == f"{url}?view=week&date=2026-03-19"


def test_a_bad_date_or_view_falls_back_to_this_week(officer, interviewer, client_for):
    response = client_for(officer).get(_calendar(interviewer), {"view": "year", "date": "soon"})
    assert response.status_code == 200
    assert (response.context["view"], response.context["first"]) == ("week", dt.date(2026, 3, 2))


def test_days_without_interviews_are_shown(officer, interviewer, week, client_for):
    DayOffFactory(date=dt.date(2026, 3, 6), reason="National day")
    DayOffFactory(date=dt.date(2026, 3, 3), interviewer=interviewer, reason="Training")
    DayOffFactory(
        date=dt.date(2026, 3, 4), interviewer=UserFactory(), reason="Someone else's leave"
    )
    page = _text(client_for(officer).get(_calendar(interviewer)))
    assert "National day" in page and "Training" in page
    assert "Someone else" not in page


def test_an_interviewer_sees_their_own_calendar_with_names(interviewer, week, client_for):
    page = _text(client_for(interviewer).get(_calendar(interviewer)))
    assert "Dela Cruz, Rosario" in page


def test_an_interviewer_cannot_open_a_colleagues_calendar(interviewer, week, client_for):
    colleague = week["theirs"].interviewer
    assert client_for(interviewer).get(_calendar(colleague)).status_code == 403


def test_a_room_calendar_hides_other_interviewers_workers_from_an_interviewer(
    interviewer, week, client_for
):
    page = _text(
        client_for(interviewer).get(reverse("interviews:calendar-room", args=[week["room"].pk]))
    )
    assert "Calendar of the room Room 2.14" in page
    assert "Dela Cruz, Rosario" in page  # their own appointment
    assert "Mengistu" not in page
    assert "Another interviewer's appointment" in page
    assert reverse("interviews:interview-detail", args=[week["theirs"].pk]) not in page
    assert "Sam Other" in page  # whose slot it is


def test_a_supervisor_sees_every_name_in_a_room_calendar(supervisor, week, client_for):
    page = _text(
        client_for(supervisor).get(reverse("interviews:calendar-room", args=[week["room"].pk]))
    )
    assert "Dela Cruz, Rosario" in page and "Mengistu, Hana" in page


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_administrators_and_auditors_see_no_calendar(
    make_staff, interviewer, week, client_for, role
):
    client = client_for(make_staff(role))
    assert client.get(_calendar(interviewer)).status_code == 403
    assert (
        client.get(reverse("interviews:calendar-room", args=[week["room"].pk])).status_code == 403
    )


def test_a_calendar_for_nobody_is_404(officer, client_for):
    assert (
        client_for(officer)
        .get(reverse("interviews:calendar-interviewer", args=[999999]))
        .status_code
        == 404
    )


def _fill(interviewer, room, count, day):
    for n in range(count):
        slot = SlotFactory(
            interviewer=interviewer,
            room=room,
            starts_at=at(2026, 3, day, 8) + dt.timedelta(minutes=45 * n),
            ends_at=at(2026, 3, day, 8) + dt.timedelta(minutes=45 * (n + 1)),
        )
        if n % 2:
            BookedInterviewFactory(slot=slot, interpreter=InterpreterFactory())


@pytest.mark.parametrize("kind", ["interviewer", "room"])
def test_a_calendar_costs_the_same_whatever_the_number_of_slots(
    officer, interviewer, client_for, django_assert_max_num_queries, kind
):
    room = RoomFactory()
    url = (
        _calendar(interviewer)
        if kind == "interviewer"
        else reverse("interviews:calendar-room", args=[room.pk])
    )
    client = client_for(officer)
    _fill(interviewer, room, 2, 2)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    small_count = len(small)  # read now: the next request clears the connection's query log
    for day in (3, 4, 5, 6):
        _fill(interviewer, room, 12, day)
    with django_assert_max_num_queries(small_count):
        response = client.get(url)
    assert response.context["booked_count"] == 1 + 4 * 6


# --- The iCalendar feed -----------------------------------------------------------------------


def _feed(client, profile):
    return client.get(reverse("interviews:calendar-feed", args=[profile.calendar_token]))


def _events(response) -> list:
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_feed_lists_the_interviewers_appointments_without_anything_personal(
    client, interviewer, week, clock
):
    profile = InterviewerProfileFactory(user=interviewer)
    booked = week["booked"]
    PhoneFactory(worker=booked.worker, number="+32470123456")
    response = _feed(client, profile)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == f"Hestia interview #{booked.pk}"
    assert str(event["location"]) == "Rue de la Loi 15, Room 2.14"
    assert "tl" in str(event["description"]) and "By phone" in str(event["description"])
    assert event.decoded("dtstart") == booked.starts_at
    body = response.content.decode()
    worker = booked.worker
    for personal in (
        worker.family_name,
        worker.given_names,
        "Rosario",
        "470123456",
        "Ana Lopez",
        "Mengistu",
    ):
        assert personal not in body
    # The same interview keeps the same UID from one fetch to the next.
    clock.shift(dt.timedelta(hours=2))
    assert str(_events(_feed(client, profile))[0]["uid"]) == str(event["uid"])


def test_the_feed_keeps_30_days_of_past_appointments_and_leaves_out_cancelled_ones(
    client, interviewer
):
    profile = InterviewerProfileFactory(user=interviewer)
    room = RoomFactory()
    recent = BookedInterviewFactory(
        slot=SlotFactory(
            interviewer=interviewer,
            room=room,
            starts_at=at(2026, 2, 10, 9),
            ends_at=at(2026, 2, 10, 10),
        ),
        status=Interview.Status.HELD,
    )
    BookedInterviewFactory(
        slot=SlotFactory(
            interviewer=interviewer,
            room=room,
            starts_at=at(2026, 1, 20, 9),
            ends_at=at(2026, 1, 20, 10),
        ),
        status=Interview.Status.HELD,
    )
    BookedInterviewFactory(
        slot=SlotFactory(
            interviewer=interviewer,
            room=room,
            starts_at=at(2026, 3, 20, 9),
            ends_at=at(2026, 3, 20, 10),
        ),
        status=Interview.Status.CANCELLED,
    )
    coming = BookedInterviewFactory(
        slot=SlotFactory(
            interviewer=interviewer,
            room=room,
            starts_at=at(2026, 4, 20, 9),
            ends_at=at(2026, 4, 20, 10),
        ),
        status=Interview.Status.CONFIRMED,
    )
    summaries = [str(e["summary"]) for e in _events(_feed(client, profile))]
    assert summaries == [f"Hestia interview #{recent.pk}", f"Hestia interview #{coming.pk}"]


def test_a_wrong_token_is_404(client, interviewer):
    InterviewerProfileFactory(user=interviewer)
    assert (
        client.get(reverse("interviews:calendar-feed", args=["not-the-token"])).status_code == 404
    )


def test_the_feed_of_a_deactivated_interviewer_is_404(client):
    profile = InterviewerProfileFactory(user=UserFactory(is_active=False))
    assert _feed(client, profile).status_code == 404
