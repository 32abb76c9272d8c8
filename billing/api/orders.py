"""Billing's API: markets and currencies, and a customer's orders (API.md, "Billing and
programs"; the order endpoints follow its conventions).

Thin: shape the input, read through the selectors (another partner's customer is 404),
write through the services (their errors become 400, 403 and 404 in one place)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from partnercenter.core.markets import all_markets
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import selectors
from ..money import money
from ..services import orders as services


@extend_schema(
    responses=inline_serializer(
        "Market",
        {
            "country": serializers.CharField(),
            "market": serializers.CharField(),
            "currency": serializers.CharField(),
        },
        many=True,
    )
)
@api_view(["GET"])
@permission_classes([AllowAny])
def markets(request):
    """Every country the portal knows, with its market and billing currency."""
    return Response(
        [{"country": country, "market": m.code, "currency": m.currency} for country, m in all_markets()]
    )


# --- Orders --------------------------------------------------------------------------------------


class OrderPriceInputSerializer(serializers.Serializer):
    amount = serializers.CharField(
        max_length=40, help_text="A decimal number as a string, for example 12.50."
    )
    currency = serializers.CharField(
        max_length=3, required=False, help_text="ISO 4217; your market's currency (it may be left out)."
    )


class OrderPriceSerializer(serializers.Serializer):
    """Money: ``{"amount": "123.45", "currency": "EUR"}``."""

    amount = serializers.CharField()
    currency = serializers.CharField()


class OrderCreateSerializer(serializers.Serializer):
    offer = serializers.CharField(max_length=300, help_text="The offer's name.")
    quantity = serializers.IntegerField(help_text="1 to 10000.")
    unit_price = OrderPriceInputSerializer()


class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    customer_id = serializers.UUIDField()
    partner_id = serializers.UUIDField(help_text="The partner that ordered (and bills).")
    offer = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    created_by = serializers.EmailField(source="created_by.email", allow_null=True)

    @extend_schema_field(OrderPriceSerializer)
    def get_unit_price(self, order) -> dict:
        return money(order.unit_price, order.currency)

    @extend_schema_field(OrderPriceSerializer)
    def get_total(self, order) -> dict:
        return money(order.total, order.currency)


class CustomerOrdersView(GenericAPIView):
    """Orders for one of the partner's customers. The partner that bills the customer orders:
    a direct-bill partner, or the indirect provider (a reseller gets 403)."""

    serializer_class = OrderSerializer

    @extend_schema(responses=OrderSerializer(many=True))
    def get(self, request, pk):
        row = relationship_selectors.customer_for(acting_partner(request.user), pk)
        page = self.paginate_queryset(selectors.customer_orders(row))
        return self.get_paginated_response(OrderSerializer(page, many=True).data)

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer})
    def post(self, request, pk):
        row = relationship_selectors.customer_for(acting_partner(request.user), pk)
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = services.order_submit(
            actor=request.user,
            customer=row.customer,
            offer=data["offer"],
            quantity=data["quantity"],
            unit_price=data["unit_price"]["amount"],
            currency=data["unit_price"].get("currency") or None,
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)
