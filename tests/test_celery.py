"""Celery: configuration, periodic tasks, and a task that truly travels through the broker."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.tasks import sessions_clear_expired
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("CELERY_BROKER_URL", "")


def test_celery_accepts_only_json_and_acknowledges_late():
    conf = celery_app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.django_db
def test_periodic_tasks_are_registered_by_migration_with_real_task_names():
    # As a worker and beat do at start-up: import every app's tasks module.
    celery_app.loader.import_default_modules()
    tasks = PeriodicTask.objects.exclude(name="celery.backend_cleanup")
    assert tasks.filter(task="accounts.tasks.sessions_clear_expired", enabled=True).exists()
    for task in tasks:
        assert task.task in celery_app.tasks, task.task


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(days=1)
    )
    assert sessions_clear_expired.delay().get() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


@pytest.mark.broker
@pytest.mark.django_db
@pytest.mark.skipif(
    not BROKER.startswith("redis") and os.environ.get("HESTIA_BROKER_REQUIRED") != "1",
    reason="needs CELERY_BROKER_URL pointing at Redis",
)
def test_a_password_reset_email_travels_through_redis_to_a_real_worker(
    client, officer, tmp_path, django_capture_on_commit_callbacks
):
    queue = f"hestia-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "HESTIA_ENV_FILE": os.devnull,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "CELERY_BROKER_URL": BROKER,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "-Q", queue, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password-reset"), {"email": officer.email})
        assert response.status_code == 302
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(tmp_path.iterdir()):
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        sent = [path.read_text() for path in tmp_path.iterdir()]
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert len(sent) == 1, output
    assert f"To: {officer.email}" in sent[0]
    assert "/accounts/password/reset/" in sent[0]
    assert "accounts.tasks.email_send" in output
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
