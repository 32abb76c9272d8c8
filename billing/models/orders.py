"""Orders: what the partner that bills a customer orders for it, line by line (offer,
quantity, term, billing frequency), at the price list of the day. The order's history is
its audit rows (``billing.events``)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .catalog import MONEY_DIGITS, MONEY_PLACES, BillingFrequency, Term

QUANTITY_MIN = 1
QUANTITY_MAX = 10000
LINES_MAX = 50
IDEMPOTENCY_KEY_MAX = 100


class OrderStatus(models.TextChoices):
    """Partner Center's order statuses, in the portal's life of an order: placed (pending)
    and then completed (its subscriptions exist) or failed (with a reason); a pending order
    may be cancelled."""

    # placed; its subscriptions are being made (the completion task, or the sweep)
    PENDING = "pending", pgettext_lazy("order status", "Pending")
    # one subscription per line exists (final)
    COMPLETED = "completed", pgettext_lazy("order status", "Completed")
    # it could not be completed; ``failure_reason`` says why (final)
    FAILED = "failed", pgettext_lazy("order status", "Failed")
    # the partner cancelled it while it was pending (final)
    CANCELLED = "cancelled", pgettext_lazy("order status", "Cancelled")


# An order's legal moves, declared once: move -> (the statuses it may start from, where it
# leads). The services move only along these (``services.orders``), and the predicates
# (``Order.can``, ``OrderQuerySet.pending``) are read from here.
ORDER_MOVES: dict[str, tuple[frozenset, str]] = {
    "complete": (frozenset({OrderStatus.PENDING}), OrderStatus.COMPLETED),
    "fail": (frozenset({OrderStatus.PENDING}), OrderStatus.FAILED),
    "cancel": (frozenset({OrderStatus.PENDING}), OrderStatus.CANCELLED),
}


class OrderFailure(models.TextChoices):
    """Why an order failed, stored as its code and read in the reader's language."""

    NOT_PERMITTED = (
        "not_permitted",
        _("Your organization could no longer order for this customer when the order was completed."),
    )


class OrderQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OrderStatus.PENDING)


class ReservationScope(models.TextChoices):
    """Which Azure usage a reservation's discount applies to."""

    SHARED = "shared", _("Shared (every subscription of the customer)")
    SINGLE = "single", _("Single subscription")


class Order(models.Model):
    """An order for a customer. ``partner`` is the partner that ordered and bills the
    customer: a direct-bill partner, or the indirect provider of a reseller's customer
    (``reseller``, who sees it). Its amounts are ``Decimal`` in the partner's market currency.

    ``idempotency_key`` is the client's ``Idempotency-Key`` (Partner Center's
    ``MS-RequestId``): the same key twice from one partner makes one order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey("relationships.Customer", on_delete=models.PROTECT, related_name="orders")
    partner = models.ForeignKey("enrollment.Partner", on_delete=models.PROTECT, related_name="orders")
    reseller = models.ForeignKey(
        "enrollment.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="reseller_orders"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(
        _("total"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    failure_reason = models.CharField(_("reason"), max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["customer", "partner", "-created_at"]),
            models.Index(fields=["partner", "-created_at"]),
            models.Index(fields=["reseller", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_order_per_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]

    def __str__(self):
        return f"order {self.pk} for {self.customer_id}"

    def can(self, move: str) -> bool:
        return self.status in ORDER_MOVES[move][0]

    @property
    def can_cancel(self) -> bool:
        return self.can("cancel")

    @property
    def failure_text(self) -> str:
        """Why the order failed, in the reader's language ("" if it did not)."""
        if not self.failure_reason:
            return ""
        try:
            return str(OrderFailure(self.failure_reason).label)
        except ValueError:
            return self.failure_reason


class OrderLine(models.Model):
    """One line of an order: an offer, a quantity, a term and a billing frequency, at the
    unit price of the price list on the order's day (``price``). A completed order's line
    has its subscription (``Subscription.order_line``)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    offer = models.ForeignKey("billing.Offer", on_delete=models.PROTECT, related_name="+")
    price = models.ForeignKey("billing.Price", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(QUANTITY_MIN), MaxValueValidator(QUANTITY_MAX)]
    )
    term = models.CharField(_("term"), max_length=4, choices=Term.choices)
    billing = models.CharField(_("billing frequency"), max_length=10, choices=BillingFrequency.choices)
    unit_price = models.DecimalField(_("unit price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3)
    auto_renew = models.BooleanField(_("auto-renew"), default=True)
    # Azure reservations only.
    scope = models.CharField(_("scope"), max_length=10, choices=ReservationScope.choices, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_number"], name="one_line_number_per_order"),
            models.CheckConstraint(
                condition=Q(quantity__gte=QUANTITY_MIN) & Q(quantity__lte=QUANTITY_MAX),
                name="order_line_quantity_in_range",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_unit_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.offer_id}"

    @property
    def amount(self) -> Decimal:
        """The line's price for one billing period (a month, a year, or the purchase)."""
        return self.unit_price * self.quantity
