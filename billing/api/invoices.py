"""API of invoices (issue 10, "Invoices"): the partner's invoices and their line items, the
PDF and the reconciliation file (CSV), the credit position; the customer's invoices for its
global admin; staff record a payment.

Thin: read through ``billing.invoice_selectors`` (a role that may not see invoices is 403
with the table's reason; another partner's or customer's invoice is 404), write through
``billing.services.invoices``."""

from datetime import timedelta

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from enrollment.api.serializers import MoneySerializer
from partnercenter.core.errors import InvalidInput

from .. import invoice_selectors as selectors
from ..invoice_documents import invoice_pdf, reconciliation_csv, reconciliation_filename
from ..money import money
from ..periods import parse_period
from ..services import invoices as services


def _last_day(start, end):
    return end - timedelta(days=1) if end > start else end


class InvoiceLineItemSerializer(serializers.Serializer):
    line_number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["charge", "credit"], help_text="A credit's amount is negative.")
    subscription_id = serializers.UUIDField(allow_null=True)
    offer_id = serializers.CharField()
    description = serializers.CharField(help_text="The subscription's name.")
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    charge_start = serializers.DateField(help_text="The first day charged (or credited).")
    charge_end = serializers.SerializerMethodField(help_text="The last day charged (or credited), included.")

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, line) -> dict:
        return money(line.unit_price, self.context["currency"])

    @extend_schema_field(MoneySerializer)
    def get_amount(self, line) -> dict:
        return money(line.amount, self.context["currency"])

    @extend_schema_field(OpenApiTypes.DATE)
    def get_charge_end(self, line) -> str:
        return _last_day(line.charge_start, line.charge_end).isoformat()


class InvoiceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField(help_text="Per billing partner, without gaps.")
    partner_id = serializers.UUIDField(help_text="The partner that bills (and issued the invoice).")
    partner_name = serializers.CharField(source="partner.legal_name")
    customer_id = serializers.UUIDField()
    customer_name = serializers.CharField(source="customer.company_name")
    reseller_id = serializers.UUIDField(allow_null=True, help_text="For a reseller's customer: the reseller.")
    period = serializers.SerializerMethodField(help_text="The billed month, YYYY-MM.")
    period_start = serializers.DateField()
    period_end = serializers.SerializerMethodField(help_text="The last day of the period, included.")
    charges = serializers.SerializerMethodField()
    credits = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    issued_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)

    def get_period(self, invoice) -> str:
        return invoice.period_start.strftime("%Y-%m")

    @extend_schema_field(OpenApiTypes.DATE)
    def get_period_end(self, invoice) -> str:
        return _last_day(invoice.period_start, invoice.period_end).isoformat()

    @extend_schema_field(MoneySerializer)
    def get_charges(self, invoice) -> dict:
        return money(invoice.charges, invoice.currency)

    @extend_schema_field(MoneySerializer)
    def get_credits(self, invoice) -> dict:
        return money(invoice.credits, invoice.currency)

    @extend_schema_field(MoneySerializer)
    def get_total(self, invoice) -> dict:
        return money(invoice.total, invoice.currency)


class InvoiceDetailSerializer(InvoiceSerializer):
    line_items = serializers.SerializerMethodField()

    @extend_schema_field(InvoiceLineItemSerializer(many=True))
    def get_line_items(self, invoice) -> list:
        lines = selectors.invoice_lines(invoice)
        return InvoiceLineItemSerializer(lines, many=True, context={"currency": invoice.currency}).data


class CreditPositionSerializer(serializers.Serializer):
    currency = serializers.CharField()
    credit_line = MoneySerializer(
        allow_null=True, help_text="Null: no credit line (not a direct-bill partner)."
    )
    unpaid = MoneySerializer(help_text="Invoices not yet paid.")
    unbilled = MoneySerializer(
        help_text="Charges no invoice run has billed yet, less credits not yet invoiced."
    )
    used = MoneySerializer(help_text="Unpaid plus unbilled.")
    available = MoneySerializer(allow_null=True, help_text="The credit line less what is used.")


FILTERS = [
    OpenApiParameter("period", str, description="The billed month, YYYY-MM."),
    OpenApiParameter("customer", OpenApiTypes.UUID, description="One customer's invoices."),
]


def _filters(request) -> selectors.InvoiceFilter:
    errors, period, customer = {}, None, None
    if value := request.query_params.get("period", "").strip():
        period = parse_period(value)
        if period is None:
            errors["period"] = [_("Give the billing period as a year and month, for example 2026-02.")]
    if value := request.query_params.get("customer", "").strip():
        try:
            customer = serializers.UUIDField().to_internal_value(value)
        except serializers.ValidationError:
            errors["customer"] = [_("Give the customer's ID, as the customer list shows it.")]
    if errors:
        raise InvalidInput(errors)
    return selectors.InvoiceFilter(period_start=period, customer_id=customer)


class InvoiceListView(ListAPIView):
    """The partner's invoices, newest period first (a reseller: also what its provider billed
    its customers). Global admin and billing admin only (403 with the reason)."""

    serializer_class = InvoiceSerializer

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        partner = selectors.invoice_viewer(self.request.user)
        return selectors.partner_invoices(partner, _filters(self.request))


class InvoiceDetailView(APIView):
    @extend_schema(responses=InvoiceDetailSerializer)
    def get(self, request, pk):
        invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), pk)
        return Response(InvoiceDetailSerializer(invoice).data)


def _pdf_response(invoice) -> HttpResponse:
    response = HttpResponse(
        invoice_pdf(invoice, selectors.invoice_lines(invoice)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The printable invoice (application/pdf).")


class InvoicePdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): PDF})
    def get(self, request, pk):
        return _pdf_response(selectors.partner_invoice(selectors.invoice_viewer(request.user), pk))


class InvoiceReconciliationView(APIView):
    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="One row per line item: InvoiceNumber, CustomerId, CustomerName, SubscriptionId, "
                "OfferId, OfferName, ChargeStartDate, ChargeEndDate, Quantity, UnitPrice, Amount, Currency, "
                "ChargeType.",
            )
        }
    )
    def get(self, request, pk):
        invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), pk)
        response = HttpResponse(
            reconciliation_csv(invoice, selectors.invoice_lines(invoice)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{reconciliation_filename(invoice)}"'
        return response


class CreditPositionView(APIView):
    """Where the partner stands against its credit line: unpaid invoices plus what is not
    yet invoiced. Global admin and billing admin only."""

    @extend_schema(responses=CreditPositionSerializer)
    def get(self, request):
        position = selectors.partner_credit_position(selectors.invoice_viewer(request.user))
        currency = position.currency

        def optional(amount):
            return None if amount is None else money(amount, currency)

        return Response(
            {
                "currency": currency,
                "credit_line": optional(position.credit_line),
                "unpaid": money(position.unpaid, currency),
                "unbilled": money(position.unbilled, currency),
                "used": money(position.used, currency),
                "available": optional(position.available),
            }
        )


class CustomerInvoiceListView(ListAPIView):
    """The signed-in customer's invoices, for its global admin (403 otherwise); empty when
    the user's tenant is no customer's."""

    serializer_class = InvoiceSerializer

    @extend_schema(parameters=FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.customer_invoices(self.request.user, _filters(self.request))


class CustomerInvoiceDetailView(APIView):
    @extend_schema(responses=InvoiceDetailSerializer)
    def get(self, request, pk):
        return Response(InvoiceDetailSerializer(selectors.customer_invoice(request.user, pk)).data)


class CustomerInvoicePdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): PDF})
    def get(self, request, pk):
        return _pdf_response(selectors.customer_invoice(request.user, pk))


class ReviewInvoicePaymentView(APIView):
    """Program staff with the permission to change invoices record that one was paid; it no
    longer counts against the partner's credit line. 409 when it was recorded already."""

    @extend_schema(request=None, responses=InvoiceSerializer)
    def post(self, request, pk):
        invoice = services.invoice_record_payment(
            actor=request.user, invoice=selectors.staff_invoice(request.user, pk)
        )
        return Response(InvoiceSerializer(invoice).data)


urlpatterns = [
    path("invoices/", InvoiceListView.as_view(), name="api-invoices"),
    path("invoices/<uuid:pk>/", InvoiceDetailView.as_view(), name="api-invoice"),
    path("invoices/<uuid:pk>/pdf/", InvoicePdfView.as_view(), name="api-invoice-pdf"),
    path(
        "invoices/<uuid:pk>/reconciliation/",
        InvoiceReconciliationView.as_view(),
        name="api-invoice-reconciliation",
    ),
    path("billing/credit/", CreditPositionView.as_view(), name="api-billing-credit"),
    path("customer/invoices/", CustomerInvoiceListView.as_view(), name="api-customer-invoices"),
    path("customer/invoices/<uuid:pk>/", CustomerInvoiceDetailView.as_view(), name="api-customer-invoice"),
    path(
        "customer/invoices/<uuid:pk>/pdf/", CustomerInvoicePdfView.as_view(), name="api-customer-invoice-pdf"
    ),
    path(
        "review/invoices/<uuid:pk>/payment/",
        ReviewInvoicePaymentView.as_view(),
        name="api-review-invoice-payment",
    ),
]
