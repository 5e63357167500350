"""A notice travels for real: notify() -> Redis -> a Celery worker process -> the HTTP gateway.

Needs CELERY_BROKER_URL pointing at Redis (or HESTIA_BROKER_REQUIRED=1) and a database the
worker process can reach too (PostgreSQL; SQLite test databases live in this process' memory).
"""

import os
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from config.celery import app as celery_app
from notifications.models import Kind, Message
from notifications.services import notify
from notifications.tasks import message_dispatch
from registry.models import WorkerPhone
from tests.factories import WorkerFactory
from tests.notifications.gateway import Gateway, ok

ROOT = Path(__file__).resolve().parent.parent.parent
BROKER = os.environ.get("CELERY_BROKER_URL", "")
REQUIRED = os.environ.get("HESTIA_BROKER_REQUIRED") == "1"
NEVER_QUIET = "00:00-00:00"

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        not BROKER.startswith("redis") and not REQUIRED,
        reason="needs CELERY_BROKER_URL pointing at Redis",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_with_phone():
    worker = WorkerFactory()
    WorkerPhone.objects.create(
        worker=worker,
        number=f"+3247{uuid.uuid4().int % 10**7:07d}",
        is_mobile=True,
        is_safe=True,
        is_sms_number=True,
    )
    return worker


def _wait_until_sent(message, worker_process, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == Message.Status.SENT:
            return message
        assert worker_process.poll() is None, log_path.read_text()
        time.sleep(0.1)
    raise AssertionError(f"not sent in {seconds} s:\n{log_path.read_text()}")


def test_a_notice_goes_through_the_broker_to_a_worker_that_posts_it_to_the_gateway_once(
    settings, tmp_path
):
    if connection.vendor != "postgresql":
        reason = "the worker process needs a database it can reach: run with PostgreSQL"
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    settings.HESTIA_QUIET_HOURS = NEVER_QUIET
    queue = f"hestia-test-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    with Gateway() as gateway, log_path.open("w") as log:
        gateway.script(ok(delay=0.2))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "HESTIA_ENV_FILE": os.devnull,
            "CELERY_BROKER_URL": BROKER,
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "HESTIA_QUIET_HOURS": NEVER_QUIET,
            "HESTIA_SMS_BACKEND": "notifications.backends.http.HttpBackend",
            "HESTIA_SMS_GATEWAY_URL": gateway.url,
            "HESTIA_SMS_GATEWAY_TOKEN": gateway.token,
        }
        worker_process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "-Q", queue, "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
        celery_app.conf.task_always_eager = False
        celery_app.conf.task_default_queue = queue
        try:
            with transaction.atomic():
                [first] = notify(_worker_with_phone(), Kind.REMINDER, {"date": "1 December"})
                assert first.channel == "sms"
            # The same task delivered twice by the broker, then a second notice behind both:
            # once the second is sent, the duplicate has been through the worker too.
            message_dispatch.delay(first.pk)
            with transaction.atomic():
                [second] = notify(_worker_with_phone(), Kind.REMINDER, {"date": "2 December"})
            first = _wait_until_sent(first, worker_process, log_path)
            second = _wait_until_sent(second, worker_process, log_path)
        finally:
            celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
            worker_process.terminate()
            worker_process.wait(timeout=30)
    output = log_path.read_text()
    assert [request.key for request in gateway.received] == [
        str(first.idempotency_key),
        str(second.idempotency_key),
    ]
    assert (first.attempts, first.provider_reference) == (
        1,
        gateway.delivered[str(first.idempotency_key)],
    )
    assert output.count("notifications.tasks.message_dispatch") >= 3
    assert "'skipped'" in output
