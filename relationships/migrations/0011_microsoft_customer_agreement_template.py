"""The Microsoft Customer Agreement's current template: the templateId partners confirm
(``GET /v1/agreements?agreementType=MicrosoftCustomerAgreement`` lists it)."""

import datetime
import uuid

from django.db import migrations

MCA_TEMPLATE_ID = uuid.UUID("1d4d3ec9-91ea-4dd4-a767-f6fdb506b8f7")
MCA_LINK = "https://www.microsoft.com/licensing/docs/customeragreement"


def ship(apps, schema_editor):
    Template = apps.get_model("relationships", "CustomerAgreementTemplate")
    Template.objects.update_or_create(
        template_id=MCA_TEMPLATE_ID,
        defaults={
            "agreement_type": "MicrosoftCustomerAgreement",
            "agreement_link": MCA_LINK,
            "version_rank": 1,
            "language": "en",
            # The Microsoft Customer Agreement came to CSP in February 2020.
            "published_on": datetime.date(2020, 2, 1),
            "is_current": True,
        },
    )


def unship(apps, schema_editor):
    Template = apps.get_model("relationships", "CustomerAgreementTemplate")
    Template.objects.filter(template_id=MCA_TEMPLATE_ID).delete()


class Migration(migrations.Migration):
    dependencies = [("relationships", "0010_customer_agreements")]

    operations = [migrations.RunPython(ship, unship)]
