"""What the customer agreement tests share: the shipped template of the Microsoft Customer
Agreement (a test that commits flushes it away, so each test makes it), a valid contact."""

import datetime
import importlib

from relationships.customer_agreements import CustomerAgreementTemplate

SHIPPED = importlib.import_module("relationships.migrations.0011_microsoft_customer_agreement_template")
TODAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # time-machine's "now"

CONTACT = {
    "first_name": "Lena",
    "last_name": "Wagner",
    "email": "Lena.Wagner@contoso.de",
    "phone_number": "+49 30 1234567",
}


def mca_template(**kwargs) -> CustomerAgreementTemplate:
    """The Microsoft Customer Agreement's current template, as the migration ships it."""
    template, _ = CustomerAgreementTemplate.objects.update_or_create(
        template_id=SHIPPED.MCA_TEMPLATE_ID,
        defaults={
            "agreement_link": SHIPPED.MCA_LINK,
            "published_on": datetime.date(2020, 2, 1),
            "is_current": True,
            **kwargs,
        },
    )
    return template
