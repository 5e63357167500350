"""Production settings refuse to start when misconfigured, and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-with-many-random-characters-7f3c9a1e5b2d",
    "ALLOWED_HOSTS": "hestia.ministry.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "HESTIA_ENV_FILE": os.devnull,
    "HESTIA_FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1maWVsZC1rZXktMzItYnl0ZXMtbG8=",
    "HESTIA_SEARCH_HASH_KEY": "production-search-hash-key-with-more-than-32-chars",
}


def manage(*args, **env):
    # Only what a shell on the server would have: none of the test run's own settings.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deploy_check_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY is not set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is not set"),
        ("HESTIA_FIELD_ENCRYPTION_KEYS", "HESTIA_FIELD_ENCRYPTION_KEYS and HESTIA_SEARCH_HASH_KEY"),
        ("HESTIA_SEARCH_HASH_KEY", "HESTIA_FIELD_ENCRYPTION_KEYS and HESTIA_SEARCH_HASH_KEY"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {**PRODUCTION, missing: ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("HESTIA_TIME_ZONE", "Mars/Olympus", "is not a known time zone"),
        ("HESTIA_SESSION_IDLE_MINUTES", "half an hour", "must be a whole number"),
        ("HESTIA_SESSION_IDLE_MINUTES", "0", "must be at least 1"),
        ("HESTIA_REQUIRE_2FA", "false", "cannot be turned off when DEBUG is off"),
        ("DATABASE_URL", "nosuchdb://x", "nosuchdb"),
        ("HESTIA_FIELD_ENCRYPTION_KEYS", "not-a-key", "is not a Fernet key"),
        ("HESTIA_SEARCH_HASH_KEY", "short", "at least 32 characters"),
    ],
)
def test_a_malformed_variable_stops_the_app_with_a_clear_message(variable, value, message):
    result = manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_needs_no_configuration_at_all():
    result = manage("check", DEBUG="true", HESTIA_ENV_FILE=os.devnull)
    assert result.returncode == 0, result.stderr


def test_the_ministry_time_zone_comes_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TIME_ZONE, settings.CELERY_TIMEZONE)",
        **{**PRODUCTION, "HESTIA_TIME_ZONE": "Europe/Vienna"},
    )
    assert result.stdout.split()[-2:] == ["Europe/Vienna", "Europe/Vienna"]


def test_every_variable_the_settings_read_is_documented_in_env_example():
    import re

    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+|_bool|_int)\(\s*"([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variables"
    assert read - documented == set()


def test_manage_py_with_no_configuration_at_all_works_in_development(tmp_path):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        HESTIA_ENV_FILE=str(tmp_path / "absent.env"),
    )
    assert result.stdout.split()[-1:] == ["True"], result.stderr


def test_an_environment_file_decides_for_manage_py(tmp_path):
    env_file = tmp_path / "hestia.env"
    env_file.write_text("DEBUG=false\n")
    result = manage("check", HESTIA_ENV_FILE=str(env_file))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
