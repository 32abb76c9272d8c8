"""What enrollment's ``/v1/`` resources share: they answer a partner's users only, and read
Partner Center's query parameters whatever their case (``mpnId``, ``mpnid``), as Partner
Center does."""

from django.utils.translation import gettext as _

from partnercenter.pcapi.errors import PartnerCenterError
from partnercenter.pcapi.views import PartnerCenterView

from .. import selectors


class PartnerResource(PartnerCenterView):
    """A resource of the caller's partner (``self.partner``). Partner Center answers its
    partners' users; anyone else, signed in (a customer's user, program staff, an
    organization that has not enrolled), gets 403 after the token is checked (401)."""

    def check_permissions(self, request):
        super().check_permissions(request)
        self.partner = selectors.partner_for(request.user)
        if self.partner is None:
            raise PartnerCenterError(
                403,
                403,
                _(
                    "Only the users of a partner can call this. Your organization has not enrolled "
                    "in the Cloud Solution Provider program."
                ),
            )


def query(request, name: str) -> str | None:
    """The query parameter ``name`` in any case (Partner Center's own examples write
    ``mpnid=``), stripped; None when it is absent or blank."""
    wanted = name.lower()
    for key, value in request.query_params.items():
        if key.lower() == wanted:
            return value.strip() or None
    return None
