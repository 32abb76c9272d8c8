"""Billing's API: markets and currencies, and orders (API.md conventions; Partner Center's
names: offers, orders, line items).

Thin: shape the input, read through the selectors (another partner's customer or order is
404), write through the services (their errors become 400, 403, 404 and 409 in one place).
A line's errors are nested as the input is: ``{"lines": [{}, {"quantity": ["…"]}]}``."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from enrollment.api.serializers import MoneySerializer  # the one Money of the schema
from partnercenter.core.markets import all_markets
from partnercenter.core.query import EnumFilter, read_query
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import selectors
from ..models import (
    IDEMPOTENCY_KEY_MAX,
    LINES_MAX,
    QUANTITY_MAX,
    QUANTITY_MIN,
    BillingFrequency,
    OrderStatus,
    ReservationScope,
    Term,
)
from ..money import money
from ..permissions import Action, require
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


class OrderLineInputSerializer(serializers.Serializer):
    """One line (documentation: the service reads the body and answers its errors by line)."""

    offer_id = serializers.CharField(help_text="The offer's ID in the price list, e.g. CFQ7TTC0LH18:0001.")
    term = serializers.ChoiceField(Term.values)
    billing = serializers.ChoiceField(BillingFrequency.values)
    quantity = serializers.IntegerField(min_value=QUANTITY_MIN, max_value=QUANTITY_MAX)
    auto_renew = serializers.BooleanField(required=False, default=True)
    scope = serializers.ChoiceField(
        ReservationScope.values, required=False, help_text="Azure reservations only (required for them)."
    )


class OrderCreateSerializer(serializers.Serializer):
    lines = OrderLineInputSerializer(many=True, help_text=f"1 to {LINES_MAX} lines.")


class OrderLineSerializer(serializers.Serializer):
    line_number = serializers.IntegerField()
    offer_id = serializers.CharField(source="offer.offer_id")
    offer_name = serializers.CharField(source="offer.name")
    term = serializers.CharField()
    billing = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    auto_renew = serializers.BooleanField()
    scope = serializers.CharField()
    subscription_id = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, line) -> dict:
        return money(line.unit_price, line.currency)

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_subscription_id(self, line) -> str | None:
        try:
            return str(line.subscription.pk)
        except ObjectDoesNotExist:  # not completed (yet)
            return None


class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    customer_id = serializers.UUIDField()
    partner_id = serializers.UUIDField(help_text="The partner that ordered (and bills).")
    reseller_id = serializers.UUIDField(
        allow_null=True, help_text="For a provider's order: the reseller of the customer."
    )
    status = serializers.ChoiceField(OrderStatus.values)
    lines = OrderLineSerializer(many=True)
    total = serializers.SerializerMethodField(help_text="The first billing period's price of every line.")
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    failure_reason = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_total(self, order) -> dict:
        return money(order.total, order.currency)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_failure_reason(self, order) -> str | None:
        return order.failure_text or None


class OrdersQuery(serializers.Serializer):
    customer = serializers.UUIDField(required=False, help_text="One customer's orders.")
    status = EnumFilter(OrderStatus.values)
    created_after = serializers.DateField(required=False, help_text="Placed on or after this day.")
    created_before = serializers.DateField(required=False, help_text="Placed on or before this day.")


IDEMPOTENCY_HEADERS = [
    OpenApiParameter(
        "Idempotency-Key",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=False,
        description=(
            f"Up to {IDEMPOTENCY_KEY_MAX} characters. The same key twice makes one order: the second "
            "request answers 200 with the first order; the same key with another body is 409."
        ),
    ),
    OpenApiParameter(
        "MS-RequestId",
        OpenApiTypes.STR,
        location=OpenApiParameter.HEADER,
        required=False,
        description="Partner Center's name of the idempotency key (used when Idempotency-Key is absent).",
    ),
]


def _idempotency_key(request) -> str:
    return (request.headers.get("Idempotency-Key") or request.headers.get("MS-RequestId") or "").strip()


def _orders_page(view, request, orders):
    page = view.paginate_queryset(selectors.with_lines(orders))
    return view.get_paginated_response(OrderSerializer(page, many=True).data)


class CustomerOrdersView(GenericAPIView):
    """Orders for one of the partner's customers. The partner that bills the customer orders:
    a direct-bill partner, or the indirect provider of a reseller's customer (a reseller gets
    403: it reads its provider's orders)."""

    serializer_class = OrderSerializer

    @extend_schema(responses=OrderSerializer(many=True))
    def get(self, request, pk):
        require(request.user, Action.VIEW_ORDERS)
        row = relationship_selectors.customer_for(acting_partner(request.user), pk)
        return _orders_page(self, request, selectors.customer_orders(row))

    @extend_schema(
        request=OrderCreateSerializer,
        parameters=IDEMPOTENCY_HEADERS,
        responses={201: OrderSerializer, 200: OrderSerializer},
    )
    def post(self, request, pk):
        row = relationship_selectors.customer_for(acting_partner(request.user), pk)
        body = request.data if isinstance(request.data, dict) else {}
        order = services.order_place(
            actor=request.user,
            customer=row.customer,
            lines=body.get("lines"),
            idempotency_key=_idempotency_key(request),
        )
        data = OrderSerializer(selectors.order_for(acting_partner(request.user), order.pk)).data
        return Response(data, status=status.HTTP_200_OK if order.replayed else status.HTTP_201_CREATED)


class OrdersView(GenericAPIView):
    """The partner's orders, newest first: those it placed, and for a reseller those its
    provider placed for its customers (read-only)."""

    serializer_class = OrderSerializer

    @extend_schema(parameters=[OrdersQuery], responses=OrderSerializer(many=True))
    def get(self, request):
        require(request.user, Action.VIEW_ORDERS)
        partner = acting_partner(request.user)
        query = read_query(request, OrdersQuery)
        orders = selectors.filter_orders(
            selectors.orders_for(partner),
            customer_id=query["customer"],
            status=query["status"] or "",
            created_after=query["created_after"],
            created_before=query["created_before"],
        )
        return _orders_page(self, request, orders)


class OrderView(GenericAPIView):
    serializer_class = OrderSerializer

    @extend_schema(responses=OrderSerializer)
    def get(self, request, pk):
        require(request.user, Action.VIEW_ORDERS)
        return Response(OrderSerializer(selectors.order_for(acting_partner(request.user), pk)).data)


class OrderCancelView(GenericAPIView):
    """Cancel a pending order (the partner that placed it); 409 once it is completed."""

    serializer_class = OrderSerializer

    @extend_schema(request=None, responses=OrderSerializer)
    def post(self, request, pk):
        partner = acting_partner(request.user)
        order = selectors.order_for(partner, pk)
        services.order_cancel(actor=request.user, order=order)
        return Response(OrderSerializer(selectors.order_for(partner, pk)).data)
