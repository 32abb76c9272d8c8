"""The relationships layer's resources in Partner Center's JSON (``Customer``,
``PartnerRelationship``), shaped from the selectors' rows; the conventions (links,
attributes, collections) are ``partnercenter.pcapi.shapes``'."""

from partnercenter.pcapi import shapes

from ..models import CustomerRole, ProviderResellerRelationship
from ..selectors import PROVIDER_OF, RESELLER_OF, CustomerRow

# Partner Center's ``relationshipToPartner``: every partner that sees a customer here is one
# of its resellers of record (Partner Center's other values, advisor and Microsoft support,
# have no counterpart in the portal).
RESELLER = "reseller"


def partner_relationship(partner, relationship_type: str, state: str) -> dict:
    """A ``PartnerRelationship``: the partner on the other side and the type, named from
    the caller's side (``IsIndirectCloudSolutionProviderOf``: the caller provides for it)."""
    return shapes.resource(
        "PartnerRelationship",
        {
            "id": str(partner.pk),
            "name": partner.legal_name,
            "relationshipType": relationship_type,
            "state": state,
            "mpnId": partner.mpn_id,
            "location": partner.country.code,
        },
    )


def provider_reseller(relationship: ProviderResellerRelationship, relationship_type: str) -> dict:
    """The other side of one of the caller's provider-reseller relationships."""
    other = relationship.reseller if relationship_type == PROVIDER_OF else relationship.provider
    return partner_relationship(other, relationship_type, relationship.state)


def customer_partners(row: CustomerRow) -> list[dict]:
    """The partners the caller may see beside itself on a customer (its counterpart in the
    indirect model), as Partner Center lists a customer's relationships: the reseller
    ``IsIndirectResellerOf``, the provider ``IsIndirectCloudSolutionProviderOf``."""
    return [
        partner_relationship(
            relationship.partner,
            RESELLER_OF if relationship.role == CustomerRole.INDIRECT_RESELLER else PROVIDER_OF,
            relationship.state,
        )
        for relationship in row.relationships
        if relationship.partner_id != row.viewer_id
    ]


def customer(row: CustomerRow) -> dict:
    """A ``Customer`` as the caller sees it (a ``selectors.CustomerRow``)."""
    tenant = row.tenant
    own = row.own_relationship
    data = {
        "id": str(row.id),
        "companyProfile": shapes.resource(
            "CustomerCompanyProfile",
            {"tenantId": str(tenant.pk), "domain": tenant.domain, "companyName": row.company_name},
        ),
        "billingProfile": shapes.resource(
            "CustomerBillingProfile",
            {"companyName": row.company_name, "defaultAddress": {"country": tenant.country.code}},
        ),
        "relationshipToPartner": RESELLER,
        "allowDelegatedAccess": own.admin_access,
    }
    if own.role == CustomerRole.INDIRECT_PROVIDER and row.counterpart is not None:
        data["associatedPartnerId"] = str(row.counterpart.pk)  # the reseller it came through
    return shapes.resource("Customer", data, f"/customers/{row.id}")
