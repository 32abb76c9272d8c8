"""API: Find a provider, the provider listing, reseller invitations, provider-reseller
relationships, administrator access (DAP and GDAP), and staff authorizing providers
(API.md, "Providers, resellers, customers").

Thin: shape the input, read through the selectors (another partner's object is 404),
write through the services (their errors become 400, 403 and 409 in one place).
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment.models import Partner
from enrollment.permissions import require_reviewer
from partnercenter.core.errors import InvalidInput, NotPermitted

from .. import selectors
from ..models import GdapStatus, InvitationStatus, Offer, RelationshipState
from ..services import providers as services

# --- Shapes ------------------------------------------------------------------------------------------


class ProviderDirectoryEntrySerializer(serializers.Serializer):
    partner_id = serializers.UUIDField()
    name = serializers.CharField(source="partner.legal_name")
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-2 codes.")
    offers = serializers.ListField(child=serializers.ChoiceField(choices=Offer.values))
    description = serializers.CharField()
    website = serializers.CharField()


class ProviderListingSerializer(ProviderDirectoryEntrySerializer):
    authorized = serializers.BooleanField()
    authorized_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ProviderListingUpdateSerializer(serializers.Serializer):
    """A partial update: only the fields given change (the service checks them)."""

    countries = serializers.ListField(child=serializers.CharField(), required=False)
    offers = serializers.ListField(
        child=serializers.CharField(), required=False, help_text=", ".join(Offer.values)
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    website = serializers.CharField(required=False, allow_blank=True, max_length=500)


class IndirectProviderAuthorizeSerializer(serializers.Serializer):
    authorized = serializers.BooleanField()


class IndirectProviderStatusSerializer(serializers.Serializer):
    partner_id = serializers.UUIDField(source="pk")
    name = serializers.CharField(source="legal_name")
    authorized = serializers.SerializerMethodField()
    authorized_at = serializers.SerializerMethodField()

    def _provider(self, partner):
        return getattr(partner, "indirect_provider", None) if hasattr(partner, "indirect_provider") else None

    def get_authorized(self, partner) -> bool:
        provider = self._provider(partner)
        return bool(provider and provider.authorized)

    def get_authorized_at(self, partner) -> str | None:
        provider = self._provider(partner)
        return provider.authorized_at.isoformat() if provider and provider.authorized else None


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


class PartnerRelationshipSerializer(serializers.Serializer):
    """A provider-reseller relationship from the caller's side: the *other* partner's data."""

    id = serializers.UUIDField()
    partner_id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    mpn_id = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    relationship_type = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=RelationshipState.values)
    admin_access = serializers.BooleanField()
    admin_access_removed_at = serializers.DateTimeField(allow_null=True)
    established_at = serializers.DateTimeField()

    def _is_provider(self, relationship) -> bool:
        partner = self.context.get("partner")
        return partner is not None and relationship.provider_id == partner.pk

    def _other(self, relationship) -> Partner:
        return relationship.reseller if self._is_provider(relationship) else relationship.provider

    def get_partner_id(self, relationship) -> str:
        return str(self._other(relationship).pk)

    def get_name(self, relationship) -> str:
        return self._other(relationship).legal_name

    def get_mpn_id(self, relationship) -> str:
        return self._other(relationship).mpn_id

    def get_country(self, relationship) -> str:
        return self._other(relationship).country.code

    def get_relationship_type(self, relationship) -> str:
        return selectors.PROVIDER_OF if self._is_provider(relationship) else selectors.RESELLER_OF


class GranularAdminSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    relationship_id = serializers.UUIDField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    duration_days = serializers.IntegerField()
    auto_extend = serializers.BooleanField()
    status = serializers.ChoiceField(choices=GdapStatus.values)
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    terminated_at = serializers.DateTimeField(allow_null=True)


class GranularAdminCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    roles = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        help_text="Directory roles: " + ", ".join(services.GDAP_ROLES),
    )
    duration_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="From 1 to 730."
    )
    auto_extend = serializers.BooleanField(required=False, default=False)


# --- Staff: authorize an indirect provider -------------------------------------------------------------


class IsReviewer(BasePermission):
    """Program staff with the review permission."""

    def has_permission(self, request, view):
        try:
            require_reviewer(request.user)
        except NotPermitted as exc:
            self.message = str(exc.message)
            return False
        return True


class IndirectProviderAuthorizeView(APIView):
    """Staff authorize an active partner as indirect provider (``false`` withdraws it).
    409 for a partner without an active enrollment."""

    permission_classes = [IsReviewer]

    @extend_schema(request=IndirectProviderAuthorizeSerializer, responses=IndirectProviderStatusSerializer)
    def post(self, request, partner_id):
        partner = get_object_or_404(Partner, pk=partner_id)
        serializer = IndirectProviderAuthorizeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.provider_authorize(
            actor=request.user, partner=partner, authorized=serializer.validated_data["authorized"]
        )
        partner = Partner.objects.select_related("indirect_provider").get(pk=partner.pk)
        return Response(IndirectProviderStatusSerializer(partner).data)


# --- Find a provider and the listing ------------------------------------------------------------------


def _offers_param(request) -> list[str]:
    """``?offers=a,b`` or ``?offers=a&offers=b``."""
    return [
        o.strip() for value in request.query_params.getlist("offers") for o in value.split(",") if o.strip()
    ]


class ProviderDirectoryView(ListAPIView):
    """*Find a provider*: the authorized indirect providers, by country served and by what
    they offer (every offer given)."""

    serializer_class = ProviderDirectoryEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("country", description="ISO 3166-1 alpha-2 code of a country served"),
            OpenApiParameter("offers", description="Comma-separated: " + ", ".join(Offer.values)),
            OpenApiParameter("name", description="Part of the provider's name"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        country = (self.request.query_params.get("country") or "").strip().upper()
        offers = _offers_param(self.request)
        errors = {}
        if country and not countries.alpha2(country):
            errors["country"] = [_("Use an ISO 3166-1 country code, for example DE.")]
        unknown = [o for o in offers if o not in Offer.values]
        if unknown:
            errors["offers"] = [
                _("“%(offer)s” is not an offer. Choose from: %(choices)s.")
                % {"offer": unknown[0], "choices": ", ".join(Offer.values)}
            ]
        if errors:
            raise InvalidInput(errors)
        return selectors.provider_directory(
            country=country, offers=offers, name=(self.request.query_params.get("name") or "").strip()
        )


class ProviderListingView(APIView):
    """The caller's own listing: read by the partner's users, edited by the global admin or
    an admin agent of an authorized provider."""

    def _listing(self, request):
        listing = selectors.provider_listing_of(selectors.partner_of(request.user))
        if listing is None:
            raise NotPermitted(_("Only an indirect provider authorized by the program has a listing."))
        return listing

    @extend_schema(responses=ProviderListingSerializer)
    def get(self, request):
        return Response(ProviderListingSerializer(self._listing(request)).data)

    @extend_schema(request=ProviderListingUpdateSerializer, responses=ProviderListingSerializer)
    def patch(self, request):
        self._listing(request)
        serializer = ProviderListingUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.provider_listing_update(actor=request.user, data=serializer.validated_data)
        return Response(ProviderListingSerializer(listing).data)


# --- Reseller invitations ---------------------------------------------------------------------------------


class ResellerInvitationListView(ListAPIView):
    """Sent (provider) and received (reseller) invitations; ``POST`` invites a reseller."""

    serializer_class = ResellerInvitationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "partner": getattr(self, "_partner", None)}

    @extend_schema(
        parameters=[
            OpenApiParameter("direction", enum=["sent", "received"]),
            OpenApiParameter("status", enum=InvitationStatus.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self._partner = selectors.partner_of(self.request.user)
        params = self.request.query_params
        if params.get("direction") not in (None, "", "sent", "received"):
            raise InvalidInput.on("direction", _("Use sent or received."))
        return selectors.reseller_invitations_of(
            self._partner,
            self.request.user,
            direction=params.get("direction") or None,
            status=params.get("status") or None,
        )

    @extend_schema(request=ResellerInvitationCreateSerializer, responses={201: ResellerInvitationSerializer})
    def post(self, request):
        serializer = ResellerInvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.reseller_invitation_send(actor=request.user, **serializer.validated_data)
        partner = selectors.partner_of(request.user)
        return Response(
            ResellerInvitationSerializer(invitation, context={"partner": partner}).data,
            status=status.HTTP_201_CREATED,
        )


class ResellerInvitationDetailView(APIView):
    @extend_schema(responses=ResellerInvitationSerializer)
    def get(self, request, invitation_id):
        partner = selectors.partner_of(request.user)
        invitation = selectors.reseller_invitation_of(partner, request.user, invitation_id)
        return Response(ResellerInvitationSerializer(invitation, context={"partner": partner}).data)


def _invitation_action(name, call, doc):
    class InvitationActionView(APIView):
        @extend_schema(request=None, responses=ResellerInvitationSerializer, description=doc)
        def post(self, request, invitation_id):
            partner = selectors.partner_of(request.user)
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


# --- Relationships and administrator access ---------------------------------------------------------------


class RelationshipListView(ListAPIView):
    """The caller's provider-reseller relationships: ``IsIndirectCloudSolutionProviderOf``
    lists its resellers, ``IsIndirectResellerOf`` its providers, neither both."""

    serializer_class = PartnerRelationshipSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "partner": getattr(self, "_partner", None)}

    @extend_schema(
        parameters=[
            OpenApiParameter("relationship_type", enum=list(selectors.RELATIONSHIP_TYPES)),
            OpenApiParameter("state", enum=RelationshipState.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self._partner = selectors.partner_of(self.request.user)
        kind = self.request.query_params.get("relationship_type") or None
        if kind is not None and kind not in selectors.RELATIONSHIP_TYPES:
            raise InvalidInput.on(
                "relationship_type",
                _("Use %(types)s.") % {"types": " or ".join(selectors.RELATIONSHIP_TYPES)},
            )
        return selectors.relationships_of(
            self._partner, kind, state=self.request.query_params.get("state") or None
        )


def _relationship_response(partner, relationship) -> Response:
    return Response(PartnerRelationshipSerializer(relationship, context={"partner": partner}).data)


class RelationshipDetailView(APIView):
    @extend_schema(responses=PartnerRelationshipSerializer)
    def get(self, request, relationship_id):
        partner = selectors.partner_of(request.user)
        return _relationship_response(partner, selectors.relationship_of(partner, relationship_id))


class RemoveAdminAccessView(APIView):
    """The reseller removes the provider's administrator access; the relationship stays
    active. 403 for the provider."""

    @extend_schema(request=None, responses=PartnerRelationshipSerializer)
    def post(self, request, relationship_id):
        partner = selectors.partner_of(request.user)
        relationship = selectors.relationship_of(partner, relationship_id)
        relationship = services.relationship_remove_admin_access(
            actor=request.user, relationship=relationship
        )
        return _relationship_response(partner, relationship)


class GranularAdminListView(ListAPIView):
    """The GDAP relationships of one provider-reseller relationship; ``POST`` (the
    provider) asks for roles, waiting for the reseller's approval."""

    serializer_class = GranularAdminSerializer

    def _relationship(self):
        partner = selectors.partner_of(self.request.user)
        return selectors.relationship_of(partner, self.kwargs["relationship_id"])

    def get_queryset(self):
        return self._relationship().granular_admin.order_by("-created_at", "pk")

    @extend_schema(request=GranularAdminCreateSerializer, responses={201: GranularAdminSerializer})
    def post(self, request, relationship_id):
        relationship = self._relationship()
        serializer = GranularAdminCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        gdap = services.gdap_propose(
            actor=request.user, relationship=relationship, **serializer.validated_data
        )
        return Response(GranularAdminSerializer(gdap).data, status=status.HTTP_201_CREATED)


class GranularAdminDetailView(APIView):
    @extend_schema(responses=GranularAdminSerializer)
    def get(self, request, gdap_id):
        gdap = selectors.granular_admin_of(selectors.partner_of(request.user), gdap_id)
        return Response(GranularAdminSerializer(gdap).data)


def _gdap_action(name, call, doc):
    class GranularAdminActionView(APIView):
        @extend_schema(request=None, responses=GranularAdminSerializer, description=doc)
        def post(self, request, gdap_id):
            gdap = selectors.granular_admin_of(selectors.partner_of(request.user), gdap_id)
            return Response(GranularAdminSerializer(call(actor=request.user, gdap=gdap)).data)

    GranularAdminActionView.__name__ = GranularAdminActionView.__qualname__ = f"GranularAdmin{name}View"
    return GranularAdminActionView.as_view()


urlpatterns = [
    path(
        "review/partners/<uuid:partner_id>/indirect-provider/",
        IndirectProviderAuthorizeView.as_view(),
        name="api-indirect-provider-authorize",
    ),
    path("providers/", ProviderDirectoryView.as_view(), name="api-providers"),
    path("partner/provider-listing/", ProviderListingView.as_view(), name="api-provider-listing"),
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
    path("relationships/", RelationshipListView.as_view(), name="api-relationships"),
    path("relationships/<uuid:relationship_id>/", RelationshipDetailView.as_view(), name="api-relationship"),
    path(
        "relationships/<uuid:relationship_id>/remove-admin-access/",
        RemoveAdminAccessView.as_view(),
        name="api-relationship-remove-admin-access",
    ),
    path(
        "relationships/<uuid:relationship_id>/granular-admin/",
        GranularAdminListView.as_view(),
        name="api-granular-admin-list",
    ),
    path("granular-admin/<uuid:gdap_id>/", GranularAdminDetailView.as_view(), name="api-granular-admin"),
    path(
        "granular-admin/<uuid:gdap_id>/approve/",
        _gdap_action(
            "Approve", services.gdap_approve, "The reseller grants the roles (approval_pending → active)."
        ),
        name="api-granular-admin-approve",
    ),
    path(
        "granular-admin/<uuid:gdap_id>/terminate/",
        _gdap_action(
            "Terminate",
            services.gdap_terminate,
            "Either side ends it (→ termination_requested; the sweep completes it).",
        ),
        name="api-granular-admin-terminate",
    ),
]
