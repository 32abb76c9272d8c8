"""Pages of invoices: the partner's invoices (and, for a reseller, what was billed for its
customers), one invoice with its line items, its PDF and reconciliation file; *Billing*
(the credit line, what stands against it, the credits); the customer's side for its
global admin.

Thin: ``billing.invoice_selectors`` read (a role that may not see invoices is 403 with the
table's reason, another partner's or customer's invoice 404), the documents are made by
``billing.invoice_documents``; domain errors take the one page mapping."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import invoice_selectors as selectors
from ..forms import InvoiceFilterForm
from ..invoice_documents import invoice_context, invoice_pdf, reconciliation_csv, reconciliation_filename
from ..money import money

PAGE_SIZE = 50
CREDITS_SHOWN = 50


def _list(request, invoices_of, template: str, extra: dict):
    form = InvoiceFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else None
    page = Paginator(invoices_of(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {"form": form, "page": page, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def invoices(request):
    """*Invoices*: the partner's invoices, newest period first, by period and customer."""
    partner = selectors.invoice_viewer(request.user)
    return _list(
        request,
        lambda filters: selectors.partner_invoices(partner, filters),
        "billing/invoices/list.html",
        {"partner": partner},
    )


def _detail(request, invoice, **extra):
    lines = list(selectors.invoice_lines(invoice))
    return render(request, "billing/invoices/detail.html", {**invoice_context(invoice, lines), **extra})


def _pdf(invoice) -> HttpResponse:
    response = HttpResponse(
        invoice_pdf(invoice, selectors.invoice_lines(invoice)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@login_required
@require_GET
def invoice_detail(request, invoice_id):
    partner = selectors.invoice_viewer(request.user)
    invoice = selectors.partner_invoice(partner, invoice_id)
    return _detail(request, invoice, billed_by_us=invoice.partner_id == partner.pk, side="partner")


@login_required
@require_GET
def invoice_pdf_view(request, invoice_id):
    invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), invoice_id)
    return _pdf(invoice)


@login_required
@require_GET
def invoice_reconciliation(request, invoice_id):
    invoice = selectors.partner_invoice(selectors.invoice_viewer(request.user), invoice_id)
    response = HttpResponse(
        reconciliation_csv(invoice, selectors.invoice_lines(invoice)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{reconciliation_filename(invoice)}"'
    return response


@login_required
@require_GET
def billing_overview(request):
    """*Billing*: the credit line, what is used of it (unpaid invoices and what no invoice
    run has billed yet) and what is available; the credits given to customers."""
    partner = selectors.invoice_viewer(request.user)
    position = selectors.partner_credit_position(partner)
    credits = Paginator(selectors.partner_credits(partner), CREDITS_SHOWN).get_page(request.GET.get("page"))
    currency = position.currency
    return render(
        request,
        "billing/invoices/billing.html",
        {
            "partner": partner,
            "position": position,
            "credit_line": money(position.credit_line, currency)
            if position.credit_line is not None
            else None,
            "unpaid": money(position.unpaid, currency),
            "unbilled": money(position.unbilled, currency),
            "used": money(position.used, currency),
            "available": money(position.available, currency) if position.available is not None else None,
            "page": credits,
        },
    )


# --- The customer's side ------------------------------------------------------------------------


@login_required
@require_GET
def customer_invoices(request):
    """*Invoices* for the customer's global admin: what its partners billed it."""
    return _list(
        request,
        lambda filters: selectors.customer_invoices(request.user, filters),
        "billing/invoices/customer_list.html",
        {},
    )


@login_required
@require_GET
def customer_invoice_detail(request, invoice_id):
    return _detail(request, selectors.customer_invoice(request.user, invoice_id), side="customer")


@login_required
@require_GET
def customer_invoice_pdf(request, invoice_id):
    return _pdf(selectors.customer_invoice(request.user, invoice_id))


urlpatterns = [
    path("invoices/", invoices, name="invoices"),
    path("invoices/<uuid:invoice_id>/", invoice_detail, name="invoice-detail"),
    path("invoices/<uuid:invoice_id>/pdf/", invoice_pdf_view, name="invoice-pdf"),
    path(
        "invoices/<uuid:invoice_id>/reconciliation.csv", invoice_reconciliation, name="invoice-reconciliation"
    ),
    path("billing/", billing_overview, name="billing"),
    path("customer/invoices/", customer_invoices, name="customer-invoices"),
    path("customer/invoices/<uuid:invoice_id>/", customer_invoice_detail, name="customer-invoice-detail"),
    path("customer/invoices/<uuid:invoice_id>/pdf/", customer_invoice_pdf, name="customer-invoice-pdf"),
]
