"""API: customers, customer tenants and customer invitations (orders are billing's).

Thin: shape the input, call a selector or a service, shape the output. Another partner's
customer is not found (404); the services say why anything else is refused.
"""

import uuid

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput
from partnercenter.core.kept_api import kept_response

from .. import customer_list_selectors, kept, selectors
from ..models import CustomerRole
from ..permissions import acting_partner, require_roles
from ..services import customer_invitations
from ..services import customers as services

# --- Serializers (named for customers and orders: schema component names are global) -----------


class CustomerTenantSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    domain = serializers.CharField()
    country = serializers.CharField(source="country.code")


class CustomerRelationshipRefSerializer(serializers.Serializer):
    partner_id = serializers.UUIDField()
    role = serializers.ChoiceField(choices=CustomerRole.choices)


class CustomerSerializer(serializers.Serializer):
    """A customer as the signed-in partner sees it (a ``selectors.CustomerRow``)."""

    id = serializers.UUIDField()
    company_name = serializers.CharField()
    tenant = CustomerTenantSerializer()
    relationships = CustomerRelationshipRefSerializer(
        many=True,
        help_text="The caller's relationship and, in the indirect model, its counterpart's "
        "(the provider of a reseller's customer, the reseller of a provider's customer).",
    )
    billed_by = serializers.UUIDField(
        source="billed_by_id",
        allow_null=True,
        help_text="The partner that bills the customer: a direct-bill partner for its customers, the "
        "indirect provider for its own and its resellers' customers.",
    )
    can_manage_products = serializers.BooleanField(
        help_text="True where the caller orders products for the customer (it bills it); false for a "
        "reseller's indirect customers, whose provider orders."
    )

    def to_representation(self, row):
        """What the fields above write, written by hand (issue 12: DRF's walk field by field
        was most of the list's serializing). ``test_customers_api_rows`` holds the two equal."""
        tenant, billed_by_id = row.tenant, row.billed_by_id
        return {
            "id": str(row.id),
            "company_name": row.company_name,
            "tenant": {"id": str(tenant.pk), "domain": tenant.domain, "country": tenant.country.code},
            "relationships": [
                {"partner_id": str(relationship.partner_id), "role": relationship.role}
                for relationship in row.relationships
            ],
            "billed_by": None if billed_by_id is None else str(billed_by_id),
            "can_manage_products": row.can_manage_products,
        }


class CustomerCreateSerializer(serializers.Serializer):
    company_name = serializers.CharField(max_length=200)
    domain_prefix = serializers.CharField(max_length=100, help_text="The tenant is <prefix>.onmicrosoft.com.")
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, within the partner's market")
    organization_registration_number = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for customers in " + ", ".join(sorted(services.REGISTRATION_NUMBER_COUNTRIES)),
    )
    indirect_reseller_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Indirect providers: the reseller the customer is created for (one of your resellers with "
        "an active relationship). Leave it out to create your own direct customer.",
    )


class CustomerAdminCredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField()
    temporary_password = serializers.CharField(
        help_text="Shown once, here only; the customer's global admin changes it at first sign-in."
    )


class CustomerCreatedSerializer(CustomerSerializer):
    admin = CustomerAdminCredentialsSerializer()

    to_representation = serializers.Serializer.to_representation  # the fields, with the admin's


class CustomerInvitationCreateSerializer(serializers.Serializer):
    provider_id = serializers.UUIDField(
        help_text="One of your indirect providers, with an active relationship."
    )


class CustomerDraftEmailSerializer(serializers.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()


class CustomerInvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    link = serializers.URLField(help_text="Single use; shown once (only its hash is stored).")
    expires_at = serializers.DateTimeField()
    draft_email = CustomerDraftEmailSerializer(help_text="In the reseller's language; edit it and send it.")


class CustomerInvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text="The last path segment of the invitation link.")


class CustomerPartnerSerializer(serializers.Serializer):
    partner_id = serializers.UUIDField()
    name = serializers.CharField(source="partner.legal_name")
    role = serializers.ChoiceField(choices=CustomerRole.choices)


class CustomerAuthorizationSerializer(serializers.Serializer):
    """What the customer's global admin sees after authorizing: its resellers of record."""

    id = serializers.UUIDField()
    company_name = serializers.CharField()
    tenant = CustomerTenantSerializer()
    relationships = CustomerPartnerSerializer(many=True)


# --- Views -----------------------------------------------------------------------------------------


def _uuid_param(request, name: str):
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput.on(name, _("Give a partner id (a UUID) or leave the filter out.")) from exc


class CustomersView(GenericAPIView):
    """The signed-in partner's customers; providers and direct-bill partners create customer
    tenants here (an indirect reseller gets 403: its provider creates the tenant)."""

    serializer_class = CustomerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "provider", str, description="A provider's partner id: the customers you share with it."
            ),
            OpenApiParameter(
                "reseller", str, description="A reseller's partner id: the customers you share with it."
            ),
        ],
        responses=CustomerSerializer(many=True),
    )
    def get(self, request):
        """The page as it read a moment ago, until a table it read changes (issue 12)."""
        return kept_response(request, self._page, **kept.rows(request.user))

    def _page(self):
        request = self.request
        partner = acting_partner(request.user, customer_list_selectors.partners_with_customer_count())
        customers = selectors.customers_for(
            partner,
            provider_id=_uuid_param(request, "provider"),
            reseller_id=_uuid_param(request, "reseller"),
        )
        page = self.paginate_queryset(customers)
        rows = selectors.customer_rows(partner, page)
        return self.get_paginated_response(CustomerSerializer(rows, many=True).data).data, None

    @extend_schema(request=CustomerCreateSerializer, responses={201: CustomerCreatedSerializer})
    def post(self, request):
        services.customer_create_role(request.user)  # 403 before looking at the body
        serializer = CustomerCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.customer_create(actor=request.user, **serializer.validated_data)
        row = selectors.customer_for(acting_partner(request.user), created.customer.pk)
        data = CustomerSerializer(row).data
        data["admin"] = {"email": created.admin.email, "temporary_password": created.temporary_password}
        response = Response(data, status=status.HTTP_201_CREATED)
        # The temporary password is in this answer only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response


class CustomerDetailView(APIView):
    @extend_schema(responses=CustomerSerializer)
    def get(self, request, pk):
        row = selectors.customer_for(acting_partner(request.user), pk)
        return Response(CustomerSerializer(row).data)


class CustomerInvitationsView(APIView):
    """*Invite new customers*: a reseller's personalized link and draft email for one of its providers."""

    @extend_schema(request=CustomerInvitationCreateSerializer, responses={201: CustomerInvitationSerializer})
    def post(self, request):
        require_roles(request.user)  # 403 before looking at the body, as the service would
        acting_partner(request.user)
        serializer = CustomerInvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = customer_invitations.customer_invitation_create(
            actor=request.user, provider_id=serializer.validated_data["provider_id"]
        )
        data = {
            "id": created.invitation.pk,
            "link": created.link,
            "expires_at": created.invitation.expires_at,
            "draft_email": {"subject": created.subject, "body": created.body},
        }
        response = Response(CustomerInvitationSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class CustomerInvitationAcceptView(APIView):
    """The customer's global admin authorizes the reseller and its provider at once."""

    @extend_schema(request=CustomerInvitationAcceptSerializer, responses=CustomerAuthorizationSerializer)
    def post(self, request):
        serializer = CustomerInvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = customer_invitations.customer_invitation_accept(
            actor=request.user, token=serializer.validated_data["token"]
        )
        customer = invitation.customer
        relationships = customer.relationships.filter(
            partner__in=[invitation.reseller_id, invitation.provider_id]
        ).select_related("partner")
        data = {
            "id": customer.pk,
            "company_name": customer.company_name,
            "tenant": customer.tenant,
            "relationships": relationships,
        }
        return Response(CustomerAuthorizationSerializer(data).data)


urlpatterns = [
    path("customers/", CustomersView.as_view(), name="api-customers"),
    path("customers/<uuid:pk>/", CustomerDetailView.as_view(), name="api-customer"),
    path("customer-invitations/", CustomerInvitationsView.as_view(), name="api-customer-invitations"),
    path(
        "customer-invitations/accept/",
        CustomerInvitationAcceptView.as_view(),
        name="api-customer-invitation-accept",
    ),
]
