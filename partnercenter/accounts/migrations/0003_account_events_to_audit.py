"""Account events move to the one audit trail (``audit.Event``): the object of each row is
the user concerned; roles before and after are its parameters. Then the old table goes."""

from django.db import migrations

BATCH = 2000


def copy_events(apps, schema_editor):
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    Event = apps.get_model("audit", "Event")
    rows = []
    for old in AccountEvent.objects.select_related("actor", "subject").order_by("pk").iterator(chunk_size=BATCH):
        actor = old.actor
        rows.append(
            Event(
                at=old.at,
                kind=old.kind,
                actor_id=old.actor_id,
                actor_label=(f"{actor.first_name} {actor.last_name}".strip() or actor.email) + f" <{actor.email}>"
                if actor
                else "system",
                tenant_id=old.tenant_id,
                object_type="accounts.user",
                object_id=str(old.subject_id or ""),
                data={
                    "email": old.subject.email if old.subject else "",
                    "before": list(old.before or []),
                    "after": list(old.after or []),
                },
            )
        )
        if len(rows) >= BATCH:
            Event.objects.bulk_create(rows)
            rows = []
    Event.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_account_events"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="AccountEvent"),
    ]
