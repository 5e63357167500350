"""What every fault test needs: PostgreSQL, a redis-server of its own, Celery worker processes,
the test SMS gateway, workers with safe phones, the sweep run until every message is final, and
the count of every message at the end.

The tests need PostgreSQL (the worker process must reach the test database; SQLite test
databases live in this process) and the redis-server binary. Without them they skip, or fail
when HESTIA_BROKER_REQUIRED=1 (CI), as the other real-worker tests do.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction

from config.celery import app as celery_app
from notifications.models import Kind, Message
from notifications.services import notify
from notifications.tasks import messages_sweep
from registry.models import WorkerPhone
from tests.factories import WorkerFactory
from tests.notifications.gateway import Gateway

ROOT = Path(__file__).resolve().parent.parent.parent
REQUIRED = os.environ.get("HESTIA_BROKER_REQUIRED") == "1"
NEVER_QUIET = "00:00-00:00"
Status = Message.Status
OPEN = (Status.QUEUED, Status.SENDING)
SENT = (Status.SENT, Status.DELIVERED)


def _missing() -> str:
    """Why the fault tests cannot run here, or "" when they can."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append(
            "PostgreSQL (a worker process must reach the test database: "
            "set DATABASE_URL=postgres://...)"
        )
    if not shutil.which("redis-server"):
        missing.append("the redis-server binary (each test starts and stops its own Redis)")
    return "fault tests need " + " and ".join(missing) if missing else ""


def pytest_collection_modifyitems(config, items):
    """Skipped at collection, before a database is set up for them, unless CI requires them."""
    reason = _missing()
    if not reason or REQUIRED:
        return
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _postgresql_and_redis_server():
    """In CI (HESTIA_BROKER_REQUIRED=1) a missing PostgreSQL or redis-server is a failure."""
    reason = _missing()
    if reason:
        pytest.fail(reason)


@pytest.fixture(autouse=True)
def _never_quiet(settings):
    """SMS are held back at night; a run at 22:00 must send like one at noon."""
    settings.HESTIA_QUIET_HOURS = NEVER_QUIET


# --- Redis ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own on a spare port that saves nothing to disk: stopping it
    loses every task queued in it, as a broker that crashes without persistence does, and stopping
    it disturbs nobody else."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = directory / "redis.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                 "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.directory)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.starts += 1
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        deadline = time.monotonic() + 15
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            f"redis-server did not start:\n{self.log_path.read_text()}"
                        ) from None
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """SIGTERM: Redis exits at once and, with nothing to save, forgets its queues."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def queued(self, queue: str = "celery") -> int:
        """Tasks waiting in `queue` (0 when Redis is down)."""
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        try:
            return client.llen(queue)
        except redis.ConnectionError:
            return 0
        finally:
            client.close()


@pytest.fixture
def broker(tmp_path):
    """A Redis of the test's own, with this process' Celery app publishing to it (not eagerly).

    The producer's URL goes in broker_write_url, which wins over CELERY_BROKER_URL in the
    environment (CI's shared Redis); the connection pools are set aside and restored after."""
    server = RedisServer(tmp_path)
    server.start()
    conf = celery_app.conf
    saved = (
        conf.get("broker_write_url"),
        conf.task_always_eager,
        celery_app._pool,
        celery_app.amqp._producer_pool,
    )
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    conf["broker_write_url"] = server.url
    conf.task_always_eager = False
    try:
        yield server
    finally:
        for pool in (celery_app.amqp._producer_pool, celery_app._pool):
            if pool is not None:
                pool.force_close_all()
        (
            conf["broker_write_url"],
            conf.task_always_eager,
            celery_app._pool,
            celery_app.amqp._producer_pool,
        ) = saved
        server.stop()


# --- The gateway and the Celery workers -----------------------------------------------------


@pytest.fixture
def gateway():
    """The test SMS gateway (tests/notifications/gateway.py); a test sets its `fate`."""
    with Gateway() as gateway:
        yield gateway
        # A held answer finishes (and delivers) after the client gave up: count it too.
        gateway.idle(timeout=15)


def database_url() -> str:
    """The URL of the test database, for the worker process."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryWorker:
    """`celery -A config worker` in its own process group, so that it and its pool's children
    can be killed together without touching pytest."""

    def __init__(self, *, name: str, env: dict, log_path: Path, pool: str, concurrency: int):
        self.log_path = log_path
        with log_path.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}",
                 f"--concurrency={concurrency}", "--without-heartbeat", "--without-gossip",
                 "--without-mingle", "--loglevel=INFO", "-n", f"{name}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self, last: int = 4000) -> str:
        return self.log_path.read_text()[-last:]

    def kill(self) -> None:
        """SIGKILL to the whole process group: the main process and every pool child at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), or SIGKILL if it does not end in 30 s."""
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def start_worker(broker, gateway, settings, tmp_path):
    """Start a Celery worker process against the test database, the test's Redis and the
    gateway, with this process' notice settings (timeout, attempts, retry wait)."""
    started: list[CeleryWorker] = []

    def start(*, pool: str = "prefork", concurrency: int = 2) -> CeleryWorker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "HESTIA_ENV_FILE": os.devnull,
            "CELERY_BROKER_URL": broker.url,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "INFO",
            "HESTIA_QUIET_HOURS": NEVER_QUIET,
            "HESTIA_SMS_BACKEND": "notifications.backends.http.HttpBackend",
            "HESTIA_SMS_GATEWAY_URL": gateway.url,
            "HESTIA_SMS_GATEWAY_TOKEN": gateway.token,
            "HESTIA_SMS_GATEWAY_TIMEOUT": str(settings.HESTIA_SMS_GATEWAY_TIMEOUT),
            "HESTIA_MESSAGE_MAX_ATTEMPTS": str(settings.HESTIA_MESSAGE_MAX_ATTEMPTS),
            "HESTIA_MESSAGE_RETRY_SECONDS": str(settings.HESTIA_MESSAGE_RETRY_SECONDS),
        }
        for name in ("CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
            env.pop(name, None)
        number = len(started) + 1
        worker = CeleryWorker(
            name=f"fault-{number}",
            env=env,
            log_path=tmp_path / f"worker-{number}.log",
            pool=pool,
            concurrency=concurrency,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


# --- Workers, notices, the sweep, the count --------------------------------------------------


def workers_with_phones(count: int, *, first: int = 0) -> list:
    """`count` workers, each with one safe mobile number for SMS (+3247100xxxx) and no e-mail:
    each notice is exactly one SMS. Numbers follow the index, so a run can be repeated."""
    workers = []
    with transaction.atomic():
        for index in range(first, first + count):
            worker = WorkerFactory()
            WorkerPhone.objects.create(
                worker=worker,
                number=f"+3247{1_000_000 + index:07d}",
                is_mobile=True,
                is_safe=True,
                is_sms_number=True,
            )
            workers.append(worker)
    return workers


def notify_each(workers) -> list[int]:
    """One reminder per worker, each in its own transaction as the services write them (the task
    is published when it commits); the ids of the messages written."""
    ids = []
    for worker in workers:
        [message] = notify(worker, Kind.REMINDER, {"date": "1 December"})
        assert (message.channel, message.status) == ("sms", Status.QUEUED), message.hold_reason
        ids.append(message.pk)
    return ids


def statuses(ids) -> Counter:
    return Counter(Message.objects.filter(pk__in=ids).values_list("status", flat=True))


def wait_until(condition: Callable[[], bool], *, workers=(), seconds: float = 60, what="") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for worker in workers:
            assert worker.alive(), worker.log()
        if time.monotonic() > deadline:
            logs = "\n".join(worker.log() for worker in workers)
            raise AssertionError(f"{what or 'condition'} not reached in {seconds} s\n{logs}")
        time.sleep(0.02)


def sweep_until_final(
    ids, *, workers, seconds: float = 90, every: float = 2.0
) -> tuple[float, int]:
    """Run the sweep (the task beat runs every minute, called here directly, more often) until
    no message is queued or sending; the seconds it took and the number of sweeps."""
    started = time.monotonic()
    sweeps = 0
    while True:
        time.sleep(every)
        open_messages = Message.objects.filter(pk__in=ids, status__in=OPEN).count()
        if not open_messages:
            return time.monotonic() - started, sweeps
        for worker in workers:
            assert worker.alive(), worker.log()
        if time.monotonic() - started > seconds:
            logs = "\n".join(worker.log() for worker in workers)
            raise AssertionError(
                f"{open_messages} messages still open after {seconds} s: {statuses(ids)}\n{logs}"
            )
        messages_sweep()
        sweeps += 1


def account_for_every_message(ids, gateway) -> dict:
    """Assert that nothing was lost and nothing delivered twice, and return the counts.

    - the outbox holds exactly the messages written, and none is still queued or sending;
    - each is sent (its provider reference is the id the gateway delivered it under) or
      failed with a code and a reason;
    - the gateway delivered each idempotency key at most once and each phone at most once (one
      notice per worker here), and only keys of these messages;
    - no message reached the gateway more often than it was attempted.
    """
    messages = list(Message.objects.filter(pk__in=ids))
    assert Message.objects.count() == len(ids) == len(messages) == len(set(ids))
    by_status = Counter(message.status for message in messages)
    assert set(by_status) <= {*SENT, Status.FAILED}, by_status
    keys = {str(message.idempotency_key) for message in messages}
    for message in messages:
        key = str(message.idempotency_key)
        if message.status in SENT:
            assert gateway.delivered.get(key) == message.provider_reference, message.pk
            assert (message.failure_code, message.failure_detail) == ("", "")
        else:
            assert message.failure_code, message.pk
            assert message.failure_detail, message.pk
        assert len(gateway.requests_for(key)) <= message.attempts, message.pk
    delivered_keys = Counter(delivery.key for delivery in gateway.deliveries)
    delivered_phones = Counter(delivery.to for delivery in gateway.deliveries)
    assert set(delivered_keys) <= keys
    assert max(delivered_keys.values(), default=0) <= 1
    assert max(delivered_phones.values(), default=0) <= 1, delivered_phones.most_common(3)
    return {
        "written": len(messages),
        "sent": sum(by_status[status] for status in SENT),
        "failed": by_status[Status.FAILED],
        "still open": sum(by_status[status] for status in OPEN),
        "requests": len(gateway.received),
        "delivered": len(gateway.deliveries),
        "duplicates refused": gateway.duplicates_refused,
        "delivered twice": sum(1 for n in delivered_phones.values() if n > 1),
    }


@pytest.fixture
def report(capsys):
    """Print a test's figures even without -s (they go into bench/RESULTS.md)."""

    def show(title: str, figures: dict) -> None:
        line = ", ".join(f"{name} {value}" for name, value in figures.items())
        with capsys.disabled():
            print(f"\n{title}: {line}")

    return show
