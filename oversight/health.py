"""Health of the parts Hestia cannot work without, for the ministry's monitoring and the
operations view: the database and the Celery broker."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from kombu import Connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    milliseconds: int


def _timed(name: str, probe) -> Check:
    started = time.monotonic()
    try:
        detail = probe()
        ok = True
    except Exception as error:  # any failure of the probe means "down"
        detail, ok = type(error).__name__, False
    return Check(name, ok, detail, round((time.monotonic() - started) * 1000))


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Development: tasks run in the web process; there is no broker to be down.
        return "eager"
    with _connection() as broker:
        broker.ensure_connection(max_retries=1, timeout=settings.HESTIA_HEALTH_TIMEOUT_SECONDS)
    return settings.CELERY_BROKER_URL.split("://", 1)[0]


def _connection() -> Connection:
    timeout = settings.HESTIA_HEALTH_TIMEOUT_SECONDS
    return Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout},
    )


def checks() -> list[Check]:
    return [_timed("database", _database), _timed("broker", _broker)]


def queue_length() -> int | None:
    """Tasks waiting in the broker's default queue (Redis only), None when unknown."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0
    from config.celery import app

    try:
        with _connection() as broker:
            broker.ensure_connection(max_retries=1, timeout=settings.HESTIA_HEALTH_TIMEOUT_SECONDS)
            return broker.default_channel.client.llen(app.conf.task_default_queue)
    except Exception:  # not Redis, or down: the health checks say which
        return None
