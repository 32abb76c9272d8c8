"""API: reseller invitations: the provider invites, resends and revokes; the reseller
accepts with the link's token and authorizes the provider (API.md, "Providers, resellers,
customers").

Thin: shape the input, read through the selectors (another partner's invitation is 404),
write through the services (their errors become 400, 403 and 409 in one place).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment.selectors import partner_for
from partnercenter.core.query import EnumFilter, read_query

from .. import selectors
from ..models import InvitationStatus
from ..services import reseller_invitations as services
from .admin_access import PartnerRelationshipSerializer

# --- Shapes ------------------------------------------------------------------------------------------


class InvitationPartySerializer(serializers.Serializer):
    partner_id = serializers.UUIDField(source="pk")
    name = serializers.CharField(source="legal_name")
    mpn_id = serializers.CharField()


class ResellerInvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    direction = serializers.SerializerMethodField(help_text="sent (you are the provider) or received")
    status = serializers.ChoiceField(choices=InvitationStatus.values)
    email = serializers.CharField()
    mpn_id = serializers.CharField()
    message = serializers.CharField()
    provider = InvitationPartySerializer()
    reseller = InvitationPartySerializer(allow_null=True, help_text="The partner that accepted it.")
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)

    def get_direction(self, invitation) -> str:
        partner = self.context.get("partner")
        return "sent" if partner is not None and invitation.provider_id == partner.pk else "received"


class ResellerInvitationCreateSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
    mpn_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ResellerInvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    authorize = serializers.BooleanField(required=False, default=False)


class ResellerInvitationQuery(serializers.Serializer):
    direction = EnumFilter(["sent", "received"])
    status = EnumFilter(InvitationStatus.values)


class ResellerInvitationListView(ListAPIView):
    """Sent (provider) and received (reseller) invitations; ``POST`` invites a reseller."""

    serializer_class = ResellerInvitationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "partner": getattr(self, "_partner", None)}

    @extend_schema(parameters=[ResellerInvitationQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = read_query(self.request, ResellerInvitationQuery)
        self._partner = partner_for(self.request.user)
        return selectors.reseller_invitations_of(
            self._partner, self.request.user, direction=query["direction"], status=query["status"]
        )

    @extend_schema(request=ResellerInvitationCreateSerializer, responses={201: ResellerInvitationSerializer})
    def post(self, request):
        serializer = ResellerInvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.reseller_invitation_send(actor=request.user, **serializer.validated_data)
        partner = partner_for(request.user)
        return Response(
            ResellerInvitationSerializer(invitation, context={"partner": partner}).data,
            status=status.HTTP_201_CREATED,
        )


class ResellerInvitationDetailView(APIView):
    @extend_schema(responses=ResellerInvitationSerializer)
    def get(self, request, invitation_id):
        partner = partner_for(request.user)
        invitation = selectors.reseller_invitation_of(partner, request.user, invitation_id)
        return Response(ResellerInvitationSerializer(invitation, context={"partner": partner}).data)


def _invitation_action(name, call, doc):
    class InvitationActionView(APIView):
        @extend_schema(request=None, responses=ResellerInvitationSerializer, description=doc)
        def post(self, request, invitation_id):
            partner = partner_for(request.user)
            invitation = selectors.reseller_invitation_of(partner, request.user, invitation_id)
            invitation = call(actor=request.user, invitation=invitation)
            return Response(ResellerInvitationSerializer(invitation, context={"partner": partner}).data)

    InvitationActionView.__name__ = InvitationActionView.__qualname__ = f"ResellerInvitation{name}View"
    return InvitationActionView.as_view()


class ResellerInvitationAcceptView(APIView):
    """The reseller's global admin or admin agent authorizes the provider with the token
    from the invitation link; 201 with the relationship."""

    @extend_schema(request=ResellerInvitationAcceptSerializer, responses={201: PartnerRelationshipSerializer})
    def post(self, request):
        serializer = ResellerInvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        relationship = services.reseller_invitation_accept(actor=request.user, **serializer.validated_data)
        return Response(
            PartnerRelationshipSerializer(relationship, context={"partner": relationship.reseller}).data,
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("reseller-invitations/", ResellerInvitationListView.as_view(), name="api-reseller-invitations"),
    path(
        "reseller-invitations/accept/",
        ResellerInvitationAcceptView.as_view(),
        name="api-reseller-invitation-accept",
    ),
    path(
        "reseller-invitations/<uuid:invitation_id>/",
        ResellerInvitationDetailView.as_view(),
        name="api-reseller-invitation",
    ),
    path(
        "reseller-invitations/<uuid:invitation_id>/resend/",
        _invitation_action(
            "Resend",
            services.reseller_invitation_resend,
            "A new link with a new expiry; the old link stops working. Only the provider that sent it.",
        ),
        name="api-reseller-invitation-resend",
    ),
    path(
        "reseller-invitations/<uuid:invitation_id>/revoke/",
        _invitation_action(
            "Revoke",
            services.reseller_invitation_revoke,
            "The link stops working. Only the provider that sent it.",
        ),
        name="api-reseller-invitation-revoke",
    ),
]
