"""What enrollment's ``/v1/`` resources share: they answer a partner's users only, and read
Partner Center's query parameters whatever their case (``mpnId``, ``mpnid``), as Partner
Center does."""

from django.utils.translation import gettext as _

from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi.errors import PartnerCenterError
from partnercenter.pcapi.views import PartnerCenterView

from .. import rules, selectors
from ..registry import MpnRecord


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


def require_mpn_id(mpn_id: str) -> None:
    """A malformed MPN ID is 400 on ``mpnId`` (the registry is not asked)."""
    if not rules.is_mpn_id(mpn_id):
        raise InvalidInput.on("mpnId", _("Enter the MPN ID: up to 10 digits, for example 4820001."))


def invalid_mpn_id(mpn_id: str, record: MpnRecord | None) -> str | None:
    """Why ``mpn_id`` is no valid MPN ID, from the registry's ``record`` of it: unknown or
    inactive (the wizard's rule, ``rules.mpn_errors``); None when it is valid."""
    if record is None:
        return _("MPN ID %(mpn_id)s was not found in the Partner Network.") % {"mpn_id": mpn_id}
    if not record.is_active:
        return _("MPN ID %(mpn_id)s is inactive. Reactivate it in the Partner Membership Center.") % {
            "mpn_id": mpn_id
        }
    return None
