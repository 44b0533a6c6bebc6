"""The one settings module: every deployment difference is an environment variable.

See docs/configuration.md for the full list.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from practicehub.env import SettingError, env_bool, env_bytes, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
# A checkout keeps its data beside the code; an installed package (`pip install .`) in the
# account's data folder, not inside the virtualenv that an upgrade may replace.
_DEFAULT_DATA_DIR = (BASE_DIR / "data" if (BASE_DIR / "pyproject.toml").is_file() else
                     Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
                     / "practicehub")
DATA_DIR = Path(env_str("PRACTICEHUB_DATA_DIR", str(_DEFAULT_DATA_DIR))).resolve()


def _private(path: Path, mode: int) -> None:
    """Readable by the account the server runs as only: the folder holds every record."""
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(mode)


DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
_private(DATA_DIR, 0o700)
(DATA_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    # Without SECRET_KEY, a random per-installation key is kept (mode 600) in the data folder,
    # so a self-hosted install is safe by default and sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "practicehub.core",
    "practicehub.accounts",
    "practicehub.audit",
    "practicehub.practice_model",
    "practicehub.fidelity",
    "practicehub.outcomes",
    "practicehub.implementation",
    "practicehub.assessments",
    "practicehub.reports",
    "practicehub.api",
    "practicehub.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "practicehub.audit.middleware.RequestContextMiddleware",
    "practicehub.core.middleware.RequestSizeLimitMiddleware",
    "practicehub.core.middleware.RefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "practicehub.accounts.middleware.PermissionMapMiddleware",
    "practicehub.audit.middleware.PersonLevelReadMiddleware",
    "practicehub.core.downloads.PageDownloadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "practicehub.urls"
# Every form field is drawn by Django's own widgets with the USWDS look (core/forms.py).
FORM_RENDERER = "practicehub.core.forms.UswdsFormRenderer"
WSGI_APPLICATION = "practicehub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practicehub.site.context_processors.navigation",
            ],
        },
    },
]

# Persistent connections (docs/configuration.md#connections-caching-and-workers): each server
# thread keeps its connection for DATABASE_CONN_MAX_AGE seconds instead of connecting per
# request (a few milliseconds on PostgreSQL, more over TLS); the health check replaces one the
# database closed meanwhile before the request uses it. 0 connects per request.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'practicehub.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, except that a flush passes the audit table's DELETE trigger by.
    DATABASES["default"]["ENGINE"] = "practicehub.audit.sqlite_backend"
    # Tests keep Django's in-memory SQLite; named, because test runners that add a per-worker
    # suffix recognise the in-memory database by this name, not by our backend's engine path.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"
    # Created here, mode 600, so SQLite never makes it (or its -wal and -shm files, which take
    # the database's mode) readable by other accounts.
    _database_file = Path(str(DATABASES["default"]["NAME"]))
    if _database_file.parent.is_dir() and not _database_file.exists():
        os.close(os.open(_database_file, os.O_WRONLY | os.O_CREAT, 0o600))
    if _database_file.exists():
        _private(_database_file, 0o600)
    # WAL lets the demo serve pages while a task writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# pg_dump and pg_restore for `practicehub backup|restore` on PostgreSQL (default: the newest
# /usr/lib/postgresql/*/bin, then PATH).
PG_BIN_DIR = env_str("PRACTICEHUB_PG_BIN_DIR", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in lockout: this many failures inside the window lock the account for the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

# OpenID Connect single sign-on: on when a client id is configured (docs/authentication.md).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("practicehub.accounts.oidc.PracticehubOIDCBackend")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")

# Only trust X-Forwarded-For when a proxy we run sets it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Collected static files (`practicehub collectstatic`, docs/deploy.md#static-files) get hashed
# names and gzip copies, served with a ten-year cache lifetime; before they are collected the
# apps' own files are served as they are (practicehub/staticfiles.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "practicehub.staticfiles.StaticFiles"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
# Secure cookies need HTTPS: turn these on behind TLS (the demo serves plain HTTP on loopback).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/configuration.md#production): redirect plain HTTP, then tell browsers to use HTTPS
# only. Behind a proxy that ends TLS, TRUST_X_FORWARDED_PROTO lets Django see the request was
# HTTPS (only when that proxy sets or overwrites the header).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: this server's own files only, no inline script or style anywhere
# (tests/test_content_security_policy.py walks every page for it). htmx is told not to inject
# its indicator style (base.html); practicehub.css carries it instead.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Size and time limits (docs/configuration.md#size-and-time-limits). A request body other than a
# file upload (form fields, API JSON) may hold at most MAX_REQUEST_BODY_SIZE; an uploaded file at
# most MAX_UPLOAD_SIZE (larger ones are discarded while they stream in, and the form says so).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_bytes("MAX_REQUEST_BODY_SIZE", "2.5MB")
MAX_UPLOAD_SIZE = env_bytes("MAX_UPLOAD_SIZE", "50MB")
# Uploads larger than this are spooled to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_bytes("UPLOAD_MEMORY_SIZE", "2.5MB")
FILE_UPLOAD_HANDLERS = [
    "practicehub.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploaded files waiting for (or kept by) a background import job.
UPLOADS_DIR = DATA_DIR / "uploads"
# A web import of more rows than this runs as a background job on the task worker.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
# A download (a page's table, the observations or audit export) of more rows than this is written
# by the task worker and fetched from its job page (docs/reports.md#large-exports).
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 50_000)
# gunicorn (practicehub serve) restarts a worker silent for this many seconds.
SERVER_TIMEOUT = env_int("SERVER_TIMEOUT", 60)
# gunicorn's processes and threads per process (docs/configuration.md#connections-caching-and-
# workers): a page is mostly Python (templates, ORM), which one process runs on one core at a
# time, so one process per core and one more for the waits on the database; one thread each (a
# request at a time per process, the others wait their turn in order: under load no page waits
# behind several others in one process). 30 users on 2 cores: p95 of the slowest page 284 ms,
# against 506 ms with 2 processes of 4 threads (docs/benchmarks.md).
SERVER_WORKERS = env_int("SERVER_WORKERS", (os.cpu_count() or 1) + 1)
SERVER_THREADS = env_int("SERVER_THREADS", 1)

# PDF progress reports built by the task worker wait here for their download, and are deleted
# REPORT_FILES_KEEP_HOURS after they were built (docs/reports.md#pdf-progress-report).
REPORTS_DIR = DATA_DIR / "reports"
REPORT_FILES_KEEP_HOURS = env_int("REPORT_FILES_KEEP_HOURS", 24)

# Mail (``practicehub remind``'s digests): SMTP through Django's MAILERS; with DEBUG on (the demo)
# and no EMAIL_HOST, mails are printed on the console instead of sent (docs/configuration.md#mail).
_MAIL_HOST = env_str("EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "practicehub@localhost")
MAILERS = {"default": (
    {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
     "OPTIONS": {"host": _MAIL_HOST, "port": env_int("EMAIL_PORT", 587),
                 "username": env_str("EMAIL_HOST_USER", ""),
                 "password": env_str("EMAIL_HOST_PASSWORD", ""),
                 "use_tls": env_bool("EMAIL_USE_TLS", True)}}
    if _MAIL_HOST or not DEBUG else
    {"BACKEND": "django.core.mail.backends.console.EmailBackend"})}

# Outcome data: Parquet files and the DuckDB database built from them live here.
OUTCOMES_DIR = DATA_DIR / "outcomes"
# Where the pages, the API and the reports read imported outcome data (docs/configuration.md#
# outcome-data): empty for the DuckDB file in OUTCOMES_DIR, or postgresql://…?schema=NAME for the
# schema `practicehub outcomes import` loads there. Only the scheme is named in the refusal: the
# rest may hold a password.
OUTCOMES_DATABASE_URL = env_str("OUTCOMES_DATABASE_URL", "").strip()
if OUTCOMES_DATABASE_URL and not OUTCOMES_DATABASE_URL.startswith(("postgres://",
                                                                    "postgresql://")):
    _scheme = OUTCOMES_DATABASE_URL.partition("://")[0] if "://" in OUTCOMES_DATABASE_URL else ""
    raise SettingError(
        f"OUTCOMES_DATABASE_URL {f'is a “{_scheme}://” URL' if _scheme else 'is not a URL'}; "
        "use postgresql://USER@HOST:PORT/DATABASE?schema=NAME, or leave it empty for the DuckDB "
        "file in the data folder.")

# Computed dashboard figures, shared by every server process and by the import command that
# prepares them (a per-process memory cache would make each worker compute them again). Keys
# carry the imported database's identity, so a new import is never answered from old entries.
# PRACTICEHUB_CACHE: "file" (the data folder; one server), "database" (a table of the
# application database, made by `practicehub createcachetable`, which serve runs: several
# servers share it) or a redis:// address (Django's Redis cache; needs the redis package).
CACHE_KIND = env_str("PRACTICEHUB_CACHE", "file").strip()
CACHE_TABLE = "practicehub_cache"
if CACHE_KIND == "file":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 5000}}}
elif CACHE_KIND == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": CACHE_TABLE, "OPTIONS": {"MAX_ENTRIES": 20000}}}
elif CACHE_KIND.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_KIND}}
else:
    raise ImproperlyConfigured(
        f"PRACTICEHUB_CACHE is “{CACHE_KIND}”; use file, database or a redis:// address.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "practicehub.core.logging.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 is one line in the log, without the traceback Django attaches to it.
    "loggers": {"django.request": {"filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
