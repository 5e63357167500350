"""A Celery worker killed with SIGKILL in the middle of a batch: the messages it was sending, the
tasks it had reserved and those still in Redis are all sent, once each, by the next worker and
the sweep."""

import datetime as dt
import itertools

import pytest

from notifications import dispatch
from notifications.models import Message
from tests.faults.conftest import (
    account_for_every_message,
    notify_each,
    statuses,
    sweep_until_final,
    wait_until,
    workers_with_phones,
)
from tests.notifications.gateway import ok, slow

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = Message.Status
BATCH = 300
# The gateway holds these two requests (one per pool child) and the worker is killed while they
# wait: the gateway delivers them after the worker died, so Hestia never learns they were sent.
HELD = (100, 101)
HOLD_SECONDS = 3.0
# How long a message may stay "sending" before the sweep takes it for abandoned (10 minutes in
# production), shortened so the test does not wait; still far above a send's few milliseconds.
SENDING_LIMIT = dt.timedelta(seconds=8)


def _holding(numbers, seconds: float):
    """A gateway that answers at once (20 ms) but holds the requests numbered `numbers`."""
    arrivals = itertools.count(1)

    def fate(request, earlier):
        return slow(seconds) if next(arrivals) in numbers else ok(delay=0.02)

    return fate


def test_a_worker_killed_mid_batch_loses_no_message_and_delivers_none_twice(
    broker, gateway, start_worker, monkeypatch, report
):
    monkeypatch.setattr(dispatch, "SENDING_LIMIT", SENDING_LIMIT)
    gateway.fate = _holding(HELD, HOLD_SECONDS)
    ids = notify_each(workers_with_phones(BATCH))
    first = start_worker(pool="prefork", concurrency=2)

    wait_until(lambda: len(gateway.received) >= HELD[-1], workers=[first], what="a third sent")
    first.kill()
    at_kill = statuses(ids)
    held_keys = [gateway.received[number - 1].key for number in HELD]
    interrupted = list(Message.objects.filter(idempotency_key__in=held_keys))
    assert {message.status for message in interrupted} == {Status.SENDING}
    assert at_kill[Status.QUEUED] > BATCH / 2

    second = start_worker(pool="prefork", concurrency=2)
    seconds, sweeps = sweep_until_final(ids, workers=[second])
    assert gateway.idle(timeout=10)

    counts = account_for_every_message(ids, gateway)
    # The gateway always accepts: every message is sent, each delivered exactly once.
    assert counts["sent"] == counts["delivered"] == BATCH
    # The two sends the dead worker left were delivered by the gateway after it died; the sweep
    # queued them again, and their second attempt was answered with the first delivery's id.
    for message in interrupted:
        message.refresh_from_db()
        key = str(message.idempotency_key)
        assert (message.status, message.attempts) == (Status.SENT, 2)
        assert message.provider_reference == gateway.delivered[key]
        assert [request.earlier for request in gateway.requests_for(key)] == [0, 1]
    assert gateway.duplicates_refused >= len(HELD)
    # Every request beyond one per message was a repeat the gateway refused to deliver again.
    assert counts["requests"] - BATCH == gateway.duplicates_refused
    report(
        "Worker killed (SIGKILL, prefork x2) mid-batch",
        {
            **counts,
            "at the kill: sent": at_kill[Status.SENT],
            "sending": at_kill[Status.SENDING],
            "queued": at_kill[Status.QUEUED],
            "recovered in s": f"{seconds:.1f}",
            "sweeps": sweeps,
        },
    )
