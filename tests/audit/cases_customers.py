"""The audit table's cases of the customers stream (Partner Center's API, issue 14): the
provider takes a customer invitation link for its reseller
(``customers/relationshiprequests?indirectResellerId=``); one row, the reseller's, as when
the reseller takes it."""

from relationships.services import customer_invitations
from tests.audit.table import Run, case, provider_world


@case(customer_invitations.customer_invitation_create, "by the provider")
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.provider_admin, "reseller_id": p.reseller.pk},
        kind="customer_invitation_created",
        obj=lambda created: created.invitation,
        tenant=p.reseller.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="sent",
        data={"provider": "Contoso Distribution GmbH", "reseller": "Adatum Cloud GmbH"},
    )
