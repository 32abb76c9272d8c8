"""Partner Center's customer agreements on ``/v1/``: *Confirm customer acceptance of the
Microsoft Customer Agreement* (``POST /v1/customers/{id}/agreements``) and *Get confirmation
of customer acceptance* (``GET /v1/customers/{id}/agreements?agreementType=``).

The same selectors and service as the customer page and ``/api/v1/``
(``agreement_selectors``, ``services.customer_agreements``); this module only translates
Partner Center's shapes and names (``primaryContact.email``, ``templateId``, ``dateAgreed``)."""

from datetime import date

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi import idempotency, paging, shapes
from partnercenter.pcapi.views import PartnerCenterView

from .. import agreement_selectors, selectors
from ..agreement_selectors import ALL_TYPES
from ..customer_agreements import AgreementType, CustomerAgreementAcceptance
from ..permissions import acting_partner, require_roles
from ..services.customer_agreements import customer_agreement_confirm

OBJECT_TYPE = "Agreement"
# Partner Center's agreement types; the portal records the Microsoft Customer Agreement only
# (the Microsoft Cloud Agreement it replaced has no confirmations here: an empty list).
MICROSOFT_CLOUD_AGREEMENT = "MicrosoftCloudAgreement"
KNOWN_TYPES = (AgreementType.MICROSOFT_CUSTOMER_AGREEMENT.value, MICROSOFT_CLOUD_AGREEMENT, ALL_TYPES)

# The service's field names -> Partner Center's.
FIELDS = {
    "template_id": "templateId",
    "date_agreed": "dateAgreed",
    "contact.first_name": "primaryContact.firstName",
    "contact.last_name": "primaryContact.lastName",
    "contact.email": "primaryContact.email",
    "contact.phone_number": "primaryContact.phoneNumber",
}


def _flat(errors: dict, prefix: str = "") -> dict:
    found = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            found |= _flat(value, f"{prefix}{key}.")
        else:
            found[FIELDS.get(f"{prefix}{key}", f"{prefix}{key}")] = value
    return found


def _date_agreed(value) -> date | None:
    """Partner Center sends a UTC date and time (``2026-03-02T00:00:00Z``); a bare date is
    taken too. Anything else is no date (the service says what to enter)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value) or parse_date(value)
    except ValueError:  # well formed but no such day (2026-02-30)
        return None


def agreement(acceptance: CustomerAgreementAcceptance) -> dict:
    return shapes.resource(
        OBJECT_TYPE,
        {
            "userId": str(acceptance.recorded_by_id) if acceptance.recorded_by_id else None,
            "primaryContact": {
                "firstName": acceptance.contact_first_name,
                "lastName": acceptance.contact_last_name,
                "email": acceptance.contact_email,
                "phoneNumber": acceptance.contact_phone or None,
            },
            "templateId": str(acceptance.template_id),
            "dateAgreed": f"{acceptance.date_agreed.isoformat()}T00:00:00Z",
            "type": acceptance.template.agreement_type,
            "agreementLink": acceptance.template.agreement_link,
        },
    )


class CustomerAgreements(PartnerCenterView):
    """``GET|POST /v1/customers/{id}/agreements``: any user of one of the customer's partners
    reads its confirmations; a global admin or an admin agent confirms (403 otherwise);
    another partner's customer is 404 (code 3000)."""

    def get(self, request, customer_id):
        row = selectors.customer_for(acting_partner(request.user), customer_id)
        agreement_type = request.query_params.get("agreementType") or ALL_TYPES
        if agreement_type not in KNOWN_TYPES:
            raise InvalidInput.on(
                "agreementType",
                _("Use MicrosoftCustomerAgreement, MicrosoftCloudAgreement or * (every type)."),
            )
        acceptances = agreement_selectors.customer_agreements(row, agreement_type)
        rows, next_link, token = paging.seek(
            request,
            acceptances,
            ordering=("-recorded_at", "id"),
            path=f"/customers/{row.customer.pk}/agreements",
        )
        return Response(
            shapes.collection([agreement(a) for a in rows], next_link=next_link, continuation_token=token)
        )

    def post(self, request, customer_id):
        row = selectors.customer_for(acting_partner(request.user), customer_id)
        require_roles(request.user)  # 403 before looking at the body, as the service would
        body = request.data if isinstance(request.data, dict) else {}
        if body.get("type") != AgreementType.MICROSOFT_CUSTOMER_AGREEMENT:
            raise InvalidInput.on(
                "type",
                _("The portal records the Microsoft Customer Agreement: send MicrosoftCustomerAgreement."),
            )
        contact = body.get("primaryContact")
        contact = contact if isinstance(contact, dict) else {}

        def confirm():
            try:
                confirmed = customer_agreement_confirm(
                    actor=request.user,
                    customer=row.customer,
                    template_id=body.get("templateId"),
                    date_agreed=_date_agreed(body.get("dateAgreed")),
                    contact={
                        "first_name": contact.get("firstName"),
                        "last_name": contact.get("lastName"),
                        "email": contact.get("email"),
                        "phone_number": contact.get("phoneNumber"),
                    },
                )
            except InvalidInput as exc:
                raise InvalidInput(_flat(exc.errors)) from exc
            return Response(agreement(confirmed.acceptance), status=201)

        return idempotency.once(request, confirm)
