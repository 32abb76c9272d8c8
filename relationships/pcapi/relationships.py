"""``GET /v1/relationships?relationship_type=``: Partner Center's "Retrieve a list of indirect
resellers" (``IsIndirectCloudSolutionProviderOf``: the caller's resellers) and "Retrieve a
list of indirect providers" (``IsIndirectResellerOf``: the caller's providers), through
``selectors.relationships_of``."""

from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.pcapi import paging, shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError
from partnercenter.pcapi.views import PartnerCenterView

from .. import selectors
from ..models import RelationshipState
from ..permissions import acting_partner
from . import resources

# Partner Center's names and its snake_case spelling, in any case.
_TYPES = {name.lower(): name for name in selectors.RELATIONSHIP_TYPES} | {
    "is_indirect_cloud_solution_provider_of": selectors.PROVIDER_OF,
    "is_indirect_reseller_of": selectors.RESELLER_OF,
}


def relationship_type(request) -> str:
    raw = (request.query_params.get("relationship_type") or "").strip()
    found = _TYPES.get(raw.lower())
    if found is None:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("relationship_type must be %(types)s.") % {"types": " or ".join(selectors.RELATIONSHIP_TYPES)},
            [{"field": "relationship_type", "description": raw}],
        )
    return found


class RelationshipsView(PartnerCenterView):
    """The caller's active provider-reseller relationships of one type, seek paged."""

    def get(self, request):
        partner = acting_partner(request.user)  # 403 for anyone not an active partner, first
        kind = relationship_type(request)
        rows, next_link, token = paging.seek(
            request,
            selectors.relationships_of(partner, kind, state=RelationshipState.ACTIVE),
            ordering=("-established_at", "pk"),
            path="/relationships",
        )
        items = [resources.provider_reseller(row, kind) for row in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))
