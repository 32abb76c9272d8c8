"""API: subscriptions and Azure reservations (API.md's conventions). Seeing needs
``Action.VIEW_ORDERS``; changing ``Action.MANAGE_SUBSCRIPTIONS`` (403 with the table's
reason); another partner's subscription or customer is 404; a move the status or the
cancellation window does not allow is 409.

Thin: shape the input, read through the selectors, write through the services."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import subscription_selectors as selectors
from ..models import ProductKind, SubscriptionStatus
from ..money import money
from ..permissions import Action, require
from ..services import subscriptions as services
from ..views.subscriptions import actions_for

# --- Serializers (named for subscriptions: schema component names are global) --------------------


class SubscriptionMoneySerializer(serializers.Serializer):
    """Money: ``{"amount": "123.45", "currency": "EUR"}``."""

    amount = serializers.CharField()
    currency = serializers.CharField()


class SubscriptionActionsSerializer(serializers.Serializer):
    auto_renew = serializers.BooleanField(help_text="The caller may turn auto-renew on or off.")
    suspend = serializers.BooleanField()
    reactivate = serializers.BooleanField()
    cancel = serializers.BooleanField(
        help_text="The caller may cancel it now (within the cancellation window)."
    )


class SubscriptionTermSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Exclusive; null for perpetual software.")
    quantity = serializers.IntegerField()
    billing = serializers.CharField()
    unit_price = serializers.SerializerMethodField()

    @extend_schema_field(SubscriptionMoneySerializer)
    def get_unit_price(self, term) -> dict:
        return money(term.unit_price, term.currency)


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    customer_id = serializers.UUIDField()
    partner_id = serializers.UUIDField(help_text="The partner that bills the customer.")
    kind = serializers.ChoiceField(choices=ProductKind.choices)
    friendly_name = serializers.CharField()
    quantity = serializers.IntegerField()
    term = serializers.CharField(help_text="ISO 8601: P1M, P1Y, P3Y, or none (perpetual).")
    billing = serializers.CharField()
    scope = serializers.CharField(help_text="Azure reservations: shared or single; empty otherwise.")
    unit_price = serializers.SerializerMethodField()
    start_date = serializers.DateField()
    term_started_on = serializers.DateField(help_text="The start of the current term.")
    end_date = serializers.DateField(allow_null=True)
    auto_renew = serializers.BooleanField()
    status = serializers.ChoiceField(choices=SubscriptionStatus.choices)
    cancellable_until = serializers.DateField(help_text="The last day of the cancellation window.")
    actions = serializers.SerializerMethodField()

    @extend_schema_field(SubscriptionMoneySerializer)
    def get_unit_price(self, subscription) -> dict:
        return money(subscription.unit_price, subscription.currency)

    @extend_schema_field(SubscriptionActionsSerializer)
    def get_actions(self, subscription) -> dict:
        request = self.context["request"]
        found = actions_for(request.user, self.context["partner"], subscription)
        return {
            "auto_renew": found.auto_renew,
            "suspend": found.suspend,
            "reactivate": found.reactivate,
            "cancel": found.cancel,
        }


class SubscriptionDetailSerializer(SubscriptionSerializer):
    terms = SubscriptionTermSerializer(many=True, source="terms.all")


class SubscriptionPatchSerializer(serializers.Serializer):
    auto_renew = serializers.BooleanField(required=False, help_text="Renew at the end of the term, or not.")
    status = serializers.ChoiceField(
        choices=[SubscriptionStatus.SUSPENDED, SubscriptionStatus.ACTIVE],
        required=False,
        help_text="suspended to suspend an active subscription, active to reactivate a suspended one.",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Give auto_renew, status or both."))
        return attrs


FILTERS = [
    OpenApiParameter("customer", str, description="A customer's id."),
    OpenApiParameter("status", str, enum=SubscriptionStatus.values),
    OpenApiParameter("kind", str, enum=ProductKind.values),
]


# Under a customer's path the same filters, described rather than enumerated (the schema
# guard asks enumerated filters on the path as written, which names no real customer).
CUSTOMER_FILTERS = [
    OpenApiParameter("status", str, description="One of: " + ", ".join(SubscriptionStatus.values) + "."),
    OpenApiParameter("kind", str, description="One of: " + ", ".join(ProductKind.values) + "."),
]


def _filters(request) -> dict:
    errors, found = {}, {}
    customer = request.query_params.get("customer", "")
    if customer:
        try:
            found["customer_id"] = uuid.UUID(customer)
        except ValueError:
            errors["customer"] = [_("Give a customer's id (a UUID) or leave the filter out.")]
    status = request.query_params.get("status", "")
    if status and status not in selectors.STATUS_VALUES:
        errors["status"] = [_("Give one of the statuses active, suspended, expired or cancelled.")]
    found["status"] = status
    kind = request.query_params.get("kind", "")
    if kind and kind not in selectors.KIND_VALUES:
        errors["kind"] = [_("Give one of the kinds license, azure_plan, azure_reservation or software.")]
    found["kind"] = kind
    if errors:
        raise InvalidInput(errors)
    return found


class _Listing(GenericAPIView):
    serializer_class = SubscriptionSerializer
    reservations: bool | None = None

    def listing(self, request, partner, **filters):
        found = selectors.subscriptions_for(partner, reservations=self.reservations, **filters)
        page = self.paginate_queryset(found)
        data = SubscriptionSerializer(page, many=True, context={"request": request, "partner": partner}).data
        return self.get_paginated_response(data)


class SubscriptionListView(_Listing):
    """The subscriptions the caller's partner sees: those it bills and, for an indirect
    reseller, those its provider bills for their shared customers."""

    @extend_schema(parameters=FILTERS, responses=SubscriptionSerializer(many=True))
    def get(self, request):
        require(request.user, Action.VIEW_ORDERS)
        return self.listing(request, acting_partner(request.user), **_filters(request))


class ReservationListView(_Listing):
    """Azure reservations: the subscriptions of kind ``azure_reservation``, with their scope."""

    reservations = True

    @extend_schema(parameters=FILTERS[:2], responses=SubscriptionSerializer(many=True))
    def get(self, request):
        require(request.user, Action.VIEW_ORDERS)
        filters = _filters(request)
        filters.pop("kind")
        return self.listing(request, acting_partner(request.user), **filters)


class CustomerSubscriptionsView(_Listing):
    """One customer's subscriptions (404 for another partner's customer)."""

    @extend_schema(parameters=CUSTOMER_FILTERS, responses=SubscriptionSerializer(many=True))
    def get(self, request, pk):
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, pk)
        require(request.user, Action.VIEW_ORDERS)
        filters = _filters(request)
        filters.pop("customer_id", None)
        return self.listing(request, partner, customer_id=row.customer.pk, **filters)


def _detail(request, partner, subscription_id) -> Response:
    subscription = selectors.subscription_for(partner, subscription_id)
    return Response(
        SubscriptionDetailSerializer(subscription, context={"request": request, "partner": partner}).data
    )


class SubscriptionDetailView(GenericAPIView):
    """One subscription with its terms; PATCH turns auto-renew on or off and suspends or
    reactivates it."""

    serializer_class = SubscriptionDetailSerializer

    @extend_schema(responses=SubscriptionDetailSerializer)
    def get(self, request, pk):
        require(request.user, Action.VIEW_ORDERS)
        return _detail(request, acting_partner(request.user), pk)

    @extend_schema(request=SubscriptionPatchSerializer, responses=SubscriptionDetailSerializer)
    def patch(self, request, pk):
        partner = acting_partner(request.user)
        subscription = selectors.subscription_for(partner, pk)
        require(request.user, Action.MANAGE_SUBSCRIPTIONS)  # the role before the body
        serializer = SubscriptionPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Both changes or neither: a refused second change undoes the first.
        with transaction.atomic():
            if (
                data.get("status") == SubscriptionStatus.SUSPENDED
                and subscription.status != SubscriptionStatus.SUSPENDED
            ):
                subscription = services.subscription_suspend(actor=request.user, subscription=subscription)
            elif (
                data.get("status") == SubscriptionStatus.ACTIVE
                and subscription.status != SubscriptionStatus.ACTIVE
            ):
                subscription = services.subscription_reactivate(actor=request.user, subscription=subscription)
            if "auto_renew" in data:
                services.subscription_set_auto_renew(
                    actor=request.user, subscription=subscription, auto_renew=data["auto_renew"]
                )
        return _detail(request, partner, pk)


class SubscriptionCancelView(GenericAPIView):
    """Cancel within the cancellation window, for a prorated credit (409 outside it, with the
    advice to turn off auto-renew)."""

    serializer_class = SubscriptionDetailSerializer

    @extend_schema(request=None, responses=SubscriptionDetailSerializer)
    def post(self, request, pk):
        partner = acting_partner(request.user)
        subscription = selectors.subscription_for(partner, pk)
        services.subscription_cancel(actor=request.user, subscription=subscription)
        return _detail(request, partner, pk)
