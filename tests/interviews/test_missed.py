"""Missed appointments: the worker is re-invited with one message, the officers see it, and at the
policy's count it becomes a concern, because a worker who does not come may be kept from coming."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEntry
from accounts.roles import Role
from interviews import services
from interviews.links import interview_id_from
from interviews.models import Concern, Indicator, Interview
from interviews.scheduling import interview_mark_missed
from notifications.models import Kind, Message
from tests.interviews.factories import RecordFactory, at
from tests.interviews.factories_scheduling import (
    booked_interview,
    free_slot,
    interviewer_speaking,
)

pytestmark = pytest.mark.django_db

STARTS = at(2027, 3, 10, 10, 0)
AFTER = at(2027, 3, 10, 11, 30)


@pytest.fixture
def joy():
    return interviewer_speaking("tl", "en", username="joy")


@pytest.fixture
def missed(joy):
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        return booked_interview(starts_at=STARTS, interviewer=joy)


@pytest.fixture
def after_the_appointment():
    with time_machine.travel(AFTER, tick=False):
        yield


def _follower(interview) -> Interview:
    return Interview.objects.get(follows=interview)


def _mark(interview, by):
    return interview_mark_missed(interview=interview, by=by)


def _token(message) -> str:
    return message.context["link"].rstrip("/").rsplit("/", 1)[1]


# --- Marking one as missed ---------------------------------------------------------------------


def test_a_missed_appointment_is_re_invited_into_the_next_free_slot(
    missed, joy, officer, after_the_appointment
):
    free_slot(joy, at(2027, 3, 12, 9, 0))  # less than three days away
    next_slot = free_slot(joy, at(2027, 3, 15, 9, 0))
    result = _mark(missed, officer)
    missed.refresh_from_db()
    assert missed.status == Interview.Status.NO_SHOW
    follower = _follower(missed)
    assert result.follower == follower and result.booked
    assert (follower.worker, follower.card, follower.employment, follower.kind) == (
        missed.worker,
        missed.card,
        missed.employment,
        missed.kind,
    )
    assert (follower.window_opens_on, follower.due_on) == (missed.window_opens_on, missed.due_on)
    assert follower.status == Interview.Status.INVITED
    assert follower.slot == next_slot and follower.language == "tl"
    assert follower.created_by == officer
    assert AuditEntry.objects.filter(
        object_type="interviews.interview", object_id=str(missed.pk), actor=officer
    ).exists()


def test_the_worker_gets_one_clear_message_with_the_new_appointments_link(
    missed, joy, officer, after_the_appointment
):
    free_slot(joy, at(2027, 3, 15, 9, 0))
    _mark(missed, officer)
    follower = _follower(missed)
    [message] = Message.objects.filter(worker=missed.worker)
    assert message.kind == Kind.MISSED_APPOINTMENT
    assert interview_id_from(_token(message)) == follower.pk
    assert "interview" not in message.body.lower()
    assert message.status == Message.Status.QUEUED


def test_with_no_free_slot_the_next_appointment_waits_for_an_officer(
    missed, officer, after_the_appointment
):
    result = _mark(missed, officer)
    follower = _follower(missed)
    assert not result.booked and follower.status == Interview.Status.DUE
    [message] = Message.objects.filter(worker=missed.worker)
    assert message.kind == Kind.MISSED_APPOINTMENT
    assert interview_id_from(_token(message)) == follower.pk


def test_an_appointment_that_has_not_started_cannot_be_marked_missed(missed, officer):
    with (
        time_machine.travel(STARTS - dt.timedelta(minutes=1), tick=False),
        pytest.raises(services.BookingError, match="not started"),
    ):
        _mark(missed, officer)
    missed.refresh_from_db()
    assert missed.status == Interview.Status.INVITED
    assert not Interview.objects.filter(follows=missed).exists()
    assert not Message.objects.exists()


def test_a_held_or_cancelled_appointment_cannot_be_marked_missed(
    missed, officer, after_the_appointment
):
    Interview.objects.filter(pk=missed.pk).update(status=Interview.Status.CANCELLED)
    with pytest.raises(services.BookingError):
        _mark(missed, officer)
    assert not Interview.objects.filter(follows=missed).exists()


def test_an_appointment_with_a_record_was_held_not_missed(officer, after_the_appointment):
    record = RecordFactory(interview__starts_at=STARTS - dt.timedelta(days=1))
    Interview.objects.filter(pk=record.interview.pk).update(status=Interview.Status.INVITED)
    with pytest.raises(services.BookingError, match="record"):
        _mark(record.interview, officer)


def test_the_assigned_interviewer_may_mark_it_but_no_other_interviewer(
    missed, joy, make_staff, after_the_appointment
):
    other = make_staff(Role.INTERVIEWER, username="someone-else")
    with pytest.raises(PermissionDenied):
        _mark(missed, other)
    assert _mark(missed, joy).missed.status == Interview.Status.NO_SHOW


# --- Concern at the policy's count -------------------------------------------------------------


def _miss_in_a_row(first, joy, by, times):
    """Miss `times` appointments in a row, each re-invited into a slot a week later."""
    interview, moment = first, AFTER
    result = None
    for week in range(times):
        with time_machine.travel(moment, tick=False):
            free_slot(joy, STARTS + dt.timedelta(days=7 * (week + 1)))
            result = _mark(interview, by)
        interview, moment = result.follower, result.follower.starts_at + dt.timedelta(hours=1)
    return result


def test_one_missed_appointment_is_not_yet_a_concern(missed, joy, officer):
    result = _miss_in_a_row(missed, joy, officer, 1)
    assert result.misses == 1 and result.concern is None
    assert not Concern.objects.exists()


def test_two_missed_appointments_in_a_row_are_a_concern(missed, joy, officer):
    result = _miss_in_a_row(missed, joy, officer, 2)
    assert result.misses == 2
    concern = Concern.objects.get()
    assert result.concern == concern
    assert concern.worker == missed.worker
    assert (concern.source, concern.severity) == (Concern.Source.NO_SHOW, Concern.Severity.HIGH)
    assert concern.indicators == [Indicator.RESTRICTION_OF_MOVEMENT]
    assert concern.summary == "Possible restriction of movement: 2 missed appointments"
    assert concern.interview == missed.followed_by.get()
    assert concern.opened_by == officer


def test_the_policy_can_ask_for_three(missed, joy, officer):
    policy = services.policy_current()
    policy.missed_for_concern = 3
    policy.save()
    assert _miss_in_a_row(missed, joy, officer, 2).concern is None
    assert not Concern.objects.exists()
    chain_end = Interview.objects.filter(worker=missed.worker, status="invited").get()
    with time_machine.travel(chain_end.starts_at + dt.timedelta(hours=1), tick=False):
        result = _mark(chain_end, officer)
    assert result.misses == 3
    assert (
        Concern.objects.get().summary == "Possible restriction of movement: 3 missed appointments"
    )


def test_a_third_miss_does_not_raise_a_second_concern_while_one_is_open(missed, joy, officer):
    result = _miss_in_a_row(missed, joy, officer, 3)
    assert result.misses == 3 and result.concern is None
    assert Concern.objects.count() == 1


def test_an_appointment_kept_in_between_restarts_the_count(missed, joy, officer):
    first = _miss_in_a_row(missed, joy, officer, 1)
    Interview.objects.filter(pk=first.follower.pk).update(status=Interview.Status.HELD)
    with time_machine.travel(at(2027, 4, 1, 9, 0), tick=False):
        again = booked_interview(
            starts_at=at(2027, 4, 10, 10, 0),
            interviewer=joy,
            worker=missed.worker,
            employment=missed.employment,
            card=missed.card,
            follows=first.follower,
        )
    with time_machine.travel(at(2027, 4, 10, 12, 0), tick=False):
        assert _mark(again, officer).misses == 1
    assert not Concern.objects.exists()


def test_the_employer_and_the_mission_are_never_told(missed, joy, officer):
    _miss_in_a_row(missed, joy, officer, 2)
    employer = missed.employment.employer
    assert {m.worker_id for m in Message.objects.all()} == {missed.worker_id}
    for message in Message.objects.all():
        assert employer.family_name not in message.body
        assert employer.mission.name not in message.body
        assert "concern" not in message.body.lower()
    # A high concern alerts nobody by e-mail; only an urgent one alerts the supervisors.
    assert mail.outbox == []


# --- The views ---------------------------------------------------------------------------------


def test_an_officer_marks_it_missed_and_lands_on_the_interview(
    missed, joy, officer, client_for, after_the_appointment
):
    free_slot(joy, at(2027, 3, 15, 9, 0))
    response = client_for(officer).post(reverse("interviews:interview-missed", args=[missed.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:interview-detail", args=[missed.pk])
    missed.refresh_from_db()
    assert missed.status == Interview.Status.NO_SHOW


def test_the_view_returns_to_a_local_page_it_was_sent_from(
    missed, officer, client_for, after_the_appointment
):
    client = client_for(officer)
    url = reverse("interviews:interview-missed", args=[missed.pk])
    back = reverse("interviews:missed-list") + "?show=unrecorded"
    assert client.post(url, {"next": back})["Location"] == back
    missed2 = booked_interview(starts_at=STARTS - dt.timedelta(hours=1))
    url2 = reverse("interviews:interview-missed", args=[missed2.pk])
    response = client.post(url2, {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("interviews:interview-detail", args=[missed2.pk])


def test_marking_too_early_shows_the_reason_and_changes_nothing(missed, officer, client_for):
    with time_machine.travel(STARTS - dt.timedelta(hours=1), tick=False):
        response = client_for(officer).post(
            reverse("interviews:interview-missed", args=[missed.pk]), follow=True
        )
    assert "The appointment has not started yet." in response.content.decode()
    missed.refresh_from_db()
    assert missed.status == Interview.Status.INVITED


def test_another_interviewer_gets_403(missed, make_staff, client_for, after_the_appointment):
    other = make_staff(Role.INTERVIEWER, username="someone-else")
    response = client_for(other).post(reverse("interviews:interview-missed", args=[missed.pk]))
    assert response.status_code == 403
    missed.refresh_from_db()
    assert missed.status == Interview.Status.INVITED


def test_the_assigned_interviewer_may_mark_it_from_the_view(
    missed, joy, client_for, after_the_appointment
):
    response = client_for(joy).post(reverse("interviews:interview-missed", args=[missed.pk]))
    assert response.status_code == 302
    missed.refresh_from_db()
    assert missed.status == Interview.Status.NO_SHOW


def test_marking_needs_a_post(missed, officer, client_for, after_the_appointment):
    url = reverse("interviews:interview-missed", args=[missed.pk])
    assert client_for(officer).get(url).status_code == 405


# --- The officers' list ------------------------------------------------------------------------


def _missed_chain(number: int, *, misses: int, joy, officer):
    """A worker who missed `misses` appointments in a row, starting `number` days after 1 March."""
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        first = booked_interview(starts_at=at(2027, 3, 2 + number, 8, 0), interviewer=joy)
    interview = first
    for _week in range(misses):
        moment = interview.starts_at + dt.timedelta(hours=1)
        with time_machine.travel(moment, tick=False):
            free_slot(joy, interview.starts_at + dt.timedelta(days=7, hours=2))
            interview = _mark(interview, officer).follower
    return first


def test_the_list_shows_each_worker_to_follow_up_oldest_first(joy, officer, client_for):
    once = _missed_chain(2, misses=1, joy=joy, officer=officer)
    twice = _missed_chain(1, misses=2, joy=joy, officer=officer)
    with time_machine.travel(at(2027, 4, 1, 9, 0), tick=False):
        client = client_for(officer)
        response = client.get(reverse("interviews:missed-list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    # Twice: the latest miss of the chain only, with its count and the open concern.
    # The second worker's latest miss (10 March) is newer than the first one's (4 March).
    assert [(r.worker_id, r.misses, r.concern_open) for r in rows] == [
        (once.worker_id, 1, False),
        (twice.worker_id, 2, True),
    ]
    assert [r.starts_at for r in rows] == sorted(r.starts_at for r in rows)
    body = response.content.decode()
    assert str(once.worker) in body and str(twice.worker) in body
    assert "Raised" in body and "Not raised" in body
    assert all(r.next_status == "invited" and r.next_starts_at for r in rows)


def test_a_chain_whose_next_appointment_was_held_leaves_the_list(joy, officer, client_for):
    chain = _missed_chain(1, misses=1, joy=joy, officer=officer)
    Interview.objects.filter(follows=chain).update(status=Interview.Status.HELD)
    response = client_for(officer).get(reverse("interviews:missed-list"))
    assert response.context["rows"] == []
    assert "No missed appointment to follow up." in response.content.decode()


@pytest.mark.parametrize("workers", [2, 12])
def test_the_list_runs_a_fixed_number_of_queries(
    workers, joy, officer, client_for, django_assert_max_num_queries
):
    for number in range(workers):
        _missed_chain(number % 20, misses=1 + number % 2, joy=joy, officer=officer)
    client = client_for(officer)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("interviews:missed-list"))
    assert len(response.context["rows"]) == workers


def test_appointments_that_passed_without_record_or_mark_are_listed(joy, officer, client_for):
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        forgotten = booked_interview(starts_at=at(2027, 3, 5, 10, 0), interviewer=joy)
        recent = booked_interview(starts_at=at(2027, 3, 9, 10, 0), interviewer=joy)
        upcoming = booked_interview(starts_at=at(2027, 3, 20, 10, 0), interviewer=joy)
    recorded = RecordFactory(interview__starts_at=at(2027, 3, 4, 10, 0))
    Interview.objects.filter(pk=recorded.interview.pk).update(status=Interview.Status.INVITED)
    with time_machine.travel(at(2027, 3, 10, 9, 0), tick=False):
        response = client_for(officer).get(reverse("interviews:missed-list") + "?show=unrecorded")
    assert [r.pk for r in response.context["rows"]] == [forgotten.pk]
    body = response.content.decode()
    assert joy.get_full_name() in body  # the interviewer to chase
    assert reverse("interviews:interview-missed", args=[forgotten.pk]) in body
    assert recent.pk != forgotten.pk and upcoming.pk != forgotten.pk


@pytest.mark.parametrize("appointments", [2, 12])
def test_the_unrecorded_tab_runs_a_fixed_number_of_queries(
    appointments, joy, officer, client_for, django_assert_max_num_queries
):
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        for number in range(appointments):
            booked_interview(
                starts_at=at(2027, 3, 2, 8, 0) + dt.timedelta(hours=number), interviewer=joy
            )
    with time_machine.travel(at(2027, 3, 10, 9, 0), tick=False):
        client = client_for(officer)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("interviews:missed-list") + "?show=unrecorded")
    assert len(response.context["rows"]) == appointments


def test_interviewers_administrators_and_auditors_do_not_see_the_list(make_staff, client_for):
    url = reverse("interviews:missed-list")
    for role in (Role.INTERVIEWER, Role.ADMINISTRATOR, Role.AUDITOR):
        user = make_staff(role, username=f"u-{role}")
        assert client_for(user).get(url).status_code == 403


def test_a_supervisor_sees_the_list(supervisor, client_for):
    assert client_for(supervisor).get(reverse("interviews:missed-list")).status_code == 200


def test_the_list_is_laid_out_right_to_left_in_arabic(officer, client_for, settings):
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(reverse("interviews:missed-list"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
