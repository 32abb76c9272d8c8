"""API: the customer's side (API.md, "Providers, resellers, customers"). The customer's
global admin reads its partners (its resellers of record and indirect providers, their
roles, who bills it, who has administrator access), removes a partner's administrator
access or ends the relationship, each confirmed with ``{"confirm": true}``.

A partner is named by its partner id (a customer has one relationship per partner).
Thin: read through the selectors (another customer's or a partner's relationship is 404),
write through ``services.customer_partners`` (their errors become 400, 403 and 409).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import CustomerRole, RelationshipState
from ..permissions import require_customer_admin
from ..services import customer_partners as services


class CustomerPartnerRelationshipSerializer(serializers.Serializer):
    """One of the customer's partners, as its global admin sees it."""

    partner_id = serializers.UUIDField()
    name = serializers.CharField(source="partner.legal_name")
    mpn_id = serializers.CharField(source="partner.mpn_id")
    country = serializers.CharField(source="partner.country.code")
    role = serializers.ChoiceField(choices=CustomerRole.choices)
    via_reseller_id = serializers.UUIDField(
        allow_null=True,
        help_text="For an indirect provider: the reseller of record it came through (null otherwise).",
    )
    bills_customer = serializers.BooleanField(
        help_text="The partner orders products for the customer and bills it (a direct-bill partner or "
        "an indirect provider, while the relationship is active)."
    )
    state = serializers.ChoiceField(
        choices=RelationshipState.values, help_text="`terminated`: the customer ended it."
    )
    admin_access = serializers.BooleanField(
        help_text="Delegated administrator access to the customer's tenant."
    )
    admin_access_removed_at = serializers.DateTimeField(allow_null=True)
    established_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class CustomerPartnerConfirmSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="Must be true: the change is made only when confirmed."
    )


class CustomerPartnerListView(ListAPIView):
    """The signed-in customer's partners, active ones first; only its global admin (403).
    Empty when the user's tenant is no customer's."""

    serializer_class = CustomerPartnerRelationshipSerializer

    def get_queryset(self):
        require_customer_admin(self.request.user)
        return selectors.customer_partners(selectors.customer_of_user(self.request.user))


class CustomerPartnerDetailView(APIView):
    @extend_schema(responses=CustomerPartnerRelationshipSerializer)
    def get(self, request, partner_id):
        require_customer_admin(request.user)
        relationship = selectors.customer_partner_of(request.user, partner_id)
        return Response(CustomerPartnerRelationshipSerializer(relationship).data)


def _action(name: str, service, doc: str):
    class CustomerPartnerActionView(APIView):
        @extend_schema(
            request=CustomerPartnerConfirmSerializer,
            responses=CustomerPartnerRelationshipSerializer,
            description=doc,
        )
        def post(self, request, partner_id):
            require_customer_admin(request.user)
            relationship = selectors.customer_partner_of(request.user, partner_id)
            serializer = CustomerPartnerConfirmSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            relationship = service(
                actor=request.user, relationship=relationship, confirm=serializer.validated_data["confirm"]
            )
            return Response(CustomerPartnerRelationshipSerializer(relationship).data)

    CustomerPartnerActionView.__name__ = CustomerPartnerActionView.__qualname__ = f"CustomerPartner{name}View"
    return CustomerPartnerActionView.as_view()


urlpatterns = [
    path("customer/partners/", CustomerPartnerListView.as_view(), name="api-customer-partners"),
    path(
        "customer/partners/<uuid:partner_id>/",
        CustomerPartnerDetailView.as_view(),
        name="api-customer-partner",
    ),
    path(
        "customer/partners/<uuid:partner_id>/remove-admin-access/",
        _action(
            "RemoveAdminAccess",
            services.customer_relationship_remove_admin_access,
            "The customer's global admin removes the partner's administrator access; the partner stays a "
            "reseller of record. 409 if it has none or the relationship ended. The partner is emailed.",
        ),
        name="api-customer-partner-remove-admin-access",
    ),
    path(
        "customer/partners/<uuid:partner_id>/end/",
        _action(
            "End",
            services.customer_relationship_end,
            "The customer's global admin ends the relationship (active → terminated): the partner is no "
            "longer a reseller of record and loses its administrator access. 409 if it already ended. "
            "The partner is emailed.",
        ),
        name="api-customer-partner-end",
    ),
]
