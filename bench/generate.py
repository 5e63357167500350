"""Synthetic data for benchmarks: staff users and a large audit log, inserted in bulk.

    python bench/generate.py --entries 200000

Uses the database from DATABASE_URL (SQLite by default). Refuses to run when DEBUG is off.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import AuditEntry, User  # noqa: E402
from accounts.roles import Role  # noqa: E402

BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105


def staff_users(count: int) -> list[User]:
    users = []
    roles = list(Role)
    for number in range(count):
        user, created = User.objects.get_or_create(username=f"bench{number:03d}")
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=str(roles[number % len(roles)])))
        users.append(user)
    return users


def audit_entries(users: list[User], count: int, rng: random.Random) -> None:
    actions = [choice for choice, _label in AuditEntry.Action.choices]
    types = ["registry.worker", "registry.employer", "registry.mission", "accounts.user"]
    now = timezone.now()
    batch = []
    for number in range(count):
        user = rng.choice(users)
        batch.append(
            AuditEntry(
                at=now - timezone.timedelta(seconds=number * 37),
                actor=user,
                actor_username=user.username,
                action=rng.choice(actions),
                object_type=rng.choice(types),
                object_id=str(rng.randint(1, 20000)),
                changed_fields=["family_name"] if rng.random() < 0.2 else [],
                ip_address=f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seed", type=int, default=36)
    args = parser.parse_args()
    if not settings.DEBUG:
        sys.exit("bench/generate.py refuses to run when DEBUG is off.")
    started = time.perf_counter()
    users = staff_users(args.users)
    audit_entries(users, args.entries, random.Random(args.seed))
    elapsed = time.perf_counter() - started
    print(f"{args.entries} audit entries for {len(users)} users in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
