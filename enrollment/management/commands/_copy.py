"""Fast loading for ``seed_volume``: rows written with PostgreSQL's COPY, in batches.

A ``Table`` knows a model's columns; each row is a dict of field names (``attname``) to
Python values, and the columns it leaves out take the field's default (computed once per
table: ``timezone.now`` is the same instant for every row), ``auto_now`` fields the load's
instant, nullable ones NULL, blank text ones "". Auto-increment keys are left to their
sequence. A field that needs a value and gets none fails on the first row, loudly.
"""

import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from partnercenter.core import generations
from partnercenter.core.fields import EncryptedJSONField, EncryptedTextField

BATCH = 20_000
MISSING = object()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Table:
    def __init__(self, model):
        self.model = model
        now = timezone.now()
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not isinstance(f, models.AutoField | models.BigAutoField)
        ]
        self.defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = now
            elif field.has_default() and not field.primary_key:
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.blank and isinstance(field, models.CharField | models.TextField):
                self.defaults[field.attname] = ""
            else:
                self.defaults[field.attname] = MISSING
        self.buffer = io.StringIO()
        self.pending = 0
        self.count = 0

        self.converters = [self.converter(field) for field in self.fields]

    @staticmethod
    def converter(field):
        """A function of a value (not None) to its text in COPY's format, chosen once."""
        if isinstance(field, EncryptedJSONField | EncryptedTextField):
            return lambda value: _escape(field.get_db_prep_save(value, connection))
        if isinstance(field, models.JSONField):
            encoder = field.encoder or DjangoJSONEncoder
            last = [None, None]  # rows often share one dict: serialized once

            def to_json(value):
                if value is not last[0]:
                    last[0], last[1] = value, _escape(json.dumps(value, cls=encoder))
                return last[1]

            return to_json
        if isinstance(field, models.BooleanField):
            return lambda value: "t" if value else "f"
        if isinstance(field, models.DateTimeField | models.DateField):
            return lambda value: value.isoformat()
        return lambda value: _escape(str(value))

    def add(self, **row) -> None:
        cells = []
        for field, convert in zip(self.fields, self.converters, strict=True):
            value = row.get(field.attname, MISSING)
            if value is MISSING:
                value = self.defaults[field.attname]
                if value is MISSING:
                    raise ValueError(f"{self.model.__name__}.{field.attname} needs a value")
            cells.append("\\N" if value is None else convert(value))
        self.buffer.write("\t".join(cells))
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{f.column}"' for f in self.fields)
        with connection.cursor() as cursor:
            cursor.copy_expert(f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN', self.buffer)
        generations.written([self.model._meta.db_table])  # a COPY is not an execute
        self.count += self.pending
        self.buffer = io.StringIO()
        self.pending = 0
