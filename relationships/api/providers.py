"""API: staff authorize indirect providers; *Find a provider*; the provider's own listing
(API.md, "Review queue", "Providers, resellers, customers").

Thin: shape the input, read through the selectors, write through the services (their
errors become 400, 403 and 409 in one place).
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment.api.permissions import IsReviewer
from enrollment.models import Partner
from enrollment.selectors import partner_for
from partnercenter.core.errors import InvalidInput, NotPermitted

from .. import selectors
from ..models import Offer
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


# --- Staff: authorize an indirect provider -------------------------------------------------------------


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
        listing = selectors.provider_listing_of(partner_for(request.user))
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


urlpatterns = [
    path(
        "review/partners/<uuid:partner_id>/indirect-provider/",
        IndirectProviderAuthorizeView.as_view(),
        name="api-indirect-provider-authorize",
    ),
    path("providers/", ProviderDirectoryView.as_view(), name="api-providers"),
    path("partner/provider-listing/", ProviderListingView.as_view(), name="api-provider-listing"),
]
