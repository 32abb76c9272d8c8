"""Billing's API: the customer tenant's users and their licenses (issue 10, "Licenses and
users"). For the partner that manages the customer's tenant (its reseller, or its
direct-bill partner); another partner's customer, and another customer's user, are 404.

Thin: shape the input, read through the selectors, write through the services (their
errors become 400, 403, 404 and 409 in one place). A temporary password is in the answer
that set it only (``Cache-Control: no-store``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput, NotFound
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import license_selectors as selectors
from ..permissions import Action, require, require_manages_tenant
from ..services import licenses as services

# --- Serializers (component names are global: named for customer users and licenses) ----------


class CustomerUserLicenseSerializer(serializers.Serializer):
    subscription_id = serializers.UUIDField()
    product = serializers.CharField(source="subscription.friendly_name")
    assigned_at = serializers.DateTimeField()


class CustomerUserSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    user_principal_name = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    display_name = serializers.CharField()
    usage_location = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    status = serializers.CharField()
    must_change_password = serializers.BooleanField(
        help_text="True until the user changed the temporary password at its first sign-in."
    )
    created_at = serializers.DateTimeField()
    licenses = CustomerUserLicenseSerializer(many=True, source="licenses.all")


class CustomerUserPasswordSerializer(CustomerUserSerializer):
    temporary_password = serializers.CharField(
        help_text="In this answer only: it is stored hashed and never shown again."
    )


class CustomerUserCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=300, allow_blank=True)
    last_name = serializers.CharField(max_length=300, allow_blank=True)
    username = serializers.CharField(
        max_length=300, allow_blank=True, help_text="The part of the user name before the @."
    )
    domain = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="A verified domain of the customer's tenant; its initial onmicrosoft.com domain if left out.",
    )
    usage_location = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="ISO 3166-1 alpha-2; the tenant's country if left out.",
    )


class LicenseAssignSerializer(serializers.Serializer):
    subscription_id = serializers.UUIDField(help_text="A license-based subscription of the customer.")


class CustomerLicensesSerializer(serializers.Serializer):
    subscription_id = serializers.UUIDField(source="pk")
    product = serializers.CharField(source="friendly_name")
    offer_id = serializers.CharField(source="offer.offer_id")
    status = serializers.CharField()
    bought = serializers.IntegerField(source="quantity")
    assigned = serializers.IntegerField()
    available = serializers.SerializerMethodField()

    def get_available(self, subscription) -> int:
        return max(subscription.quantity - subscription.assigned, 0)


def _row(request, pk, action=None):
    """The customer (404 if not the partner's) once the caller may read its tenant (or,
    with ``action``, act on it)."""
    row = relationship_selectors.customer_for(acting_partner(request.user), pk)
    if action is None:
        selectors.require_reads_tenant(request.user, row)
    else:
        require(request.user, action)
        require_manages_tenant(row.own_relationship)
    return row


def _with_password(created, code=status.HTTP_200_OK) -> Response:
    data = CustomerUserSerializer(created.user).data
    data["temporary_password"] = created.temporary_password
    response = Response(data, status=code)
    response["Cache-Control"] = "no-store"  # the password is in this answer only
    return response


class CustomerUsersView(GenericAPIView):
    """The users of a customer's tenant (not the deleted ones), with their licenses."""

    serializer_class = CustomerUserSerializer

    @extend_schema(responses=CustomerUserSerializer(many=True))
    def get(self, request, pk):
        row = _row(request, pk)
        page = self.paginate_queryset(selectors.customer_users(row))
        return self.get_paginated_response(CustomerUserSerializer(page, many=True).data)

    @extend_schema(request=CustomerUserCreateSerializer, responses={201: CustomerUserPasswordSerializer})
    def post(self, request, pk):
        row = _row(request, pk, Action.MANAGE_USERS)
        serializer = CustomerUserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.customer_user_create(
            actor=request.user, customer=row.customer, **serializer.validated_data
        )
        created.user.refresh_from_db()
        return _with_password(created, status.HTTP_201_CREATED)


class CustomerUserView(GenericAPIView):
    serializer_class = CustomerUserSerializer

    @extend_schema(responses=CustomerUserSerializer)
    def get(self, request, pk, user_id):
        row = _row(request, pk)
        return Response(CustomerUserSerializer(selectors.customer_user(row, user_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk, user_id):
        row = _row(request, pk, Action.MANAGE_USERS)
        services.customer_user_delete(actor=request.user, user=selectors.customer_user(row, user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerUserResetPasswordView(GenericAPIView):
    serializer_class = CustomerUserPasswordSerializer

    @extend_schema(request=None, responses=CustomerUserPasswordSerializer)
    def post(self, request, pk, user_id):
        row = _row(request, pk, Action.MANAGE_USERS)
        user = selectors.customer_user(row, user_id)
        return _with_password(services.customer_user_reset_password(actor=request.user, user=user))


class CustomerUserLicensesView(GenericAPIView):
    """One user's licenses; assign one from a license-based subscription of the customer."""

    serializer_class = CustomerUserLicenseSerializer

    @extend_schema(responses=CustomerUserLicenseSerializer(many=True))
    def get(self, request, pk, user_id):
        row = _row(request, pk)
        user = selectors.customer_user(row, user_id)
        page = self.paginate_queryset(
            user.licenses.select_related("subscription").order_by("assigned_at", "pk")
        )
        return self.get_paginated_response(CustomerUserLicenseSerializer(page, many=True).data)

    @extend_schema(request=LicenseAssignSerializer, responses={201: CustomerUserLicenseSerializer})
    def post(self, request, pk, user_id):
        row = _row(request, pk, Action.MANAGE_LICENSES)
        user = selectors.customer_user(row, user_id)
        serializer = LicenseAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = selectors.license_subscription(row, serializer.validated_data["subscription_id"])
        if subscription is None:
            raise InvalidInput.on("subscription_id", _("Choose one of this customer's subscriptions."))
        assignment = services.license_assign(actor=request.user, subscription=subscription, user=user)
        return Response(CustomerUserLicenseSerializer(assignment).data, status=status.HTTP_201_CREATED)


class CustomerUserLicenseView(GenericAPIView):
    serializer_class = CustomerUserLicenseSerializer

    @extend_schema(responses={204: None})
    def delete(self, request, pk, user_id, subscription_id):
        row = _row(request, pk, Action.MANAGE_LICENSES)
        user = selectors.customer_user(row, user_id)
        subscription = selectors.license_subscription(row, subscription_id)
        if subscription is None:
            raise NotFound()
        services.license_unassign(actor=request.user, subscription=subscription, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomerLicensesView(GenericAPIView):
    """Per live license-based subscription of the customer: bought, assigned, available."""

    serializer_class = CustomerLicensesSerializer

    @extend_schema(responses=CustomerLicensesSerializer(many=True))
    def get(self, request, pk):
        row = _row(request, pk)
        page = self.paginate_queryset(selectors.license_subscriptions(row).select_related("offer"))
        return self.get_paginated_response(CustomerLicensesSerializer(page, many=True).data)
