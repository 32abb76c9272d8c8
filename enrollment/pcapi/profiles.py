"""Partner Center's partner profiles (docs/partner-center-api/profiles.md):

- ``GET /v1/profiles/mpn[?mpnId=]``: "Verify a partner MPN ID": the Partner Network's profile
  of an active MPN ID (the portal's registry and its rule: ``rules.is_mpn_id``,
  ``MpnRecord.is_active``); without ``mpnId``, the caller's partner's own.
- ``GET /v1/profiles/legalbusiness[?vettingVersion=]``: the caller's legal business profile
  with its vetting (``vetting.partner_vetting``).

Thin: read the query, call the registry or a selector, shape the answer.
"""

from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi import shapes
from partnercenter.pcapi.errors import NOT_FOUND, PartnerCenterError

from .. import selectors
from ..registry import get_registry
from ..vetting import partner_vetting
from .base import PartnerResource, invalid_mpn_id, query, require_mpn_id

MPN_PROFILE = "MpnProfile"
LEGAL_BUSINESS_PROFILE = "LegalBusinessProfile"
# vettingVersion: Current (the default; "None" is the enum's unset value) or LastFinalized.
VETTING_VERSIONS = {"current": False, "none": False, "lastfinalized": True}


def _mpn_profile(mpn_id: str, partner_name: str, self_uri: str) -> dict:
    return shapes.resource(
        MPN_PROFILE,
        {"partnerName": partner_name, "mpnId": mpn_id, "profileType": MPN_PROFILE},
        self_uri,
    )


class MpnProfileView(PartnerResource):
    """An MPN ID is valid when the answer is 200: an active company profile of the Partner
    Network has it. A malformed one is 400 (code 2000, field ``mpnId``); one the registry
    does not know, or knows inactive, 404 (code 3000). The partner's own profile is named
    as the registry names it (its legal name if the registry no longer knows the ID)."""

    def get(self, request):
        mpn_id = query(request, "mpnId")
        if mpn_id is None:
            own = self.partner.mpn_id
            record = get_registry().lookup(own)
            return Response(
                _mpn_profile(own, record.company_name if record else self.partner.legal_name, "/profiles/mpn")
            )
        require_mpn_id(mpn_id)
        record = get_registry().lookup(mpn_id)
        if why := invalid_mpn_id(mpn_id, record):
            raise PartnerCenterError(404, NOT_FOUND, why)
        return Response(
            _mpn_profile(record.mpn_id, record.company_name, shapes.uri("/profiles/mpn", mpnId=record.mpn_id))
        )


def _address(partner, *, with_contact: bool) -> dict:
    address = {
        "country": partner.country.code,
        "city": partner.city,
        "state": partner.state,
        "addressLine1": partner.address_line1,
        "addressLine2": partner.address_line2,
        "postalCode": partner.postal_code,
    }
    if with_contact:
        address |= {
            "firstName": partner.contact_first_name,
            "lastName": partner.contact_last_name,
            "phoneNumber": partner.contact_phone,
        }
    return address


class LegalBusinessProfileView(PartnerResource):
    """The legal business profile the partner enrolled with: legal name, address, primary
    contact; the company approver is the primary contact, who confirms the company's email
    (the email ownership step), at the company's address. ``vettingStatus`` and
    ``vettingSubStatus`` are the enrollments' (``enrollment.vetting``)."""

    def get(self, request):
        version = (query(request, "vettingVersion") or "current").lower()
        if version not in VETTING_VERSIONS:
            raise InvalidInput.on(
                "vettingVersion",
                _("The vetting version is Current or LastFinalized, not %(value)s.")
                % {"value": query(request, "vettingVersion")[:100]},
            )
        profile = selectors.partner_profile_for(request.user)
        partner = profile.partner
        vetting = partner_vetting(profile.enrollments, last_finalized=VETTING_VERSIONS[version])
        data = {
            "companyName": partner.legal_name,
            "address": _address(partner, with_contact=True),
            "primaryContact": {
                "firstName": partner.contact_first_name,
                "lastName": partner.contact_last_name,
                "email": partner.contact_email,
                "phoneNumber": partner.contact_phone,
            },
            "companyApproverAddress": _address(partner, with_contact=False),
            "companyApproverEmail": partner.contact_email,
            "vettingStatus": vetting.status,
            "vettingSubStatus": vetting.sub_status,
            "profileType": LEGAL_BUSINESS_PROFILE,
        }
        return Response(shapes.resource(LEGAL_BUSINESS_PROFILE, data, "/profiles/legalbusiness"))
