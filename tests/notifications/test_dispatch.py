"""Sending the outbox: claim, retry with backoff, permanent failures, quiet hours and the sweep,
against a real HTTP gateway on 127.0.0.1."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from notifications import dispatch
from notifications.backends import locmem
from notifications.dispatch import message_send, messages_sweep
from notifications.models import Channel, Kind, Message
from notifications.services import message_cancel, notify
from registry.models import WorkerPhone
from tests.factories import WorkerFactory
from tests.notifications import queued_message
from tests.notifications.gateway import Gateway, error, malformed, ok, reject, slow, throttle

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# A Monday morning, well outside the quiet hours.
MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
Status = Message.Status


@pytest.fixture
def gateway(settings):
    settings.HESTIA_MESSAGE_RETRY_SECONDS = 60
    settings.HESTIA_MESSAGE_MAX_ATTEMPTS = 6
    with Gateway() as gateway:
        yield gateway.configure(settings, timeout=0.5)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def in_memory(settings):
    settings.HESTIA_SMS_BACKEND = "notifications.backends.locmem.LocmemBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def _reload(message) -> Message:
    message.refresh_from_db()
    return message


def test_a_due_sms_is_sent_through_the_gateway_and_marked_sent(gateway, clock):
    message = queued_message()
    assert message_send(message_id=message.pk) == Status.SENT
    message = _reload(message)
    assert (message.status, message.attempts, message.provider_reference) == (
        Status.SENT,
        1,
        "gw-1",
    )
    assert message.sent_at == MORNING
    assert message.last_attempt_at == MORNING
    [request] = gateway.received
    assert request.key == str(message.idempotency_key)
    assert request.json["to"] == "+32470123456"
    assert request.json["text"] == message.body


def test_a_server_error_is_retried_after_a_minute_and_then_delivered_once(gateway, clock):
    gateway.script(error(500), ok())
    message = queued_message()
    assert message_send(message_id=message.pk) == Status.QUEUED
    message = _reload(message)
    assert (message.status, message.attempts, message.failure_code) == (
        Status.QUEUED,
        1,
        "http_500",
    )
    assert message.next_attempt_at == MORNING + dt.timedelta(seconds=60)
    assert message_send(message_id=message.pk) == "skipped"  # not due yet
    clock.shift(dt.timedelta(seconds=60))
    assert message_send(message_id=message.pk) == Status.SENT
    message = _reload(message)
    assert (message.status, message.attempts, message.failure_code) == (Status.SENT, 2, "")
    assert len(gateway.received) == 2
    assert list(gateway.delivered.values()) == [message.provider_reference]


def test_throttling_waits_as_long_as_the_gateway_asks(gateway, clock):
    gateway.script(throttle(retry_after=600))
    message = queued_message()
    message_send(message_id=message.pk)
    message = _reload(message)
    assert (message.status, message.failure_code) == (Status.QUEUED, "throttled")
    assert message.next_attempt_at == MORNING + dt.timedelta(seconds=600)


def test_a_gateway_that_answers_too_late_then_succeeds_delivers_exactly_one_message(gateway, clock):
    gateway.script(slow(1.2), ok())
    message = queued_message()
    assert message_send(message_id=message.pk) == Status.QUEUED
    assert _reload(message).failure_code == "timeout"
    assert gateway.idle()  # the gateway delivered it even though we stopped waiting
    clock.shift(dt.timedelta(minutes=1))
    assert message_send(message_id=message.pk) == Status.SENT
    message = _reload(message)
    assert len(gateway.received) == 2
    assert gateway.received[0].key == gateway.received[1].key == str(message.idempotency_key)
    assert gateway.delivered == {str(message.idempotency_key): message.provider_reference}


def test_a_malformed_answer_is_tried_again(gateway, clock):
    gateway.script(malformed())
    message = queued_message()
    message_send(message_id=message.pk)
    message = _reload(message)
    assert (message.status, message.failure_code) == (Status.QUEUED, "malformed_response")


def test_an_invalid_number_fails_at_once_and_is_never_tried_again(gateway, clock):
    gateway.script(reject(400, "invalid_number"))
    message = queued_message()
    assert message_send(message_id=message.pk) == Status.FAILED
    clock.shift(dt.timedelta(days=1))
    assert message_send(message_id=message.pk) == "skipped"
    assert messages_sweep() == 0
    message = _reload(message)
    assert (message.status, message.attempts, message.failure_code) == (
        Status.FAILED,
        1,
        "invalid_number",
    )
    assert len(gateway.received) == 1


def test_the_wait_doubles_after_each_failure_and_the_message_fails_at_the_limit(
    gateway, clock, settings
):
    settings.HESTIA_MESSAGE_MAX_ATTEMPTS = 4
    gateway.script(*[error(503)] * 4)
    message = queued_message()
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        assert message_send(message_id=message.pk) == Status.QUEUED
        waits.append((_reload(message).next_attempt_at - before).total_seconds())
        clock.move_to(message.next_attempt_at)
    assert waits == [60, 120, 240]
    assert message_send(message_id=message.pk) == Status.FAILED
    message = _reload(message)
    assert (message.status, message.attempts, message.failure_code) == (
        Status.FAILED,
        4,
        "http_503",
    )
    assert gateway.delivered == {}


def test_a_task_run_twice_sends_once(gateway, clock):
    message = queued_message()
    assert message_send(message_id=message.pk) == Status.SENT
    assert message_send(message_id=message.pk) == "skipped"
    assert len(gateway.received) == 1
    assert _reload(message).attempts == 1


def test_a_cancelled_message_is_never_sent(in_memory, officer, clock):
    message = queued_message()
    message_cancel(by=officer, message=message, reason="The worker left the country.")
    assert message_send(message_id=message.pk) == "skipped"
    assert messages_sweep() == 0
    assert in_memory == []
    assert _reload(message).status == Status.CANCELLED


def test_a_message_held_for_an_officer_is_never_sent(in_memory, clock):
    held = queued_message(channel=Channel.HAND_OVER, status=Status.HELD, recipient="")
    handed = queued_message(channel=Channel.HAND_OVER, recipient="")  # even if queued by mistake
    assert message_send(message_id=held.pk) == "skipped"
    assert message_send(message_id=handed.pk) == "skipped"
    assert messages_sweep() == 0
    assert in_memory == []


def test_a_broker_that_is_down_when_notify_is_called_loses_nothing(
    gateway, clock, django_capture_on_commit_callbacks
):
    worker = WorkerFactory()
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    # The transaction commits but its callback never reaches a broker.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [message] = notify(worker, Kind.REMINDER, {"date": "1 December"})
    assert len(callbacks) == 1
    assert gateway.received == []
    assert _reload(message).status == Status.QUEUED
    assert messages_sweep() == 1
    assert _reload(message).status == Status.SENT
    assert len(gateway.delivered) == 1
    assert messages_sweep() == 0


def test_the_sweep_sends_retries_whose_time_has_come(gateway, clock):
    gateway.script(error(500))
    message = queued_message()
    message_send(message_id=message.pk)
    assert messages_sweep() == 0
    clock.shift(dt.timedelta(seconds=61))
    assert messages_sweep() == 1
    assert _reload(message).status == Status.SENT


def test_the_sweep_requeues_a_message_a_dead_worker_left_sending(gateway, clock, settings):
    abandoned = queued_message(
        status=Status.SENDING, attempts=1, last_attempt_at=MORNING - dt.timedelta(minutes=11)
    )
    in_progress = queued_message(
        status=Status.SENDING, attempts=1, last_attempt_at=MORNING - dt.timedelta(minutes=2)
    )
    exhausted = queued_message(
        status=Status.SENDING,
        attempts=settings.HESTIA_MESSAGE_MAX_ATTEMPTS,
        last_attempt_at=MORNING - dt.timedelta(hours=1),
    )
    assert messages_sweep() == 1
    abandoned = _reload(abandoned)
    assert (abandoned.status, abandoned.attempts) == (Status.SENT, 2)
    assert gateway.received[0].key == str(abandoned.idempotency_key)
    assert _reload(in_progress).status == Status.SENDING
    exhausted = _reload(exhausted)
    assert (exhausted.status, exhausted.failure_code) == (Status.FAILED, "interrupted")


def test_the_sweep_sends_the_oldest_first_and_stops_at_its_limit(in_memory, clock, monkeypatch):
    monkeypatch.setattr(dispatch, "SWEEP_LIMIT", 3)
    monkeypatch.setattr(dispatch, "SWEEP_CHUNK", 2)
    messages = [
        queued_message(body=f"notice {n}", next_attempt_at=MORNING - dt.timedelta(minutes=n))
        for n in range(5)
    ]
    queued_message(body="later", next_attempt_at=MORNING + dt.timedelta(minutes=1))
    assert messages_sweep() == 3
    assert [sms["body"] for sms in in_memory] == ["notice 4", "notice 3", "notice 2"]
    assert messages_sweep() == 2
    assert [sms["body"] for sms in in_memory][3:] == ["notice 1", "notice 0"]
    assert all(_reload(m).status == Status.SENT for m in messages)


def test_an_sms_notice_given_in_the_evening_waits_until_eight_in_the_morning(in_memory):
    worker = WorkerFactory()
    WorkerPhone.objects.create(
        worker=worker, number="+32470123456", is_mobile=True, is_safe=True, is_sms_number=True
    )
    with time_machine.travel(dt.datetime(2026, 11, 30, 22, 30, tzinfo=BRUSSELS), tick=False):
        [message] = notify(worker, Kind.REMINDER, {"date": "1 December"})
        assert message_send(message_id=message.pk) == "skipped"
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, 59, tzinfo=BRUSSELS), tick=False):
        assert messages_sweep() == 0
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS), tick=False):
        assert messages_sweep() == 1
    assert len(in_memory) == 1
    assert _reload(message).sent_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS)


def test_a_retry_that_would_fall_in_the_quiet_hours_waits_for_the_morning(gateway):
    gateway.script(error(500))
    message = queued_message()
    with time_machine.travel(dt.datetime(2026, 11, 30, 20, 59, 30, tzinfo=BRUSSELS), tick=False):
        message_send(message_id=message.pk)
    assert _reload(message).next_attempt_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS)


def test_an_sms_whose_task_arrives_late_at_night_is_kept_for_the_morning(in_memory):
    message = queued_message(next_attempt_at=dt.datetime(2026, 11, 30, 20, 55, tzinfo=BRUSSELS))
    email = queued_message(
        channel=Channel.EMAIL, next_attempt_at=dt.datetime(2026, 11, 30, 20, 55, tzinfo=BRUSSELS)
    )
    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 10, tzinfo=BRUSSELS), tick=False):
        assert message_send(message_id=message.pk) == Status.QUEUED
        assert messages_sweep() == 1  # the e-mail goes; the SMS waits
    assert in_memory == []
    assert _reload(email).status == Status.SENT
    message = _reload(message)
    assert (message.status, message.attempts) == (Status.QUEUED, 0)
    assert message.next_attempt_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS)


def test_the_sweep_is_registered_to_run_every_minute():
    task = PeriodicTask.objects.get(name="Send due notices")
    assert task.task == "notifications.tasks.messages_sweep"
    assert task.task in celery_app.tasks
    assert (task.interval.every, task.interval.period, task.enabled) == (1, "minutes", True)


def test_the_celery_task_sends_the_message(in_memory, clock):
    from notifications.tasks import message_dispatch

    message = queued_message()
    message_dispatch.delay(message.pk)
    assert _reload(message).status == Status.SENT
    assert len(in_memory) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections racing need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_for_the_same_message_send_it_once(gateway, settings):
    settings.HESTIA_QUIET_HOURS = "00:00-00:00"  # real time runs here: threads, two connections
    gateway.script(ok(delay=0.3))
    message = queued_message()
    start = threading.Barrier(2)
    results = []

    def work():
        from django.db import connection as thread_connection

        try:
            start.wait()
            results.append(message_send(message_id=message.pk))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(results) == [Status.SENT, "skipped"]
    assert len(gateway.received) == 1
    assert _reload(message).attempts == 1


@pytest.mark.parametrize(
    ("receipt", "verdict"), [("delivered", Status.DELIVERED), ("undelivered", Status.FAILED)]
)
def test_a_receipt_that_overtakes_the_gateways_answer_keeps_its_verdict(
    in_memory, clock, monkeypatch, receipt, verdict
):
    send = locmem.LocmemBackend.send

    def send_then_receipt(self, **sms):
        reference = send(self, **sms)
        # The phone answered before the gateway did.
        dispatch.receipt_record(
            reference="", status=receipt, idempotency_key=sms["idempotency_key"]
        )
        return reference

    monkeypatch.setattr(locmem.LocmemBackend, "send", send_then_receipt)
    message = queued_message()
    assert message_send(message_id=message.pk) == verdict
    message = _reload(message)
    assert message.status == verdict
    assert message.provider_reference == f"locmem-{message.idempotency_key}"
    assert message.sent_at == MORNING


def _writes(queries) -> list[str]:
    return [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="commits that skip the flush are PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_sms_is_claimed_and_recorded_without_waiting_for_the_disk_and_nothing_else_is(
    gateway, settings
):
    settings.HESTIA_QUIET_HOURS = "00:00-00:00"  # real time runs here: no transaction to travel
    message = queued_message()
    with CaptureQueriesContext(connection) as queries:
        assert message_send(message_id=message.pk) == Status.SENT
    claim, record = _writes(queries)
    assert "synchronous_commit" in claim
    assert "synchronous_commit" in record
    # The setting lasted for those two statements only: later writes wait for the disk again.
    assert _synchronous_commit() == "on"
    message = _reload(message)
    assert (message.status, message.attempts, message.provider_reference) == (
        Status.SENT,
        1,
        "gw-1",
    )


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_sent_is_recorded_only_once_it_is_on_disk(settings):
    settings.HESTIA_QUIET_HOURS = "00:00-00:00"
    message = queued_message("email")
    with CaptureQueriesContext(connection) as queries:
        assert message_send(message_id=message.pk) == Status.SENT
    claim, record = _writes(queries)
    # A lost claim is only sent again sooner; a lost record would send the e-mail twice.
    assert "synchronous_commit" in claim
    assert "synchronous_commit" not in record
    assert _reload(message).status == Status.SENT


@postgresql_only
def test_inside_a_callers_transaction_the_sends_commit_with_it(gateway, clock):
    message = queued_message()  # pytest-django runs this test inside a transaction
    with CaptureQueriesContext(connection) as queries:
        assert message_send(message_id=message.pk) == Status.SENT
    assert not any("synchronous_commit" in sql for sql in _writes(queries))
    assert _synchronous_commit() == "on"
