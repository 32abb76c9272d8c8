"""API: a customer's confirmations of the Microsoft Customer Agreement
(``/api/v1/customers/<id>/agreements/``). Thin: shape, call the selector or the service
(which holds every rule), shape. Another partner's customer is not found (404)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from partnercenter.core.query import EnumFilter, read_query

from .. import agreement_selectors, selectors
from ..customer_agreements import AgreementType
from ..permissions import acting_partner, require_roles
from ..services.customer_agreements import customer_agreement_confirm


class AgreementContactSerializer(serializers.Serializer):
    first_name = serializers.CharField(source="contact_first_name", max_length=100)
    last_name = serializers.CharField(source="contact_last_name", max_length=100)
    email = serializers.CharField(source="contact_email", max_length=254)
    phone_number = serializers.CharField(
        source="contact_phone", max_length=30, required=False, allow_blank=True, default=""
    )


class CustomerAgreementSerializer(serializers.Serializer):
    """One confirmation that the customer accepted the agreement."""

    id = serializers.UUIDField()
    template_id = serializers.UUIDField()
    agreement_type = serializers.ChoiceField(choices=AgreementType.choices)
    agreement_link = serializers.URLField(source="template.agreement_link")
    date_agreed = serializers.DateField(help_text="The day the customer accepted it.")
    contact = AgreementContactSerializer(source="*", help_text="The person at the customer who accepted.")
    recorded_at = serializers.DateTimeField()


class CustomerAgreementConfirmSerializer(serializers.Serializer):
    template_id = serializers.CharField(
        max_length=64, help_text="The current Microsoft Customer Agreement's template id."
    )
    date_agreed = serializers.DateField()
    contact = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=254),
        help_text="first_name, last_name, email and (optional) phone_number of the person who accepted.",
    )


class CustomerAgreementsQuery(serializers.Serializer):
    agreement_type = EnumFilter([*AgreementType.values, "*"], help_text="One type, or * for every type.")


class CustomerAgreementsView(GenericAPIView):
    """The customer's confirmations, newest first; a global admin or an admin agent of one of
    its partners confirms a new one (201; the very same confirmation again: 200, nothing new)."""

    serializer_class = CustomerAgreementSerializer

    @extend_schema(
        parameters=[CustomerAgreementsQuery],
        responses=CustomerAgreementSerializer(many=True),
    )
    def get(self, request, pk):
        query = read_query(request, CustomerAgreementsQuery)  # 400 naming an unknown type
        row = selectors.customer_for(acting_partner(request.user), pk)
        acceptances = agreement_selectors.customer_agreements(row, query["agreement_type"])
        page = self.paginate_queryset(acceptances)
        return self.get_paginated_response(CustomerAgreementSerializer(page, many=True).data)

    @extend_schema(
        request=CustomerAgreementConfirmSerializer,
        responses={201: CustomerAgreementSerializer, 200: CustomerAgreementSerializer},
    )
    def post(self, request, pk):
        row = selectors.customer_for(acting_partner(request.user), pk)
        require_roles(request.user)  # 403 before looking at the body, as the service would
        serializer = CustomerAgreementConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmed = customer_agreement_confirm(
            actor=request.user, customer=row.customer, **serializer.validated_data
        )
        return Response(
            CustomerAgreementSerializer(confirmed.acceptance).data,
            status=status.HTTP_201_CREATED if confirmed.created else status.HTTP_200_OK,
        )


urlpatterns = [
    path("customers/<uuid:pk>/agreements/", CustomerAgreementsView.as_view(), name="api-customer-agreements"),
]
