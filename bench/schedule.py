"""The daily scheduling run over thousands of active workers whose card windows are all open.

    HESTIA_ENV_FILE=/dev/null DEBUG=true DATABASE_URL=sqlite:////tmp/bench-schedule.sqlite3 \\
        .venv/bin/python bench/schedule.py --workers 5000

Migrates a scratch database and, if it is empty, fills it: --workers active workers (names,
languages and mobile numbers from bench/data.py's origins, two in five also speaking English)
whose ID cards expire 31 to 89 days from today, so every window is open; 30 interviewers with a
room each, weekdays 09:00-16:30 (published eight weeks ahead before the timing, as the previous
day's run would have done) and the languages most workers speak; five independent interpreters
for the languages no interviewer speaks. A database the script filled before is reused: the
interviews and notices of the previous measurement are removed first.

Then, in a fresh process (so its peak memory is the run's), it times
interviews.scheduling.schedule_run() once and prints one JSON line and a readable line. The
invitations go to the outbox as in production; with no CELERY_BROKER_URL they are handed to an
in-memory broker instead of being sent in-process, so the figure is the scheduling, not the SMS
gateway. Refuses to run when DEBUG is off, on the development database, and on a database that
holds other registry data.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("HESTIA_ENV_FILE", os.devnull)

import django

django.setup()

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from bench import data
from interviews.availability import slots_publish_ahead
from interviews.models import (
    AvailabilityPattern,
    Interpreter,
    Interview,
    InterviewerProfile,
    Room,
)
from interviews.services import policy_current
from notifications.models import Message
from registry.models import (
    Employer,
    Employment,
    IdentityCard,
    Mission,
    Worker,
    WorkerLanguage,
    WorkerPhone,
)

MARKER = "Bench: scheduling"
BATCH = 2000
# 30 interviewers: the languages of the most frequent origins, English and French for the rest.
INTERVIEWER_LANGUAGES = (
    *[("en", "fr", "tl")] * 6,
    *[("en", "fr", "am")] * 2,
    *[("en", "fr", "si")] * 2,
    *[("en", "fr", "ar")] * 2,
    *[("en", "es", "fr")] * 2,
    ("en", "fr", "id"),
    ("en", "fr", "ne"),
    ("en", "fr", "vi"),
    ("en", "bn"),
    ("en", "sw"),
    ("en", "uk"),
    *[("en", "fr")] * 10,
)
INTERPRETER_LANGUAGES = (("ti", "am"), ("ml", "ta"), ("lg", "sw"), ("mg", "fr"), ("ne", "hi"))


def refuse_unless_scratch_database() -> None:
    if not settings.DEBUG:
        sys.exit("bench/schedule.py refuses to run when DEBUG is off.")
    name = str(connection.settings_dict["NAME"])
    if (
        connection.vendor == "sqlite"
        and Path(name).resolve() == (Path(settings.BASE_DIR) / "db.sqlite3").resolve()
    ):
        sys.exit(
            "bench/schedule.py refuses to fill the development database: set DATABASE_URL to a "
            "scratch database, for example sqlite:////tmp/bench-schedule.sqlite3."
        )


def build(workers: int, seed: int) -> None:
    """Fill the empty database (bulk inserts, one transaction)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        policy_current()
        mission = Mission.objects.create(name=MARKER, sending_state="PH")
        employers = Employer.objects.bulk_create(
            Employer(
                mission=mission,
                family_name=f"Employer {number}",
                accreditation_number=f"BENCH-{number:05d}",
            )
            for number in range(max(1, workers // 2))
        )
        people = [data.person(rng) for _ in range(workers)]
        worker_rows = Worker.objects.bulk_create(
            (
                Worker(
                    family_name=person.family_name,
                    given_names=person.given_names,
                    other_spellings=person.other_spellings,
                    date_of_birth=dt.date(1975 + rng.randrange(25), 1 + rng.randrange(12), 1),
                    sex=person.sex,
                    nationality=person.origin.country,
                    preferred_language=person.origin.language,
                )
                for person in people
            ),
            batch_size=BATCH,
        )
        WorkerLanguage.objects.bulk_create(
            (
                WorkerLanguage(worker=worker, language="en", level="working")
                for worker in worker_rows
                if rng.random() < 0.4 and worker.preferred_language != "en"
            ),
            batch_size=BATCH,
        )
        WorkerPhone.objects.bulk_create(
            (
                WorkerPhone(
                    worker=worker,
                    number=data.mobile_number("BE", rng),
                    is_mobile=True,
                    is_safe=True,
                    is_sms_number=True,
                )
                for worker in worker_rows
            ),
            batch_size=BATCH,
        )
        employments = Employment.objects.bulk_create(
            (
                Employment(
                    worker=worker,
                    employer=employers[number % len(employers)],
                    start_date=today - dt.timedelta(days=200 + rng.randrange(3000)),
                    monthly_salary=Decimal("2000.00"),
                    weekly_hours=38,
                    weekly_rest_days=2,
                    annual_leave_days=24,
                    accommodation=Employment.Accommodation.OWN,
                    status=Employment.Status.ACTIVE,
                )
                for number, worker in enumerate(worker_rows)
            ),
            batch_size=BATCH,
        )
        IdentityCard.objects.bulk_create(
            (
                IdentityCard(
                    worker=employment.worker,
                    employment=employment,
                    number=f"BENCH-{number:07d}",
                    number_normalised=f"BENCH{number:07d}",
                    issue_date=today - dt.timedelta(days=300),
                    expiry_date=today + dt.timedelta(days=31 + number % 59),
                )
                for number, employment in enumerate(employments)
            ),
            batch_size=BATCH,
        )
        role = Group.objects.get(name=str(Role.INTERVIEWER))
        password = make_password(None)
        for number, languages in enumerate(INTERVIEWER_LANGUAGES):
            user = User.objects.create(username=f"bench-interviewer-{number}", password=password)
            user.groups.add(role)
            room = Room.objects.create(
                name=f"Bench room {number}", location=f"Rue de la Loi 15, room {number}"
            )
            InterviewerProfile.objects.create(
                user=user, languages=list(languages), default_room=room
            )
            AvailabilityPattern.objects.bulk_create(
                AvailabilityPattern(
                    interviewer=user,
                    room=room,
                    weekday=weekday,
                    start_time=dt.time(9, 0),
                    end_time=dt.time(16, 30),
                    valid_from=today,
                )
                for weekday in range(5)
            )
        for number, languages in enumerate(INTERPRETER_LANGUAGES):
            Interpreter.objects.create(
                name=f"Bench interpreter {number}", languages=list(languages)
            )
    # What the previous day's run published: the timed run publishes only what is new.
    slots_publish_ahead(weeks=8, today=today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def reset() -> int:
    """Remove the interviews and notices a previous measurement made; how many interviews."""
    with transaction.atomic():
        Message.objects.all().delete()
        count, _by_model = Interview.objects.all().delete()
        Interview.history.model.objects.all().delete()
    return count


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure() -> dict:
    """Time one scheduling run in this process; its peak memory is this process's."""
    from config.celery import app
    from interviews.scheduling import schedule_run

    if not os.environ.get("CELERY_BROKER_URL"):
        # Hand the notices to an in-memory broker: the run, not the SMS gateway, is measured.
        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
    active = Employment.objects.filter(status=Employment.Status.ACTIVE).count()
    # As in production: no SQL log kept in memory (DEBUG keeps every query).
    settings.DEBUG = False
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    baseline = rss_mib()
    started = time.perf_counter()
    cpu_started = time.process_time()
    with connection.execute_wrapper(count):
        result = schedule_run()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "database": connection.vendor,
        "active_workers": active,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "workers_per_second": round(active / seconds, 1),
        "queries": queries,
        "load_average_1min": os.getloadavg()[0],
        "peak_rss_mib": round(peak, 1),
        "rss_before_run_mib": round(baseline, 1),
        **result.as_dict(),
        "interviews": Interview.objects.count(),
        "messages": Message.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=36)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    refuse_unless_scratch_database()
    if args.measure:
        print(json.dumps(measure()))
        return
    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    call_command("migrate", interactive=False, verbosity=0)
    if Mission.objects.filter(name=MARKER).exists():
        removed = reset()
        print(f"Reusing {database}; removed {removed:,} interviews of the previous run.")
    elif Worker.objects.exists() or Mission.objects.exists():
        sys.exit(f"{database} already holds other registry data: use an empty database.")
    else:
        began = time.perf_counter()
        build(args.workers, args.seed)
        print(f"Filled {database} in {time.perf_counter() - began:.1f} s.")
    child = subprocess.run(
        [sys.executable, __file__, "--measure"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if child.returncode:
        sys.exit(child.stderr)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps(figures))
    print(
        f"{figures['database']}: {figures['active_workers']:,} active workers scheduled in "
        f"{figures['seconds']} s ({figures['workers_per_second']:,} workers/s, CPU "
        f"{figures['cpu_seconds']} s, {figures['queries']:,} queries), peak memory "
        f"{figures['peak_rss_mib']} MiB; "
        f"{figures['created']:,} interviews created, {figures['booked']:,} booked, "
        f"{figures['left_unbooked']:,} left to book, {figures['failed']} failed"
    )


if __name__ == "__main__":
    main()
