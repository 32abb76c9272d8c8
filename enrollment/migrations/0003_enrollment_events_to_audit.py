"""Enrollment timelines move to the one audit trail (``audit.Event``). People's words
(reasons, requests, answers, notes) become the event's ``note``; the system's English text
of older rows is kept as ``data["detail"]``, which the kinds show when a row has no
parameters of its own. Then the old table goes."""

from django.db import migrations

BATCH = 2000
# The kinds whose detail a person wrote.
PEOPLES_WORDS = {"withdrawn", "info_requested", "responded", "approved", "rejected"}


def copy_events(apps, schema_editor):
    EnrollmentEvent = apps.get_model("enrollment", "EnrollmentEvent")
    Event = apps.get_model("audit", "Event")
    rows = []
    events = EnrollmentEvent.objects.select_related("enrollment__partner").order_by("pk")
    for old in events.iterator(chunk_size=BATCH):
        people = old.kind in PEOPLES_WORDS
        rows.append(
            Event(
                at=old.at,
                kind=old.kind,
                actor_id=old.actor_id,
                actor_label=old.actor_label or "system",
                tenant_id=old.enrollment.partner.tenant_id,
                object_type="enrollment.enrollment",
                object_id=str(old.enrollment_id),
                from_state=old.from_status,
                to_state=old.to_status,
                note=old.detail if people else "",
                data={"detail": old.detail} if old.detail and not people else {},
            )
        )
        if len(rows) >= BATCH:
            Event.objects.bulk_create(rows)
            rows = []
    Event.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0002_review_agreements_documents"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="EnrollmentEvent"),
    ]
