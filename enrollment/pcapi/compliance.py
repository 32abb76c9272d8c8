"""``GET /v1/compliance/csp/agreementstatus?mpnId=|tenantId=``: Partner Center's "verify an
indirect reseller's Microsoft Partner Agreement signing status" (docs/partner-center-api/
profiles.md). 200 ``{"isAgreementSigned": true}`` when the partner signed for the caller's
region; every other answer is a 400 with Partner Center's code:

| code | when |
|---|---|
| 2000 | both identifiers given, a tenant ID that is no GUID, an MPN ID that is no number |
| 2001 | neither given |
| 2200 | no partner is enrolled with the MPN ID, and the Partner Network has no active profile with it |
| 2201 | the partner's region (its market) is not the caller's |
| 2203 | the partner enrolled with the MPN ID has not signed |
| 2204 | the Partner Network knows the MPN ID, but no partner is enrolled with it |
| 2205 | no partner's CSP tenant has the tenant ID |
| 2206 | the partner of the tenant has not signed |

Any partner's user may ask about any partner, as in Partner Center (a provider verifies a
reseller before it transacts for it); nothing more than these answers is told.
"""

import uuid

from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi import shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError

from .. import compliance
from .base import PartnerResource, invalid_mpn_id, query, require_mpn_id

NO_IDENTIFIER = 2001
MPN_ID_UNKNOWN = 2200
OTHER_REGION = 2201
MPN_ID_NOT_SIGNED = 2203
MPN_ID_NOT_ENROLLED = 2204
TENANT_UNKNOWN = 2205
TENANT_NOT_SIGNED = 2206


def _refused(code: int, description) -> PartnerCenterError:
    return PartnerCenterError(400, code, description)


class AgreementStatusView(PartnerResource):
    def get(self, request):
        mpn_id, tenant_id = query(request, "mpnId"), query(request, "tenantId")
        if mpn_id and tenant_id:
            raise _refused(INVALID_INPUT, _("Give the partner's MPN ID or its tenant ID, not both."))
        if not (mpn_id or tenant_id):
            raise _refused(NO_IDENTIFIER, _("Give the partner's MPN ID or its tenant ID."))
        if tenant_id:
            self._require_signed_by_tenant(tenant_id)
        else:
            self._require_signed_by_mpn_id(mpn_id)
        self_uri = shapes.uri("/compliance/csp/agreementstatus", mpnId=mpn_id, tenantId=tenant_id)
        return Response(shapes.resource("AgreementSignatureStatus", {"isAgreementSigned": True}, self_uri))

    def _require_signed_by_tenant(self, tenant_id: str) -> None:
        signature = compliance.agreement_signature_of_tenant(self._tenant_id(tenant_id))
        if signature.partner is None:
            raise _refused(
                TENANT_UNKNOWN,
                _("No partner account is associated with the tenant ID %(tenant_id)s.")
                % {"tenant_id": tenant_id},
            )
        self._require_region(signature, tenant_id)
        if not signature.signed:
            raise _refused(
                TENANT_NOT_SIGNED,
                _(
                    "The partner account of the tenant ID %(tenant_id)s has not signed the Microsoft Partner Agreement."
                )
                % {"tenant_id": tenant_id},
            )

    def _require_signed_by_mpn_id(self, mpn_id: str) -> None:
        require_mpn_id(mpn_id)
        signature = compliance.agreement_signature_of_mpn_id(mpn_id)
        if signature.partner is None:
            if why := invalid_mpn_id(mpn_id, signature.mpn_record):
                raise _refused(MPN_ID_UNKNOWN, why)
            raise _refused(
                MPN_ID_NOT_ENROLLED,
                _(
                    "MPN ID %(mpn_id)s is not associated with a partner account. Ask your reseller "
                    "to enroll in the Cloud Solution Provider program as an indirect reseller."
                )
                % {"mpn_id": mpn_id},
            )
        self._require_region(signature, mpn_id)
        if not signature.signed:
            raise _refused(
                MPN_ID_NOT_SIGNED,
                _(
                    "MPN ID %(mpn_id)s has not signed the Microsoft Partner Agreement for the region "
                    "where you transact. Ask your reseller to sign it."
                )
                % {"mpn_id": mpn_id},
            )

    @staticmethod
    def _tenant_id(value: str) -> uuid.UUID:
        try:
            return uuid.UUID(value)
        except ValueError as exc:
            raise InvalidInput.on(
                "tenantId", _("A tenant ID is a GUID, for example 6a9b3c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d.")
            ) from exc

    def _require_region(self, signature, identifier: str) -> None:
        """The agreement is signed per region: the partner's market must be the caller's."""
        if signature.region != self.partner.market.code:
            raise _refused(
                OTHER_REGION,
                _(
                    "The region of %(identifier)s is not the region where you transact. Give the "
                    "partner's identifier for your region."
                )
                % {"identifier": identifier},
            )
