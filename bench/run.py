"""Server time and query count of the staff pages, and a 10,000-row CSV import of new workers.

    export HESTIA_ENV_FILE=/dev/null DEBUG=true DATABASE_URL=sqlite:////tmp/bench-ministry.sqlite3
    .venv/bin/python bench/generate.py --size ministry && .venv/bin/python bench/run.py

Each page is requested through Django's test client, signed in as a member of the role that uses
it (with a verified second factor): two warm-up requests, one request whose queries are counted,
then --repeat timed requests (median and 95th percentile, nearest rank). Settings.DEBUG is
switched off before the first request and two factors are required, as in production, so neither
the SQL log nor template debugging weighs on the figures (queries are counted all the same), and
the test environment's template instrumentation is not installed. A page whose URL does not
resolve (an app not merged yet) is skipped with a note.

The Django admin's changelist of workers is measured the same way, as a superuser, and the worker
list's times are given as a ratio of it. Hestia registers no admin for workers (staff use the
worker list), so this script registers a plain ModelAdmin with the list's page size and its
plain columns for the comparison, in this process only.

--compare takes the JSON of a run at another size (for example `small`) and shows, page by page,
whether the query count is the same: a count that grows with the data is an N+1 query.

The import runs bench/importrun.py in a subprocess on a throw-away copy of the database (a file
copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), dry run first, then the import.

Prints one JSON document and a readable table. Measures; asserts nothing.
"""

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, User
from accounts.roles import Role
from interviews.models import Concern, IndicatorAnswer, Interview, InterviewRecord, Slot
from notifications.models import Message
from registry.models import (
    BankAccount,
    Employer,
    Employment,
    IdentityCard,
    Mission,
    Worker,
)

WORKER_LIST_PAGE_SIZE = 25  # registry.views.workers.PAGE_SIZE


class BenchWorkerAdmin(admin.ModelAdmin):
    """The stand-in admin the worker list is compared with: the model's ordering, the list's
    page size, the columns that need no join."""

    list_display = (
        "family_name",
        "given_names",
        "nationality",
        "date_of_birth",
        "preferred_language",
    )
    list_per_page = WORKER_LIST_PAGE_SIZE


if not admin.site.is_registered(Worker):
    # Before anything imports the URLconf, which reads admin.site's registry once.
    admin.site.register(Worker, BenchWorkerAdmin)

BENCH = Path(__file__).resolve().parent
TARGET_P95_MS = 100
TARGET_QUERIES = 15
ENDED = Employment.Status.ENDED


@dataclass
class Page:
    name: str
    role: Role | None
    url: str
    params: dict
    # Signed in as this user rather than the role's first member.
    user: User | None = None


@dataclass
class Targets:
    worker: Worker
    worker_employments: int
    mission: Mission
    employer: Employer
    surname: str
    # The interviewer with the most appointments on one day, and that day.
    interviewer: User | None = None
    busiest_day: dt.date | None = None
    busiest_count: int = 0


def find_targets() -> Targets:
    """The records the detail pages and filters use: the busiest of each, chosen the same way
    on every database, so the pages show the most a page of that kind can show."""
    # A worker with an open interview (the interviews panel at its fullest) and the longest
    # history among them.
    open_interview = Interview.objects.filter(
        worker=OuterRef("pk"), status__in=Interview.OPEN_STATUSES
    )
    worker = (
        Worker.objects.annotate(
            past=Count("employments", filter=Q(employments__status=ENDED)),
            current=Count("employments", filter=~Q(employments__status=ENDED)),
            open_interview=Exists(open_interview),
        )
        .filter(current=1)
        .order_by("-open_interview", "-past", "pk")
        .first()
    )
    if worker is None:
        sys.exit("No worker with an open employment: run bench/generate.py first.")
    mission = (
        Mission.objects.annotate(
            open=Count("employers__employments", filter=~Q(employers__employments__status=ENDED))
        )
        .order_by("-open", "pk")
        .first()
    )
    employer = Employer.objects.annotate(n=Count("employments")).order_by("-n", "pk").first()
    surname = (
        Worker.objects.values("family_name")
        .annotate(n=Count("id"))
        .order_by("-n", "family_name")
        .first()["family_name"]
    )
    targets = Targets(worker, worker.past + 1, mission, employer, surname)
    busiest_interviewer_day(targets)
    return targets


def busiest_interviewer_day(targets: Targets) -> None:
    """The interviewer and day with the most appointments (the nearest to today of the
    fullest): their day page and week calendar are the fullest an interviewer sees."""
    today = timezone.localdate()
    per_day: Counter = Counter()
    for interviewer_id, starts_at in Interview.objects.filter(
        interviewer__isnull=False,
        status__in=["invited", "confirmed", "held", "no_show"],
    ).values_list("interviewer_id", "starts_at"):
        per_day[(interviewer_id, timezone.localdate(starts_at))] += 1
    if not per_day:
        return
    # Most appointments first, then the day nearest today, then the lowest id.
    (interviewer_id, day), count = min(
        per_day.items(), key=lambda item: (-item[1], abs((item[0][1] - today).days), item[0])
    )
    targets.interviewer = User.objects.get(pk=interviewer_id)
    targets.busiest_day, targets.busiest_count = day, count


def url(name: str, *args) -> str | None:
    """The page's path, or None when the URL name does not resolve (not merged yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def pages(t: Targets) -> list[Page]:
    officer, auditor = Role.PROTOCOL_OFFICER, Role.AUDITOR
    worker = t.worker
    return [
        Page("login page", None, "/accounts/login/", {}),
        Page("home", officer, "/", {}),  # supervisors land on the dashboard
        Page("worker list", officer, "/workers/", {}),
        Page(
            "worker list, mission+status",
            officer,
            "/workers/",
            {"mission": t.mission.pk, "status": Employment.Status.ACTIVE},
        ),
        Page(
            "worker search, name",
            officer,
            "/workers/",
            {"q": f"{worker.family_name} {worker.given_names.split()[0]}"},
        ),
        Page("worker search, surname", officer, "/workers/", {"q": t.surname}),
        Page("worker search, passport", officer, "/workers/", {"q": worker.passport_number}),
        Page("worker page", officer, f"/workers/{worker.pk}/", {}),
        Page("worker page, supervisor", Role.SUPERVISOR, f"/workers/{worker.pk}/", {}),
        Page("employer list", officer, "/employers/", {}),
        Page("employer page", officer, f"/employers/{t.employer.pk}/", {}),
        Page("mission list", officer, "/missions/", {}),
        Page("mission page", officer, f"/missions/{t.mission.pk}/", {}),
        Page("audit log", auditor, "/audit/", {}),
        Page(
            "audit log, filtered",
            auditor,
            "/audit/",
            {"action": "update", "object_type": "registry.worker"},
        ),
        Page("audit log, page 100", auditor, "/audit/", {"page": "100"}),
        *interview_pages(t),
        Page(
            "admin: worker changelist",
            None,
            url("admin:registry_worker_changelist"),
            {},
            user=bench_superuser(),
        ),
    ]


def interview_pages(t: Targets) -> list[Page]:
    officer, supervisor, auditor = Role.PROTOCOL_OFFICER, Role.SUPERVISOR, Role.AUDITOR
    year = str(timezone.localdate().year)
    found = []
    if t.interviewer is not None:
        day = t.busiest_day.isoformat()
        found += [
            Page("interviewer's day", None, url("interviews:day"), {"date": day}, t.interviewer),
            Page(
                # This week, as the calendar opens: every published slot, free or booked.
                "calendar, interviewer's week",
                None,
                url("interviews:calendar-interviewer", t.interviewer.pk),
                {"view": "week"},
                t.interviewer,
            ),
        ]
    found += [
        Page("interview list", officer, url("interviews:interview-list"), {}),
        Page(
            "interview list, every status",
            officer,
            url("interviews:interview-list"),
            {"status": "all"},
        ),
        Page("concern list", supervisor, url("interviews:concern-list"), {}),
        Page("clearance list", officer, url("interviews:clearance-list"), {}),
        Page("notice list", officer, url("notifications:message-list"), {}),
        # Figures kept for a minute (most views), and computed afresh (once a minute, or asked).
        Page("dashboard", supervisor, url("oversight:dashboard"), {}),
        Page("dashboard, computed", supervisor, url("oversight:dashboard"), {"refresh": "1"}),
        Page("compliance, per mission", supervisor, url("oversight:compliance"), {"year": year}),
        Page(
            "compliance, per employer",
            supervisor,
            url("oversight:compliance"),
            {"year": year, "group": "employer"},
        ),
        Page("statistics", auditor, url("oversight:statistics"), {"year": year}),
    ]
    return found


def bench_superuser() -> User:
    user, _created = User.objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "bench-admin@ministry.example"},
    )
    return user


def client_for(role: Role | None, user: User | None = None) -> Client:
    client = Client()
    if role is None and user is None:
        return client
    if user is None:
        user = User.objects.filter(groups__name=str(role)).order_by("pk").first()
    if user is None:
        sys.exit(f"No {role} user: run bench/generate.py first.")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="default", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def request(client: Client, page: Page):
    response = client.get(page.url, page.params)
    if response.status_code != 200:
        sys.exit(f"{page.name}: {page.url} answered {response.status_code}")
    return response


def count_queries(client: Client, page: Page) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        request(client, page)
    return captured.captured_queries


# A page whose warm-up request takes longer than this is timed SLOW_REPEAT times only: its
# figures are far over target either way, and 30 requests of a minute each would hold the run.
SLOW_SECONDS = 3
SLOW_REPEAT = 3


def measure(client: Client, page: Page, repeat: int) -> dict:
    started = time.perf_counter()
    request(client, page)
    if time.perf_counter() - started > SLOW_SECONDS:
        repeat = min(repeat, SLOW_REPEAT)
    else:
        request(client, page)
    queries = len(count_queries(client, page))
    timings, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        request(client, page)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    p95 = timings[max(0, ceil(len(timings) * 0.95) - 1)]
    return {
        "url": page.url,
        "params": {key: str(value) for key, value in page.params.items()},
        "role": str(page.role) if page.role else None,
        "user": page.user.username if page.user else None,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(timings[-1], 1),
        # This process's CPU time: Python and, on SQLite, the database; a busy machine shows
        # in the wall-clock figures above but hardly here.
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "repeat": repeat,
        "queries": queries,
        "over_target": p95 > TARGET_P95_MS or queries > TARGET_QUERIES,
    }


def production_like() -> None:
    """Before the first request: no SQL log, no template debugging, two factors required.

    setup_test_environment() is left out on purpose: it instruments every template render
    (each <option> of a select is one) so the test client can collect contexts, which is test
    overhead, not server time."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    settings.HESTIA_REQUIRE_2FA = True
    # As config/wsgi.py does in a server process: what start-up loaded is kept out of the
    # garbage collector's full collections.
    gc.collect()
    gc.freeze()


# --- The import, on a copy --------------------------------------------------------------------


def database_copy() -> tuple[str, Callable[[], None]]:
    """A copy of the benchmark database: its URL and a function that removes it."""
    conf = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        copy = f"/tmp/bench-import-{os.getpid()}.sqlite3"  # noqa: S108
        shutil.copyfile(conf["NAME"], copy)

        def remove() -> None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(copy + suffix).unlink(missing_ok=True)

        return f"sqlite:///{copy}", remove
    if connection.vendor != "postgresql":
        sys.exit(f"No way to copy a {connection.vendor} database.")
    import psycopg
    from psycopg import sql

    copy = f"{conf['NAME']}_import"
    server = {
        "host": conf["HOST"] or "127.0.0.1",
        "port": conf["PORT"] or 5432,
        "user": conf["USER"],
        "password": conf["PASSWORD"] or None,
    }

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))

    drop()
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(copy), sql.Identifier(conf["NAME"])
            )
        )
    password = f":{quote(server['password'], safe='')}" if server["password"] else ""
    url = f"postgres://{quote(server['user'], safe='')}{password}@{server['host']}:{server['port']}/{copy}"
    return url, drop


def run_import(rows: int, seed: int) -> dict:
    url, remove = database_copy()
    try:
        completed = subprocess.run(
            [sys.executable, str(BENCH / "importrun.py"), "--rows", str(rows), "--seed", str(seed)],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        remove()
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        sys.exit("The import benchmark failed.")
    return json.loads(completed.stdout)


# --- Report -----------------------------------------------------------------------------------


def interview_counts() -> dict:
    return {
        "interviews": Interview.objects.count(),
        "open_interviews": Interview.objects.filter(status__in=Interview.OPEN_STATUSES).count(),
        "records": InterviewRecord.objects.count(),
        "indicator_answers": IndicatorAnswer.objects.count(),
        "slots": Slot.objects.count(),
        "concerns": Concern.objects.count(),
        "messages": Message.objects.count(),
    }


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.vendor


def memory_gb() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return round(kilobytes / 1024 / 1024, 1)


ADMIN_PAGE = "admin: worker changelist"


def admin_ratio(pages: dict) -> dict | None:
    """The worker list's times divided by the admin changelist's, on the same data."""
    admin_figures, listed = pages.get(ADMIN_PAGE), pages.get("worker list")
    if not admin_figures or not listed:
        return None
    return {
        key: round(listed[key] / admin_figures[key], 2) if admin_figures[key] else None
        for key in ("median_ms", "p95_ms", "cpu_median_ms", "queries")
    }


def compare_queries(results: dict, other: dict) -> dict:
    """Per page: this run's query count and the other run's, and whether they are equal."""
    compared = {}
    for name, figures in results["pages"].items():
        theirs = other.get("pages", {}).get(name)
        compared[name] = {
            "queries": figures["queries"],
            "other": theirs["queries"] if theirs else None,
            "same": theirs is not None and theirs["queries"] == figures["queries"],
        }
    return compared


def table(results: dict) -> str:
    compared = results.get("query_counts_compared", {})
    other = results.get("compared_with", {}).get("workers")
    head = f"{'page':<32}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'cpu ms':>9}"
    if compared:
        head += f"{'queries at ' + format(other or 0, ',') + ' workers':>28}"
    lines = [head, "-" * len(head)]
    for name, figures in results["pages"].items():
        flag = "  *" if figures["over_target"] else ""
        if figures.get("repeat", results["repeat"]) != results["repeat"]:
            flag += f" (slow: {figures['repeat']} requests)"
        line = (
            f"{name:<32}{figures['median_ms']:>10}{figures['p95_ms']:>9}"
            f"{figures['queries']:>9}{figures['cpu_median_ms']:>9}"
        )
        if compared:
            entry = compared.get(name, {})
            mark = "" if entry.get("same") else "  differs"
            line += f"{entry.get('other') if entry.get('other') is not None else '-':>28}{mark}"
        lines.append(line + flag)
    lines.append(
        f"* over target: p95 above {TARGET_P95_MS} ms or more than {TARGET_QUERIES} queries"
    )
    for name, reason in results.get("skipped", {}).items():
        lines.append(f"skipped: {name} ({reason})")
    ratio = results.get("admin_ratio")
    if ratio:
        lines.append(
            f"worker list / admin changelist: median {ratio['median_ms']}x, p95 {ratio['p95_ms']}x, "
            f"CPU {ratio['cpu_median_ms']}x, queries {ratio['queries']}x"
        )
    imported = results.get("import")
    if imported:
        lines.append("")
        lines.append(f"CSV import of {imported['rows']:,} new workers ({imported['csv_kib']} KiB)")
        for label in ("dry_run", "import"):
            step = imported[label]
            lines.append(
                f"  {label.replace('_', ' '):<10}{step['seconds']:>8} s  "
                f"{step['rows_per_second']:>6} rows/s  {step['queries']:>8} queries"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=10_000, help="0 skips the import")
    parser.add_argument("--seed", type=int, default=36)
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the JSON document to this file")
    parser.add_argument(
        "--compare", type=Path, help="the JSON of a run at another size: compare query counts"
    )
    args = parser.parse_args()
    production_like()
    started = time.perf_counter()
    targets = find_targets()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": memory_gb(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": database_version(),
            "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        },
        "data": {
            "missions": Mission.objects.count(),
            "employers": Employer.objects.count(),
            "workers": Worker.objects.count(),
            "employments": Employment.objects.count(),
            "open_employments": Employment.objects.exclude(status=ENDED).count(),
            "cards": IdentityCard.objects.count(),
            "bank_accounts": BankAccount.objects.count(),
            "audit_entries": AuditEntry.objects.count(),
            **interview_counts(),
        },
        "targets": {"p95_ms": TARGET_P95_MS, "queries": TARGET_QUERIES},
        "repeat": args.repeat,
        "subjects": {
            "worker": targets.worker.pk,
            "worker_employments": targets.worker_employments,
            "mission": targets.mission.pk,
            "employer": targets.employer.pk,
            "surname": targets.surname,
            "interviewer": targets.interviewer.pk if targets.interviewer else None,
            "interviewer_day": targets.busiest_day.isoformat() if targets.busiest_day else None,
            "interviewer_day_appointments": targets.busiest_count,
        },
        "pages": {},
        "skipped": {},
    }
    clients: dict[tuple, Client] = {}
    for page in pages(targets):
        if args.only and args.only not in page.name:
            continue
        if page.url is None:
            results["skipped"][page.name] = "its URL does not resolve in this checkout"
            print(f"  {page.name}: skipped, no URL", file=sys.stderr)
            continue
        key = (page.role, page.user.pk if page.user else None)
        if key not in clients:
            clients[key] = client_for(page.role, page.user)
        results["pages"][page.name] = measure(clients[key], page, args.repeat)
        print(f"  {page.name}: {results['pages'][page.name]['p95_ms']} ms", file=sys.stderr)
    results["admin_ratio"] = admin_ratio(results["pages"])
    if args.compare:
        other = json.loads(args.compare.read_text())
        results["compared_with"] = other.get("data", {})
        results["query_counts_compared"] = compare_queries(results, other)
    if args.import_rows:
        print(f"  importing {args.import_rows} rows on a copy...", file=sys.stderr)
        results["import"] = run_import(args.import_rows, args.seed)
    results["machine"]["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    results["seconds"] = round(time.perf_counter() - started, 1)
    document = json.dumps(results, indent=2, ensure_ascii=False)
    if args.json:
        args.json.write_text(document + "\n")
    print(document)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
