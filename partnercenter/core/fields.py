"""Encryption at rest for sensitive columns (bank account numbers, email contexts).

Fernet (AES-128-CBC with HMAC) through ``MultiFernet`` over ``FIELD_ENCRYPTION_KEYS``:
the first key encrypts, every key decrypts, so keys rotate by prepending a new one.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: generate one with Fernet.generate_key().")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; it cannot be searched or ordered on."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return fernet().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return fernet().decrypt(value.encode()).decode()


class EncryptedJSONField(models.TextField):
    """A JSON document stored encrypted; reads back as Python data."""

    def get_prep_value(self, value):
        if value is None:
            return None
        return fernet().encrypt(json.dumps(value, cls=DjangoJSONEncoder).encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(fernet().decrypt(value.encode()))

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value
