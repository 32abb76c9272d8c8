"""Writes for invoices: the monthly invoice run and recording that an invoice was paid.

The run makes **one invoice per billing partner, customer and period** (a calendar month):
the charges of the period of the customer's subscriptions that the partner bills
(``billing.charges``, the one home of proration), and the partner and customer's credits
not yet on an invoice as negative lines. Invoice numbers run per partner without gaps.

Running it twice, or two workers at once, makes one invoice: each invoice is made in its
own transaction under the lock of the partner's ``InvoiceSequence`` row, which re-checks
that the invoice does not exist yet and takes the next number in the same transaction (a
failure rolls both back: no half invoice, no gap).

Domain errors raised: ``InvalidInput`` (400: a period that is not a month that has ended),
``NotPermitted`` (403: recording a payment without the staff permission) and
``InvalidTransition`` (409: an invoice recorded as paid already).
"""

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import Partner
from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition
from partnercenter.notifications.services import notification_queue
from relationships.models import Customer
from relationships.services.common import page_url

from .. import events
from ..charges import Charge, month_start, next_month, subscription_charges
from ..models import (
    Credit,
    Invoice,
    InvoiceLine,
    InvoiceLineKind,
    InvoiceRun,
    InvoiceSequence,
    Subscription,
    SubscriptionTerm,
)
from ..periods import month_label, period_code
from ..permissions import Action, may, require_may_record_payment

logger = logging.getLogger(__name__)

INVOICE_NUMBER = "G{:09d}"  # Partner Center's shape: G000000001, per partner


def _period_errors(period_start) -> date:
    if not isinstance(period_start, date) or isinstance(period_start, datetime) or period_start.day != 1:
        raise InvalidInput.on("period_start", _("Give the first day of the month to invoice."))
    if next_month(period_start) > timezone.localdate():
        raise InvalidInput.on(
            "period_start", _("A month is invoiced once it has ended. Choose an earlier month.")
        )
    return period_start


def _subscriptions_of_period(start: date, end: date):
    """The subscriptions with a term that touches ``[start, end)`` (cancelled and expired
    ones too: their last days are billed in arrears)."""
    overlapping = SubscriptionTerm.objects.filter(start_date__lt=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start)
    )
    return Subscription.objects.filter(pk__in=overlapping.values("subscription_id"))


def invoice_run(*, period_start: date) -> list[Invoice]:
    """Bill the calendar month ``[period_start, next month)``: one invoice per billing partner
    (``Subscription.partner``), customer and period, partner by partner in primary-key order.
    Returns the invoices this call issued (none when the period was billed already).

    A partner that fails is logged and left for the next run (its other invoices stand);
    the period is recorded as done (``InvoiceRun.completed_at``) only when none failed."""
    start = _period_errors(period_start)
    end = next_month(start)
    run_at = timezone.now()  # credits created before the run are taken
    run, _created = InvoiceRun.objects.get_or_create(period_start=start)
    charged = set(_subscriptions_of_period(start, end).values_list("partner_id", flat=True))
    credited = set(
        Credit.objects.unbilled().filter(created_at__lt=run_at).values_list("partner_id", flat=True)
    )
    issued: list[Invoice] = []
    failures = 0
    for partner in Partner.objects.filter(pk__in=charged | credited).select_related("tenant").order_by("pk"):
        try:
            issued += _run_for_partner(partner, start, end, run_at)
        except Exception:  # one partner's failure must not stop the others; the next run retries it
            failures += 1
            logger.exception("The invoice run of %s failed for partner %s", period_code(start), partner.pk)
    InvoiceRun.objects.filter(pk=run.pk).update(
        invoices_issued=run.invoices_issued + len(issued),
        failures=failures,
        completed_at=None if failures else timezone.now(),
    )
    return issued


def _run_for_partner(partner: Partner, start: date, end: date, run_at) -> list[Invoice]:
    charges: dict = defaultdict(list)
    for subscription in (
        _subscriptions_of_period(start, end)
        .filter(partner=partner)
        .select_related("offer")
        .prefetch_related("terms")
        .order_by("pk")
    ):
        charges[subscription.customer_id] += subscription_charges(subscription, start, end)
    credited = Credit.objects.unbilled().filter(partner=partner, created_at__lt=run_at)
    customer_ids = {cid for cid, found in charges.items() if found} | set(
        credited.values_list("customer_id", flat=True)
    )
    customers = Customer.objects.in_bulk(customer_ids)
    # The row every invoice of the partner locks; made once, outside the invoices' transactions.
    InvoiceSequence.objects.get_or_create(partner=partner)
    issued = []
    for customer_id in sorted(customer_ids):  # primary-key order, as the database sorts UUIDs
        invoice = _issue(partner, customers[customer_id], charges.get(customer_id, []), start, end, run_at)
        if invoice is not None:
            issued.append(invoice)
    if Invoice.objects.filter(partner=partner, period_start=start).exists():
        _announce(partner, start)
    return issued


@transaction.atomic
def _issue(partner, customer, charges: list[Charge], start: date, end: date, run_at) -> Invoice | None:
    """One invoice, in one transaction: lock the partner's number sequence (two runs at once
    serialize here), re-check that the invoice does not exist, take the next number."""
    sequence = InvoiceSequence.objects.select_for_update().get(partner=partner)
    if Invoice.objects.filter(partner=partner, customer=customer, period_start=start).exists():
        return None
    credits = list(
        Credit.objects.unbilled()
        .filter(partner=partner, customer=customer, created_at__lt=run_at)
        .select_related("subscription__offer")
        .select_for_update(of=("self",))
        .order_by("created_at", "pk")
    )
    if not charges and not credits:
        return None
    currency = partner.market.currency
    number = sequence.last_number + 1
    charged = sum((c.amount for c in charges), Decimal("0"))
    credited = sum((c.amount for c in credits), Decimal("0"))
    reseller_id = next(
        (
            s.reseller_id
            for s in [c.subscription for c in charges] + [c.subscription for c in credits]
            if s.reseller_id
        ),
        None,
    )
    invoice = Invoice.objects.create(
        partner=partner,
        customer=customer,
        reseller_id=reseller_id,
        sequence=number,
        number=INVOICE_NUMBER.format(number),
        period_start=start,
        period_end=end,
        currency=currency,
        charges=charged,
        credits=credited,
        total=charged - credited,
    )
    lines = [
        InvoiceLine(
            invoice=invoice,
            kind=InvoiceLineKind.CHARGE,
            subscription=c.subscription,
            offer_id=c.subscription.offer.offer_id,
            description=c.subscription.friendly_name[:300],
            quantity=c.quantity,
            unit_price=c.unit_price,
            charge_start=c.start,
            charge_end=c.end,
            amount=c.amount,
        )
        for c in sorted(
            charges, key=lambda c: (c.subscription.friendly_name, c.start, str(c.subscription.pk))
        )
    ] + [
        InvoiceLine(
            invoice=invoice,
            kind=InvoiceLineKind.CREDIT,
            subscription=credit.subscription,
            offer_id=credit.subscription.offer.offer_id,
            description=credit.subscription.friendly_name[:300],
            quantity=1,
            unit_price=-credit.amount,
            charge_start=credit.credit_start,
            charge_end=credit.credit_end,
            amount=-credit.amount,
        )
        for credit in credits
    ]
    for line_number, line in enumerate(lines, start=1):
        line.line_number = line_number
    InvoiceLine.objects.bulk_create(lines)
    if credits:
        Credit.objects.filter(pk__in=[c.pk for c in credits]).update(invoice=invoice)
    sequence.last_number = number
    sequence.save(update_fields=["last_number"])
    record_event(
        invoice,
        events.INVOICE_ISSUED,
        tenant=partner.tenant_id,
        to_state="issued",
        number=invoice.number,
        customer=customer.company_name,
        customer_id=str(customer.pk),
        period=period_code(start),
        total=str(invoice.total),
        currency=currency,
        lines=len(lines),
    )
    return invoice


def _recipients(partner: Partner) -> list:
    """The partner's users who see invoices (the role table: its global admin and billing admins)."""
    users = partner.tenant.users.filter(is_active=True).order_by("email")
    return [user for user in users if may(user, Action.VIEW_INVOICES)]


def _announce(partner: Partner, start: date) -> None:
    """ "Your invoices for <month> are ready": once per partner, period and recipient (the key)."""
    month = month_label(start, partner.language)
    for user in _recipients(partner):
        notification_queue(
            template="invoices_ready",
            recipient=user.email,
            language=partner.language,
            context={
                "first_name": user.first_name,
                "legal_name": partner.legal_name,
                "month": month,
                "invoices_url": page_url(f"/invoices/?period={period_code(start)}"),
            },
            key=f"invoices-ready:{partner.pk}:{period_code(start)}:{user.pk}",
        )


def invoice_run_due(today: date) -> date | None:
    """The period the beat task bills on ``today``: the month before, from the invoice run
    day (``INVOICE_RUN_DAY``) on, until its run is done; None when nothing is due."""
    if today.day < settings.INVOICE_RUN_DAY:
        return None
    previous = month_start(month_start(today) - timedelta(days=1))
    if InvoiceRun.objects.filter(period_start=previous, completed_at__isnull=False).exists():
        return None
    return previous


def invoice_record_payment(*, actor, invoice: Invoice) -> Invoice:
    """Program staff (``billing.permissions.may_record_payment``) record that ``invoice`` was
    paid: it no longer counts against the partner's credit line (``billing.credit``).
    ``InvalidTransition`` (409) when it was recorded as paid already."""
    require_may_record_payment(actor)
    with transaction.atomic():
        # Two staff members at once: the lock lets one record it, the other finds it paid.
        locked = Invoice.objects.select_for_update().select_related("partner").get(pk=invoice.pk)
        if locked.paid_at is not None:
            raise InvalidTransition("paid", _("This invoice was recorded as paid already."), label=_("Paid"))
        locked.paid_at = timezone.now()
        locked.paid_recorded_by = actor
        locked.save(update_fields=["paid_at", "paid_recorded_by"])
        record_event(
            locked,
            events.INVOICE_PAID,
            actor=actor,
            tenant=locked.partner.tenant_id,
            from_state="unpaid",
            to_state="paid",
            number=locked.number,
            total=str(locked.total),
            currency=locked.currency,
        )
    return locked
