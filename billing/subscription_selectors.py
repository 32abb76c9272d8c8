"""Reads of subscriptions and Azure reservations, scoped to the caller's partner: the
partner that bills a customer sees the subscriptions it bills; an indirect reseller sees
those its provider bills for the customers they share ("the reseller manages licenses and
users and handles renewals"). Another partner's subscription is simply not found (404)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from partnercenter.core.errors import NotFound
from relationships.models import CustomerRelationship, CustomerRole

from .charges import upfront_refund
from .models import ProductKind, Subscription, SubscriptionStatus, SubscriptionTerm


def visible_subscriptions(partner) -> QuerySet[Subscription]:
    """Every subscription ``partner`` may see: those it bills, and for a reseller those the
    provider that came to a customer through it bills for that customer (while both are
    the customer's resellers of record)."""
    if partner is None:
        return Subscription.objects.none()
    provider_through_me = CustomerRelationship.objects.active().filter(
        customer=OuterRef("customer"),
        partner=OuterRef("partner"),
        role=CustomerRole.INDIRECT_PROVIDER,
        via_reseller=partner,
    )
    mine_as_reseller = CustomerRelationship.objects.active().filter(
        customer=OuterRef("customer"), partner=partner, role=CustomerRole.INDIRECT_RESELLER
    )
    return Subscription.objects.filter(
        Q(partner=partner) | (Exists(provider_through_me) & Exists(mine_as_reseller))
    )


def subscriptions_for(
    partner,
    *,
    customer_id=None,
    order_id=None,
    customer_name: str = "",
    status: str = "",
    kind: str = "",
    reservations: bool | None = None,
) -> QuerySet[Subscription]:
    """The subscriptions ``partner`` sees, filtered (unknown filter values are the caller's
    to refuse), newest first, with what a list row shows (no query per row)."""
    found = visible_subscriptions(partner)
    if customer_id is not None:
        found = found.filter(customer_id=customer_id)
    if order_id is not None:  # what one order's lines made
        found = found.filter(order_line__order_id=order_id)
    if customer_name:
        found = found.filter(customer__company_name__icontains=customer_name)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    if reservations is True:
        found = found.reservations()
    elif reservations is False:
        found = found.not_reservations()
    return found.select_related("customer__tenant", "partner").order_by("-start_date", "friendly_name", "pk")


def subscription_for(partner, subscription_id) -> Subscription:
    """One subscription ``partner`` sees, with its terms; ``NotFound`` otherwise."""
    found = (
        visible_subscriptions(partner)
        .select_related("customer__tenant", "partner", "reseller", "offer__product")
        .prefetch_related(Prefetch("terms", queryset=SubscriptionTerm.objects.order_by("number")))
        .filter(pk=subscription_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def customer_subscriptions(partner, customer) -> QuerySet[Subscription]:
    """A customer's subscriptions that ``partner`` sees (the customer page's section)."""
    return subscriptions_for(partner, customer_id=customer.pk)


# --- What a cancellation would give back -------------------------------------------------------


def cancellation_cut_day(term: SubscriptionTerm, today: date) -> date:
    """The day a cancellation ends the current term: today, or the day after its start when
    it is cancelled on its first day (a term keeps at least one day)."""
    return max(today, term.start_date + timedelta(days=1))


def cancellation_credit(subscription: Subscription, today: date | None = None):
    """What cancelling today would give back (amount, from, to), or None: the prorated rest of
    what an annual term was billed in advance; a monthly term is billed in arrears by day,
    so it needs none."""
    term = subscription.terms.order_by("-number").first()
    if term is None:
        return None
    today = today or timezone.localdate()
    return upfront_refund(term, cancellation_cut_day(term, today))


STATUS_VALUES = frozenset(SubscriptionStatus.values)
KIND_VALUES = frozenset(ProductKind.values)
