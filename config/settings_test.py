"""Test settings: production behaviour (DEBUG off, TOTP required) on plain HTTP, fast hashing.

DATABASE_URL and CELERY_BROKER_URL from the environment still apply, so the same suite runs
on SQLite with eager tasks or on PostgreSQL with Redis.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("HESTIA_ENV_FILE", os.devnull)
os.environ.setdefault(
    "HESTIA_FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy1sb24="
)
os.environ.setdefault("HESTIA_SEARCH_HASH_KEY", "test-only-search-hash-key-at-least-32-characters")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="hestia-test-media-")
LANGUAGE_COOKIE_SECURE = False
AXES_ENABLED = True
# Tasks run in-process unless a test hands them to the real broker on purpose
# (tests/test_celery_worker.py does, when CELERY_BROKER_URL is set).
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = tempfile.mkdtemp(prefix="hestia-test-static-")
