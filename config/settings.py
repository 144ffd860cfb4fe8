"""Phaen settings: one file, every deployment difference from the environment.

Development needs no environment at all (SQLite under ``var/``). Production sets
``DJANGO_ENV=production`` plus ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL``; see README "Production".
"""

import os
from pathlib import Path

import dj_database_url
import fontpkg_sarabun
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PHAEN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"ค่า {name}={value!r} ไม่ถูกต้อง ต้องเป็น true หรือ false "
        f"({name} must be true or false)"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Parse ``DATABASE_URL``; only PostgreSQL and SQLite are supported."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL ใช้รูปแบบ {scheme or url!r} ซึ่งไม่รองรับ "
            "ใช้ postgres://ผู้ใช้:รหัสผ่าน@เครื่อง:พอร์ต/ชื่อฐานข้อมูล หรือ sqlite:///ไฟล์ "
            "(unsupported DATABASE_URL scheme; use postgres:// or sqlite://)"
        )
    return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)


# ------------------------------------------------------------------------------
# Mode and secrets
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
# ------------------------------------------------------------------------------
PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "ไม่ได้กำหนด SECRET_KEY ในโหมด production "
            "กรุณาตั้งตัวแปรสภาพแวดล้อม SECRET_KEY "
            "(SECRET_KEY is required when DJANGO_ENV=production)"
        )
    SECRET_KEY = "django-insecure-phaen-development-only"

# https://docs.djangoproject.com/en/5.2/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# ------------------------------------------------------------------------------
# Applications
# https://docs.djangoproject.com/en/5.2/ref/settings/#installed-apps
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "core.vendor_apps.AxesConfig",  # django-axes, with a Thai name
    "simple_history",
    "django_htmx",
    # Django's Tasks API (backport) with its database backend (RQ's apps
    # are added below when REDIS_URL is set).
    "django_tasks",
    "core.vendor_apps.TasksDatabaseConfig",  # django-tasks-db, with a Thai name
    "core",
    "plans",
    "projects",
    "budgets",
    "progress",
    "excel",
    "reports",
    "network",
    "public",
    "home",
]

# Audit history: reverting from the admin would bypass the workflow rules.
# https://django-simple-history.readthedocs.io/en/latest/admin.html
SIMPLE_HISTORY_REVERT_DISABLED = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ?x=%00 never reaches a view (PostgreSQL refuses NUL in text: a 500).
    "core.middleware.StripNulFromQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: a view answers a partial to htmx and a whole page otherwise.
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the audit history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it watches the login views for failures.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.phaen",
            ],
            "builtins": ["core.templatetags.thai_format"],
        },
    },
]

# ------------------------------------------------------------------------------
# Database: SQLite by default, PostgreSQL when DATABASE_URL is set
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
# ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "phaen.sqlite3",
        }
    }
# Optional read replica (README "Running for many offices"): the overseer
# pages read their cross-office tables from it (core.replica); every write and
# every other page stays on ``default``. Without it nothing changes.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["core.replica.OverseerReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# ------------------------------------------------------------------------------
# Authentication
# https://docs.djangoproject.com/en/5.2/topics/auth/
# ------------------------------------------------------------------------------
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses logins for an account or address locked after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked login opens again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "core.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "login"

# ------------------------------------------------------------------------------
# Thai first
# https://docs.djangoproject.com/en/5.2/topics/i18n/
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static and media files (whitenoise serves static in production)
# https://docs.djangoproject.com/en/5.2/howto/static-files/
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun comes from the fontpkg-sarabun wheel, served as /static/fonts/sarabun/.
    ("fonts/sarabun", fontpkg_sarabun.ROOT / "files"),
]


# Uploaded files (evidence): the local MEDIA_ROOT by default; with
# PHAEN_STORAGE=s3 an S3-compatible bucket (django-storages) that every app
# server shares. See README "Running for many offices". Both are Django's
# backends with core.storage's name rule, which keeps Thai vowels and tone marks.
def storage_from_env() -> dict:
    """``STORAGES["default"]`` from PHAEN_STORAGE (``local`` or ``s3``) and,
    for S3, PHAEN_S3_BUCKET, PHAEN_S3_ENDPOINT_URL (MinIO, Ceph, a cloud's
    S3), PHAEN_S3_REGION, PHAEN_S3_ACCESS_KEY_ID, PHAEN_S3_SECRET_ACCESS_KEY
    and PHAEN_S3_PREFIX (a folder inside the bucket)."""
    kind = env_str("PHAEN_STORAGE", "local")
    if kind == "local":
        return {"BACKEND": "core.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(
            f"ค่า PHAEN_STORAGE={kind!r} ไม่ถูกต้อง ต้องเป็น local หรือ s3 "
            "(PHAEN_STORAGE must be local or s3)"
        )
    if not env_str("PHAEN_S3_BUCKET"):
        raise ImproperlyConfigured(
            "PHAEN_STORAGE=s3 ต้องกำหนด PHAEN_S3_BUCKET ด้วย "
            "(PHAEN_STORAGE=s3 needs PHAEN_S3_BUCKET)"
        )
    return {
        "BACKEND": "core.storage_s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PHAEN_S3_BUCKET"),
            "endpoint_url": env_str("PHAEN_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PHAEN_S3_REGION") or None,
            "access_key": env_str("PHAEN_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("PHAEN_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("PHAEN_S3_PREFIX"),
            # Private objects: the app's own views serve them after the
            # permission check, never a public bucket URL.
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of the same name keep both files.
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": storage_from_env(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, whitenoise serves straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# ------------------------------------------------------------------------------
# PDF (WeasyPrint): resources load from disk, never over HTTP
# https://github.com/fdemmer/django-weasyprint
# ------------------------------------------------------------------------------
WEASYPRINT_BASEURL = "/"
# A long book (the annual plan) is cut into parts laid out by this many
# processes side by side; 1 lays everything out in the request's process.
PHAEN_PDF_WORKERS = int(env_str("PHAEN_PDF_WORKERS", str(min(os.cpu_count() or 1, 4))))
# ... but only when its body is at least this long (HTML characters): below
# that, starting the processes costs more than it saves.
PHAEN_PDF_PARALLEL_MIN_CHARS = int(env_str("PHAEN_PDF_PARALLEL_MIN_CHARS", "400000"))
# Tagged PDFs (PDF/UA-1: structure tree, Thai /Lang, bookmarks) for screen
# readers; "0" writes them untagged.
PHAEN_PDF_TAGS = env_str("PHAEN_PDF_TAGS", "1") != "0"
# Tagged long books in parts too, joined before writing (reports.tagjoin);
# "0" lays them out in one process as before (archival books always are).
PHAEN_PDF_TAGGED_PARTS = env_str("PHAEN_PDF_TAGGED_PARTS", "1") != "0"

# ------------------------------------------------------------------------------
# Background jobs: Django's Tasks API (the django-tasks backport)
# https://docs.djangoproject.com/en/6.0/topics/tasks/
# ------------------------------------------------------------------------------
# Embedded by default: tasks wait in the database and ``manage.py db_worker``
# (started by ``make run`` beside the web server) runs them, no extra service.
# With REDIS_URL set they go to Redis and ``manage.py rqworker --job-class
# django_tasks_rq.Job`` runs them.
REDIS_URL = env_str("REDIS_URL")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if REDIS_URL
        else {"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
}
if REDIS_URL:
    # RQ's backend and its ``rqworker`` command; django-rq's admin (queues,
    # jobs) then opens to staff: see README "Production".
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 1800,
    }
}
# Rendered PDFs (reports.documents): one file per document and data stamp,
# written by the render task and served by the download views. With several
# machines it must be one shared folder (an NFS mount): a worker on one machine
# renders what an app server on another serves.
PHAEN_DOCUMENT_DIR = Path(env_str("PHAEN_DOCUMENT_DIR", str(VAR_DIR / "documents")))
# A render whose progress record has not moved for this long is taken for dead
# (its worker killed) and may be started again.
PHAEN_DOCUMENT_STALE_SECONDS = int(env_str("PHAEN_DOCUMENT_STALE_SECONDS", "600"))
# An import's or a reminder's task record (core.models.TaskRecord) that has
# not moved for this long is taken for dead: its page offers to start again
# and ``run_scheduled_tasks`` marks it failed (core.models.Heartbeat).
PHAEN_TASK_STALE_SECONDS = int(env_str("PHAEN_TASK_STALE_SECONDS", "300"))
# Approving a plan and locking a round start their documents' renders at once.
PHAEN_DOCUMENT_PRERENDER = env_bool("PHAEN_DOCUMENT_PRERENDER", default=True)
# Reminder e-mails of an open round go on these days before its due date
# (0: the due date, negative: after it), enqueued by ``manage.py
# run_scheduled_tasks`` (cron or a systemd timer, see README).
PHAEN_REMINDER_DAYS = [
    int(day) for day in env_list("PHAEN_REMINDER_DAYS", "7,3,1,0,-3,-7")
]
# Task records (imports, reminders, documents) and rendered PDFs older than
# this are deleted by ``manage.py run_scheduled_tasks``.
PHAEN_TASK_KEEP_DAYS = int(env_str("PHAEN_TASK_KEEP_DAYS", "30"))

# ------------------------------------------------------------------------------
# Excel (excel app): exports never write formulas; imports are bounded
# ------------------------------------------------------------------------------
# import-export's stock formats (ours escape in core.xlsx.set_value).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Parsed uploads between preview and confirm: this instance's own folder,
# shared (like PHAEN_DOCUMENT_DIR) when several app servers take turns.
PHAEN_UPLOAD_DIR = Path(env_str("PHAEN_UPLOAD_DIR", str(VAR_DIR / "uploads")))
# Non-empty rows per sheet an import reads; more is refused (the zip caps,
# PHAEN_IMPORT_MAX_UNPACKED_BYTES / _RATIO / _MEMBERS, default in excel.workbook).
PHAEN_IMPORT_MAX_ROWS = int(env_str("PHAEN_IMPORT_MAX_ROWS", "20000"))

# ------------------------------------------------------------------------------
# E-mail (console in development)
# https://docs.djangoproject.com/en/5.2/topics/email/
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "phaen@localhost")

# ------------------------------------------------------------------------------
# Security (production)
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# ------------------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# ------------------------------------------------------------------------------
# Web hardening (security issue: uploads, SQLite locking, sessions, CSP,
# downloads). Kept in one block so merges with other settings edits stay easy.
# ------------------------------------------------------------------------------
# Uploads: refuse a request body larger than this before reading it
# (core.uploads.LimitedUploadHandler), so a huge body is never spooled to disk.
# It must exceed the largest per-view limit (workbooks: 20 MB in
# excel.workbook.MAX_BYTES; evidence: 10 MB in progress.validators) plus the
# multipart overhead of the form.
PHAEN_MAX_UPLOAD_BYTES = int(env_str("PHAEN_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
# https://docs.djangoproject.com/en/5.2/ref/settings/#data-upload-max-memory-size
# Form fields other than files (Django's default of 2.5 MB; a larger body is
# refused with the Thai 400 page).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env_str("DATA_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
# https://docs.djangoproject.com/en/5.2/ref/settings/#file-upload-max-memory-size
# Files above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(env_str("FILE_UPLOAD_MAX_MEMORY_SIZE", "2621440"))
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# SQLite: writers queue (BEGIN IMMEDIATE, wait up to 20 s) instead of failing
# with "database is locked"; WAL lets readers run beside the writer.
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}

# Sessions: logged out after 8 hours without a request (office use), the
# expiry sliding forward on activity (core.middleware.SlidingSessionMiddleware
# saves the session at most every PHAEN_SESSION_REFRESH_SECONDS, not on every
# request, to spare the database a write per page).
# https://docs.djangoproject.com/en/5.2/ref/settings/#session-cookie-age
SESSION_COOKIE_AGE = int(env_str("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool(
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False
)
PHAEN_SESSION_REFRESH_SECONDS = int(env_str("PHAEN_SESSION_REFRESH_SECONDS", "300"))

# Content-Security-Policy, enforced (django-csp 4, sent by
# core.middleware.CSPMiddleware). No inline scripts or styles anywhere on the
# site: templates load static/js and static/css files (tests/security checks
# that no template carries <script>, <style> or style="…"), so injected markup
# can neither run code nor restyle a page (a fake form over the real one).
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The one exception, for URLs under PHAEN_ADMIN_CSP_PREFIX only: Django's own
# admin templates write a <style> block (admin/change_list.html) and its
# widgets style elements inline, so the admin keeps 'unsafe-inline' for styles
# (never for scripts). core.middleware.CSPMiddleware applies it; the site's
# pages never get it (tests/security/test_web_hardening.py).
PHAEN_ADMIN_CSP_PREFIX = "/admin/"
PHAEN_ADMIN_CSP_REPLACE = {"style-src": ["'self'", "'unsafe-inline'"]}

_MIDDLEWARE_HARDENING = {
    # Outermost: see every response, including the 503 and 413 pages.
    "django.middleware.security.SecurityMiddleware": [
        "core.middleware.CSPMiddleware",
        "core.middleware.DownloadNoStoreMiddleware",
    ],
    # Before the CSRF check reads the body: refuse an oversized upload first.
    "django.contrib.sessions.middleware.SessionMiddleware": [
        "core.middleware.UploadLimitMiddleware",
    ],
    "django.contrib.auth.middleware.AuthenticationMiddleware": [
        "core.middleware.SlidingSessionMiddleware",
        # Innermost of ours: turns "database is locked" from a view into 503.
        "core.middleware.DatabaseBusyMiddleware",
    ],
}
for _after, _added in _MIDDLEWARE_HARDENING.items():
    _at = MIDDLEWARE.index(_after) + 1
    MIDDLEWARE[_at:_at] = _added

# ------------------------------------------------------------------------------
# Logging: errors to the console, where gunicorn and systemd collect them
# https://docs.djangoproject.com/en/5.2/topics/logging/
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
