"""Settings for casework. Every value comes from the environment, declared once here.

Defaults are safe for development; `casework.settings_production` hardens them and refuses
to start without the secrets.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="development-only-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "health_check",
    "axes",
    # Two-factor authentication (casework.two_factor): TOTP apps, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "casework",
    "clients",
    "instruments",
    "monitoring",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed two-factor authentication.
    "django_otp.middleware.OTPMiddleware",
    "casework.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casework.middleware.SessionExpiryMiddleware",
    # After the session checks and django-htmx: a session without its second factor goes to the
    # code or set-up page (casework.middleware.TwoFactorMiddleware).
    "casework.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a refused log-in of a locked account into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

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
                "django.template.context_processors.i18n",
                "casework.context_processors.navigation",
            ],
        },
    },
]

# Without DATABASE_URL: the project-local PostgreSQL that `make demo` and `make test` start.
_LOCAL_SOCKET = quote(str(LOCAL_DIR / "postgres"), safe="")
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"postgres://postgres@/{_LOCAL_SOCKET}/casework")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Tests: content types and permissions are rebuilt by post_migrate after a transactional test's
# flush; restoring them too from the serialized test database (serialized_rollback) would clash.
TEST_NON_SERIALIZED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "casework.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every log-in of a locked account before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, reading the session's user with their team and unread count (casework.backends).
    "casework.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# In development WhiteNoise serves straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) and referrer policy.
# Everything comes from our own origin: no inline script or style anywhere (templates, the SVG
# charts, htmx's indicator styles are switched off in base.html), no eval, no framing. Set here,
# not only in production, so that development and the tests run under the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"

# The cache (the dashboard keeps figures of closed quarters there). Without CACHE_URL each process
# has its own memory cache, enough for `make demo` and the tests; production points it at Redis
# so that every web process shares it. A Redis that is down or slow is a cache miss, not an error
# (casework.cache.RedisCache), within a second.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "casework.cache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=0.5, socket_timeout=0.5
    )

# Celery. Without CELERY_BROKER_URL the broker is kombu's filesystem transport in .local/,
# which is enough for `make demo`; production and CI point it at Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
_BROKER_DIR = Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(LOCAL_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_BROKER_DIR),
        "data_folder_out": str(_BROKER_DIR),
        "control_folder": str(_BROKER_DIR / "control"),
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # A message taken by a worker that dies comes back after the visibility timeout; it must
    # exceed the longest task (a monitor at 100,000 clients). monitoring.report_services.
    # resume_interrupted_builds does not wait that long. The socket timeouts bound a request that
    # sends a task to a Redis that is down or hanging (above the worker's 1 s BRPOP).
    else {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 3}
)
# Sending a task (in a request, after commit) to a broker that is down fails within about a
# second instead of retrying for long: the sender logs it and the work is recorded in the
# database, from where it is sent again (monitoring.report_services.resume_interrupted_builds) or
# the job runs again (beat's hourly runs below).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE  # crontab hours below are Amsterdam time
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "casework.tasks.heartbeat", "schedule": 60.0},
    "clear-expired-sessions": {
        "task": "casework.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=0),
    },
    # Hourly from 06:00, so that a run beat could not send (the broker was down) or a worker lost
    # is made up within the hour; a run finds the day recorded already and stops (clients.tasks).
    "record-work-queue": {
        "task": "clients.tasks.record_work_queue",
        "schedule": crontab(hour="6-18", minute=0),
    },
    # Retention (clients.retention): anonymise the clients whose retention period has ended, at
    # night when nobody works in the dossiers, well before the monitor and work queue runs. Hourly
    # through the night for the same reason as above; a run with nobody due changes nothing.
    "anonymise-expired-clients": {
        "task": "clients.tasks.anonymise_expired_clients",
        "schedule": crontab(hour="3-5", minute=15),
    },
    # Monitors whose worker died or whose message was lost (or never sent: the broker was down)
    # are sent again; also when a worker starts (casework.celery).
    "resume-interrupted-monitors": {
        "task": "monitoring.tasks.resume_interrupted_reports",
        "schedule": 300.0,
    },
    # The periodic monitor of the last quarter (and in January-March of the last year). Daily by
    # default, so a run missed or failed is made up the next day; a monitor that is done is left
    # alone. Five crontab fields: minute hour day-of-month month day-of-week.
    "build-due-monitors": {
        "task": "monitoring.tasks.build_due_reports",
        "schedule": crontab.from_string(env.str("MONITOR_SCHEDULE", default="30 5 * * *")),
    },
}
# How old the last Celery heartbeat may be before /health/ reports the worker or beat down.
CELERY_HEARTBEAT_MAX_AGE_SECONDS = env.int("CELERY_HEARTBEAT_MAX_AGE_SECONDS", default=300)

# --- Free text never in logs or error reports (issue 7; casework.error_reports) ---
# Every handler cuts the quoted values out of database errors. Errors of requests go by e-mail to
# ADMINS (none by default) when DEBUG is off, with POST values and local variables removed
# (DEFAULT_EXCEPTION_REPORTER_FILTER). No handler logs request bodies or SQL parameters.
ADMINS = [("", address) for address in env.list("ADMINS", default=[])]
SERVER_EMAIL = env.str("SERVER_EMAIL", default="casework@localhost")
DEFAULT_EXCEPTION_REPORTER_FILTER = "casework.error_reports.PersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "database_error_values": {"()": "casework.error_reports.DatabaseErrorValuesFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["database_error_values"],
        },
        # Django's own, with the filter: replaces the one of Django's default logging.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "database_error_values"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Propagates to the console; Django's default console handler (DEBUG only) is left off.
        "django": {"handlers": ["mail_admins"]},
        # Django logs each SQL statement with its parameters at DEBUG (when DEBUG is on): never.
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools report every PDF's progress at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# --- end free text ---

# The REST API (/api/v1/). Token first: its WWW-Authenticate header makes anonymous calls 401.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "casework.api.schema.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=25),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "casework.api.ordering.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "casework.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casework API",
    "VERSION": "v1",
    "DESCRIPTION": (
        "REST API of casework, the case-management system of the werk & inkomen teams "
        "(Participatiewet). Every call sees exactly what the user sees on the pages: consultants "
        "and team leaders their own team's clients, policy staff aggregates only. Authenticate "
        "with a session or a personal API token (header `Authorization: Token <token>`), created "
        "on the profile page. Every response showing a person's data is written to the access log."
    ),
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page loads Swagger UI from the installed sidecar, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Aggregates shown to policy staff hide cells with fewer people than this (privacy).
SMALL_CELL_THRESHOLD = env.int("SMALL_CELL_THRESHOLD", default=5)

# How many database connections compute the monitor's figures at once, in one snapshot
# (monitoring.snapshot): PostgreSQL runs a query on one core, so its number of cores is a good
# value. 1: one connection, one query after another.
MONITOR_DATABASE_CONNECTIONS = env.int("MONITOR_DATABASE_CONNECTIONS", default=2)

# Largest client-import file accepted by the upload page, in bytes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# Uploads.
# An XLSX import may unpack to at most this much (XML compresses about tenfold): no zip bombs.
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=10 * IMPORT_MAX_BYTES)
# An accepted import file (BSNs and all) stays in memory, never in a temporary file on disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES
# The request body apart from files (forms, API JSON): Django's default, stated. The limit on the
# whole request, files included, belongs in the reverse proxy (client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# The only upload is the client import: one file a request.
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# E-mail: notifications of newly overdue work go out by e-mail only when this is switched on.
NOTIFY_BY_EMAIL = env.bool("NOTIFY_BY_EMAIL", default=False)
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")

# Access: brute-force protection and session expiry.
# django-axes. A municipality's staff share a few office and VPN addresses, so locking by IP
# address would lock out whole teams, and locking by username + IP would let an attacker go on
# from another address: an account is locked by its username alone. The same happens for a
# username that does not exist, so the lock-out reveals nothing about which accounts exist.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP address among the lock-out parameters, against attackers who rotate
# user agents or cookies; those are no part of the lock here, so rotating them gains nothing, and
# an IP lock would lock out every colleague behind the same address (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# No start-up banner, and log lines name only the (masked) lock-out parameters; the attempts
# with address and user agent are in the database, for the application manager.
AXES_VERBOSE = False
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock-out do not extend it: the cool-off runs from the moment of locking, as
# the message on the log-in page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The log-in page itself, with the Dutch message, as 429 Too Many Requests (casework.lockout).
AXES_LOCKOUT_CALLABLE = "casework.lockout.lockout_response"

# Sessions end after SESSION_IDLE_MINUTES without activity and SESSION_MAX_HOURS after log-in,
# whatever the activity (casework.middleware.SessionExpiryMiddleware). The database row and the
# cookie expire after the idle time; activity renews them at most once per
# SESSION_ACTIVITY_RESOLUTION_SECONDS, not on every request (SESSION_SAVE_EVERY_REQUEST would
# write the session on every request), so the idle time is measured to that resolution.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_ACTIVITY_RESOLUTION_SECONDS = 60

# --- BSN encryption at rest (issue 7) ---
# Client.bsn is encrypted with Fernet (django-fernet-encrypted-fields). Its keys are derived with
# PBKDF2 from SECRET_KEY and each of SECRET_KEY_FALLBACKS, combined with each SALT_KEY, once per
# process. The first key encrypts; every key is tried to decrypt. To rotate: put the new salt first
# in FIELD_ENCRYPTION_SALT (comma-separated), keep the old one after it until every BSN has been
# saved again (`manage.py reencrypt_bsns`); the same for a new SECRET_KEY with the old one in
# SECRET_KEY_FALLBACKS. A BSN encrypted with a key no longer listed cannot be read any more.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT", default=["development-only-bsn-salt"])
# Client.bsn_hash: HMAC-SHA256 of the BSN with this key, for exact look-up (clients.bsn.bsn_digest).
# Changing it means recomputing every client's bsn_hash: `manage.py reencrypt_bsns`, run before
# the application takes requests again.
BSN_HASH_KEY = env.str("BSN_HASH_KEY", default="development-only-bsn-hash-key")
# --- end BSN encryption ---

# --- Two-factor authentication (issue 7) ---
# django-otp; casework.two_factor. Every staff account needs a TOTP app
# when this is on; production always has it on (casework.settings_production, and the system
# check casework.checks.two_factor_required refuses it off without DEBUG). `make demo` and the
# tests switch it off, so that the demo users log in with their password only.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
# The name the authenticator app shows next to the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Casework")
# The application manager resets a user's two-factor authentication in /beheer/ but never sees
# a secret key, its QR code or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# --- end two-factor authentication ---

# --- Sudo mode (issue 7; casework.sudo) ---
# How long a confirmation with the password (and two-factor code) holds before the next sensitive
# action (see casework.sudo for the list) asks again.
SUDO_MINUTES = env.int("SUDO_MINUTES", default=10)
# --- end sudo mode ---
