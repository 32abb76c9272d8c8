"""The price list in the API (*Pricing and offers*): the offers sold in the caller's market,
each with its prices of today in the market's currency. An offer not sold in the caller's
market is 404. Who: users whose roles see customers' orders or order
(``permissions.may_see_price_list``) of an active partner; others get 403 with the reason."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from partnercenter.core.query import EnumFilter, read_query

from ..models import BillingFrequency, ProductKind, Term
from ..money import money
from ..offers import SEARCH_MAX, offer_for, offer_rows, offers_for, price_list_partner

# --- Serializers (named for the catalog: schema component names are global) -------------------


class OfferQuery(serializers.Serializer):
    kind = EnumFilter(ProductKind.choices, help_text="Only offers of this product kind.")
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX,
        help_text="Only offers whose name, product name or offer ID contains this (any case).",
    )


class CatalogMoneySerializer(serializers.Serializer):
    """Money: ``{"amount": "123.45", "currency": "EUR"}``."""

    amount = serializers.CharField()
    currency = serializers.CharField()


class CatalogProductSerializer(serializers.Serializer):
    product_id = serializers.CharField(help_text="Partner Center's product ID, e.g. CFQ7TTC0LH18.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ProductKind.choices)


class OfferPriceSerializer(serializers.Serializer):
    term = serializers.ChoiceField(choices=Term.choices, help_text="ISO 8601 duration; none: perpetual.")
    billing = serializers.ChoiceField(choices=BillingFrequency.choices)
    unit_price = serializers.SerializerMethodField(
        help_text="For one license or unit and one billing period (a month, a year, or the purchase)."
    )
    effective_from = serializers.DateField(help_text="The day this price took effect.")

    @extend_schema_field(CatalogMoneySerializer)
    def get_unit_price(self, price) -> dict:
        return money(price.unit_price, price.currency)


class CatalogOfferSerializer(serializers.Serializer):
    """An offer with its prices of today in the caller's market and currency."""

    offer_id = serializers.CharField(source="offer.offer_id", help_text="<product_id>:<sku>")
    name = serializers.CharField(source="offer.name")
    product = CatalogProductSerializer()
    prices = OfferPriceSerializer(many=True)


# --- Views ------------------------------------------------------------------------------------


class OffersView(GenericAPIView):
    """*Pricing and offers*: the offers sold in your market, in its currency, as of today."""

    serializer_class = CatalogOfferSerializer

    @extend_schema(parameters=[OfferQuery], responses=CatalogOfferSerializer(many=True))
    def get(self, request):
        partner = price_list_partner(request.user)
        query = read_query(request, OfferQuery)
        today = timezone.localdate()
        offers = offers_for(partner, today, kind=query["kind"], search=query["q"] or "")
        page = self.paginate_queryset(offers)
        return self.get_paginated_response(
            CatalogOfferSerializer(offer_rows(partner, today, page), many=True).data
        )


class OfferDetailView(GenericAPIView):
    serializer_class = CatalogOfferSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("offer_id", str, OpenApiParameter.PATH, description="e.g. CFQ7TTC0LH18:0001")
        ],
        responses=CatalogOfferSerializer,
    )
    def get(self, request, offer_id):
        """One offer with its prices of today; 404 when it is not sold in your market."""
        partner = price_list_partner(request.user)
        return Response(CatalogOfferSerializer(offer_for(partner, timezone.localdate(), offer_id)).data)
