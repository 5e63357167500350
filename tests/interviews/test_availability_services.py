"""Publishing slots from weekly availability, days without interviews, and what they withdraw."""

import datetime as dt
import itertools
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEntry
from interviews import availability
from interviews.availability import (
    day_off_add,
    day_off_remove,
    pattern_add,
    pattern_end,
    room_save,
    slots_publish,
    slots_publish_ahead,
)
from interviews.models import AvailabilityPattern, Interview, Slot
from interviews.services import policy_current
from tests.factories import UserFactory
from tests.interviews.factories import (
    BookedInterviewFactory,
    InterviewerProfileFactory,
    RoomFactory,
    at,
)
from tests.interviews.factories_availability import DayOffFactory, PatternFactory

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY = dt.date(2026, 3, 2)
NEXT_MONDAY = dt.date(2026, 3, 9)
WEDNESDAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def clock():
    # Monday 2 March 2026, 08:00 in the host state: before the first interview of the day.
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=BRUSSELS), tick=False) as t:
        yield t


def _times(interviewer, day=None) -> list[str]:
    slots = Slot.objects.filter(interviewer=interviewer, withdrawn=False).order_by("starts_at")
    return [
        timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M")
        for s in slots
        if day is None or timezone.localtime(s.starts_at).date() == day
    ]


def _publish(interviewer, start=MONDAY, end=dt.date(2026, 3, 15)) -> int:
    return slots_publish(interviewer=interviewer, start=start, end=end)


def _no_overlap(slots) -> bool:
    slots = sorted(slots, key=lambda s: s.starts_at)
    return all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(slots))


# --- Cutting periods into slots ---------------------------------------------------------------


def test_each_weekly_period_is_cut_into_slots_of_the_policy_length():
    pattern = PatternFactory()
    assert _publish(pattern.interviewer) == 8
    assert _times(pattern.interviewer) == [
        "2026-03-02 09:00",
        "2026-03-02 09:45",
        "2026-03-02 10:30",
        "2026-03-02 11:15",
        "2026-03-09 09:00",
        "2026-03-09 09:45",
        "2026-03-09 10:30",
        "2026-03-09 11:15",
    ]
    slot = Slot.objects.filter(interviewer=pattern.interviewer).first()
    assert slot.room == pattern.room
    assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=45)


def test_the_slot_length_follows_the_interview_policy():
    policy = policy_current()
    policy.slot_minutes = 60
    policy.save()
    pattern = PatternFactory()
    assert _publish(pattern.interviewer, end=MONDAY) == 3
    assert _times(pattern.interviewer) == [
        "2026-03-02 09:00",
        "2026-03-02 10:00",
        "2026-03-02 11:00",
    ]


def test_publishing_twice_creates_nothing_new():
    pattern = PatternFactory()
    assert _publish(pattern.interviewer) == 8
    assert _publish(pattern.interviewer) == 0
    assert Slot.objects.count() == 8


def test_a_longer_window_adds_only_the_new_weeks():
    pattern = PatternFactory()
    _publish(pattern.interviewer, end=dt.date(2026, 3, 8))
    assert _publish(pattern.interviewer, end=dt.date(2026, 3, 22)) == 8
    assert Slot.objects.count() == 12


def test_times_already_past_are_not_published(clock):
    clock.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS))
    pattern = PatternFactory(valid_from=dt.date(2026, 2, 1))
    _publish(pattern.interviewer, start=dt.date(2026, 2, 23), end=MONDAY)
    assert _times(pattern.interviewer) == ["2026-03-02 10:30", "2026-03-02 11:15"]


def test_the_validity_period_of_a_weekly_period_is_respected():
    pattern = PatternFactory(valid_from=NEXT_MONDAY, valid_until=dt.date(2026, 3, 16))
    _publish(pattern.interviewer, end=dt.date(2026, 3, 29))
    days = {timezone.localtime(s.starts_at).date() for s in Slot.objects.all()}
    assert days == {NEXT_MONDAY, dt.date(2026, 3, 16)}


def test_an_empty_or_reversed_window_publishes_nothing():
    pattern = PatternFactory()
    assert _publish(pattern.interviewer, start=NEXT_MONDAY, end=MONDAY) == 0
    assert Slot.objects.count() == 0


def test_an_interviewer_without_weekly_availability_gets_no_slots():
    assert _publish(UserFactory()) == 0


def test_a_room_not_in_use_gets_no_slots():
    pattern = PatternFactory(room=RoomFactory(active=False))
    assert _publish(pattern.interviewer) == 0


def test_an_inactive_interviewer_gets_no_slots():
    pattern = PatternFactory(interviewer=UserFactory(is_active=False))
    assert _publish(pattern.interviewer) == 0


# --- Days without interviews ------------------------------------------------------------------


def test_a_public_holiday_has_no_slots_for_anyone():
    first = PatternFactory()
    second = PatternFactory()
    DayOffFactory(date=MONDAY)
    _publish(first.interviewer)
    _publish(second.interviewer)
    assert _times(first.interviewer, MONDAY) == []
    assert _times(second.interviewer, MONDAY) == []
    assert len(_times(first.interviewer, NEXT_MONDAY)) == 4


def test_an_interviewers_leave_removes_only_their_slots():
    mine = PatternFactory()
    colleague = PatternFactory()
    DayOffFactory(date=MONDAY, interviewer=mine.interviewer, reason="Annual leave")
    _publish(mine.interviewer)
    _publish(colleague.interviewer)
    assert _times(mine.interviewer, MONDAY) == []
    assert len(_times(mine.interviewer, NEXT_MONDAY)) == 4
    assert len(_times(colleague.interviewer, MONDAY)) == 4


def test_a_room_out_of_use_has_no_slots_that_day():
    in_room = PatternFactory()
    elsewhere = PatternFactory()
    DayOffFactory(date=NEXT_MONDAY, room=in_room.room, reason="Painting")
    _publish(in_room.interviewer)
    _publish(elsewhere.interviewer)
    assert _times(in_room.interviewer, NEXT_MONDAY) == []
    assert len(_times(in_room.interviewer, MONDAY)) == 4
    assert len(_times(elsewhere.interviewer, NEXT_MONDAY)) == 4


# --- Never two slots at once --------------------------------------------------------------------


def test_an_interviewer_never_gets_two_overlapping_slots_in_two_rooms():
    first = PatternFactory()
    # An older overlapping period in another room, entered before the checks existed.
    PatternFactory(
        interviewer=first.interviewer, start_time=dt.time(9, 30), end_time=dt.time(12, 30)
    )
    _publish(first.interviewer, end=MONDAY)
    slots = list(Slot.objects.filter(interviewer=first.interviewer))
    assert _no_overlap(slots)
    assert len(slots) == 4


def test_a_room_is_never_given_to_two_interviewers_at_once():
    room = RoomFactory()
    first = PatternFactory(room=room)
    second = PatternFactory(room=room, start_time=dt.time(9, 30), end_time=dt.time(12, 30))
    _publish(first.interviewer, end=MONDAY)
    assert _publish(second.interviewer, end=MONDAY) == 0
    assert _no_overlap(Slot.objects.filter(room=room))


def test_a_slot_made_by_hand_is_respected():
    pattern = PatternFactory()
    Slot.objects.create(
        interviewer=UserFactory(),
        room=pattern.room,
        starts_at=at(2026, 3, 2, 10, 0),
        ends_at=at(2026, 3, 2, 10, 45),
    )
    _publish(pattern.interviewer, end=MONDAY)
    assert _times(pattern.interviewer) == ["2026-03-02 09:00", "2026-03-02 11:15"]
    assert _no_overlap(Slot.objects.filter(room=pattern.room))


# --- Withdrawing ------------------------------------------------------------------------------


def _book(slot) -> Interview:
    return BookedInterviewFactory(slot=slot)


def test_a_day_off_withdraws_the_free_slots_and_leaves_the_booked_one_to_move():
    pattern = PatternFactory()
    _publish(pattern.interviewer)
    booked = _book(Slot.objects.get(starts_at=at(2026, 3, 9, 9, 45)))
    day_off, result = day_off_add(
        date=NEXT_MONDAY,
        reason="Annual leave",
        interviewer=pattern.interviewer,
        by=pattern.interviewer,
    )
    assert (result.withdrawn, result.to_move) == (3, 1)
    assert _times(pattern.interviewer, NEXT_MONDAY) == ["2026-03-09 09:45"]
    assert Slot.objects.filter(withdrawn=True).count() == 3
    assert len(_times(pattern.interviewer, MONDAY)) == 4
    assert availability.availability_overview(pattern.interviewer).to_move == [booked]
    entry = AuditEntry.objects.get(object_type="interviews.availabilityexception")
    assert (entry.action, entry.object_id) == ("create", str(day_off.pk))


def test_a_public_holiday_withdraws_every_interviewers_free_slots_that_day():
    first, second = PatternFactory(), PatternFactory()
    _publish(first.interviewer)
    _publish(second.interviewer)
    _day_off, result = day_off_add(date=NEXT_MONDAY, reason="National day", by=None)
    assert result.withdrawn == 8
    assert _times(first.interviewer, NEXT_MONDAY) == _times(second.interviewer, NEXT_MONDAY) == []


def test_a_day_off_in_the_past_or_without_reason_is_refused_and_changes_nothing():
    pattern = PatternFactory()
    with pytest.raises(ValidationError) as error:
        day_off_add(date=dt.date(2026, 3, 1), reason="", interviewer=pattern.interviewer, by=None)
    assert set(error.value.message_dict) == {"date", "reason"}
    assert not availability.AvailabilityException.objects.exists()


def test_removing_a_day_off_and_publishing_again_offers_its_times_again():
    pattern = PatternFactory()
    _publish(pattern.interviewer)
    day_off, _result = day_off_add(
        date=NEXT_MONDAY, reason="Training", interviewer=pattern.interviewer, by=None
    )
    assert _times(pattern.interviewer, NEXT_MONDAY) == []
    day_off_remove(day_off=day_off, by=None)
    assert _publish(pattern.interviewer) == 4
    assert len(_times(pattern.interviewer, NEXT_MONDAY)) == 4
    assert Slot.objects.count() == 8  # the same slots, offered again
    assert _publish(pattern.interviewer) == 0


def test_a_withdrawn_slot_nobody_booked_does_not_block_the_room_for_a_colleague():
    room = RoomFactory()
    leaving = PatternFactory(room=room)
    _publish(leaving.interviewer, end=MONDAY)
    pattern_end(pattern=leaving, first_day_without=MONDAY, by=None)
    assert Slot.objects.filter(withdrawn=True).count() == 4
    colleague = PatternFactory(room=room)
    assert _publish(colleague.interviewer, end=MONDAY) == 4
    assert Slot.objects.filter(room=room).count() == 4
    assert not Slot.objects.filter(interviewer=leaving.interviewer).exists()


def test_a_withdrawn_slot_with_an_interview_history_is_kept_and_that_time_skipped():
    room = RoomFactory()
    leaving = PatternFactory(room=room)
    _publish(leaving.interviewer, end=MONDAY)
    first = Slot.objects.get(starts_at=at(2026, 3, 2, 9, 0))
    BookedInterviewFactory(slot=first, status=Interview.Status.CANCELLED)
    pattern_end(pattern=leaving, first_day_without=MONDAY, by=None)
    colleague = PatternFactory(room=room)
    assert _publish(colleague.interviewer, end=MONDAY) == 3
    first.refresh_from_db()
    assert (first.interviewer, first.withdrawn) == (leaving.interviewer, True)


def test_ending_a_weekly_period_withdraws_only_the_slots_it_no_longer_covers():
    monday = PatternFactory()
    PatternFactory(
        interviewer=monday.interviewer,
        room=monday.room,
        weekday=AvailabilityPattern.Weekday.WEDNESDAY,
    )
    _publish(monday.interviewer)
    booked = _book(Slot.objects.get(starts_at=at(2026, 3, 9, 11, 15)))
    result = pattern_end(pattern=monday, first_day_without=NEXT_MONDAY, by=monday.interviewer)
    assert (result.withdrawn, result.to_move) == (3, 1)
    monday.refresh_from_db()
    assert monday.valid_until == dt.date(2026, 3, 8)
    assert len(_times(monday.interviewer, MONDAY)) == 4
    assert len(_times(monday.interviewer, WEDNESDAY)) == 4
    assert _times(monday.interviewer, NEXT_MONDAY) == ["2026-03-09 11:15"]
    assert availability.availability_overview(monday.interviewer).to_move == [booked]
    # Publishing again does not bring the ended Mondays back.
    assert _publish(monday.interviewer) == 0


def test_ending_a_period_that_has_not_started_removes_it():
    pattern = PatternFactory(valid_from=NEXT_MONDAY)
    pattern_end(pattern=pattern, first_day_without=MONDAY, by=None)
    assert not AvailabilityPattern.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pattern.pk)).exists()


def test_taking_a_room_out_of_use_withdraws_its_free_slots():
    pattern = PatternFactory()
    _publish(pattern.interviewer)
    booked = _book(Slot.objects.get(starts_at=at(2026, 3, 2, 9, 0)))
    room_save(by=None, room=pattern.room, active=False)
    assert _times(pattern.interviewer) == ["2026-03-02 09:00"]
    assert availability.availability_overview(pattern.interviewer).to_move == [booked]


def test_a_booked_appointment_outside_any_availability_is_listed_to_move():
    pattern = PatternFactory()
    _publish(pattern.interviewer)
    covered = _book(Slot.objects.get(starts_at=at(2026, 3, 2, 9, 0)))
    AvailabilityPattern.objects.filter(pk=pattern.pk).update(start_time=dt.time(10, 0))
    overview = availability.availability_overview(pattern.interviewer)
    assert overview.to_move == [covered]


# --- Weekly periods: what is refused ----------------------------------------------------------


def _add(interviewer, room, **changes):
    fields = {
        "interviewer": interviewer,
        "room": room,
        "weekday": 0,
        "start_time": dt.time(9, 0),
        "end_time": dt.time(12, 0),
        "valid_from": MONDAY,
        "valid_until": None,
        "by": interviewer,
    }
    fields.update(changes)
    return pattern_add(**fields)


def test_a_weekly_period_is_added_and_audited():
    interviewer, room = UserFactory(), RoomFactory()
    pattern = _add(interviewer, room)
    entry = AuditEntry.objects.get(object_type="interviews.availabilitypattern")
    assert (entry.action, entry.object_id, entry.actor) == ("create", str(pattern.pk), interviewer)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": dt.time(9, 0)}, "end_time"),
        ({"end_time": dt.time(9, 30)}, "end_time"),
        ({"valid_until": dt.date(2026, 3, 1)}, "valid_until"),
    ],
)
def test_a_weekly_period_that_makes_no_sense_is_refused(changes, field):
    with pytest.raises(ValidationError) as error:
        _add(UserFactory(), RoomFactory(), **changes)
    assert field in error.value.message_dict
    assert not AvailabilityPattern.objects.exists()


def test_a_weekly_period_in_a_room_not_in_use_is_refused():
    with pytest.raises(ValidationError) as error:
        _add(UserFactory(), RoomFactory(active=False))
    assert "room" in error.value.message_dict


def test_a_weekly_period_overlapping_the_interviewers_own_is_refused():
    existing = PatternFactory()
    with pytest.raises(ValidationError) as error:
        _add(
            existing.interviewer, RoomFactory(), start_time=dt.time(11, 0), end_time=dt.time(13, 0)
        )
    assert "start_time" in error.value.message_dict
    assert AvailabilityPattern.objects.count() == 1


def test_a_weekly_period_in_a_room_a_colleague_holds_then_is_refused():
    existing = PatternFactory()
    with pytest.raises(ValidationError) as error:
        _add(UserFactory(), existing.room, start_time=dt.time(8, 0), end_time=dt.time(9, 30))
    assert "already used by another interviewer" in error.value.message_dict["room"][0]


def test_periods_that_do_not_meet_are_accepted():
    existing = PatternFactory(valid_until=dt.date(2026, 3, 31))
    # Same room, same time, but from April; and the same interviewer in the afternoon.
    _add(UserFactory(), existing.room, valid_from=dt.date(2026, 4, 1))
    _add(existing.interviewer, existing.room, start_time=dt.time(12, 0), end_time=dt.time(14, 0))
    assert AvailabilityPattern.objects.count() == 3


# --- Every interviewer at once ----------------------------------------------------------------


def test_publishing_ahead_covers_every_active_interviewer_with_a_profile():
    with_profile = PatternFactory()
    InterviewerProfileFactory(user=with_profile.interviewer)
    without_profile = PatternFactory()
    gone = PatternFactory(interviewer=UserFactory(is_active=False))
    InterviewerProfileFactory(user=gone.interviewer)
    assert slots_publish_ahead(weeks=2) == 8
    assert len(_times(with_profile.interviewer)) == 8
    assert _times(without_profile.interviewer) == []
    assert slots_publish_ahead(weeks=2) == 0
    entry = AuditEntry.objects.get(object_type="interviews.slot")
    assert entry.actor_username == "system"
    assert str(with_profile.interviewer.pk) in entry.detail


def test_publishing_ahead_starts_on_the_day_given():
    pattern = PatternFactory(valid_from=dt.date(2026, 1, 1))
    InterviewerProfileFactory(user=pattern.interviewer)
    assert slots_publish_ahead(weeks=1, today=NEXT_MONDAY) == 4
    assert len(_times(pattern.interviewer, NEXT_MONDAY)) == 4


def test_the_command_publishes_the_weeks_asked_for(capsys):
    pattern = PatternFactory()
    InterviewerProfileFactory(user=pattern.interviewer)
    call_command("publish_slots", "--weeks", "3")
    assert "12 slots published" in capsys.readouterr().out
    call_command("publish_slots")
    assert "20 slots published" in capsys.readouterr().out  # weeks 4 to 8 only


def test_fifty_interviewers_for_eight_weeks_are_published_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    for _n in range(50):
        room = RoomFactory()
        interviewer = UserFactory()
        InterviewerProfileFactory(user=interviewer)
        for weekday in range(5):
            PatternFactory(interviewer=interviewer, room=room, weekday=weekday)
    # A fixed handful of reads and one insert, plus one audit entry per interviewer; the time it
    # takes is measured by the benchmarks, not here.
    with django_assert_max_num_queries(15 + 50):
        created = slots_publish_ahead(weeks=8)
    assert created == 50 * 5 * 8 * 4
    with django_assert_max_num_queries(15):
        assert slots_publish_ahead(weeks=8) == 0
