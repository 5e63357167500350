"""In production (DEBUG off) every cookie Hestia sets is Secure, HttpOnly and SameSite.

The test settings turn Secure off because the test client speaks plain HTTP; so the production
values are read from the real settings module in a process of its own, then applied to real
requests here to check that every cookie carries them.
"""

import json
import re
from pathlib import Path

import pytest

from tests.test_settings import PRODUCTION, manage

ROOT = Path(__file__).resolve().parents[2]
COOKIE_SETTINGS = [
    f"{cookie}_COOKIE_{attribute}"
    for cookie in ("SESSION", "CSRF", "LANGUAGE")
    for attribute in ("SECURE", "HTTPONLY", "SAMESITE")
]


@pytest.fixture(scope="module")
def production_cookie_settings() -> dict:
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    result = manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_makes_every_cookie_secure_httponly_and_same_site(production_cookie_settings):
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert production_cookie_settings[f"{cookie}_COOKIE_SECURE"] is True, cookie
        assert production_cookie_settings[f"{cookie}_COOKIE_HTTPONLY"] is True, cookie
        assert production_cookie_settings[f"{cookie}_COOKIE_SAMESITE"] in ("Lax", "Strict"), cookie


@pytest.mark.django_db
def test_the_cookies_a_browser_receives_carry_the_production_flags(
    client, settings, production_cookie_settings, officer, password
):
    for name, value in production_cookie_settings.items():
        setattr(settings, name, value)
    received = {}

    def keep(response):
        for name, morsel in response.cookies.items():
            received[name] = morsel

    keep(client.get("/accounts/login/"))  # the CSRF cookie
    keep(client.post("/accounts/login/", {"username": officer.username, "password": password}))
    keep(client.post("/i18n/setlang/", {"language": "fr", "next": "/"}))  # language cookie
    keep(client.post("/i18n/setlang/", {"language": "xx", "next": "/"}))  # messages cookie

    assert {"csrftoken", "sessionid", "django_language", "messages"} <= received.keys()
    for name, morsel in received.items():
        assert morsel["secure"] is True, name
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] in ("Lax", "Strict"), name


def test_no_script_reads_cookies_so_the_csrf_cookie_can_stay_httponly():
    """Forms send the CSRF token from their hidden input; no script needs document.cookie."""
    scripts = [p for p in (ROOT / "static/js").rglob("*.js")]
    assert scripts
    readers = [p.name for p in scripts if re.search(r"document\s*\.\s*cookie", p.read_text())]
    assert readers == []
