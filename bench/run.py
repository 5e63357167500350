"""Server time and query count of the staff pages, through Django's test client.

    python bench/generate.py --entries 200000 && python bench/run.py --repeat 50

Prints one JSON document and a readable table. Measures; asserts nothing.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import AuditEntry, User  # noqa: E402
from accounts.roles import Role  # noqa: E402

PAGES = [
    ("login page", None, "/accounts/login/", {}),
    ("home", Role.SUPERVISOR, "/", {}),
    ("audit log", Role.AUDITOR, "/audit/", {}),
    (
        "audit log, filtered",
        Role.AUDITOR,
        "/audit/",
        {"action": "update", "object_type": "registry.worker"},
    ),
    ("audit log, page 100", Role.AUDITOR, "/audit/", {"page": "100"}),
]


def client_for(role: Role | None) -> Client:
    client = Client()
    if role is None:
        return client
    user = User.objects.filter(groups__name=str(role)).first()
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


def measure(client: Client, url: str, params: dict, repeat: int) -> dict:
    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        queries = len(captured.captured_queries)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    results = {
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "database": connection.vendor,
            "audit_entries": AuditEntry.objects.count(),
        },
        "pages": {},
    }
    for name, role, url, params in PAGES:
        results["pages"][name] = measure(client_for(role), url, params, args.repeat)
    print(json.dumps(results, indent=2))
    print()
    print(f"{'page':<24}{'median ms':>12}{'p95 ms':>10}{'queries':>9}")
    for name, figures in results["pages"].items():
        print(f"{name:<24}{figures['median_ms']:>12}{figures['p95_ms']:>10}{figures['queries']:>9}")


if __name__ == "__main__":
    main()
