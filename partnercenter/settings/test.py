"""Settings for the test suite: real PostgreSQL and Redis, tasks run eagerly."""

from .base import *  # noqa: F403
from .base import FRAGMENTS_CACHE, env
from .database import tuned

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": tuned(env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/partnercenter"))
}
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": FRAGMENTS_CACHE,
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
FIELD_ENCRYPTION_KEYS = ["dGVzdC1rZXktZm9yLXRoZS1zdWl0ZS0wMDAwMDAwMDA="]
SITE_URL = "http://testserver"
MEDIA_ROOT = str(VAR_DIR / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The kept lists (core.generations) in the suite's one process; a token is set at the write,
# in the test's transaction that never commits (tests/core/test_generations.py: at commit).
GENERATIONS_CACHE = True
GENERATIONS_AFTER_COMMIT = False
