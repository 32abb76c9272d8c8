"""The settings of the processes that tests/many/test_many_processes.py starts: the
portal's base settings, which read everything from the environment as in production
(DATABASE_URL, REDIS_URL: broker, cache and beat's lock, AWS_*: the object store,
EMAIL_URL), with the test suite's keys. Not the test settings: nothing runs eagerly."""

from partnercenter.settings.base import *  # noqa: F403
from partnercenter.settings.test import FIELD_ENCRYPTION_KEYS, PASSWORD_HASHERS, SECRET_KEY  # noqa: F401

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
