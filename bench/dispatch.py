"""Notice dispatch throughput: one real Celery worker on Redis posting to a local HTTP gateway,
beside a bare loop that posts the same messages to the same gateway (the limit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hestia_bench_dispatch \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python bench/dispatch.py --messages 1000

Creates its own database tables (migrate) and its own queue; measures, asserts nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("HESTIA_ENV_FILE", os.devnull)

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from notifications.models import Message
from notifications.tasks import message_dispatch
from registry.models import Worker
from tests.notifications.gateway import Gateway

BODY = "Paalala: Lunes 10:00, Rue des Petits Carmes 15. Tel +32 2 501 81 11"


def make_messages(count: int) -> list[int]:
    worker = Worker.objects.create(
        family_name="Bench", given_names="Rosario", date_of_birth="1985-03-14", sex="F",
        nationality="PH", preferred_language="tl",
    )  # fmt: skip
    now = timezone.now()
    created = Message.objects.bulk_create(
        Message(
            worker=worker,
            kind="reminder",
            channel="sms",
            language="tl",
            recipient="+32470123456",
            body=BODY,
            next_attempt_at=now,
        )
        for _ in range(count)
    )
    return [message.pk for message in created]


def bare_loop(gateway: Gateway, count: int) -> float:
    """POST the same messages straight to the gateway, one after another: the ceiling."""
    started = time.perf_counter()
    for _ in range(count):
        request = urllib.request.Request(
            gateway.url,
            data=json.dumps({"to": "+32470123456", "from": "Ministry", "text": BODY}).encode(),
            headers={
                "Authorization": f"Bearer {gateway.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
            method="POST",
        )
        # The gateway is the local test server started above.
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
    return time.perf_counter() - started


def through_worker(gateway: Gateway, ids: list[int]) -> float:
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    env = {
        **os.environ,
        "HESTIA_SMS_BACKEND": "notifications.backends.http.HttpBackend",
        "HESTIA_SMS_GATEWAY_URL": gateway.url,
        "HESTIA_SMS_GATEWAY_TOKEN": gateway.token,
        "HESTIA_QUIET_HOURS": "00:00-00:01",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", queue,
         "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # Tasks travel through the broker to the worker, not in this process.
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        [warm] = make_messages(1)
        message_dispatch.delay(warm)
        deadline = time.monotonic() + 60
        while not Message.objects.filter(pk=warm, status="sent").exists():
            if time.monotonic() > deadline or worker.poll() is not None:
                sys.exit("The Celery worker did not start.")
            time.sleep(0.05)
        started = time.perf_counter()
        for message_id in ids:
            message_dispatch.delay(message_id)
        while Message.objects.filter(pk__in=ids, status="sent").count() < len(ids):
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        sys.exit(
            "Set CELERY_BROKER_URL to a Redis database, for example redis://127.0.0.1:6379/14."
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        sys.exit("Use PostgreSQL (DATABASE_URL): a worker process and this one share the database.")
    call_command("migrate", verbosity=0)
    with Gateway() as gateway:
        bare = bare_loop(gateway, args.messages)
        worker = through_worker(gateway, make_messages(args.messages))
    results = {
        "messages": args.messages,
        "bare_loop_per_second": round(args.messages / bare, 1),
        "one_worker_per_second": round(args.messages / worker, 1),
        "ratio": round(bare / worker, 2),
    }
    print(json.dumps(results, indent=2))
    print(
        f"\nbare loop: {results['bare_loop_per_second']}/s  one Celery worker: "
        f"{results['one_worker_per_second']}/s  ({results['ratio']:.0%} of the bare loop)"
    )


if __name__ == "__main__":
    main()
