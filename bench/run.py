"""Server time and query count of the staff pages, and a 10,000-row CSV import of new workers.

    export HESTIA_ENV_FILE=/dev/null DEBUG=true DATABASE_URL=sqlite:////tmp/bench-ministry.sqlite3
    .venv/bin/python bench/generate.py --size ministry && .venv/bin/python bench/run.py

Each page is requested through Django's test client, signed in as a member of the role that uses
it (with a verified second factor): two warm-up requests, one request whose queries are counted,
then --repeat timed requests (median and 95th percentile, nearest rank). Settings.DEBUG is
switched off before the first request and two factors are required, as in production, so neither
the SQL log nor template debugging weighs on the figures (queries are counted all the same), and
the test environment's template instrumentation is not installed.

The import runs bench/importrun.py in a subprocess on a throw-away copy of the database (a file
copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), dry run first, then the import.

Prints one JSON document and a readable table. Measures; asserts nothing.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
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
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEntry, User
from accounts.roles import Role
from registry.models import (
    BankAccount,
    Employer,
    Employment,
    IdentityCard,
    Mission,
    Worker,
)

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


@dataclass
class Targets:
    worker: Worker
    worker_employments: int
    mission: Mission
    employer: Employer
    surname: str


def find_targets() -> Targets:
    """The records the detail pages and filters use: the busiest of each, chosen the same way
    on every database, so the pages show the most a page of that kind can show."""
    worker = (
        Worker.objects.annotate(
            past=Count("employments", filter=Q(employments__status=ENDED)),
            current=Count("employments", filter=~Q(employments__status=ENDED)),
        )
        .filter(current=1)
        .order_by("-past", "pk")
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
    return Targets(worker, worker.past + 1, mission, employer, surname)


def pages(t: Targets) -> list[Page]:
    officer, auditor = Role.PROTOCOL_OFFICER, Role.AUDITOR
    worker = t.worker
    return [
        Page("login page", None, "/accounts/login/", {}),
        Page("home", Role.SUPERVISOR, "/", {}),
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
    ]


def client_for(role: Role | None) -> Client:
    client = Client()
    if role is None:
        return client
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


def measure(client: Client, page: Page, repeat: int) -> dict:
    for _ in range(2):
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
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(timings[-1], 1),
        # This process's CPU time: Python and, on SQLite, the database; a busy machine shows
        # in the wall-clock figures above but hardly here.
        "cpu_median_ms": round(statistics.median(cpu), 1),
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


def table(results: dict) -> str:
    lines = [
        f"{'page':<30}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'cpu ms':>9}",
        "-" * 67,
    ]
    for name, figures in results["pages"].items():
        flag = "  *" if figures["over_target"] else ""
        lines.append(
            f"{name:<30}{figures['median_ms']:>10}{figures['p95_ms']:>9}"
            f"{figures['queries']:>9}{figures['cpu_median_ms']:>9}{flag}"
        )
    lines.append(
        f"* over target: p95 above {TARGET_P95_MS} ms or more than {TARGET_QUERIES} queries"
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
        },
        "targets": {"p95_ms": TARGET_P95_MS, "queries": TARGET_QUERIES},
        "repeat": args.repeat,
        "subjects": {
            "worker": targets.worker.pk,
            "worker_employments": targets.worker_employments,
            "mission": targets.mission.pk,
            "employer": targets.employer.pk,
            "surname": targets.surname,
        },
        "pages": {},
    }
    clients: dict[Role | None, Client] = {}
    for page in pages(targets):
        if args.only and args.only not in page.name:
            continue
        if page.role not in clients:
            clients[page.role] = client_for(page.role)
        results["pages"][page.name] = measure(clients[page.role], page, args.repeat)
        print(f"  {page.name}: {results['pages'][page.name]['p95_ms']} ms", file=sys.stderr)
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
