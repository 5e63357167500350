"""Load test: gunicorn serving the benchmark data, driven by locust with signed-in staff sessions.

    export HESTIA_ENV_FILE=/dev/null DEBUG=true
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hestia_h11_ministry
    .venv/bin/python bench/generate.py --size ministry     # once
    .venv/bin/python bench/loadtest.py --rate 50 --seconds 60

What it does, in order:

1. Collects the static files into a temporary directory (WhiteNoise serves them from there, with
   the hashed names production has).
2. Creates one database session per staff user of the four roles that read pages (protocol
   officers, interviewers, supervisors, auditors), signed in and with the second factor verified,
   as tests/conftest.py's verified_client does: the session's user hash and signature use the
   SECRET_KEY generated for this run, which gunicorn is given.
3. Starts gunicorn (config.wsgi, --workers, 127.0.0.1 on a free port) with DEBUG off, as in
   production: a generated SECRET_KEY, two factors required, HTTPS settings on behind a proxy
   (locust sends X-Forwarded-Proto: https). The field-encryption and search-hash keys are the ones
   the benchmark data were written with (the development keys bench/generate.py used), passed
   explicitly as production requires.
4. Runs locust headless (bench/locustfile.py) for --seconds at a bound of --rate requests a second:
   --users users, each at most rate/users requests a second (constant_throughput), the mix of
   pages each role uses (PAGES below), static files included. Statistics are reset once every
   user has started.
5. Stops gunicorn, removes the sessions and the static files, and prints one JSON document
   (throughput, p50/p95/p99, failures, per page) and a readable table.

Refuses to run on the development database. Measures; asserts nothing.
"""

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from bench.run import database_version, find_targets, memory_gb
from interviews.models import Interview
from registry.models import Employment

BENCH = Path(__file__).resolve().parent
BACKEND = "accounts.backends.ModelBackend"
# The users of each role that get a session, and each role's share of the locust users.
SESSIONS_PER_ROLE = 10
USERS_WEIGHT = {"officer": 5, "interviewer": 3, "supervisor": 2, "auditor": 1}
ROLES = {
    "officer": Role.PROTOCOL_OFFICER,
    "interviewer": Role.INTERVIEWER,
    "supervisor": Role.SUPERVISOR,
    "auditor": Role.AUDITOR,
}
# Worker pages requested at random among this many workers with an open employment.
WORKER_SAMPLE = 200
# What every page loads (templates/base.html).
STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/hestia.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "js/hestia.js",
)


def refuse_unless_scratch_database() -> None:
    name = str(connection.settings_dict["NAME"])
    if (
        connection.vendor == "sqlite"
        and Path(name).resolve() == (Path(settings.BASE_DIR) / "db.sqlite3").resolve()
    ):
        sys.exit("bench/loadtest.py refuses to run on the development database.")


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by PostgreSQL's processes."""
    totals = {"gunicorn": 0.0, "postgresql": 0.0}
    try:
        master = psutil.Process(gunicorn_pid)
        for process in [master, *master.children(recursive=True)]:
            times = process.cpu_times()
            totals["gunicorn"] += times.user + times.system
    except psutil.NoSuchProcess:
        pass
    for process in psutil.process_iter(["name", "cpu_times"]):
        if process.info["name"] == "postgres" and process.info["cpu_times"]:
            totals["postgresql"] += (
                process.info["cpu_times"].user + process.info["cpu_times"].system
            )
    return totals


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages(static_paths: list[str]) -> dict[str, list[dict]]:
    """Each role's pages: name, paths (one chosen at random per request) and weight."""
    targets = find_targets()
    today = timezone.localdate()
    year = str(today.year)
    workers = list(
        Employment.objects.exclude(status=Employment.Status.ENDED)
        .order_by("worker_id")
        .values_list("worker_id", flat=True)[:: max(1, 5000 // WORKER_SAMPLE)][:WORKER_SAMPLE]
    )
    worker_pages = [reverse("registry:worker-detail", args=[pk]) for pk in workers]
    workers_url = reverse("registry:worker-list")
    interviews_url = reverse("interviews:interview-list")
    concerns_url = reverse("interviews:concern-list")
    audit_url = reverse("accounts:audit-list")
    # Working days of this week and the last, for the day page and the calendar.
    days = [
        today - dt.timedelta(days=n)
        for n in range(14)
        if (today - dt.timedelta(days=n)).weekday() < 5
    ]
    day_url = reverse("interviews:day")
    static = {"name": "static files", "paths": static_paths, "weight": 2}
    return {
        "officer": [
            {"name": "home", "paths": [reverse("accounts:home")], "weight": 1},
            {"name": "worker list", "paths": [workers_url], "weight": 4},
            {
                "name": "worker search",
                "paths": [
                    f"{workers_url}?q={targets.surname}",
                    f"{workers_url}?q={targets.worker.family_name}",
                ],
                "weight": 3,
            },
            {"name": "worker page", "paths": worker_pages, "weight": 5},
            {
                "name": "mission page",
                "paths": [reverse("registry:mission-detail", args=[targets.mission.pk])],
                "weight": 1,
            },
            {"name": "interview list", "paths": [interviews_url], "weight": 2},
            {
                "name": "clearance list",
                "paths": [reverse("interviews:clearance-list")],
                "weight": 1,
            },
            static,
        ],
        "interviewer": [
            {
                "name": "interviewer's day",
                "paths": [f"{day_url}?date={day.isoformat()}" for day in days],
                "weight": 4,
            },
            # Each interviewer reads their own calendar: locustfile.py puts their id for {me}.
            {
                "name": "calendar, own week",
                "paths": [
                    reverse("interviews:calendar-interviewer", args=[0]).replace("/0/", "/{me}/")
                    + f"?view=week&date={day.isoformat()}"
                    for day in days[::5]
                ],
                "weight": 2,
            },
            {"name": "interview list", "paths": [interviews_url], "weight": 2},
            {"name": "concern list", "paths": [concerns_url], "weight": 1},
            {"name": "worker page", "paths": worker_pages, "weight": 2},
            static,
        ],
        "supervisor": [
            {"name": "dashboard", "paths": [reverse("oversight:dashboard")], "weight": 2},
            {"name": "concern list", "paths": [concerns_url], "weight": 3},
            {"name": "interview list", "paths": [interviews_url], "weight": 1},
            {"name": "worker page", "paths": worker_pages, "weight": 2},
            {
                "name": "compliance, per mission",
                "paths": [f"{reverse('oversight:compliance')}?year={year}"],
                "weight": 1,
            },
            static,
        ],
        "auditor": [
            {"name": "audit log", "paths": [audit_url], "weight": 3},
            {
                "name": "audit log, filtered",
                "paths": [f"{audit_url}?action=update&object_type=registry.worker"],
                "weight": 1,
            },
            {
                "name": "statistics",
                "paths": [f"{reverse('oversight:statistics')}?year={year}"],
                "weight": 1,
            },
            static,
        ],
    }


def sessions(role: Role) -> list[dict]:
    """A session (its key and its user) for each of the first SESSIONS_PER_ROLE users of
    `role`, signed in with a verified second factor; settings.SECRET_KEY is already the
    server's, so the signatures and hashes match."""
    users = list(User.objects.filter(groups__name=str(role)).order_by("pk")[:SESSIONS_PER_ROLE])
    if not users:
        sys.exit(f"No {role} user: run bench/generate.py first.")
    keys = []
    for user in users:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="default", defaults={"confirmed": True}
        )
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session["last_seen"] = time.time()
        session.create()
        keys.append({"key": session.session_key, "user": user.pk})
    return keys


def collect_static(env: dict, root: Path) -> list[str]:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env={**env, "HESTIA_STATIC_ROOT": str(root)},
        check=True,
        cwd=ROOT,
    )
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    return [settings.STATIC_URL + manifest[name] for name in STATIC if name in manifest]


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped before it answered.")
        try:
            request = urllib.request.Request(
                base + reverse("accounts:login"), headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer in time.")


def warm_up(base: str, roles: dict, rounds: int) -> float:
    """Every page of every role, `rounds` times, before the measured run: each gunicorn worker
    compiles its templates and fills its caches on its first requests, as a server that has been
    up for a while has done. Returns the seconds it took."""
    began = time.perf_counter()
    for role in roles.values():
        session = role["sessions"][0]
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session['key']}",
        }
        for _round in range(rounds):
            for page in role["pages"]:
                path = page["paths"][0].replace("{me}", str(session["user"]))
                request = urllib.request.Request(base + path, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        response.read()
                except urllib.error.URLError as error:
                    sys.exit(f"Warm-up: {path} failed: {error}")
    return round(time.perf_counter() - began, 1)


def read_stats(prefix: Path) -> dict:
    """Locust's CSV statistics: the whole run ("Aggregated") and each page."""
    by_name = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            by_name[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "requests_per_second": round(float(row["Requests/s"]), 1),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": round(float(row["Max Response Time"]), 1),
                "average_ms": round(float(row["Average Response Time"]), 1),
            }
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with open(failures_file, newline="") as handle:
            failures = [
                {"page": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(handle)
            ]
    total = by_name.pop("Aggregated")
    return {"total": total, "pages": by_name, "failures": failures}


def table(results: dict) -> str:
    head = f"{'page':<28}{'requests':>9}{'failed':>8}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    lines = [head, "-" * len(head)]
    rows = [*sorted(results["locust"]["pages"].items()), ("all pages", results["locust"]["total"])]
    for name, figures in rows:
        lines.append(
            f"{name:<28}{figures['requests']:>9}{figures['failures']:>8}"
            f"{figures['requests_per_second']:>7}{figures['median_ms']:>8.0f}"
            f"{figures['p95_ms']:>8.0f}{figures['p99_ms']:>8.0f}"
        )
    target = results["targets"]
    total = results["locust"]["total"]
    lines.append(
        f"target: {target['rate']} requests/s bound, zero failures, p95 under {target['p95_ms']} ms: "
        f"{'met' if total['failures'] == 0 and total['p95_ms'] < target['p95_ms'] else 'missed'}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="requests a second, at most")
    parser.add_argument("--users", type=int, default=50, help="locust users sharing the rate")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--json", type=Path, help="also write the JSON document to this file")
    args = parser.parse_args()
    refuse_unless_scratch_database()
    if connection.vendor != "postgresql":
        print("note: the load test is meant for PostgreSQL (DATABASE_URL).", file=sys.stderr)

    # The data were encrypted with the keys this (development) configuration derives; production
    # refuses to start without explicit keys, so they are handed over as such.
    field_keys = ",".join(settings.HESTIA_FIELD_ENCRYPTION_KEYS)
    search_key = settings.HESTIA_SEARCH_HASH_KEY
    secret_key = secrets.token_urlsafe(50)
    settings.SECRET_KEY = secret_key  # session signatures and user hashes for the server's key

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="hestia-load-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HESTIA_FIELD_ENCRYPTION_KEYS": field_keys,
        "HESTIA_SEARCH_HASH_KEY": search_key,
        "HESTIA_BEHIND_PROXY": "true",
        "HESTIA_STATIC_ROOT": str(work / "static"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
    }
    created: list[str] = []
    server = None
    started = time.perf_counter()
    try:
        print("  collecting static files...", file=sys.stderr)
        static_paths = collect_static(env, work / "static")
        roles = {}
        for key, role in ROLES.items():
            role_sessions = sessions(role)
            created += [session["key"] for session in role_sessions]
            roles[key] = {"sessions": role_sessions, "users_weight": USERS_WEIGHT[key]}
        for key, role_pages in pages(static_paths).items():
            roles[key]["pages"] = role_pages
        plan = {
            "rate_per_user": args.rate / args.users,
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "roles": roles,
        }
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan))
        print(f"  starting gunicorn ({args.workers} workers) on {base}...", file=sys.stderr)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_until_up(base, server)
        print("  warming up...", file=sys.stderr)
        warmed = warm_up(base, roles, rounds=2 * args.workers)
        print(
            f"  locust: {args.users} users, at most {args.rate:g} requests/s, {args.seconds} s...",
            file=sys.stderr,
        )
        load_before = [round(load, 2) for load in os.getloadavg()]
        cpu_before = cpu_seconds(server.pid)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        prefix = work / "locust"
        completed = subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(BENCH / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{args.seconds}s",
                "--reset-stats",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "HESTIA_LOAD_PLAN": str(plan_file)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        load_after = [round(load, 2) for load in os.getloadavg()]
        cpu_after = cpu_seconds(server.pid)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {name: round(cpu_after[name] - cpu_before.get(name, 0.0), 1) for name in cpu_after}
        cpu["locust"] = round(
            children_after.ru_utime
            + children_after.ru_stime
            - children_before.ru_utime
            - children_before.ru_stime,
            1,
        )
        if not Path(f"{prefix}_stats.csv").exists():
            sys.stderr.write(completed.stdout + completed.stderr)
            sys.exit("locust wrote no statistics.")
        stats = read_stats(prefix)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        Session.objects.filter(session_key__in=created).delete()
        shutil.rmtree(work, ignore_errors=True)

    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": memory_gb(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": database_version(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "server": {
            "gunicorn_workers": args.workers,
            "debug": False,
            "port": port,
            "warm_up_seconds": warmed,
        },
        "load": {
            "users": args.users,
            "rate_bound": args.rate,
            "seconds": args.seconds,
            "sessions": {key: len(value["sessions"]) for key, value in roles.items()},
            "users_weight": USERS_WEIGHT,
            "interviews": Interview.objects.count(),
        },
        "targets": {"rate": args.rate, "p95_ms": 300, "failures": 0},
        "locust": stats,
        # CPU seconds used during the run, of the 2 x --seconds the machine has (os.cpu_count()).
        "cpu_seconds": cpu,
        "seconds": round(time.perf_counter() - started, 1),
    }
    document = json.dumps(results, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(document + "\n")
    print(document)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
