"""Orders: what a partner submits for a customer it is reseller of record of."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUANTITY_MIN = 1
QUANTITY_MAX = 10000


class Order(models.Model):
    """An order for a customer. ``partner`` is the partner that ordered (and bills the
    customer): a direct-bill partner, or the indirect provider of a reseller's customer.
    The price is a ``Decimal`` in the ordering partner's market currency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey("relationships.Customer", on_delete=models.PROTECT, related_name="orders")
    partner = models.ForeignKey("enrollment.Partner", on_delete=models.PROTECT, related_name="orders")
    offer = models.CharField(_("offer"), max_length=200)
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(QUANTITY_MIN), MaxValueValidator(QUANTITY_MAX)]
    )
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["customer", "partner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=QUANTITY_MIN) & Q(quantity__lte=QUANTITY_MAX),
                name="order_quantity_in_range",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_unit_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.offer} for {self.customer_id}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity
