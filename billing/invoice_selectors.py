"""Reads of invoices, scoped to the caller (HOUSE_STYLE 6): another partner's or another
customer's invoice is simply not found (404).

- The **billing partner** (``Invoice.partner``) sees its invoices; the **reseller** sees
  what was billed for its customers (``Invoice.reseller``), read-only. Both only for users
  whose role may see invoices (``Action.VIEW_INVOICES``: the global admin and the billing
  admin; other roles get 403 with the table's reason).
- The **customer's global admin** sees its own organization's invoices.
- Program staff read any invoice to record its payment."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Partner
from partnercenter.core.errors import NotFound, NotPermitted
from relationships.permissions import acting_partner, is_customer_admin
from relationships.selectors import customer_of_user

from .credit import CreditPosition, credit_position
from .models import Credit, Invoice, InvoiceLine
from .permissions import Action, require, require_may_record_payment


@dataclass(frozen=True)
class InvoiceFilter:
    period_start: date | None = None
    customer_id: object = None


def _with_parties(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices.select_related("partner", "customer__tenant", "reseller").order_by(
        "-period_start", "partner_id", "-sequence"
    )


def _filtered(invoices: QuerySet[Invoice], filters: InvoiceFilter | None) -> QuerySet[Invoice]:
    if filters is None:
        return invoices
    if filters.period_start is not None:
        invoices = invoices.filter(period_start=filters.period_start)
    if filters.customer_id is not None:
        invoices = invoices.filter(customer_id=filters.customer_id)
    return invoices


def invoice_viewer(user) -> Partner:
    """The partner whose invoices ``user`` reads: 403 for a role that may not see invoices
    (the table's reason) or a partner that is not active."""
    require(user, Action.VIEW_INVOICES)
    return acting_partner(user)


def partner_invoices(partner: Partner, filters: InvoiceFilter | None = None) -> QuerySet[Invoice]:
    """What the partner billed, and (as a reseller) what was billed for its customers."""
    return _with_parties(_filtered(Invoice.objects.filter(Q(partner=partner) | Q(reseller=partner)), filters))


def partner_invoice(partner: Partner, invoice_id) -> Invoice:
    return get_object_or_404(partner_invoices(partner), pk=invoice_id)


def customer_invoices(user, filters: InvoiceFilter | None = None) -> QuerySet[Invoice]:
    """The invoices of the user's own organization, for its global admin (403 otherwise);
    none when its tenant is no customer's."""
    if not is_customer_admin(user):
        raise NotPermitted(
            _("Only your organization's global admin can see its invoices. Ask your global admin.")
        )
    customer = customer_of_user(user)
    if customer is None:
        return Invoice.objects.none()
    return _with_parties(_filtered(Invoice.objects.filter(customer=customer), filters))


def customer_invoice(user, invoice_id) -> Invoice:
    invoice = customer_invoices(user).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def staff_invoice(user, invoice_id) -> Invoice:
    """Any invoice, for program staff who record payments (403 for anyone else)."""
    require_may_record_payment(user)
    return get_object_or_404(Invoice.objects.select_related("partner", "customer"), pk=invoice_id)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """An invoice's line items in order, with what the reconciliation file names (one query)."""
    return invoice.lines.select_related("subscription__offer").order_by("line_number")


def partner_credits(partner: Partner) -> QuerySet[Credit]:
    """The credits the partner gave its customers, newest first, with the invoice that took each."""
    return (
        Credit.objects.filter(partner=partner)
        .select_related("customer", "subscription", "invoice")
        .order_by("-created_at", "pk")
    )


def partner_credit_position(partner: Partner, today: date | None = None) -> CreditPosition:
    return credit_position(partner, today or timezone.localdate())
