"""Listing updates copied from the old event table (0003) carry the changed fields as the
text of then (``data["detail"]``: "description, website"); they get them as the list the
kind renders by its labels in the reader's language (``data["changed"]``), the old text
kept. Reversible: going back removes the list."""

import re

from django.db import migrations

BATCH = 2000
FIELDS = re.compile(r"(countries|offers|description|website)(, (countries|offers|description|website))*")


def copied(apps):
    Event = apps.get_model("audit", "Event")
    return Event.objects.filter(
        object_type="relationships.indirectprovider", kind="provider_listing_updated", data__has_key="detail"
    )


def to_list(apps, schema_editor):
    for event in copied(apps).iterator(BATCH):
        text = str(event.data["detail"])
        if set(event.data) == {"detail"} and FIELDS.fullmatch(text):
            event.data = {"changed": text.split(", "), "detail": text}
            event.save(update_fields=["data"])


def to_text(apps, schema_editor):
    for event in copied(apps).iterator(BATCH):
        if set(event.data) != {"detail"}:
            event.data = {"detail": event.data["detail"]}
            event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("relationships", "0004_model_verbose_names"), ("audit", "0001_initial")]

    operations = [migrations.RunPython(to_list, to_text)]
