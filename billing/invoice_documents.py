"""An invoice as files: the printable PDF (WeasyPrint, in the reader's language, money
written with ``format_money``) and the reconciliation file (CSV, one row per line item,
with Partner Center's column names; amounts as plain decimal strings)."""

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import get_language

from partnercenter.core.l10n import format_money

from .models import BillingFrequency, Invoice, InvoiceLineKind
from .money import money
from .periods import month_label

STYLESHEET = Path(__file__).with_name("invoice_pdf.css")

RECONCILIATION_COLUMNS = (
    "InvoiceNumber",
    "CustomerId",
    "CustomerName",
    "SubscriptionId",
    "OfferId",
    "OfferName",
    "ChargeStartDate",
    "ChargeEndDate",
    "Quantity",
    "UnitPrice",
    "Amount",
    "Currency",
    "ChargeType",
)

# Partner Center's charge types: a recurring period's fee, a one-time purchase, a credit.
CHARGE_TYPES = {BillingFrequency.MONTHLY: "cycleCharge", BillingFrequency.ANNUAL: "cycleCharge"}


def charge_type(line) -> str:
    if line.kind == InvoiceLineKind.CREDIT:
        return "customerCredit"
    billing = line.subscription.billing if line.subscription else BillingFrequency.MONTHLY
    return CHARGE_TYPES.get(billing, "purchase")


def invoice_context(invoice: Invoice, lines) -> dict:
    """What the pages and the PDF show: the invoice, its lines and totals written for the reader."""
    currency = invoice.currency
    return {
        "invoice": invoice,
        "month": month_label(invoice.period_start),
        "last_day": invoice.period_end - timedelta(days=1),
        "lines": [
            {
                "line": line,
                "last_day": line.charge_end - timedelta(days=1)
                if line.charge_end > line.charge_start
                else None,
                "unit_price": format_money(line.unit_price, currency),
                "amount": format_money(line.amount, currency),
            }
            for line in lines
        ],
        "charges": format_money(invoice.charges, currency),
        "credits": format_money(-invoice.credits, currency),
        "total": format_money(invoice.total, currency),
    }


def invoice_pdf(invoice: Invoice, lines) -> bytes:
    """The printable invoice. Its fonts include Noto CJK, so Chinese names and the Chinese
    pages render; the invoice number is the file's identifier too."""
    from weasyprint import CSS, HTML  # heavy: loaded when a PDF is asked for

    html = render_to_string(
        "billing/invoices/pdf.html", {**invoice_context(invoice, lines), "language": get_language()}
    )
    return HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_identifier=f"{invoice.number} {invoice.pk}".encode()
    )


def reconciliation_csv(invoice: Invoice, lines) -> str:
    """One row per line item. ``ChargeEndDate`` is the last day charged (as Partner Center
    writes it); amounts are plain decimal strings with the currency's places."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RECONCILIATION_COLUMNS)
    for line in lines:
        subscription = line.subscription
        last_day = (
            line.charge_end - timedelta(days=1) if line.charge_end > line.charge_start else line.charge_end
        )
        writer.writerow(
            [
                invoice.number,
                str(invoice.customer.tenant_id),
                invoice.customer.company_name,
                str(subscription.pk) if subscription else "",
                line.offer_id,
                subscription.offer.name if subscription else line.description,
                line.charge_start.isoformat(),
                last_day.isoformat(),
                line.quantity,
                money(line.unit_price, invoice.currency)["amount"],
                money(line.amount, invoice.currency)["amount"],
                invoice.currency,
                charge_type(line),
            ]
        )
    return out.getvalue()


def reconciliation_filename(invoice: Invoice) -> str:
    return f"{invoice.number}-reconciliation.csv"
