"""Settings shared by every environment.

Every value that differs between machines comes from the environment through one
django-environ reader (``env``); ``.env.example`` documents each of them. A bad value
fails loudly at start. Environment modules (local, test, production) import this one
and change only what differs.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The port the development server listens on: `make run` passes its PORT to every process
# it starts (web, worker, beat) as WEB_PORT, so that the links the worker emails follow it.
WEB_PORT = env.int("WEB_PORT", default=8000)
# The base of every link put in an email (verification, invitations); unset, the local
# server on WEB_PORT.
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{WEB_PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_countries",
    "formtools",
    "partnercenter.core",
    "partnercenter.accounts",
    "partnercenter.audit",
    "partnercenter.notifications",
    "enrollment",
    "relationships",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A temporary password is changed before anything else (after request.user is set).
    "partnercenter.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A domain error a page did not handle becomes its page (403, 404, 409 with the reason).
    "partnercenter.core.pages.DomainErrorMiddleware",
]

ROOT_URLCONF = "partnercenter.urls"
WSGI_APPLICATION = "partnercenter.wsgi.application"

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
                "partnercenter.core.context_processors.portal",
                "relationships.context_processors.partner_nav",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------
# Any django-environ database URL; SQLite in var/ when unset (make run on a fresh machine).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: take the write lock at BEGIN and wait for it
    # rather than failing with "database is locked" halfway through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Bank account numbers and email contexts holding tokens are encrypted at rest with
# these Fernet keys; the first encrypts, all decrypt (rotation: prepend a new key).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Redis: Celery broker and cache ------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Embedded default: Celery's filesystem transport. Web, worker and beat exchange
    # messages through one local folder, so `make run` needs no broker server.
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Periodic sweeps. Multi-day waits are due_at columns swept here, never countdowns.
CELERY_BEAT_SCHEDULE = {
    "notifications-send-due": {
        "task": "partnercenter.notifications.tasks.notifications_send_due",
        "schedule": 60.0,
    },
    "enrollments-sweep": {
        "task": "enrollment.tasks.enrollments_sweep",
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=60.0),
    },
    "email-verifications-purge": {
        "task": "enrollment.tasks.email_verifications_purge",
        "schedule": crontab(minute=17, hour=3),
    },
    # Reseller invitations past their expiry; the GDAP lifecycle (expiring, expired,
    # auto-extended, terminated).
    "relationships-sweep": {
        "task": "relationships.tasks.relationships_sweep",
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=60.0),
    },
}


# --- Email ---------------------------------------------------------------------------
# EMAIL_URL: smtp://user:pass@host:587 (add ?tls=True), consolemail://, filemail:///a/folder
def email_settings(url: str) -> dict:
    """django-environ's email URL, where filemail:///a/folder means the absolute /a/folder."""
    config = environ.Env.email_url_config(url)
    if url.startswith("filemail:///") and not config["EMAIL_FILE_PATH"].startswith("/"):
        config["EMAIL_FILE_PATH"] = "/" + config["EMAIL_FILE_PATH"]
    return config


# Unset: each email is written as a file to var/mail/ (and shown at /dev/outbox/ in DEBUG).
vars().update(email_settings(env.str("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CSP Partner Portal <no-reply@partners.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How many times a notification is tried before it is marked failed.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)

# --- Languages -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hant", "繁體中文"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The portal's date formats over Django's: a date and time says its zone; no "г." in Russian.
FORMAT_MODULE_PATH = ["partnercenter.formats"]

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "partnercenter.core.drf.SessionAuthentication",
    ],
    # DRF's parsers; the JSON one answers a malformed body in the caller's language.
    "DEFAULT_PARSER_CLASSES": [
        "partnercenter.core.drf.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # 403 until a temporary password is changed (except on /api/v1/me/password/).
        "partnercenter.accounts.api.permissions.PasswordChanged",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "partnercenter.core.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "partnercenter.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        # Password guessing: sign-in to the portal and to the Partner Membership Center.
        "credentials": env.str("THROTTLE_CREDENTIALS", default="10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSP Partner Portal API",
    "DESCRIPTION": "The public REST API of the CSP Partner Portal (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- The program's own settings --------------------------------------------------------
# The Partner Network (MPN) registry behind one interface; a real one can replace it.
PARTNER_NETWORK_REGISTRY = env.str("PARTNER_NETWORK_REGISTRY", default="enrollment.registry.LocalRegistry")
# A Partner Membership Center sign-in proves the MPN IDs it lists for this many seconds:
# an application submitted within them with one of those IDs has it "proved".
PMC_PROOF_MAX_AGE = env.int("PMC_PROOF_MAX_AGE", default=3600)
# How long the primary contact's email-ownership link works.
EMAIL_VERIFICATION_TTL_DAYS = env.int("EMAIL_VERIFICATION_TTL_DAYS", default=7)
# A decision is due within this many business days of the email confirmation.
REVIEW_BUSINESS_DAYS = env.int("REVIEW_BUSINESS_DAYS", default=5)
# An unconfirmed application expires after this many days (with an email).
ENROLLMENT_EXPIRY_DAYS = env.int("ENROLLMENT_EXPIRY_DAYS", default=30)
# Demo only: one business day lasts this many seconds (0 = real days, weekends skipped).
BUSINESS_DAY_SECONDS = env.int("BUSINESS_DAY_SECONDS", default=0)
# Appeal documents: at most this many bytes, of these types (checked by content, not name).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Django bounds form fields, not files: a file past DOCUMENT_MAX_BYTES is skipped while it
# streams in (never stored) and the page or the API says it is too large.
FILE_UPLOAD_HANDLERS = [
    "enrollment.uploads.DocumentSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Reseller and customer invitation links work this many days.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=30)
# Whether direct-bill applications are open until staff open or close them (enrollment.programs):
# only the default of a fresh database, read at call time.
DIRECT_BILL_APPLICATIONS_OPEN = env.bool("DIRECT_BILL_APPLICATIONS_OPEN", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A 403 (or any 4xx) is one line; tracebacks are for server errors.
    "filters": {"client_errors_in_one_line": {"()": "partnercenter.core.log_filters.ClientErrorsInOneLine"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_in_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
