"""Settings for the commitment tracker, read from the environment.

Every variable is parsed strictly: a value that cannot be understood stops the
process with a message naming the variable, instead of silently falling back.
"""

import datetime
import os
import secrets
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {raw!r}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Serving with DEBUG off needs a SECRET_KEY: tracker/wsgi.py, tracker/asgi.py and
# `check --deploy` refuse to start without one (tracker/serving.py). A management
# command such as `migrate` signs nothing that outlives it, so it runs on a throwaway key.
SECRET_KEY_MISSING = not SECRET_KEY and not DEBUG
if not SECRET_KEY:
    SECRET_KEY = (
        "insecure-development-key-only-used-with-debug-on" if DEBUG else secrets.token_urlsafe(50)
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from exc
USE_TZ = True
# The interface speaks English, Italian and Japanese (each named in its own language).
# The language comes from the reader's choice (the header's switcher, kept in the
# `django_language` cookie), else Accept-Language, else English; URLs carry no prefix,
# so a shared link opens in the reader's language. Catalogues live in locale/, dates
# and numbers follow tracker/formats/ before Django's own formats.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("it", "Italiano"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tracker.formats"]
USE_I18N = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Reading is public unless TRACKER_PUBLIC=false; then every page needs a login.
TRACKER_PUBLIC = env_bool("TRACKER_PUBLIC", True)
TRACKER_DEMO_PASSWORD = os.environ.get("TRACKER_DEMO_PASSWORD", "demo")

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty (the default is admin/).")

_DEFAULT_DB = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_database_url = os.environ.get("DATABASE_URL", "").strip() or _DEFAULT_DB
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at SQLite or PostgreSQL, not {_db['ENGINE']}."
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("timeout", 20)
    _db["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    _db["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # The review queue's index carries extra columns on PostgreSQL; SQLite keeps the index
    # without them, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if _db["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling costs about a second on the dashboard's large aggregates and saves
    # less than that on every query this app runs; leave it off for our sessions.
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("options", "-c jit=off")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "commitments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before anything that renders: the reader's language.
    "commitments.languages.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "commitments.security.security_headers",
    "commitments.security.DatabaseUnavailableMiddleware",
    "commitments.middleware.login_required_unless_public",
    "commitments.middleware.admin_queries_without_nul",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "commitments.auth.ModelBackendWithoutDemoPasswords",
]

# Failed logins: after 5 failures for one username from one address, both are locked
# out together for 15 minutes. Attempts are stored in the database, so every app
# server behind a load balancer sees the same count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind PROXY_COUNT reverse proxies, failures count against the address the outermost
# one saw (commitments/auth.py), never against a proxy's or one the client wrote.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "commitments.auth.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# The dashboard's widgets are cached per register version (commitments/caching.py): a
# change shows at once; the timeout only bounds memory. 0 turns the cache off. Each
# process keeps its own copy, unless REDIS_URL (or CACHE_URL) names one Redis that every
# app server shares (tracker/cache.py: while it is unreachable, pages are served without
# it). The version lives in the database, so no server serves a stale dashboard either way.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 3600)

# Background work (sending digests) runs as tasks through the django-tasks API. With
# TASK_WORKER=database, tasks queue in the database and `python manage.py db_worker`
# processes (on any machine) run them; without it (`make run`, tests) they run at once.
TASK_WORKER = os.environ.get("TASK_WORKER", "").strip().lower()
if TASK_WORKER not in ("", "immediate", "database"):
    raise ImproperlyConfigured(f"TASK_WORKER must be database or immediate, not {TASK_WORKER!r}.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASK_WORKER == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# E-mail: EMAIL_URL (smtp://user:password@host:587 with STARTTLS, smtps://… for TLS,
# console:// to print) or the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL; without either, messages are
# printed to the console (development).
# The address e-mails link to (digests, unsubscribe links), without a trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")
EMAIL_TIMEOUT = 30
_email_url = os.environ.get("EMAIL_URL", "").strip()
if _email_url:
    from urllib.parse import unquote

    _email = urlsplit(_email_url)
    if _email.scheme == "console":
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    elif _email.scheme in ("smtp", "smtps") and _email.hostname:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _email.hostname
        EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
        EMAIL_USE_SSL = _email.scheme == "smtps"
        EMAIL_USE_TLS = _email.scheme == "smtp" and "tls=false" not in _email.query.lower()
    else:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587, smtps://… or console://."
        )
elif os.environ.get("EMAIL_HOST", "").strip():
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"].strip()
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The review policy (commitments.services.reviews): days from a recorded update to the next
# review of an open commitment whose deadline is overdue or due soon, and of any other
# open one. Closed commitments are not reviewed.
REVIEW_URGENT_DAYS = env_int("REVIEW_URGENT_DAYS", 30)
REVIEW_OPEN_DAYS = env_int("REVIEW_OPEN_DAYS", 90)

_cache_urls = {
    name: os.environ.get(name, "").strip()
    for name in ("REDIS_URL", "CACHE_URL")
    if os.environ.get(name, "").strip()
}
if len(set(_cache_urls.values())) > 1:
    raise ImproperlyConfigured("REDIS_URL and CACHE_URL name different caches: set only one.")
if _cache_urls:
    _cache_name, _cache_url = next(iter(_cache_urls.items()))
    try:
        _cache_scheme, _cache_port = urlsplit(_cache_url).scheme, urlsplit(_cache_url).port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{_cache_name} could not be parsed: {exc}") from exc
    if _cache_scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            f"{_cache_name} must be a redis://, rediss:// or unix:// address, "
            f"not {_cache_scheme or 'one without a scheme'}."
        )
    CACHES = {
        "default": {
            "BACKEND": "tracker.cache.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tracker").strip(),
            # An unreachable Redis must cost a request little: then it is bypassed.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp): only our own files, and nothing inline: no
# <script> or <style> blocks and no style attributes in any page. Colours and bar widths
# are classes and SVG attributes (static/css/vocabulary.css, the progress bar partial).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# HTTPS on by default whenever DEBUG is off; a TLS-terminating proxy sets X-Forwarded-Proto.
_HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _HTTPS
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = 31536000 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["commitments.api.permissions.ReadPublicWriteAnalyst"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commitment tracker API",
    "DESCRIPTION": "Commitments between governments, their status history and evidence.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One stable schema name per vocabulary (see commitments/choices.py), the same for
    # the served schema and `manage.py spectacular`.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "commitments.choices.Status",
        "CommitmentKindEnum": "commitments.choices.Kind",
        "PrecisionEnum": "commitments.choices.Precision",
        "HealthEnum": "commitments.choices.Health",
        "PartyRoleEnum": "commitments.choices.PartyRole",
        "ActorKindEnum": "commitments.choices.ActorKind",
        "SourceKindEnum": "commitments.choices.SourceKind",
        "EvidenceKindEnum": "commitments.choices.EvidenceKind",
        "ReliabilityEnum": "commitments.choices.Reliability",
        "LinkKindEnum": "commitments.choices.LinkKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
