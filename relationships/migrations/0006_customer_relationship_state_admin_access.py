"""Customer relationships get a state (active, or ended by the customer) and the partner's
administrator access to the customer's tenant. Existing relationships are active; access
is what the authorization gave: the partner that created the tenant and every reseller of
record but an indirect provider that came by a customer's invitation (it orders and bills;
its reseller administers)."""

from django.db import migrations, models
from django.db.models import F, Q


def grant_existing_access(apps, schema_editor):
    CustomerRelationship = apps.get_model("relationships", "CustomerRelationship")
    CustomerRelationship.objects.filter(
        ~Q(role="indirect_provider") | Q(customer__created_by_partner_id=F("partner_id"))
    ).update(admin_access=True)


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0005_listing_event_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="customerrelationship",
            name="admin_access",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="customerrelationship",
            name="admin_access_removed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="customerrelationship",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="customerrelationship",
            name="state",
            field=models.CharField(
                choices=[("active", "Active"), ("terminated", "Terminated")], default="active", max_length=12
            ),
        ),
        # Reversible: going back drops the columns, so there is nothing to undo.
        migrations.RunPython(grant_existing_access, migrations.RunPython.noop),
    ]
