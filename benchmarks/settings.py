"""The bench's settings: production's (DEBUG off, the same middleware, PostgreSQL, Redis as
broker and cache, persistent connections) on plain HTTP, with what a bench needs:

- the database ``BENCH_DATABASE_URL`` (a name ending in ``_bench``);
- a fixed secret key and encryption key, any host name, no HTTPS redirect;
- emails written as files to ``var/bench/mail/`` (by the Celery worker the bench starts);
- Celery on its own Redis database and queue (``bench``), never the suite's or the portal's;
- throttles out of the way (one user sends every request);
- the floor (``/bench/floor/``, in ``benchmarks.urls``) and a middleware that says in
  response headers how many queries a request made and how many rows they returned
  (``X-Bench-Queries``, ``X-Bench-Rows``), and on request how many rows PostgreSQL read
  for them (``X-Bench-Explain: 1`` -> ``X-Bench-Rows-Read``, from EXPLAIN ANALYZE).
"""

from partnercenter.settings.base import *  # noqa: F403
from partnercenter.settings.base import FRAGMENTS_CACHE, MIDDLEWARE, REST_FRAMEWORK, VAR_DIR, env
from partnercenter.settings.database import tuned

DEBUG = False
SECRET_KEY = "bench-secret-key-not-for-production-5b2e9d0c7a41"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": tuned(
        env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/partnercenter_bench")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("BENCH_CONN_MAX_AGE", default=60)
FIELD_ENCRYPTION_KEYS = ["bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="]

REDIS_URL = env.str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/12")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_DEFAULT_QUEUE = "bench"
CELERY_TASK_ALWAYS_EAGER = False
GENERATIONS_CACHE = True  # the cache is production's Redis (core.generations)
CACHES = {
    "default": {
        "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",  # production's
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "bench",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    "fragments": FRAGMENTS_CACHE,
}

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(VAR_DIR / "bench" / "mail")
SITE_URL = "http://127.0.0.1:8765"
MEDIA_ROOT = str(VAR_DIR / "bench" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production's manifest storage needs collectstatic first; the pages name the same files.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min", "credentials": "1000000/min"},
}
MIDDLEWARE = ["benchmarks.middleware.QueryCounter", *MIDDLEWARE]
ROOT_URLCONF = "benchmarks.urls"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
