"""Relationship events move to the one audit trail (``audit.Event``): the object type
becomes the model's label, the partner the tenant whose history it is; the system's text
of older rows is kept as ``data["detail"]``. Then the old table goes."""

from django.db import migrations

BATCH = 2000
LABELS = {
    "IndirectProvider": "relationships.indirectprovider",
    "ResellerInvitation": "relationships.resellerinvitation",
    "ProviderResellerRelationship": "relationships.providerresellerrelationship",
    "GranularAdminRelationship": "relationships.granularadminrelationship",
    "Customer": "relationships.customer",
    "CustomerRelationship": "relationships.customerrelationship",
    "CustomerInvitation": "relationships.customerinvitation",
    "Order": "billing.order",
}


def copy_events(apps, schema_editor):
    RelationshipEvent = apps.get_model("relationships", "RelationshipEvent")
    Event = apps.get_model("audit", "Event")
    rows = []
    for old in RelationshipEvent.objects.select_related("actor", "partner").order_by("pk").iterator(chunk_size=BATCH):
        actor = old.actor
        rows.append(
            Event(
                at=old.at,
                kind=old.kind,
                actor_id=old.actor_id,
                actor_label=(f"{actor.first_name} {actor.last_name}".strip() or actor.email) + f" <{actor.email}>"
                if actor
                else "system",
                tenant_id=old.partner.tenant_id if old.partner else None,
                object_type=LABELS.get(old.object_type, old.object_type.lower()),
                object_id=old.object_id,
                from_state=old.from_state,
                to_state=old.to_state,
                data={"detail": old.detail} if old.detail else {},
            )
        )
        if len(rows) >= BATCH:
            Event.objects.bulk_create(rows)
            rows = []
    Event.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0002_providers_resellers_customers"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="RelationshipEvent"),
    ]
