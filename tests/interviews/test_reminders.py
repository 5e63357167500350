"""Reminders at the policy's offsets: each once, never for an appointment that is closed, and
never sent twice by two workers at once."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from interviews import services
from interviews.links import interview_id_from
from interviews.models import Interview
from interviews.scheduling import reminders_send
from notifications.models import Kind, Message
from tests.interviews.factories import at
from tests.interviews.factories_scheduling import booked_interview

pytestmark = pytest.mark.django_db

STARTS = at(2027, 3, 10, 10, 0)


def _reminders(interview=None):
    messages = Message.objects.filter(kind=Kind.REMINDER)
    if interview is not None:
        messages = messages.filter(worker=interview.worker)
    return messages


def _send_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders_send()


@pytest.fixture
def interview():
    services.policy_current()  # 72 and 24 hours by default
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        return booked_interview(starts_at=STARTS, invited_at=at(2027, 3, 1, 9, 0))


def test_reminders_go_out_72_and_24_hours_before_exactly_once_each(interview):
    assert _send_at(STARTS - dt.timedelta(hours=72, minutes=1)) == 0
    assert _send_at(STARTS - dt.timedelta(hours=72)) == 1
    assert _send_at(STARTS - dt.timedelta(hours=71, minutes=45)) == 0
    assert _send_at(STARTS - dt.timedelta(hours=30)) == 0
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 1
    assert _send_at(STARTS - dt.timedelta(hours=23, minutes=45)) == 0
    assert _send_at(STARTS - dt.timedelta(hours=1)) == 0
    assert _reminders(interview).count() == 2
    interview.refresh_from_db()
    assert interview.reminders_sent == [72, 24]


def test_a_reminder_says_when_and_where_without_the_word_interview(interview):
    _send_at(STARTS - dt.timedelta(hours=24))
    [message] = _reminders(interview)
    assert message.channel == "sms"
    assert "10:00" in message.body and interview.room.location in message.body
    assert "interview" not in message.body.lower()
    assert message.status == Message.Status.QUEUED
    token = message.context["link"].rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(STARTS - dt.timedelta(hours=24), tick=False):
        assert interview_id_from(token) == interview.pk


def test_a_reminder_missed_by_a_late_task_is_sent_once_when_it_runs(interview):
    # The task did not run for two days: one reminder now covers both offsets.
    assert _send_at(STARTS - dt.timedelta(hours=20)) == 1
    assert _send_at(STARTS - dt.timedelta(hours=19)) == 0
    assert _reminders(interview).count() == 1
    interview.refresh_from_db()
    assert sorted(interview.reminders_sent) == [24, 72]


def test_an_appointment_booked_at_short_notice_skips_the_reminders_the_invitation_covered():
    services.policy_current()
    with time_machine.travel(at(2027, 3, 8, 11, 0), tick=False):
        interview = booked_interview(starts_at=STARTS, invited_at=at(2027, 3, 8, 11, 0))
    # Invited 47 hours before: the 72-hour reminder would repeat the invitation.
    assert _send_at(at(2027, 3, 8, 11, 15)) == 0
    interview.refresh_from_db()
    assert interview.reminders_sent == [72]
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 1


@pytest.mark.parametrize(
    "status", [Interview.Status.CANCELLED, Interview.Status.HELD, Interview.Status.NO_SHOW]
)
def test_a_closed_appointment_gets_no_reminder(interview, status):
    Interview.objects.filter(pk=interview.pk).update(status=status)
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 0
    assert not _reminders().exists()


def test_a_confirmed_appointment_is_reminded_too(interview):
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CONFIRMED)
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 1


def test_a_cancelled_appointment_is_not_reminded_after_the_first_reminder(interview):
    assert _send_at(STARTS - dt.timedelta(hours=72)) == 1
    with time_machine.travel(STARTS - dt.timedelta(hours=48), tick=False):
        services.interview_cancel(interview=interview, reason="The worker left", by=None)
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 0
    assert _reminders(interview).count() == 1


def test_the_policys_offsets_are_followed(interview):
    policy = services.policy_current()
    policy.reminder_hours = [48]
    policy.save()
    assert _send_at(STARTS - dt.timedelta(hours=72)) == 0
    assert _send_at(STARTS - dt.timedelta(hours=48)) == 1
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 0


def test_no_offsets_means_no_reminders(interview):
    policy = services.policy_current()
    policy.reminder_hours = []
    policy.save()
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 0


def test_a_reminder_due_in_the_quiet_hours_waits_for_the_morning(interview):
    policy = services.policy_current()
    policy.reminder_hours = [12]  # 22:00 the evening before
    policy.save()
    assert _send_at(STARTS - dt.timedelta(hours=12)) == 1
    [message] = _reminders(interview)
    assert message.status == Message.Status.QUEUED
    assert message.next_attempt_at == at(2027, 3, 10, 8, 0)


def test_the_reminder_task_sends_what_is_due(interview):
    from interviews.tasks import interviews_send_reminders

    with time_machine.travel(STARTS - dt.timedelta(hours=72), tick=False):
        assert interviews_send_reminders.delay().get() == 1
    assert _reminders(interview).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_another_worker_holds_is_skipped_and_sent_once():
    services.policy_current()
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        interview = booked_interview(starts_at=STARTS, invited_at=at(2027, 3, 1, 9, 0))
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                Interview.objects.select_for_update().get(pk=interview.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            thread_connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        assert _send_at(STARTS - dt.timedelta(hours=24)) == 0  # skipped, not waited for
    finally:
        release.set()
        holder.join(timeout=10)
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 1
    assert _send_at(STARTS - dt.timedelta(hours=24)) == 0
    assert _reminders().count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reminder_runs_at_once_send_each_reminder_once():
    services.policy_current()
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        for hour in range(6):
            booked_interview(starts_at=STARTS + dt.timedelta(hours=hour))
    start = threading.Barrier(2)
    sent = []

    def run():
        from django.db import connection as thread_connection

        try:
            start.wait()
            sent.append(reminders_send())
        finally:
            thread_connection.close()

    # One frozen clock for both threads.
    with time_machine.travel(STARTS - dt.timedelta(hours=24), tick=False):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sum(sent) == 6
    assert _reminders().count() == 6
