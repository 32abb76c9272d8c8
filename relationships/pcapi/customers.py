"""``/v1/customers``: Partner Center's customer list (with its ``IndirectReseller`` and
``IndirectCloudSolutionProvider`` filters), one customer, its partner relationships, and
"Create a customer" (a provider names its reseller with ``associatedPartnerId``).

Thin, as ``relationships.api.customers``: the selectors read (another partner's customer is
404, code 3000), ``services.customers.customer_create`` decides; its fields are renamed to
the names the caller sent.
"""

import json
import uuid

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.response import Response

from partnercenter.accounts.models import TENANT_DOMAIN_SUFFIX
from partnercenter.accounts.selectors import domain_taken
from partnercenter.accounts.services import domain_for_prefix
from partnercenter.core.errors import InvalidInput
from partnercenter.pcapi import idempotency, paging, shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError, field_names
from partnercenter.pcapi.views import PartnerCenterView

from .. import selectors
from ..permissions import acting_partner, is_indirect_provider
from ..services import customers as services
from . import resources

# --- The list's filter ------------------------------------------------------------------------------

# Partner Center's CustomerSearchField values the portal answers, and the selector's filter.
INDIRECT_RESELLER = "IndirectReseller"
INDIRECT_PROVIDER = "IndirectCloudSolutionProvider"
_FIELDS = {INDIRECT_RESELLER.lower(): INDIRECT_RESELLER, INDIRECT_PROVIDER.lower(): INDIRECT_PROVIDER}
# "StartsWith: that's the only field filter operation supported by the customers end point."
_OPERATORS = {"starts_with", "startswith"}


def _bad_filter(field: str, description, value="") -> PartnerCenterError:
    return PartnerCenterError(
        400, INVALID_INPUT, description, [{"field": f"filter.{field}", "description": str(value)}]
    )


def customer_filter(request, partner) -> dict:
    """``?filter={"Field": "IndirectReseller", "Value": "<partner id>", "Operator":
    "starts_with"}`` (URL-encoded JSON, any key case) -> ``customers_for``'s keyword."""
    raw = request.query_params.get("filter")
    if not raw:
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise _bad_filter(
            "Field", _('filter must be JSON: {"Field": ..., "Value": ..., "Operator": "starts_with"}.')
        )
    found = {str(key).lower(): value for key, value in found.items()}
    field = _FIELDS.get(str(found.get("field") or "").lower())
    if field is None:
        raise _bad_filter(
            "Field",
            _("filter.Field must be %(fields)s.") % {"fields": " or ".join(_FIELDS.values())},
            found.get("field") or "",
        )
    operator = str(found.get("operator") or "").lower()
    if operator not in _OPERATORS:
        raise _bad_filter("Operator", _("filter.Operator must be starts_with."), found.get("operator") or "")
    try:
        partner_id = uuid.UUID(str(found.get("value") or ""))
    except ValueError:
        raise _bad_filter(
            "Value", _("filter.Value must be a partner id."), found.get("value") or ""
        ) from None
    if field == INDIRECT_RESELLER:
        if not is_indirect_provider(partner):
            raise _bad_filter(
                "Field", _("Only an indirect provider filters its customers by indirect reseller."), field
            )
        return {"reseller_id": partner_id}
    return {"provider_id": partner_id}


# --- Create a customer ------------------------------------------------------------------------------


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class AddressInput(serializers.Serializer):
    """Partner Center's Address (its JSON keys, as sent); the portal keeps the country (the tenant's)."""

    country = _text(max_length=2)
    region = _text(max_length=100)
    city = _text(max_length=100)
    state = _text(max_length=100)
    addressLine1 = _text(max_length=200)
    addressLine2 = _text(max_length=200)
    postalCode = _text(max_length=20)
    firstName = _text(max_length=100)
    lastName = _text(max_length=100)
    phoneNumber = _text(max_length=40)


class BillingProfileInput(serializers.Serializer):
    email = _text(max_length=254)
    culture = _text(max_length=20)
    language = _text(max_length=20)
    companyName = _text(max_length=400)
    defaultAddress = AddressInput(required=False, allow_null=True)


class CompanyProfileInput(serializers.Serializer):
    domain = _text(max_length=100)
    organizationRegistrationNumber = _text(max_length=100)


class CustomerInput(serializers.Serializer):
    """Only the shape: the service checks the values (and names what is missing)."""

    companyProfile = CompanyProfileInput(required=False, allow_null=True)
    billingProfile = BillingProfileInput(required=False, allow_null=True)
    associatedPartnerId = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None, max_length=100
    )


# The service's fields under the names the caller sent.
FIELD_NAMES = {
    "company_name": "billingProfile.companyName",
    "domain_prefix": "companyProfile.domain",
    "country": "billingProfile.defaultAddress.country",
    "organization_registration_number": "companyProfile.organizationRegistrationNumber",
    "indirect_reseller_id": "associatedPartnerId",
}


def domain_prefix(domain: str) -> str:
    """Partner Center sends the whole domain (``contoso.onmicrosoft.com``); the service takes its prefix."""
    domain = (domain or "").strip()
    if domain.lower().endswith(TENANT_DOMAIN_SUFFIX):
        return domain[: -len(TENANT_DOMAIN_SUFFIX)]
    return domain


def _domain_conflict(exc: InvalidInput, prefix: str) -> PartnerCenterError | None:
    """A domain another tenant has is a conflict (409), as Partner Center answers it; any
    other refusal of the domain stays a 400."""
    field = FIELD_NAMES["domain_prefix"]
    if field not in exc.errors or not prefix or not domain_taken(domain_for_prefix(prefix)):
        return None
    messages = exc.errors[field]
    description = " ".join(str(m) for m in messages) if isinstance(messages, (list, tuple)) else str(messages)
    return PartnerCenterError(409, 409, description, [{"field": field, "description": description}])


class CustomersView(PartnerCenterView):
    """The caller's customers (seek paged); ``POST`` creates a customer tenant."""

    def get(self, request):
        partner = acting_partner(request.user)
        customers = selectors.customers_for(partner, **customer_filter(request, partner))
        rows, next_link, token = paging.seek(
            request, customers, ordering=("company_name", "pk"), path="/customers"
        )
        items = [resources.customer(row) for row in selectors.customer_rows(partner, rows)]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))

    def post(self, request):
        services.customer_create_role(request.user)  # 403 before looking at the body
        shown_once = {}

        def create() -> Response:
            serializer = CustomerInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            company = serializer.validated_data.get("companyProfile") or {}
            billing = serializer.validated_data.get("billingProfile") or {}
            prefix = domain_prefix(company.get("domain", ""))
            try:
                with field_names(FIELD_NAMES):
                    created = services.customer_create(
                        actor=request.user,
                        company_name=billing.get("companyName", ""),
                        domain_prefix=prefix,
                        country=(billing.get("defaultAddress") or {}).get("country", ""),
                        organization_registration_number=company.get("organizationRegistrationNumber", ""),
                        indirect_reseller_id=serializer.validated_data.get("associatedPartnerId") or None,
                    )
            except InvalidInput as exc:
                if conflict := _domain_conflict(exc, prefix):
                    raise conflict from exc
                raise
            row = selectors.customer_for(acting_partner(request.user), created.customer.pk)
            body = resources.customer(row)
            body["userCredentials"] = {"userName": created.admin.email}
            shown_once["password"] = created.temporary_password
            return Response(body, status=status.HTTP_201_CREATED)

        response = idempotency.once(request, create)
        if "password" in shown_once:
            # Kept for MS-RequestId without it: the temporary password is shown once, in
            # this answer only (a replay has the user name), and stored only hashed.
            response.data["userCredentials"] = {
                **response.data["userCredentials"],
                "password": shown_once["password"],
            }
        response["Cache-Control"] = "no-store"
        return response


class CustomerView(PartnerCenterView):
    def get(self, request, customer_id):
        row = selectors.customer_for(acting_partner(request.user), customer_id)
        return Response(resources.customer(row))


class CustomerRelationshipsView(PartnerCenterView):
    """ "Get indirect resellers of a customer": the partners beside the caller on the customer."""

    def get(self, request, customer_id):
        row = selectors.customer_for(acting_partner(request.user), customer_id)
        return Response(shapes.collection(resources.customer_partners(row)))
