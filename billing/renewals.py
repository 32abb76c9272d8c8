"""When the renewal sweep must next look at a subscription, once: the reminder some days
before its term ends (``SUBSCRIPTION_RENEWAL_REMINDER_DAYS``, once per term), then the end
of the term itself (renew or expire). Perpetual software and ended subscriptions have
nothing due. Whoever creates, renews or changes a subscription sets ``due_at`` from here."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .models import Subscription


def at_start_of(day) -> datetime:
    """The first moment of ``day`` in the portal's zone (a term ends at the start of its end day)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def next_due_at(subscription: Subscription) -> datetime | None:
    if not subscription.is_live or subscription.end_date is None:
        return None
    end = at_start_of(subscription.end_date)
    if subscription.reminded_for != subscription.end_date:
        remind = end - timedelta(days=settings.SUBSCRIPTION_RENEWAL_REMINDER_DAYS)
        return max(remind, at_start_of(subscription.term_started_on))
    return end
