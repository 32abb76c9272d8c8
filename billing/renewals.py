"""When the renewal sweep must next look at a subscription, once: the reminder some days
before its term ends (``SUBSCRIPTION_RENEWAL_REMINDER_DAYS``, once per term), then the end
of the term itself (renew or expire). Perpetual software and ended subscriptions have
nothing due. Whoever creates, renews or changes a subscription sets ``due_at`` from here."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from relationships.models import CustomerRelationship, CustomerRole

from .models import Subscription, Term
from .prices import price_on


def at_start_of(day) -> datetime:
    """The first moment of ``day`` in the portal's zone (a term ends at the start of its end day)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def next_due_at(subscription: Subscription) -> datetime | None:
    if not subscription.is_live or subscription.end_date is None:
        return None
    end = at_start_of(subscription.end_date)
    if subscription.reminded_for != subscription.end_date:
        remind = end - timedelta(days=settings.SUBSCRIPTION_RENEWAL_REMINDER_DAYS)
        # A monthly term renews every month and gets no reminder (it would come every month);
        # nor does a term shorter than the notice (the reminder would precede its start).
        if subscription.term != Term.ONE_MONTH and remind > at_start_of(subscription.term_started_on):
            return remind
    return end


def renewal_price(subscription: Subscription):
    """The price a subscription renews at: its offer's on the price list of the day its term
    ends, in its market and currency, term and billing frequency (None: not sold that day)."""
    return price_on(
        subscription.end_date,
        offer=subscription.offer,
        market=subscription.partner.market.code,
        currency=subscription.currency,
        term=subscription.term,
        billing=subscription.billing,
    )


def reseller_of(subscription: Subscription):
    """The indirect reseller of a reseller's customer (it handles renewals and is reminded),
    or None: the order's reseller, else the one the billing provider came through."""
    if subscription.reseller_id:
        return subscription.reseller
    relationship = (
        CustomerRelationship.objects.active()
        .filter(
            customer_id=subscription.customer_id,
            partner_id=subscription.partner_id,
            role=CustomerRole.INDIRECT_PROVIDER,
            via_reseller__isnull=False,
        )
        .select_related("via_reseller")
        .first()
    )
    return relationship.via_reseller if relationship else None


# --- The sweep's reads and its claim (billing.tasks.subscriptions_sweep) --------------------------

SWEEP_BATCH = 100
# A claimed subscription is out of the sweep's sight this long: if its worker dies
# mid-move, a later sweep takes it again.
CLAIM_LEASE = timedelta(minutes=10)


def subscriptions_due(now: datetime, *, limit: int = SWEEP_BATCH) -> list[tuple]:
    """(id, due_at) of the subscriptions due by ``now``, the longest waiting first."""
    return list(
        Subscription.objects.filter(due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", "due_at")[:limit]
    )


def claim(subscription_id, due_at: datetime, now: datetime) -> bool:
    """Take one due subscription with a conditional update on the ``due_at`` that was read:
    of two sweeps that read it, exactly one changes the row and acts."""
    return bool(
        Subscription.objects.filter(pk=subscription_id, due_at=due_at).update(due_at=now + CLAIM_LEASE)
    )


def release(subscription_id, now: datetime) -> None:
    """A claimed subscription on which nothing moved: due again when it really is."""
    subscription = Subscription.objects.select_related("partner").filter(pk=subscription_id).first()
    if subscription is not None:
        Subscription.objects.filter(pk=subscription_id, due_at=now + CLAIM_LEASE).update(
            due_at=next_due_at(subscription)
        )


def due_step(subscription: Subscription, now: datetime) -> str | None:
    """What the sweep does with a subscription now: ``renew`` or ``expire`` at the end of
    its term, ``remind`` some days before, or None."""
    if not subscription.is_live or subscription.end_date is None:
        return None
    if subscription.ends_by(now):
        return "renew" if subscription.can_renew and renewal_price(subscription) is not None else "expire"
    if subscription.reminded_for != subscription.end_date and now >= next_due_at(subscription):
        return "remind"
    return None
