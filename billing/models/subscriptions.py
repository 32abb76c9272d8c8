"""Subscriptions (licenses, Azure plans, perpetual software) and Azure reservations: what a
completed order's line made. One model, so renewals, cancellation and invoicing have one
home each; a reservation is a subscription of an ``azure_reservation`` offer with a scope.

The customer tenant's users and the licenses assigned to them from a subscription are
here too: never more assigned than bought (``services.licenses`` locks the subscription)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .catalog import MONEY_DIGITS, MONEY_PLACES, BillingFrequency, ProductKind, Term
from .orders import ReservationScope


class SubscriptionStatus(models.TextChoices):
    # running and billed; renews at the end of its term when auto-renew is on
    ACTIVE = "active", pgettext_lazy("subscription status", "Active")
    # the billing partner paused it (the customer's users lose access); still billed
    SUSPENDED = "suspended", pgettext_lazy("subscription status", "Suspended")
    # its term ended without a renewal (final)
    EXPIRED = "expired", pgettext_lazy("subscription status", "Expired")
    # cancelled within the cancellation window, for a prorated credit (final)
    CANCELLED = "cancelled", pgettext_lazy("subscription status", "Cancelled")


# The statuses in which a subscription still runs and is billed (its seats count).
LIVE_STATUSES = frozenset({SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED})

_S = SubscriptionStatus
_LIVE = LIVE_STATUSES


@dataclass(frozen=True)
class SubscriptionMove:
    """One action on a subscription: the statuses it may start from and the status it leads
    to (None: the status stays)."""

    sources: frozenset
    target: str | None = None


# The legal moves, declared once. The services move only along these and every predicate
# about status (``Subscription.can_*``) is derived from them.
SUBSCRIPTION_MOVES: dict[str, SubscriptionMove] = {
    "set_auto_renew": SubscriptionMove(_LIVE),
    "suspend": SubscriptionMove(frozenset({_S.ACTIVE}), _S.SUSPENDED),
    "reactivate": SubscriptionMove(frozenset({_S.SUSPENDED}), _S.ACTIVE),
    # only within the cancellation window (``Subscription.in_cancellation_window``)
    "cancel": SubscriptionMove(_LIVE, _S.CANCELLED),
    # the sweep: the reminder some days before a term ends, then renew or expire at its end
    "remind": SubscriptionMove(_LIVE),
    # a suspended subscription does not renew: it expires at the end of its term
    "renew": SubscriptionMove(frozenset({_S.ACTIVE})),
    "expire": SubscriptionMove(_LIVE, _S.EXPIRED),
}

# Status -> the statuses it may change to.
SUBSCRIPTION_TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(
        m.target
        for m in SUBSCRIPTION_MOVES.values()
        if status in m.sources and m.target not in (None, status)
    )
    for status in _S.values
}


class SubscriptionQuerySet(models.QuerySet):
    def live(self):
        """The subscriptions that still run (and are billed): active or suspended."""
        return self.filter(status__in=LIVE_STATUSES)

    def reservations(self):
        return self.filter(kind=ProductKind.AZURE_RESERVATION)

    def not_reservations(self):
        return self.exclude(kind=ProductKind.AZURE_RESERVATION)


class Subscription(models.Model):
    """A subscription of a customer, billed by ``partner`` (and, for a reseller's customer,
    managed by ``reseller``): a quantity of an offer for a term from ``start_date`` to
    ``end_date`` (exclusive; none for perpetual software), renewed at its end when
    ``auto_renew`` is on.

    ``term_started_on`` is the start of the current term (a renewal moves it): the
    cancellation window runs from it. ``due_at`` is the next time the renewal sweep must
    look at it (the reminder, then the end of the term); null when nothing is due."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "relationships.Customer", on_delete=models.PROTECT, related_name="subscriptions"
    )
    partner = models.ForeignKey("enrollment.Partner", on_delete=models.PROTECT, related_name="subscriptions")
    reseller = models.ForeignKey(
        "enrollment.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reseller_subscriptions",
    )
    order_line = models.OneToOneField(
        "billing.OrderLine", on_delete=models.PROTECT, related_name="subscription"
    )
    offer = models.ForeignKey("billing.Offer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    friendly_name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    term = models.CharField(_("term"), max_length=4, choices=Term.choices)
    billing = models.CharField(_("billing frequency"), max_length=10, choices=BillingFrequency.choices)
    unit_price = models.DecimalField(_("unit price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3)
    start_date = models.DateField(_("start date"))
    term_started_on = models.DateField(_("term start"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    auto_renew = models.BooleanField(_("auto-renew"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    scope = models.CharField(_("scope"), max_length=10, choices=ReservationScope.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # The term whose end was announced (its end date): a reminder goes once per term.
    reminded_for = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["customer", "friendly_name", "id"]
        indexes = [
            models.Index(fields=["customer", "partner", "status"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["reseller", "status"]),
            models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="subscription_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="subscription_quantity_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="subscription_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.friendly_name} × {self.quantity}"

    @property
    def is_reservation(self) -> bool:
        return self.kind == ProductKind.AZURE_RESERVATION

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def assigns_licenses(self) -> bool:
        """Seats that are assigned to the customer's users: license-based products only."""
        return self.kind == ProductKind.LICENSE

    # --- What may happen to it (from ``SUBSCRIPTION_MOVES``) -----------------------------

    def allows(self, action: str) -> bool:
        """Its status allows ``action`` (a key of ``SUBSCRIPTION_MOVES``)."""
        return self.status in SUBSCRIPTION_MOVES[action].sources

    @property
    def cancellable_until(self) -> date:
        """The last day of the cancellation window: ``SUBSCRIPTION_CANCELLATION_DAYS`` days
        after its current term started (a renewal opens a new window)."""
        return self.term_started_on + timedelta(days=settings.SUBSCRIPTION_CANCELLATION_DAYS)

    def in_cancellation_window(self, now: datetime | None = None) -> bool:
        return timezone.localdate(now or timezone.now()) <= self.cancellable_until

    def can_cancel(self, now: datetime | None = None) -> bool:
        return self.allows("cancel") and self.in_cancellation_window(now)

    @property
    def can_suspend(self) -> bool:
        return self.allows("suspend")

    @property
    def can_reactivate(self) -> bool:
        return self.allows("reactivate")

    @property
    def can_set_auto_renew(self) -> bool:
        """Auto-renew means something for a live subscription whose term ends."""
        return self.allows("set_auto_renew") and self.end_date is not None

    @property
    def can_renew(self) -> bool:
        """At the end of its term it renews (else it expires)."""
        return self.allows("renew") and self.auto_renew and self.end_date is not None

    def ends_by(self, now: datetime) -> bool:
        """Its current term has ended by ``now`` (a term ends at the start of its end day)."""
        return self.end_date is not None and timezone.localdate(now) >= self.end_date


class SubscriptionTerm(models.Model):
    """One term of a subscription, as it was bought or renewed: its days
    ``[start_date, end_date)`` (no end for perpetual software; a cancellation cuts the
    term at its day), its quantity and unit price. The invoice run bills terms, so a
    renewal at a new price never re-prices the days before it."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(max_length=3)
    billing = models.CharField(max_length=10, choices=BillingFrequency.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription term")
        verbose_name_plural = _("subscription terms")
        ordering = ["subscription", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "number"], name="one_term_number_per_subscription"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="subscription_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id} term {self.number}"


class CustomerUserStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("subscription status", "Active")
    DELETED = "deleted", _("Deleted")


class CustomerUser(models.Model):
    """A user of the customer's tenant (a Microsoft 365 user), created and managed for the
    customer by a partner with administrator access to it. Not a portal user: it never
    signs in here. Its temporary password is shown once to whoever set it and kept hashed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey("relationships.Customer", on_delete=models.CASCADE, related_name="users")
    user_principal_name = models.CharField(_("username"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    display_name = models.CharField(_("display name"), max_length=200)
    usage_location = models.CharField(_("usage location"), max_length=2)
    password_hash = models.CharField(max_length=256)
    password_set_at = models.DateTimeField(default=timezone.now)
    must_change_password = models.BooleanField(default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CustomerUserStatus.choices, default=CustomerUserStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("customer user")
        verbose_name_plural = _("customer users")
        ordering = ["customer", "display_name", "id"]
        indexes = [models.Index(fields=["customer", "status", "display_name"])]
        constraints = [
            # A user name is taken while its user is active; a deleted user's name is free again
            # (as in Microsoft 365 once the deleted user is purged).
            models.UniqueConstraint(
                Lower("user_principal_name"),
                condition=Q(status="active"),
                name="one_active_user_per_user_name",
            )
        ]

    def __str__(self):
        return self.user_principal_name


class LicenseAssignment(models.Model):
    """One seat of a subscription assigned to one of the customer's users."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(CustomerUser, on_delete=models.CASCADE, related_name="licenses")
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("license assignment")
        verbose_name_plural = _("license assignments")
        ordering = ["subscription", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "user"], name="one_license_per_user_and_subscription"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} → {self.user_id}"
