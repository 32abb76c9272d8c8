"""The audit table's case of customers' acceptance of the Microsoft Customer Agreement (see
``tests.audit.table``)."""

from datetime import date

from relationships.services import customer_agreements
from tests.audit.table import Run, case
from tests.cast import direct_customer, make_direct_bill, user_of
from tests.relationships.agreements_helpers import CONTACT, mca_template


@case(customer_agreements.customer_agreement_confirm)
def _(w):
    partner = make_direct_bill(legal_name="Adatum Direct GmbH")
    admin = user_of(partner)
    customer = direct_customer(partner, company_name="Contoso GmbH")
    template = mca_template()
    return Run(
        kwargs={
            "actor": admin,
            "customer": customer,
            "template_id": str(template.pk),
            "contact": dict(CONTACT),
            "date_agreed": date(2026, 2, 27),
        },
        kind="customer_agreement_confirmed",
        obj=lambda confirmed: confirmed.acceptance,
        tenant=partner.tenant,
        actor=admin,
        from_state="",
        to_state="confirmed",
        data={
            "customer": "Contoso GmbH",
            "customer_id": str(customer.pk),
            "template_id": str(template.pk),
            "date_agreed": "2026-02-27",
            "contact": "Lena Wagner",
        },
    )
