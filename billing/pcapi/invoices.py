"""Partner Center's invoices: ``GET /v1/invoices`` ("Get a collection of invoices"),
``GET /v1/invoices/{id}`` and its line items, ``GET /v1/invoices/{id}/lineitems/{provider}/
{invoiceLineItemType}`` (or ``/lineitems?provider=&invoiceLineItemType=``).

Read through ``billing.invoice_selectors``, the rule of the invoice pages and ``/api/v1/``:
the global admin and the billing admin (``Action.VIEW_INVOICES``; others 403 with the
table's reason) see what their partner billed and, for a reseller, what was billed for its
customers; another partner's invoice is 404 (code 3000).

An invoice's line items are of two billing providers, as Partner Center splits them:
``OneTime`` (perpetual software, bought once) and ``Office`` (every subscription billed by
term: licenses, Azure plans and reservations); both of ``BillingLineItems``. The names are
read in any case, with or without underscores (``one_time``, ``billing_line_items``)."""

from babel.numbers import get_currency_symbol
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.core.l10n import babel_locale
from partnercenter.pcapi import paging, shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError
from partnercenter.pcapi.views import PartnerCenterView

from .. import invoice_selectors as selectors
from ..models import Invoice, InvoiceLineKind, ProductKind
from . import mapping

OFFICE, ONE_TIME = "office", "one_time"
PROVIDERS = {"office": OFFICE, "onetime": ONE_TIME}  # the caller's name, lowered, no "_"
# Partner Center's names in its URLs (its invoiceDetails' links) and in its JSON.
PROVIDER_PATHS = {OFFICE: "Office", ONE_TIME: "OneTime"}
LINE_ITEM_TYPES = {"billinglineitems": "billing_line_items"}
LINES_DEFAULT, LINES_MAX = 200, 1000


def _currency_symbol(currency: str) -> str:
    return get_currency_symbol(currency, locale=babel_locale())


def invoice_resource(invoice: Invoice, pdf_link: str | None = None) -> dict:
    base = f"/invoices/{invoice.pk}"
    details = [
        shapes.resource(
            "InvoiceDetail",
            {"invoiceLineItemType": "billing_line_items", "billingProvider": provider},
            f"{base}/lineitems/{PROVIDER_PATHS[provider]}/BillingLineItems",
        )
        for provider in (OFFICE, ONE_TIME)
    ]
    data = {
        "id": str(invoice.pk),
        "invoiceNumber": invoice.number,
        "invoiceDate": mapping.instant(invoice.issued_at),
        "billingPeriodStartDate": mapping.day_time(invoice.period_start),
        "billingPeriodEndDate": mapping.day_time(mapping.last_day(invoice.period_end)),
        "totalCharges": invoice.total,
        # Partner Center: "The amount paid by the partner. Negative if a payment was received."
        "paidAmount": -invoice.total if invoice.paid_at else 0,
        "currencyCode": invoice.currency,
        "currencySymbol": _currency_symbol(invoice.currency),
        "pdfDownloadLink": pdf_link,
        "invoiceDetails": details,
        "documentType": "invoice",
    }
    return shapes.resource("Invoice", data, base)


class InvoicesView(PartnerCenterView):
    def get(self, request):
        partner = selectors.invoice_viewer(request.user)
        rows, next_link, token = paging.seek(
            request,
            selectors.partner_invoices(partner),
            ordering=("-period_start", "partner_id", "-sequence", "id"),
            path="/invoices",
        )
        items = [invoice_resource(invoice) for invoice in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))


class InvoiceView(PartnerCenterView):
    def get(self, request, invoice_id):
        """One invoice, with the link to its PDF (Partner Center gives it on this read only)."""
        invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), invoice_id)
        pdf = request.build_absolute_uri(reverse("api-invoice-pdf", args=[invoice.pk]))
        return Response(invoice_resource(invoice, pdf_link=pdf))


def _name(value: str, known: dict, field: str, names: list[str]) -> str:
    """The caller's ``value`` read in any case, with or without underscores (400 naming
    ``field`` and the ``names`` it may be otherwise)."""
    found = known.get((value or "").strip().lower().replace("_", ""))
    if found is None:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("%(field)s must be one of: %(names)s.") % {"field": field, "names": ", ".join(names)},
            [{"field": field, "description": (value or "")[:100]}],
        )
    return found


def _line_common(line, invoice: Invoice, provider: str) -> dict:
    subscription = line.subscription
    return {
        "partnerId": str(invoice.partner.tenant_id),
        "customerId": str(invoice.customer_id),
        "customerName": invoice.customer.company_name,
        "orderId": str(subscription.order_line.order_id)
        if subscription and subscription.order_line_id
        else None,
        "subscriptionId": str(subscription.pk) if subscription else None,
        "chargeStartDate": mapping.day_time(line.charge_start),
        "chargeEndDate": mapping.day_time(mapping.last_day(line.charge_end)),
        "unitPrice": line.unit_price,
        "quantity": line.quantity,
        "subtotal": line.amount,
        "totalForCustomer": line.amount,
        "currency": invoice.currency,
        "invoiceLineItemType": "billing_line_items",
        "billingProvider": provider,
    }


def _office_line(line, invoice: Invoice) -> dict:
    subscription = line.subscription
    data = _line_common(line, invoice, OFFICE) | {
        "invoiceNumber": invoice.number,
        "mpnId": invoice.partner.mpn_id,
        "tier2MpnId": invoice.reseller.mpn_id if invoice.reseller_id else "",
        "offerId": line.offer_id,
        "offerName": line.description,
        "domainName": invoice.customer.tenant.domain,
        "billingCycleType": mapping.billing_cycle(subscription.billing) if subscription else "unknown",
        "subscriptionName": subscription.friendly_name if subscription else line.description,
        "subscriptionStartDate": mapping.day_time(subscription.start_date) if subscription else None,
        "chargeType": "Cycle fee" if line.kind == InvoiceLineKind.CHARGE else "Prorate fees when cancel",
        "amount": line.amount,
        "tax": 0,
    }
    return shapes.resource("LicenseBasedLineItem", data)


def _one_time_line(line, invoice: Invoice) -> dict:
    product_id, _sep, sku_id = line.offer_id.partition(":")
    data = _line_common(line, invoice, ONE_TIME) | {
        "invoiceNumber": invoice.number,
        "customerDomainName": invoice.customer.tenant.domain,
        "productId": product_id,
        "skuId": sku_id,
        "productName": line.description,
        "skuName": line.description,
        "chargeType": "new" if line.kind == InvoiceLineKind.CHARGE else "refund",
        "taxTotal": 0,
        "billingFrequency": "one_time",
    }
    return shapes.resource("OneTimeInvoiceLineItem", data)


class InvoiceLineItemsView(PartnerCenterView):
    """Partner Center's "Get invoice line items" of one billing provider (seek paging,
    ``size`` up to ``LINES_MAX``)."""

    def get(self, request, invoice_id, provider=None, invoicelineitemtype=None):
        invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), invoice_id)
        if provider is None:  # /lineitems?provider=OneTime&invoiceLineItemType=BillingLineItems
            provider = request.query_params.get("provider", "")
            invoicelineitemtype = request.query_params.get(
                "invoiceLineItemType", request.query_params.get("invoicelineitemtype", "")
            )
        provider = _name(provider, PROVIDERS, "provider", list(PROVIDER_PATHS.values()))
        _name(invoicelineitemtype, LINE_ITEM_TYPES, "invoiceLineItemType", ["BillingLineItems"])
        lines = selectors.invoice_lines(invoice).select_related("subscription__order_line")
        if provider == ONE_TIME:
            lines, shape = lines.filter(subscription__kind=ProductKind.SOFTWARE), _one_time_line
        else:
            lines, shape = lines.exclude(subscription__kind=ProductKind.SOFTWARE), _office_line
        rows, next_link, token = paging.seek(
            request,
            lines,
            ordering=("line_number", "id"),
            path=f"/invoices/{invoice.pk}/lineitems/{PROVIDER_PATHS[provider]}/BillingLineItems",
            default=LINES_DEFAULT,
            maximum=LINES_MAX,
        )
        items = [shape(line, invoice) for line in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))
