"""The audit table's cases of a direct-bill partner's relationship requests (see
``tests.audit.table``)."""

from relationships.services import relationship_requests
from tests.audit.table import Run, case
from tests.cast import make_direct_bill, user_of
from tests.factories import TenantFactory, UserFactory


def _partner_and_admin():
    partner = make_direct_bill(legal_name="Fourth Coffee B.V.")
    return partner, user_of(partner)


@case(relationship_requests.relationship_request_create)
def _(w):
    partner, admin = _partner_and_admin()
    return Run(
        kwargs={"actor": admin},
        kind="relationship_request_created",
        obj=lambda created: created.request,
        tenant=partner.tenant,
        actor=admin,
        from_state="",
        to_state="sent",
        data={"partner_name": "Fourth Coffee B.V.", "partner_id": str(partner.pk)},
    )


@case(relationship_requests.relationship_request_accept)
def _(w):
    partner, admin = _partner_and_admin()
    created = relationship_requests.relationship_request_create(actor=admin)
    customer_tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com")
    customer_admin = UserFactory(tenant=customer_tenant, email="admin@contosode.onmicrosoft.com")
    return Run(
        kwargs={"actor": customer_admin, "token": created.link.rstrip("/").rsplit("/", 1)[-1]},
        kind="relationship_request_accepted",
        obj=created.request,
        tenant=partner.tenant,
        actor=customer_admin,
        from_state="sent",
        to_state="accepted",
        data={"domain": "contosode.onmicrosoft.com", "role": "direct_bill_partner", "renewed": False},
    )
