"""The administrators' operations view and /healthz."""

import datetime as dt
import os

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Message
from oversight.models import TaskFailure
from tests.registry.factories_workers import NoticeFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_each_part(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    # A real connection attempt to a port nothing listens on.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HESTIA_HEALTH_TIMEOUT_SECONDS = 1
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    class BrokenCursor:
        def __enter__(self):
            raise connection.Database.OperationalError("server closed the connection")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(connection, "cursor", BrokenCursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
    reason="needs CELERY_BROKER_URL pointing at Redis",
)
def test_healthz_reaches_the_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True


def test_healthz_is_not_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301


def test_operations_view_shows_the_queue_the_tasks_and_the_failures(
    client_for, administrator, time_machine
):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    old = NoticeFactory(status=Message.Status.QUEUED)
    Message.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=3))
    NoticeFactory(status=Message.Status.QUEUED, worker=old.worker)
    NoticeFactory(status=Message.Status.FAILED, worker=old.worker, last_attempt_at=now)
    PeriodicTask.objects.filter(name="Send due notices").update(
        last_run_at=now - dt.timedelta(hours=1), total_run_count=42
    )
    TaskFailure.objects.create(
        task_name="notifications.tasks.message_dispatch", exception="OperationalError"
    )

    response = client_for(administrator).get(reverse("oversight:operations"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="queued">2<' in page
    assert 'data-figure="failed-24h">1<' in page
    assert "3\xa0hours" in page  # the oldest queued notice's age
    assert "Send due notices" in page and ">Late<" in page  # an hour without the minute sweep
    assert "notifications.tasks.message_dispatch" in page and "OperationalError" in page


def test_operations_view_queries_do_not_grow_with_the_data(
    client_for, administrator, django_assert_max_num_queries
):
    client = client_for(administrator)
    client.get(reverse("oversight:operations"))
    with django_assert_max_num_queries(12):
        client.get(reverse("oversight:operations"))
    first = NoticeFactory()
    for _ in range(30):
        NoticeFactory(worker=first.worker)
        TaskFailure.objects.create(task_name="x", exception="ValueError")
    with django_assert_max_num_queries(12):
        client.get(reverse("oversight:operations"))


def test_a_failed_task_is_recorded_without_its_arguments(settings):
    from celery import shared_task

    @shared_task(name="tests.always_fails")
    def always_fails(secret):
        raise ValueError("the gateway said no\nsecond line")

    settings.CELERY_TASK_EAGER_PROPAGATES = False
    from config.celery import app

    app.conf.task_eager_propagates = False
    try:
        always_fails.delay("Maria Santos +32470000000")
    finally:
        app.conf.task_eager_propagates = True
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.always_fails"
    assert failure.exception == "ValueError"
    assert failure.message == "the gateway said no"
    assert "Maria" not in str(failure.__dict__)
