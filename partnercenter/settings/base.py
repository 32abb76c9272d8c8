"""Settings shared by every environment.

Every value that differs between machines comes from the environment through one
django-environ reader (``env``); ``.env.example`` documents each of them. A bad value
fails loudly at start. Environment modules (local, test, production) import this one
and change only what differs.
"""

from datetime import timedelta
from decimal import Decimal
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
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_countries",
    "formtools",
    "oauth2_provider",
    "partnercenter.core",
    "partnercenter.accounts",
    "partnercenter.audit",
    "partnercenter.notifications",
    "partnercenter.pcapi",
    "enrollment",
    "relationships",
    "billing",
]

MIDDLEWARE = [
    # First: a NUL in the path or the query string is a 400 before anything reads it.
    "partnercenter.core.middleware.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Django's, but a POST without its trailing slash is a 404 naming the address, never a 500.
    "partnercenter.core.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A temporary password is changed before anything else (after request.user is set).
    "partnercenter.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A domain error a page did not handle becomes its page (403, 404, 409 with the reason).
    "partnercenter.core.pages.DomainErrorMiddleware",
    # A sign-in refused by the lockout becomes the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

# Browser security headers: the Content-Security-Policy and Permissions-Policy.
from .headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: E402, F401

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
                "billing.context_processors.billing_nav",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------
# Any django-environ database URL; SQLite in var/ when unset (make run on a fresh machine).
from .database import tuned  # noqa: E402

DATABASES = {"default": tuned(env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
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
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or client before any password is checked.
    "partnercenter.accounts.lockout.LockoutBackend",
    # Django's ModelBackend, reading the user with its tenant in one compiled query.
    "partnercenter.accounts.backends.UserBackend",
]
SESSION_ENGINE = "partnercenter.accounts.sessions"  # Django's database sessions, compiled
# Every password form and API (sign-up, password change, the admin) validates with these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "partnercenter.accounts.password_validation.NotBlankValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "partnercenter.accounts.password_validation.WordWithYearValidator"},
    {"NAME": "partnercenter.accounts.password_validation.DemoPasswordValidator"},
]

# --- Sign-in lockout (django-axes, in the database: it holds while Redis is away) -----------
# Every sign-in (the portal's, the admin's, the API token's, the Partner Membership Center's)
# is refused for AXES_COOLOFF_MINUTES once an account or a client (IP address) has
# AXES_FAILURE_LIMIT failures. Staff unlock in the admin (Access attempts) or with
# `manage.py axes_reset_username <email>` / `axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per client
AXES_HANDLER = "partnercenter.accounts.lockout.LockoutHandler"  # axes' database handler
# A success does not wipe the client's failures: one own account must not reset the per-client
# count of a guesser trying many accounts. Failures expire after the cool-off.
AXES_RESET_ON_SUCCESS = False
# The audit and the server logs record sign-ins; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
# A try while locked out neither counts nor pushes the end of the lockout further.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "partnercenter.accounts.lockout.attempted_username"
# The client's address by the API throttle's own rule (NUM_PROXIES), never a header as sent.
AXES_CLIENT_IP_CALLABLE = "partnercenter.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "partnercenter.accounts.lockout.lockout_response"
# The user's own API tokens stop working after this many days (and at a password change).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

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
# Redis down must not hold up or fail a request (issue 13): a task that cannot be published
# raises within about a second and its caller leaves the row for the periodic sweep
# (notification_queue, the checks after a confirmation), and the cache fails open.
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
    DEFAULT_CACHE = {
        "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
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
    DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    GENERATIONS_CACHE = False  # a process's own cache cannot keep lists (core.generations)
# Beside it, fragments that read the same for everyone with the same facts (``{% cache
# ... using="fragments" %}``: the navigation), in each process's memory.
FRAGMENTS_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"}
CACHES = {"default": DEFAULT_CACHE, "fragments": FRAGMENTS_CACHE}

# How many events of an enrollment's timeline a page or the API shows at once (the
# latest first; older ones a page further).
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=50)

# Periodic sweeps. Multi-day waits are due_at columns swept here, never countdowns.
# A sweep works batch after batch until nothing is due or this many seconds have passed.
SWEEP_SECONDS = env.float("SWEEP_SECONDS", default=50.0)
CELERY_BEAT_SCHEDULE = {
    # Every 30 s: with the 60 s claim lease of a send (notifications.delivery), an email
    # whose worker was killed mid-send goes out within two minutes.
    "notifications-send-due": {
        "task": "partnercenter.notifications.tasks.notifications_send_due",
        "schedule": 30.0,
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

# Commerce: renewal reminders, cancellation window, the invoice run (and their sweeps).
from .commerce import *  # noqa: E402, F403
from .commerce import COMMERCE_BEAT_SCHEDULE  # noqa: E402
from .partner_center_api import *  # noqa: E402, F403

CELERY_BEAT_SCHEDULE.update(COMMERCE_BEAT_SCHEDULE)


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
        "partnercenter.accounts.api.authentication.TokenAuthentication",
        "partnercenter.accounts.api.authentication.BearerAuthentication",
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
        "partnercenter.core.throttling.PortalAnonRateThrottle",
        "partnercenter.core.throttling.PortalUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        # Password guessing: sign-in to the portal and to the Partner Membership Center.
        "credentials": env.str("THROTTLE_CREDENTIALS", default="10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # X-Forwarded-For is trusted from this many proxies in front of the portal, and only
    # them: 0 (the default) uses the connection's address, so a header a client sends
    # itself changes nothing. The sign-in lockout uses the same rule (core.client_ip).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSP Partner Portal API",
    "DESCRIPTION": "The public REST API of the CSP Partner Portal (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The support plan's choices, read and written under two field names (plan, support_plan).
    "ENUM_NAME_OVERRIDES": {
        "SupportPlanEnum": "enrollment.direct_bill.SupportPlan",
        "ProductKindEnum": "billing.models.catalog.ProductKind",
        "SubscriptionStatusEnum": "billing.models.subscriptions.SubscriptionStatus",
    },
    # Swagger UI from the portal itself (no CDN), so the Content-Security-Policy holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
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
# For how many seconds the review queue's age chart is reused (0: counted on every request).
QUEUE_AGE_CHART_SECONDS = env.int("QUEUE_AGE_CHART_SECONDS", default=60)
# The transition to indirect reseller: approved at once when the checks pass, else within these.
TRANSITION_APPROVAL_WORKING_DAYS = env.int("TRANSITION_APPROVAL_WORKING_DAYS", default=3)
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

# --- Many machines: shared object storage, one beat at a time, lost work retried ----------
# Every web, worker and beat process may run several times, on several machines: what they
# share is PostgreSQL, Redis and the object store (README, "Several machines").


def object_storage(*, bucket: str, endpoint_url: str = "", region: str = "", access_key="", secret_key=""):
    """The STORAGES entry of an S3-compatible bucket (AWS S3, MinIO). Private: no ACL is
    sent, so objects keep the bucket's (private) default, and any URL would be signed and
    short-lived; the portal itself serves a document only through its permission check
    (the reviewer's download reads it through the storage)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Two uploads with one name keep both (a suffix), never overwrite each other.
            "file_overwrite": False,
            "signature_version": "s3v4",
            # A MinIO at http://minio:9000 has no bucket subdomains.
            "addressing_style": "path" if endpoint_url else None,
        },
    }


# Uploaded documents: the bucket when AWS_STORAGE_BUCKET_NAME is set, else MEDIA_ROOT on
# this machine's disk (the embedded default: one machine only).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = object_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region=env.str("AWS_S3_REGION_NAME", default=""),
        access_key=env.str("AWS_ACCESS_KEY_ID", default=""),
        secret_key=env.str("AWS_SECRET_ACCESS_KEY", default=""),
    )

# A task is acknowledged when it is done (CELERY_TASK_ACKS_LATE above); if its worker is
# killed it goes back on the queue at once (a lost child process) or, when the whole worker
# vanished, after the Redis transport's visibility timeout: 120 s, so that lost work comes
# back within two minutes. Tasks are idempotent (they claim their rows), so a task that
# runs longer than that and is redelivered does nothing the second time.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
TASK_REDELIVERY_SECONDS = 120
# Every SMTP step gives up after this many seconds, so that a send ends well within its
# 60 s claim lease (partnercenter.notifications.delivery.CLAIM_LEASE).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": TASK_REDELIVERY_SECONDS,
    }
    # Beat keeps its schedule in Redis behind a lock (celery-redbeat): of two beat
    # processes, one queues the periodic sweeps and the other waits to take over when the
    # first stops renewing the lock (within REDBEAT_LOCK_TIMEOUT seconds). The sweeps claim
    # their rows as well, so even two sweeps at once do each thing once.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS = {}  # not the broker's transport options
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5
    CELERY_REDBEAT_LOCK_TIMEOUT = 30

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
    # axes: each failure and lockout (WARNING) is logged, not every successful sign-in.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Direct bill (issue 9). The credit check's provider: a dotted path to a
# ``enrollment.credit.CreditCheckProvider`` (default: the rules-based scorer).
CREDIT_CHECK_PROVIDER = env.str("CREDIT_CHECK_PROVIDER", default="enrollment.credit.RulesBasedCreditCheck")
# Thresholds the program may add, off by default: months as an active indirect reseller
# (0 = off) and cloud revenue of the last 12 months per currency (none listed = off; a
# currency not listed is not restricted). A bad amount fails at start.
DIRECT_BILL_MIN_INDIRECT_MONTHS = env.int("DIRECT_BILL_MIN_INDIRECT_MONTHS", default=0)
DIRECT_BILL_MIN_CLOUD_REVENUE = {
    currency.strip().upper(): Decimal(amount.strip())
    for currency, amount in env.dict("DIRECT_BILL_MIN_CLOUD_REVENUE", default={}).items()
}

# Direct bill to indirect reseller (issue 11). The invitation to indirect-reseller incentives:
# days after the transition (0 = at once; at most 30, "within 30 days").
INCENTIVES_INVITATION_DELAY_DAYS = env.int("INCENTIVES_INVITATION_DELAY_DAYS", default=0)
# Continuing obligations of direct-bill partners, off by default (DOMAIN.md): months as an
# active indirect reseller (0 = off) and invoiced revenue over the trailing 12 months per
# currency (none listed = off), the shape of DIRECT_BILL_MIN_*. Short: restricted.
DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS = env.int("DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS", default=0)
DIRECT_BILL_CONTINUING_MIN_REVENUE = {
    currency.strip().upper(): Decimal(amount.strip())
    for currency, amount in env.dict("DIRECT_BILL_CONTINUING_MIN_REVENUE", default={}).items()
}
