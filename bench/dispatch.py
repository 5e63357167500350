"""Notice dispatch throughput: SMS through one real Celery worker on Redis to a local HTTP
gateway, beside a bare loop that posts the same messages to the same gateway (the limit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hestia_bench_dispatch \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python bench/dispatch.py --messages 1000

- The worker runs as the README's deployment starts it (`celery -A config worker --concurrency
  2`: the prefork pool, one worker of two processes), then with the solo pool (one process that
  runs each task itself); both figures are printed. Each task claims its message, posts it and
  records the answer, as in production.
- The tasks are queued first, in a queue the worker is then told to read (`add_consumer`): the
  worker drains a backlog, as after a batch of notices. Its time runs from its first claim to
  its last record of a send (the messages' last_attempt_at and sent_at), so neither the time
  this process takes to publish the tasks nor the worker's wait before it reads the new queue
  is counted. A few messages sent first warm every process of the pool up (database and
  gateway connections).
- The gateway (tests/notifications/gateway.py) runs in a process of its own, as a real one
  would, so that this process does not hold up its answers. The bare loop opens a connection
  for each message, as a script with urllib would.
- The machine may be shared: each figure is the median of `--rounds` runs, taken in turn. The
  CPU time of the sender (this process for the bare loop, every process of the worker for the
  worker) varies far less than the rates do.

Creates its own database tables (migrate), messages and queues; measures, asserts nothing.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("HESTIA_ENV_FILE", os.devnull)

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db.models import Max, Min
from django.utils import timezone

from config.celery import app
from notifications.models import Message
from notifications.tasks import message_dispatch
from registry.models import Worker

BODY = "Paalala: Lunes 10:00, Rue des Petits Carmes 15. Tel +32 2 501 81 11"
TOKEN = "bench-gateway-token"  # noqa: S105 (the local test gateway's)
# The README's worker command, then the solo pool; the bench adds its queues and name, and
# leaves out what only a cluster of workers uses (heartbeats, gossip, mingle).
WORKERS = {
    "one worker, prefork x2 (README)": ["--concurrency=2"],
    "one worker, solo pool": ["--pool=solo"],
}


def serve_gateway() -> None:
    """Run the test gateway until stdin closes; its address is the first line printed."""
    from tests.notifications.gateway import Gateway

    with Gateway(token=TOKEN) as gateway:
        print(gateway.url, flush=True)
        sys.stdin.read()


class GatewayProcess:
    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-gateway"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.url = self.process.stdout.readline().strip()
        if not self.url:
            sys.exit("The gateway did not start.")
        return self

    def __exit__(self, *exc_info):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        times = process.cpu_times()
        total += times.user + times.system
    return total


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


def bare_loop(url: str, count: int) -> tuple[float, float]:
    """POST the same messages straight to the gateway, one after another: the ceiling. Seconds
    and CPU seconds of this process."""
    me = [psutil.Process()]
    cpu = cpu_seconds(me)
    started = time.perf_counter()
    for _ in range(count):
        request = urllib.request.Request(
            url,
            data=json.dumps({"to": "+32470123456", "from": "Ministry", "text": BODY}).encode(),
            headers={
                "Authorization": f"Bearer {TOKEN}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
            method="POST",
        )
        # The gateway is the local test server started above.
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
            response.read()
    return time.perf_counter() - started, cpu_seconds(me) - cpu


def sent_count(ids: list[int]) -> int:
    # The ids of one bulk_create follow each other: a range, not a list of a thousand ids.
    return Message.objects.filter(pk__range=(min(ids), max(ids)), status="sent").count()


def through_worker(url: str, count: int, options: list[str]) -> tuple[float, float]:
    """Seconds one Celery worker started with `options` takes to send `count` messages whose
    tasks wait in a queue it is then told to read, and the CPU seconds its processes used."""
    warm_queue, queue = (f"bench-{uuid.uuid4().hex[:6]}" for _ in range(2))
    name = f"{warm_queue}@{socket.gethostname()}"
    env = {
        **os.environ,
        "HESTIA_SMS_BACKEND": "notifications.backends.http.HttpBackend",
        "HESTIA_SMS_GATEWAY_URL": url,
        "HESTIA_SMS_GATEWAY_TOKEN": TOKEN,
        "HESTIA_QUIET_HOURS": "00:00-00:00",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", *options,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", warm_queue,
         "-n", name, "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # Tasks travel through the broker to the worker, not in this process.
    app.conf.task_always_eager = False
    try:
        warm = make_messages(8)
        for message_id in warm:
            message_dispatch.apply_async((message_id,), queue=warm_queue)
        deadline = time.monotonic() + 60
        while sent_count(warm) < len(warm):
            if time.monotonic() > deadline or worker.poll() is not None:
                sys.exit("The Celery worker did not start.")
            time.sleep(0.05)
        ids = make_messages(count)
        for message_id in ids:
            message_dispatch.apply_async((message_id,), queue=queue)
        main = psutil.Process(worker.pid)
        processes = [main, *main.children(recursive=True)]
        cpu = cpu_seconds(processes)
        if not app.control.add_consumer(queue, destination=[name], reply=True, timeout=10):
            sys.exit("The Celery worker did not answer.")
        while sent_count(ids) < len(ids):
            if worker.poll() is not None:
                sys.exit("The Celery worker stopped.")
            time.sleep(0.02)
        cpu = cpu_seconds(processes) - cpu
        # The worker takes up the new queue when its pending BRPOP (a second at most) returns:
        # the time is the worker's own, from its first claim to its last record of a send.
        span = Message.objects.filter(pk__range=(min(ids), max(ids))).aggregate(
            first=Min("last_attempt_at"), last=Max("sent_at")
        )
        return (span["last"] - span["first"]).total_seconds(), cpu
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve-gateway", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_gateway:
        serve_gateway()
        return
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        sys.exit(
            "Set CELERY_BROKER_URL to a Redis database, for example redis://127.0.0.1:6379/14."
        )
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        sys.exit("Use PostgreSQL (DATABASE_URL): a worker process and this one share the database.")
    call_command("migrate", verbosity=0)
    count = args.messages
    runs: dict[str, list[tuple[float, float]]] = {"bare loop (the limit)": []}
    runs.update({name: [] for name in WORKERS})
    with GatewayProcess() as gateway:
        for _round in range(args.rounds):
            runs["bare loop (the limit)"].append(bare_loop(gateway.url, count))
            for name, options in WORKERS.items():
                runs[name].append(through_worker(gateway.url, count, options))
    rates = {name: [count / seconds for seconds, _cpu in done] for name, done in runs.items()}
    cpu = {name: [cpu / count * 1000 for _seconds, cpu in done] for name, done in runs.items()}
    bare = statistics.median(rates["bare loop (the limit)"])
    results = {
        "messages": count,
        "rounds": args.rounds,
        "per_second": {name: [round(rate) for rate in values] for name, values in rates.items()},
        "sender_cpu_ms_per_message": {
            name: [round(ms, 2) for ms in values] for name, values in cpu.items()
        },
    }
    print(json.dumps(results, indent=2))
    width = max(len(name) for name in runs)
    print(
        f"\n{count} messages, median of {args.rounds} rounds\n"
        f"{'':{width}}  messages/s  of the bare loop  sender CPU ms/message"
    )
    for name in runs:
        rate = statistics.median(rates[name])
        print(
            f"{name:{width}}  {rate:10.0f}  {rate / bare:16.0%}  "
            f"{statistics.median(cpu[name]):21.2f}"
        )


if __name__ == "__main__":
    main()
