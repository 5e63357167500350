"""The SMS gateway fails 20 % of requests (500 or 503) and answers 5 % too late: messages are
tried again with backoff until sent or out of attempts; none is lost, none delivered twice, and
each that failed says why."""

import pytest

from notifications.models import Message
from tests.faults.conftest import (
    account_for_every_message,
    notify_each,
    sweep_until_final,
    workers_with_phones,
)
from tests.notifications.gateway import Flaky

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = Message.Status
BATCH = 200
TIMEOUT = 2  # seconds the backend waits for the gateway (HESTIA_SMS_GATEWAY_TIMEOUT)
ATTEMPTS = 3
# Seed 12 gives, for these 200 numbers, 51 errors and 12 late answers in 258 requests, and five
# messages that run out of attempts: three on a 500, one on a 503, one on a timeout.
FLAKY = Flaky(seed=12, error_rate=0.20, timeout_rate=0.05, timeout_delay=TIMEOUT + 1)


def _expected(to: str) -> tuple[str, int, str]:
    """Status, attempts and failure code that the gateway's draws for `to` must lead to: the
    first quick success ends it; after ATTEMPTS failures the last one is the reason."""
    for earlier in range(ATTEMPTS):
        answer = FLAKY.answer(to, earlier)
        if answer.kind == "ok" and answer.delay < TIMEOUT:
            return Status.SENT, earlier + 1, ""
    return Status.FAILED, ATTEMPTS, "timeout" if answer.kind == "ok" else f"http_{answer.status}"


def test_a_gateway_failing_a_fifth_and_timing_out_on_a_twentieth_loses_and_doubles_nothing(
    broker, gateway, start_worker, settings, report
):
    settings.HESTIA_SMS_GATEWAY_TIMEOUT = TIMEOUT
    settings.HESTIA_MESSAGE_RETRY_SECONDS = 1  # then 2 s: the backoff doubles
    settings.HESTIA_MESSAGE_MAX_ATTEMPTS = ATTEMPTS
    gateway.fate = FLAKY
    ids = notify_each(workers_with_phones(BATCH))
    worker = start_worker(pool="prefork", concurrency=4)

    seconds, sweeps = sweep_until_final(ids, workers=[worker])
    assert gateway.idle(timeout=10)

    counts = account_for_every_message(ids, gateway)
    messages = list(Message.objects.filter(pk__in=ids))
    # Each message went exactly as the gateway's answers say: one attempt per request.
    for message in messages:
        requests = gateway.requests_for(str(message.idempotency_key))
        assert [request.earlier for request in requests] == list(range(message.attempts))
        assert (message.status, message.attempts, message.failure_code) == _expected(
            message.recipient
        ), message.recipient
    failed = [message for message in messages if message.status == Status.FAILED]
    assert sorted(message.failure_code for message in failed) == [
        "http_500", "http_500", "http_500", "http_503", "timeout",
    ]  # fmt: skip
    assert all(message.failure_detail for message in failed)
    answers = [request.answer for request in gateway.received]
    errors = sum(answer.kind == "error" for answer in answers)
    late = sum(answer.delay >= TIMEOUT for answer in answers)
    # A late answer still delivers, so the next attempt for that key is a refused duplicate; and
    # a message whose every answer came too late or failed may be failed here yet delivered.
    delivered_keys = set(gateway.delivered)
    failed_but_delivered = sum(str(m.idempotency_key) in delivered_keys for m in failed)
    assert counts["delivered"] == counts["sent"] + failed_but_delivered
    report(
        f"Flaky gateway (prefork x4, timeout {TIMEOUT} s, {ATTEMPTS} attempts, retry 1 s x2^n)",
        {
            **counts,
            "errors answered": errors,
            "late answers": late,
            "failed yet delivered (late answer)": failed_but_delivered,
            "final in s": f"{seconds:.1f}",
            "sweeps": sweeps,
        },
    )
