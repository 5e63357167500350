"""Time a CSV import of new workers through registry.importing: the dry run, then the import.

    .venv/bin/python bench/importrun.py --rows 10000

bench/run.py runs it in a subprocess on a throw-away copy of the benchmark database: the import
writes to the database it is given. The file (written to --csv) has every worker column, a
phone for SMS and a Belgian IBAN on each row, names in many scripts, and passport numbers and
accounts that are not yet on record. Prints one JSON document. Refuses to run when DEBUG is off.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from anyascii import anyascii
from django.conf import settings
from django.db import connection
from schwifty import IBAN

from accounts.models import User
from accounts.roles import Role
from bench import data
from registry.importing import COLUMNS, import_file
from registry.models import Worker

# Serials far above those bench/generate.py uses, so no passport or account is on record yet.
SERIAL_OFFSET = 5_000_000


def csv_text(rows: int, rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS["workers"])
    today = dt.date.today()
    for number in range(rows):
        person = data.person(rng)
        serial = SERIAL_OFFSET + number
        iban = IBAN.generate("BE", bank_code="096", account_code=f"{serial:07d}").compact
        born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 30 * 365))
        sms = rng.random() < 0.7
        writer.writerow(
            [
                person.family_name,
                person.given_names,
                person.other_spellings.replace("\n", " | "),
                born.isoformat(),
                person.sex,
                person.origin.country,
                data.passport_number(person.origin, serial),
                (today + dt.timedelta(days=rng.randint(200, 3000))).isoformat(),
                person.origin.language,
                rng.choice(["none", "basic", "working"]),
                f"worker{serial}@mail.example" if rng.random() < 0.3 else "",
                data.mobile_number("BE", rng),
                "yes",
                "yes" if sms else "no",
                iban,
                anyascii(f"{person.given_names} {person.family_name}").upper(),
                "yes",
            ]
        )
    return out.getvalue()


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_import(text: str, user: User, *, dry_run: bool) -> dict:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_file(kind="workers", file_text=text, by=user, dry_run=dry_run)
        seconds = time.perf_counter() - started
        # This process's CPU time: Python, plus the database itself on SQLite. A machine busy
        # with other work shows in `seconds` but hardly here.
        cpu_seconds = time.process_time() - cpu_started
    if not report.ok:
        for error in report.errors[:10]:
            print(f"row {error.row} {error.column}: {error.message}", file=sys.stderr)
        sys.exit(f"The import found {len(report.errors)} errors.")
    rows = len(report.rows)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "queries": counter.count,
        "queries_per_row": round(counter.count / rows, 1) if rows else None,
        "created": report.created,
        "applied": report.applied,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=36)
    parser.add_argument("--csv", type=Path, default=Path("/tmp/bench-import-workers.csv"))  # noqa: S108
    args = parser.parse_args()
    if not settings.DEBUG:
        sys.exit("bench/importrun.py refuses to run when DEBUG is off.")
    settings.DEBUG = False  # as in production: no SQL log in memory during the import
    text = csv_text(args.rows, random.Random(args.seed))
    args.csv.write_text(text, encoding="utf-8")
    user = User.objects.filter(groups__name=str(Role.PROTOCOL_OFFICER)).order_by("pk").first()
    if user is None:
        sys.exit("No protocol officer: run bench/generate.py first.")
    before = Worker.objects.count()
    dry_run = timed_import(text, user, dry_run=True)
    imported = timed_import(text, user, dry_run=False)
    result = {
        "rows": args.rows,
        "csv": str(args.csv),
        "csv_kib": round(len(text.encode()) / 1024),
        "dry_run": dry_run,
        "import": imported,
        "workers_added": Worker.objects.count() - before,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
