"""Hestia settings: one file, driven by environment variables (see .env.example).

DEBUG off means production: the process refuses to start without SECRET_KEY and
ALLOWED_HOSTS, cookies are secure, HTTPS is enforced and every staff login needs TOTP.
"""

import binascii
import hashlib
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = Path(env.str("HESTIA_ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    env.read_env(_env_file, overwrite=False)


def _env_bool(name: str, default: bool) -> bool:
    """A boolean variable that fails loudly on a value that is not clearly yes or no."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


DEBUG = _env_bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) refuses to start without it; "
            "see .env.example."
        )
    SECRET_KEY = "development-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. Production (DEBUG off) refuses to start without it; "
            "see .env.example."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "accounts",
    "registry",
    "interviews",
    "notifications",
    "oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the Content-Security-Policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = _env_int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis")):
    # PostgreSQL's JIT compiled the worker search for longer than the search ran (short OLTP
    # queries only pay for it: bench/RESULTS.md). Options given in DATABASE_URL come after, so
    # they win.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(filter(None, ["-c jit=off", _db_options.get("options")]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, sessions, two factors, lockout ----------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's permissions and second factor with the user.
    "accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Idle staff sessions end after this many minutes without a request.
HESTIA_SESSION_IDLE_MINUTES = _env_int("HESTIA_SESSION_IDLE_MINUTES", default=30, minimum=1)
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# TOTP is required for every staff login in production; development may require it too.
HESTIA_REQUIRE_2FA = _env_bool("HESTIA_REQUIRE_2FA", default=not DEBUG)
if not DEBUG and not HESTIA_REQUIRE_2FA:
    raise ImproperlyConfigured("HESTIA_REQUIRE_2FA cannot be turned off when DEBUG is off.")
OTP_TOTP_ISSUER = env.str("HESTIA_TOTP_ISSUER", default="Hestia")
HESTIA_RECOVERY_CODE_COUNT = 10

AXES_FAILURE_LIMIT = _env_int("HESTIA_LOGIN_FAILURE_LIMIT", default=5, minimum=1)
HESTIA_LOGIN_LOCKOUT_MINUTES = _env_int("HESTIA_LOGIN_LOCKOUT_MINUTES", default=30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=HESTIA_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = _env_int("HESTIA_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_USERNAME_FORM_FIELD = "username"

# --- Internationalisation -----------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("HESTIA_TIME_ZONE", default="Europe/Brussels")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"HESTIA_TIME_ZONE {TIME_ZONE!r} is not a known time zone (for example Europe/Vienna)."
    ) from None
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("HESTIA_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is only served through views that check roles.
MEDIA_ROOT = Path(env.str("HESTIA_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hestia <hestia@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process when they are queued (one machine, no set-up).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = _env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=240, minimum=1)
CELERY_TASK_TIME_LIMIT = _env_int("CELERY_TASK_TIME_LIMIT", default=300, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Keep the worker's database connection across tasks instead of reconnecting for each one
# (measured: 55 -> 86 notices a second through one worker).
CELERY_DB_REUSE_MAX = 1000

# --- Sensitive fields --------------------------------------------------------------------

# Fernet keys (comma-separated, newest first) that encrypt passport and account numbers and
# interview notes at rest; older keys keep decrypting during a rotation. A separate key makes
# the keyed hashes that let staff search those fields without storing them in clear.
HESTIA_FIELD_ENCRYPTION_KEYS = env.list("HESTIA_FIELD_ENCRYPTION_KEYS", default=[])
HESTIA_SEARCH_HASH_KEY = env.str("HESTIA_SEARCH_HASH_KEY", default="")
if not HESTIA_FIELD_ENCRYPTION_KEYS or not HESTIA_SEARCH_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "HESTIA_FIELD_ENCRYPTION_KEYS and HESTIA_SEARCH_HASH_KEY are required when DEBUG is "
            "off; see .env.example for how to generate them."
        )
    _dev = hashlib.sha256(f"hestia-dev-fields-{SECRET_KEY}".encode()).digest()
    HESTIA_FIELD_ENCRYPTION_KEYS = HESTIA_FIELD_ENCRYPTION_KEYS or [
        urlsafe_b64encode(_dev).decode()
    ]
    HESTIA_SEARCH_HASH_KEY = HESTIA_SEARCH_HASH_KEY or hashlib.sha256(_dev).hexdigest()
for _key in HESTIA_FIELD_ENCRYPTION_KEYS:
    try:
        if len(urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(
            "HESTIA_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 bytes, "
            "URL-safe base64)."
        ) from None
if len(HESTIA_SEARCH_HASH_KEY) < 32:
    raise ImproperlyConfigured("HESTIA_SEARCH_HASH_KEY must be at least 32 characters long.")

# --- Host state ---------------------------------------------------------------------------

# The host state: default region for phone numbers, default policy, and the local language.
HESTIA_HOST_COUNTRY = env.str("HESTIA_HOST_COUNTRY", default="BE").upper()
HESTIA_HOST_LANGUAGE = env.str("HESTIA_HOST_LANGUAGE", default="fr")
PHONENUMBER_DEFAULT_REGION = HESTIA_HOST_COUNTRY
PHONENUMBER_DEFAULT_FORMAT = "E164"
# Uploaded bank evidence: the largest file accepted, in megabytes.
HESTIA_EVIDENCE_MAX_MB = _env_int("HESTIA_EVIDENCE_MAX_MB", default=10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Notices to workers ------------------------------------------------------------------

# Where SMS go: console (prints), file (HESTIA_SMS_FILE_PATH), locmem (tests) or http (gateway).
HESTIA_SMS_BACKEND = env.str(
    "HESTIA_SMS_BACKEND", default="notifications.backends.console.ConsoleBackend"
)
HESTIA_SMS_FILE_PATH = env.str("HESTIA_SMS_FILE_PATH", default=str(BASE_DIR / "sent-sms"))
HESTIA_SMS_GATEWAY_URL = env.str("HESTIA_SMS_GATEWAY_URL", default="")
HESTIA_SMS_GATEWAY_TOKEN = env.str("HESTIA_SMS_GATEWAY_TOKEN", default="")
HESTIA_SMS_GATEWAY_TIMEOUT = _env_int("HESTIA_SMS_GATEWAY_TIMEOUT", default=10, minimum=1)
HESTIA_SMS_SENDER = env.str("HESTIA_SMS_SENDER", default="Ministry")
# Shared secret the gateway signs delivery receipts with (HMAC-SHA256).
HESTIA_RECEIPT_SECRET = env.str("HESTIA_RECEIPT_SECRET", default="")
if not HESTIA_RECEIPT_SECRET:
    if not DEBUG and HESTIA_SMS_BACKEND.endswith("HttpBackend"):
        raise ImproperlyConfigured("HESTIA_RECEIPT_SECRET is required with the HTTP SMS gateway.")
    HESTIA_RECEIPT_SECRET = hashlib.sha256(f"hestia-dev-receipts-{SECRET_KEY}".encode()).hexdigest()
# Attempts before a message fails for good; the wait doubles after each temporary failure.
HESTIA_MESSAGE_MAX_ATTEMPTS = _env_int("HESTIA_MESSAGE_MAX_ATTEMPTS", default=6, minimum=1)
HESTIA_MESSAGE_RETRY_SECONDS = _env_int("HESTIA_MESSAGE_RETRY_SECONDS", default=60, minimum=1)
# SMS are held back during quiet hours in the ministry's time zone (HH:MM-HH:MM).
HESTIA_QUIET_HOURS = env.str("HESTIA_QUIET_HOURS", default="21:00-08:00")
try:
    _quiet_start, _quiet_end = (
        tuple(int(part) for part in bound.split(":")) for bound in HESTIA_QUIET_HOURS.split("-")
    )
    if not all(0 <= h < 24 and 0 <= m < 60 for h, m in (_quiet_start, _quiet_end)):
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"HESTIA_QUIET_HOURS must look like 21:00-08:00, not {HESTIA_QUIET_HOURS!r}."
    ) from None
# A template longer than this many SMS segments cannot be saved.
HESTIA_SMS_MAX_SEGMENTS = _env_int("HESTIA_SMS_MAX_SEGMENTS", default=3, minimum=1)
# The public address of Hestia, for links in notices (signed links, rights pages).
HESTIA_PUBLIC_URL = env.str("HESTIA_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
# The ministry's general number, the only number an SMS may carry.
HESTIA_MINISTRY_PHONE = env.str("HESTIA_MINISTRY_PHONE", default="+32 2 501 81 11")
# How long /healthz waits for the broker before answering 503.
HESTIA_HEALTH_TIMEOUT_SECONDS = _env_int("HESTIA_HEALTH_TIMEOUT_SECONDS", default=2, minimum=1)

# --- UI -----------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
HESTIA_MINISTRY_NAME = env.str("HESTIA_MINISTRY_NAME", default="Ministry of Foreign Affairs")
HESTIA_AUDIT_PAGE_SIZE = 50

# --- The card office's API (interviews/api.py) ----------------------------------------------

# Token authentication only, set on each API view; nothing is reachable with a staff session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Calls per token; the card office looks up one card at a time.
    "DEFAULT_THROTTLE_RATES": {"api_token": "120/minute"},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hestia card office API",
    "DESCRIPTION": "Whether the renewal of a domestic worker's ID card or visa may go ahead.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Security -----------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("HESTIA_BEHIND_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The monitoring probe may call /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script, no inline style, nothing from another origin: every script and stylesheet
# is a file under static/ (tests/security/test_csp.py checks every page for inline code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        # Bootstrap draws its icons (menu button, select arrows) as data: images.
        "img-src": [CSP_SELF, "data:"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
    },
}

ADMINS = [("Hestia administrators", a) for a in env.list("HESTIA_ADMIN_EMAILS", default=[])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
