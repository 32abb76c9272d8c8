"""API: provider-reseller relationships from the caller's side, the removal of the
provider's administrator access, and granular delegated admin (GDAP) (API.md,
"Providers, resellers, customers").

Thin: shape the input, read through the selectors (another partner's relationship is 404),
write through the services (their errors become 400, 403 and 409 in one place).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment.models import Partner
from enrollment.selectors import partner_for
from partnercenter.core.api_values import datetime_text
from partnercenter.core.kept_api import kept_response
from partnercenter.core.query import EnumFilter, read_query

from .. import kept, list_selectors, selectors
from ..models import GdapStatus, RelationshipState
from ..services import admin_access as services

# --- Shapes ------------------------------------------------------------------------------------------


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

    def to_representation(self, relationship):
        """What the fields above write, written by hand (issue 12: DRF's walk field by field,
        each method field finding the other partner again, was most of the list's time).
        ``test_relationship_rows`` holds the two equal."""
        is_provider = self._is_provider(relationship)
        other = relationship.reseller if is_provider else relationship.provider
        return {
            "id": str(relationship.pk),
            "partner_id": str(other.pk),
            "name": other.legal_name,
            "mpn_id": other.mpn_id,
            "country": other.country.code,
            "relationship_type": selectors.PROVIDER_OF if is_provider else selectors.RESELLER_OF,
            "state": relationship.state,
            "admin_access": relationship.admin_access,
            "admin_access_removed_at": datetime_text(relationship.admin_access_removed_at),
            "established_at": datetime_text(relationship.established_at),
        }


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


class RelationshipQuery(serializers.Serializer):
    relationship_type = EnumFilter(selectors.RELATIONSHIP_TYPES)
    state = EnumFilter(RelationshipState.values)


class RelationshipListView(ListAPIView):
    """The caller's provider-reseller relationships: ``IsIndirectCloudSolutionProviderOf``
    lists its resellers, ``IsIndirectResellerOf`` its providers, neither both."""

    serializer_class = PartnerRelationshipSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "partner": getattr(self, "_partner", None)}

    @extend_schema(parameters=[RelationshipQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        """The page as it read a moment ago, until a table it read changes (issue 12)."""
        return kept_response(request, self._page, **kept.rows(request.user))

    def _page(self):
        return super().list(self.request).data, None

    def get_queryset(self):
        query = read_query(self.request, RelationshipQuery)
        self._partner = partner_for(self.request.user)
        return list_selectors.relationship_rows(
            self._partner, query["relationship_type"], state=query["state"]
        )


def _relationship_response(partner, relationship) -> Response:
    return Response(PartnerRelationshipSerializer(relationship, context={"partner": partner}).data)


class RelationshipDetailView(APIView):
    @extend_schema(responses=PartnerRelationshipSerializer)
    def get(self, request, relationship_id):
        partner = partner_for(request.user)
        return _relationship_response(partner, selectors.relationship_of(partner, relationship_id))


class RemoveAdminAccessView(APIView):
    """The reseller removes the provider's administrator access; the relationship stays
    active. 403 for the provider."""

    @extend_schema(request=None, responses=PartnerRelationshipSerializer)
    def post(self, request, relationship_id):
        partner = partner_for(request.user)
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
        partner = partner_for(self.request.user)
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
        gdap = selectors.granular_admin_of(partner_for(request.user), gdap_id)
        return Response(GranularAdminSerializer(gdap).data)


def _gdap_action(name, call, doc):
    class GranularAdminActionView(APIView):
        @extend_schema(request=None, responses=GranularAdminSerializer, description=doc)
        def post(self, request, gdap_id):
            gdap = selectors.granular_admin_of(partner_for(request.user), gdap_id)
            return Response(GranularAdminSerializer(call(actor=request.user, gdap=gdap)).data)

    GranularAdminActionView.__name__ = GranularAdminActionView.__qualname__ = f"GranularAdmin{name}View"
    return GranularAdminActionView.as_view()


urlpatterns = [
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
