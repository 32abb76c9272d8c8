"""``GET /v1/customers/relationshiprequests``: Partner Center's "Retrieve a relationship
request URL", the link a customer follows to take the caller as its partner. Each answer is
a new single-use, expiring link of the portal's own acceptance pages:

- ``?indirectResellerId=<reseller>`` (an indirect provider, for one of its resellers) and
  ``?indirectCloudSolutionProviderId=<provider>`` (a reseller, for one of its providers): a
  customer invitation (``services.customer_invitations``), which makes the customer authorize
  the reseller and the provider at once;
- neither (an active direct-bill partner): a relationship request
  (``services.relationship_requests``), which makes it the partner's direct customer.
"""

from rest_framework.response import Response

from partnercenter.pcapi import shapes
from partnercenter.pcapi.errors import field_names
from partnercenter.pcapi.views import PartnerCenterView

from ..permissions import acting_partner
from ..services import customer_invitations, relationship_requests

RESELLER = "indirectResellerId"
PROVIDER = "indirectCloudSolutionProviderId"


class RelationshipRequestView(PartnerCenterView):
    def get(self, request):
        reseller_id = (request.query_params.get(RESELLER) or "").strip()
        provider_id = (request.query_params.get(PROVIDER) or "").strip()
        if provider_id and provider_id != reseller_id and not self._is_caller(request, provider_id):
            # A reseller, for one of its providers (its own id may be beside it).
            with field_names({"provider_id": PROVIDER}):
                url = customer_invitations.customer_invitation_create(
                    actor=request.user, provider_id=provider_id
                ).link
        elif reseller_id:
            # A provider, for one of its resellers.
            with field_names({"reseller_id": RESELLER, "provider_id": RESELLER}):
                url = customer_invitations.customer_invitation_create(
                    actor=request.user, reseller_id=reseller_id
                ).link
        else:
            url = relationship_requests.relationship_request_create(actor=request.user).link
        response = Response(shapes.resource("RelationshipRequest", {"url": url}))
        # The link's token is in this answer only (the portal keeps its hash): no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _is_caller(request, partner_id: str) -> bool:
        return str(acting_partner(request.user).pk) == partner_id.lower()
