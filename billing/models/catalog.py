"""The price list: products, their offers and an offer's prices per market, currency, term
and billing frequency, each from a date (Partner Center's price list is monthly: an order,
or a renewal, takes the price of its day).

Loaded with ``manage.py import_price_list FILE.csv``; a partner sees only its market's
prices, in its market's currency (``billing.selectors.catalog``)."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Money columns: up to 999,999,999,999.99 (two decimals; JPY and KRW use none of them).
MONEY_DIGITS = 14
MONEY_PLACES = 2


class ProductKind(models.TextChoices):
    """What is bought, as Partner Center's catalog groups it."""

    LICENSE = "license", _("License-based (Microsoft 365, Dynamics 365)")
    AZURE_PLAN = "azure_plan", _("Azure plan")
    AZURE_RESERVATION = "azure_reservation", _("Azure reservation")
    SOFTWARE = "software", _("Software (perpetual)")


class Term(models.TextChoices):
    """A subscription's term (ISO 8601 durations, as Partner Center writes them)."""

    ONE_MONTH = "P1M", _("1 month")
    ONE_YEAR = "P1Y", _("1 year")
    THREE_YEARS = "P3Y", _("3 years")
    PERPETUAL = "none", _("Perpetual")


# A term's length in months (perpetual has no end).
TERM_MONTHS = {Term.ONE_MONTH: 1, Term.ONE_YEAR: 12, Term.THREE_YEARS: 36, Term.PERPETUAL: None}


class BillingFrequency(models.TextChoices):
    """How a term is billed: every month (in arrears, prorated by day), or in advance for
    each year of the term, or once (perpetual software)."""

    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")
    ONE_TIME = "one_time", _("One-time")


# The frequencies each kind of product may be billed in, and the terms it may have.
KIND_TERMS = {
    ProductKind.LICENSE: {Term.ONE_MONTH, Term.ONE_YEAR, Term.THREE_YEARS},
    ProductKind.AZURE_PLAN: {Term.ONE_MONTH},
    ProductKind.AZURE_RESERVATION: {Term.ONE_YEAR, Term.THREE_YEARS},
    ProductKind.SOFTWARE: {Term.PERPETUAL},
}
KIND_BILLING = {
    ProductKind.LICENSE: {BillingFrequency.MONTHLY, BillingFrequency.ANNUAL},
    ProductKind.AZURE_PLAN: {BillingFrequency.MONTHLY},
    ProductKind.AZURE_RESERVATION: {BillingFrequency.MONTHLY, BillingFrequency.ANNUAL},
    ProductKind.SOFTWARE: {BillingFrequency.ONE_TIME},
}


class Product(models.Model):
    """A product of the catalog (``product_id``: Partner Center's, e.g. ``CFQ7TTC0LH18``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product_id = models.CharField(_("product ID"), max_length=40, unique=True)
    name = models.CharField(_("product"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "product_id"]

    def __str__(self):
        return self.name


class Offer(models.Model):
    """An offer of a product (``offer_id``: Partner Center's ``<product>:<sku>``, e.g.
    ``CFQ7TTC0LH18:0001``): what an order line names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="offers")
    offer_id = models.CharField(_("offer ID"), max_length=60, unique=True)
    name = models.CharField(_("offer"), max_length=200)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name", "offer_id"]

    def __str__(self):
        return self.name

    @property
    def kind(self) -> str:
        return self.product.kind


class Price(models.Model):
    """An offer's unit price in one market and currency, for one term and billing frequency,
    from ``effective_from`` until the next price of the same key. ``unit_price`` is the
    price of one billing period: a month (monthly), a year (annual) or the purchase
    (one-time)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="prices")
    market = models.CharField(_("market"), max_length=30)
    currency = models.CharField(_("currency"), max_length=3)
    term = models.CharField(_("term"), max_length=4, choices=Term.choices)
    billing = models.CharField(_("billing frequency"), max_length=10, choices=BillingFrequency.choices)
    unit_price = models.DecimalField(_("unit price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["offer", "market", "term", "billing", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "market", "currency", "term", "billing", "effective_from"],
                name="one_price_per_offer_market_term_billing_day",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_not_negative"),
        ]
        indexes = [models.Index(fields=["market", "currency", "effective_from"])]

    def __str__(self):
        return f"{self.offer_id} {self.market} {self.term}/{self.billing} {self.unit_price} {self.currency}"

    @property
    def amount(self) -> tuple[Decimal, str]:
        return self.unit_price, self.currency
