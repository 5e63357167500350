"""Redis stops while notices are queued and dispatched, and starts again empty: every notice is
written, none is lost with the tasks Redis forgot, none is delivered twice."""

import logging

import pytest

from notifications.models import Message
from tests.faults.conftest import (
    account_for_every_message,
    notify_each,
    statuses,
    sweep_until_final,
    wait_until,
    workers_with_phones,
)
from tests.notifications.gateway import ok

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = Message.Status
BEFORE = 180
DURING = 20
# Redis stops once the worker has sent this many: a batch in full flow.
STOP_AFTER = 40


def test_notices_queued_and_dispatched_through_a_redis_outage_are_all_sent_once(
    broker, gateway, start_worker, caplog, report
):
    # 30 ms an SMS at the gateway keeps the worker busy when Redis stops.
    gateway.fate = lambda request, earlier: ok(delay=0.03)
    before = notify_each(workers_with_phones(BEFORE))
    assert broker.queued() == BEFORE
    worker = start_worker(pool="prefork", concurrency=2)
    wait_until(lambda: len(gateway.received) >= STOP_AFTER, workers=[worker], what="sending")

    in_redis = broker.queued()
    broker.stop()
    at_stop = statuses(before)
    # Notices written while Redis is down: notify() does not fail, the message is in the outbox,
    # and the failed hand-over to the broker is logged.
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        during = notify_each(workers_with_phones(DURING, first=BEFORE))
    failed_publishes = [r for r in caplog.records if "on_commit" in r.getMessage()]
    assert len(failed_publishes) == DURING
    assert statuses(during) == {Status.QUEUED: DURING}
    reached = {request.key for request in gateway.received}
    assert not reached & {str(m.idempotency_key) for m in Message.objects.filter(pk__in=during)}
    # Redis stopped mid-batch and forgot its queue: what was waiting is still in the outbox.
    assert in_redis > 0
    assert at_stop[Status.QUEUED] > 0

    broker.start()
    assert broker.queued() == 0
    ids = before + during
    seconds, sweeps = sweep_until_final(ids, workers=[worker])

    # The worker lived through the outage: it lost Redis, kept trying, and connected again.
    log = worker.log_path.read_text()
    assert "Connection to broker lost" in log
    assert log.count(f"Connected to redis://:**@127.0.0.1:{broker.port}/0") >= 2

    counts = account_for_every_message(ids, gateway)
    # The gateway always accepts: every message is sent, and only one request each was needed.
    assert counts["sent"] == counts["delivered"] == counts["requests"] == BEFORE + DURING
    assert gateway.duplicates_refused == 0
    report(
        "Redis outage (prefork x2)",
        {
            **counts,
            "at the stop: sent": at_stop[Status.SENT],
            "queued": at_stop[Status.QUEUED],
            "tasks lost with Redis": in_redis,
            "written during the outage": DURING,
            "recovered in s": f"{seconds:.1f}",
            "sweeps": sweeps,
        },
    )
