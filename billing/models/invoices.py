"""Invoices: one per billing partner, customer and period (a calendar month), made by the
monthly invoice run; numbered per partner without gaps (``InvoiceSequence``, locked while
a number is taken). Credits (a prorated cancellation) wait for the next invoice."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import MONEY_DIGITS, MONEY_PLACES


class InvoiceSequence(models.Model):
    """The last invoice number a billing partner used: the run locks this row to take the
    next one, so the numbers run without gaps or repeats under concurrent runs."""

    partner = models.OneToOneField(
        "enrollment.Partner", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")

    def __str__(self):
        return f"{self.partner_id}: {self.last_number}"


class InvoiceQuerySet(models.QuerySet):
    def unpaid(self):
        return self.filter(paid_at__isnull=True)


class Invoice(models.Model):
    """What ``partner`` bills ``customer`` for ``period_start`` (the first day of a month)
    to ``period_end`` (exclusive): its line items, in the partner's currency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey("enrollment.Partner", on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey("relationships.Customer", on_delete=models.PROTECT, related_name="invoices")
    # For a reseller's customer: the reseller, who sees what was billed.
    reseller = models.ForeignKey(
        "enrollment.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reseller_invoices",
    )
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("invoice number"), max_length=40)
    period_start = models.DateField(_("billing period start"))
    period_end = models.DateField(_("billing period end"))
    currency = models.CharField(_("currency"), max_length=3)
    charges = models.DecimalField(
        _("charges"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    credits = models.DecimalField(
        _("credits"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    total = models.DecimalField(
        _("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-period_start", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "customer", "period_start"], name="one_invoice_per_partner_customer_period"
            ),
            models.UniqueConstraint(fields=["partner", "sequence"], name="invoice_numbers_run_per_partner"),
        ]
        indexes = [
            models.Index(fields=["partner", "-period_start", "-sequence"]),
            models.Index(fields=["customer", "-period_start"]),
            models.Index(fields=["reseller", "-period_start"]),
        ]

    def __str__(self):
        return self.number


class InvoiceLineKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    CREDIT = "credit", _("Credit")


class InvoiceLine(models.Model):
    """A line item: a subscription's charge for (part of) the period, or a credit."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=InvoiceLineKind.choices)
    subscription = models.ForeignKey(
        "billing.Subscription", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offer_id = models.CharField(_("offer ID"), max_length=60)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    charge_start = models.DateField(_("charge start"))
    charge_end = models.DateField(_("charge end"))
    # Signed: a credit is negative.
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

    class Meta:
        verbose_name = _("invoice line item")
        verbose_name_plural = _("invoice line items")
        ordering = ["invoice", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_number"], name="one_line_number_per_invoice")
        ]

    def __str__(self):
        return f"{self.invoice_id} #{self.line_number}"


class CreditQuerySet(models.QuerySet):
    def unbilled(self):
        return self.filter(invoice__isnull=True)


class Credit(models.Model):
    """Money owed back to the customer (``amount`` positive): a subscription cancelled
    within the cancellation window gives the prorated rest of what it was charged. The
    next invoice of its partner and customer takes it (``invoice``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey("enrollment.Partner", on_delete=models.PROTECT, related_name="credits")
    customer = models.ForeignKey("relationships.Customer", on_delete=models.PROTECT, related_name="credits")
    subscription = models.ForeignKey("billing.Subscription", on_delete=models.PROTECT, related_name="credits")
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3)
    reason = models.CharField(_("reason"), max_length=40)
    # The days the credit gives back: [credit_start, credit_end).
    credit_start = models.DateField()
    credit_end = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.SET_NULL, related_name="applied_credits"
    )

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(
                fields=["partner", "customer"], condition=Q(invoice__isnull=True), name="credit_unbilled"
            )
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_positive")]

    def __str__(self):
        return f"{self.amount} {self.currency} for {self.subscription_id}"


class InvoiceRun(models.Model):
    """The invoice run of one period: ``completed_at`` is set when every partner of the
    period was billed, so the daily beat task knows the month is done (and runs it again,
    idempotently, on a later day if it is not: a missed or failed day is caught up)."""

    period_start = models.DateField(primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    invoices_issued = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice run")
        verbose_name_plural = _("invoice runs")
        ordering = ["-period_start"]

    def __str__(self):
        return self.period_start.isoformat()
