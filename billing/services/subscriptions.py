"""Writes of subscriptions and Azure reservations: what people do (auto-renew, suspend,
reactivate, cancel) and what the renewal sweep does (remind, renew, expire). Each moves
along ``SUBSCRIPTION_MOVES`` only, under a lock, and writes one audit row.

Who acts (DOMAIN.md, "Direct-bill customers and indirect-reseller customers"): the partner
that bills the customer manages its subscriptions; for a reseller's customer "the reseller
manages licenses and users and handles renewals", so the reseller turns auto-renew on and
off too. Both need ``Action.MANAGE_SUBSCRIPTIONS``.

Domain errors raised: ``NotFound`` (404: not a subscription the actor's partner sees),
``NotPermitted`` (403: the role, or the partner, may not), ``InvalidTransition`` (409: the
status or the cancellation window does not allow it) and ``InvalidInput`` (400).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.accounts.selectors import global_admins_of
from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.services import notification_queue
from relationships.permissions import acting_partner

from .. import events
from ..charges import add_months, upfront_refund
from ..models import (
    TERM_MONTHS,
    Credit,
    LicenseAssignment,
    Subscription,
    SubscriptionStatus,
    SubscriptionTerm,
)
from ..models.subscriptions import SUBSCRIPTION_MOVES
from ..permissions import Action, require
from ..renewals import next_due_at, renewal_price, reseller_of
from ..subscription_selectors import cancellation_cut_day, subscription_for

CANCELLED_REASON = "cancelled"


# --- The checks every person's move makes first ----------------------------------------------------


def subscription_move_refusal(subscription: Subscription, action: str, now=None) -> InvalidTransition | None:
    """Why the subscription's state does not allow ``action`` now (None: it does). The pages
    and the API show the same reason the service raises."""
    status = SubscriptionStatus(subscription.status)
    if action == "cancel" and subscription.allows("cancel") and not subscription.in_cancellation_window(now):
        return InvalidTransition(
            subscription.status,
            ngettext(
                "A subscription can be cancelled only within %(days)d day of the start of its term "
                "(until %(last)s). To stop it, turn off auto-renew: it then ends on %(end)s.",
                "A subscription can be cancelled only within %(days)d days of the start of its term "
                "(until %(last)s). To stop it, turn off auto-renew: it then ends on %(end)s.",
                settings.SUBSCRIPTION_CANCELLATION_DAYS,
            )
            % {
                "days": settings.SUBSCRIPTION_CANCELLATION_DAYS,
                "last": subscription.cancellable_until.isoformat(),
                "end": subscription.end_date.isoformat() if subscription.end_date else "—",
            },
            label=status.label,
        )
    if action == "set_auto_renew" and subscription.allows(action) and subscription.end_date is None:
        return InvalidTransition(
            subscription.status, _("Perpetual software has no term to renew."), label=status.label
        )
    if not subscription.allows(action):
        return InvalidTransition(subscription.status, label=status.label)
    return None


def subscription_partner_refusal(subscription: Subscription, partner, action: str) -> NotPermitted | None:
    """Why ``partner`` may not take ``action`` on a subscription it sees (None: it may): the
    billing partner takes every action; the reseller handles renewals (auto-renew) only."""
    if subscription.partner_id == partner.pk:
        return None
    if action == "set_auto_renew":
        return None  # visible to a non-billing partner: it is the customer's reseller
    return NotPermitted(
        _(
            "Your provider bills this customer and manages its subscriptions. You handle renewals: "
            "you can turn auto-renew on or off."
        )
    )


def _require(actor, subscription: Subscription, action: str) -> None:
    """The actor's right, before anything else is looked at: the subscription is the
    partner's to see (else ``NotFound``), then the role table, then the partner rule."""
    partner = acting_partner(actor)
    subscription_for(partner, subscription.pk)
    require(actor, Action.MANAGE_SUBSCRIPTIONS)
    if refusal := subscription_partner_refusal(subscription, partner, action):
        raise refusal


def _locked(
    actor, subscription: Subscription, action: str, now=None, *, checked: bool = False
) -> Subscription:
    """The actor's right (unless ``checked``), the lock, then the state, re-checked after the
    lock: two people acting at once act once."""
    if not checked:
        _require(actor, subscription, action)
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if refusal := subscription_move_refusal(locked, action, now):
        raise refusal
    return locked


def _facts(subscription: Subscription) -> dict:
    return {
        "name": subscription.friendly_name,
        "customer_id": str(subscription.customer_id),
        "end_date": subscription.end_date.isoformat() if subscription.end_date else "",
    }


def _record(subscription, kind, *, actor=None, from_state, to_state, **data):
    record_event(
        subscription,
        kind,
        actor=actor,
        tenant=subscription.partner.tenant_id,
        from_state=from_state,
        to_state=to_state,
        **_facts(subscription),
        **data,
    )


def _schedule(subscription: Subscription, *fields: str) -> None:
    subscription.due_at = next_due_at(subscription)
    subscription.save(update_fields=[*fields, "due_at"])


def _release_licenses(subscription: Subscription) -> int:
    """An ended subscription's seats go back: its license assignments are removed."""
    released, _by_model = LicenseAssignment.objects.filter(subscription=subscription).delete()
    return released


# --- What people do ---------------------------------------------------------------------------------


def subscription_set_auto_renew(*, actor, subscription: Subscription, auto_renew: bool) -> Subscription:
    """Turn auto-renew on or off: at the end of its term the subscription renews for another
    term, or expires. The billing partner or, for its customer, the reseller. Setting what
    is already set changes nothing (and writes no row)."""
    _require(actor, subscription, "set_auto_renew")
    if not isinstance(auto_renew, bool):
        raise InvalidInput.on(
            "auto_renew", _("Say true to renew at the end of the term, false to let it end.")
        )
    with transaction.atomic():
        locked = _locked(actor, subscription, "set_auto_renew", checked=True)
        if locked.auto_renew == auto_renew:
            return locked
        locked.auto_renew = auto_renew
        # Turning it off after the reminder does not bring another reminder: due_at stays on the term.
        _schedule(locked, "auto_renew")
        _record(
            locked,
            events.SUBSCRIPTION_AUTO_RENEW_CHANGED,
            actor=actor,
            from_state=locked.status,
            to_state=locked.status,
            auto_renew=auto_renew,
        )
    return locked


def _pause_or_resume(actor, subscription: Subscription, move: str, kind) -> Subscription:
    """Suspend or reactivate: the move's one status change (``SUBSCRIPTION_MOVES``)."""
    with transaction.atomic():
        locked = _locked(actor, subscription, move)
        from_state, locked.status = locked.status, SUBSCRIPTION_MOVES[move].target
        _schedule(locked, "status")
        _record(locked, kind, actor=actor, from_state=from_state, to_state=locked.status)
    return locked


def subscription_suspend(*, actor, subscription: Subscription) -> Subscription:
    """Suspend an active subscription (the billing partner)."""
    return _pause_or_resume(actor, subscription, "suspend", events.SUBSCRIPTION_SUSPENDED)


def subscription_reactivate(*, actor, subscription: Subscription) -> Subscription:
    """Make a suspended subscription active again (the billing partner)."""
    return _pause_or_resume(actor, subscription, "reactivate", events.SUBSCRIPTION_REACTIVATED)


def subscription_cancel(*, actor, subscription: Subscription) -> Subscription:
    """Cancel within the cancellation window (``SUBSCRIPTION_CANCELLATION_DAYS`` after its
    term started), for a prorated credit: the current term ends today, its licenses are
    released and nothing more is due. Outside the window: ``InvalidTransition``, with the
    advice to turn off auto-renew instead. The billing partner only."""
    with transaction.atomic():
        locked = _locked(actor, subscription, "cancel")
        now = timezone.now()
        today = timezone.localdate(now)
        term = (
            SubscriptionTerm.objects.select_for_update()
            .filter(subscription=locked)
            .order_by("-number")
            .first()
        )
        cut = cancellation_cut_day(term, today)
        # Before the term is cut: the refund reads the annual cycle's end from the term's end.
        refund = upfront_refund(term, cut)
        if term.end_date is None or term.end_date > cut:
            term.end_date = cut
            term.save(update_fields=["end_date"])
        credit = None
        if refund is not None:
            amount, start, end = refund
            credit = Credit.objects.create(
                partner_id=locked.partner_id,
                customer_id=locked.customer_id,
                subscription=locked,
                amount=amount,
                currency=term.currency,
                reason=CANCELLED_REASON,
                credit_start=start,
                credit_end=end,
            )
        released = _release_licenses(locked)
        from_state = locked.status
        locked.status, locked.cancelled_at, locked.cancelled_by = SubscriptionStatus.CANCELLED, now, actor
        locked.end_date = cut
        _schedule(locked, "status", "cancelled_at", "cancelled_by", "end_date")
        _record(
            locked,
            events.SUBSCRIPTION_CANCELLED,
            actor=actor,
            from_state=from_state,
            to_state=SubscriptionStatus.CANCELLED,
            credit_amount=str(credit.amount) if credit else "",
            currency=term.currency,
            licenses_released=released,
        )
    return locked


# --- What the renewal sweep does (billing.tasks.subscriptions_sweep) -----------------------------


def _sweep_locked(subscription_id, action: str) -> Subscription | None:
    # Lock the subscription only, not the partner, customer and offer it is read with.
    locked = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("partner", "customer", "offer")
        .filter(pk=subscription_id)
        .first()
    )
    if locked is None or not locked.allows(action):
        return None
    return locked


def _remind(subscription: Subscription, partner, *, role: str) -> None:
    url = f"{settings.SITE_URL}{reverse('billing:subscription-detail', args=[subscription.pk])}"
    for admin in global_admins_of(partner.tenant_id):
        notification_queue(
            template="subscription_renewal_reminder",
            recipient=admin.email,
            language=partner.language,
            context={
                "first_name": admin.first_name,
                "role": role,
                "name": subscription.friendly_name,
                "quantity": subscription.quantity,
                "customer": subscription.customer.company_name,
                "end_date": subscription.end_date.isoformat(),
                "auto_renew": subscription.auto_renew,
                "subscription_url": url,
            },
            key=f"subscription-reminder:{subscription.pk}:{subscription.end_date.isoformat()}:{admin.pk}",
        )


def subscription_remind(*, subscription_id) -> bool:
    """Some days before a term ends (``SUBSCRIPTION_RENEWAL_REMINDER_DAYS``), once per term
    (``reminded_for``): email the billing partner's global admins and, for a reseller's
    customer, the reseller's, each in its partner's language. True if it was sent now."""
    with transaction.atomic():
        locked = _sweep_locked(subscription_id, "remind")
        if locked is None or locked.end_date is None or locked.reminded_for == locked.end_date:
            return False
        reseller = reseller_of(locked)
        _remind(locked, locked.partner, role="billing")
        if reseller is not None:
            _remind(locked, reseller, role="reseller")
        locked.reminded_for = locked.end_date
        _schedule(locked, "reminded_for")
        _record(
            locked,
            events.SUBSCRIPTION_REMINDED,
            from_state=locked.status,
            to_state=locked.status,
            reseller_id=str(reseller.pk) if reseller else "",
        )
    return True


def subscription_renew(*, subscription_id) -> bool:
    """At the end of a term with auto-renew on: another term at the price list of that day
    (the end day's price; the subscription's unit price follows). True if it renewed; the
    sweep expires a subscription whose offer has no price that day (``subscription_expire``)."""
    with transaction.atomic():
        locked = _sweep_locked(subscription_id, "renew")
        if locked is None or not locked.can_renew or not locked.ends_by(timezone.now()):
            return False
        price = renewal_price(locked)
        if price is None:
            return False
        last = SubscriptionTerm.objects.filter(subscription=locked).order_by("-number").first()
        start = locked.end_date
        end = add_months(start, TERM_MONTHS[locked.term])
        SubscriptionTerm.objects.create(
            subscription=locked,
            number=(last.number if last else 0) + 1,
            start_date=start,
            end_date=end,
            quantity=locked.quantity,
            unit_price=price.unit_price,
            currency=price.currency,
            billing=locked.billing,
        )
        previous_price = locked.unit_price
        locked.unit_price, locked.term_started_on, locked.end_date = price.unit_price, start, end
        _schedule(locked, "unit_price", "term_started_on", "end_date")
        _record(
            locked,
            events.SUBSCRIPTION_RENEWED,
            from_state=locked.status,
            to_state=locked.status,
            unit_price=str(price.unit_price),
            previous_unit_price=str(previous_price),
            currency=price.currency,
            term_start=start.isoformat(),
        )
    return True


def subscription_expire(*, subscription_id) -> bool:
    """At the end of a term that does not renew (auto-renew off, suspended, or no price for
    the offer that day): the subscription expires and its licenses are released."""
    with transaction.atomic():
        locked = _sweep_locked(subscription_id, "expire")
        if locked is None or not locked.ends_by(timezone.now()):
            return False
        if not locked.auto_renew:
            reason = "auto_renew_off"
        elif locked.status == SubscriptionStatus.SUSPENDED:
            reason = "suspended"
        elif renewal_price(locked) is None:
            reason = "no_price"
        else:
            return False  # it renews
        from_state = locked.status
        released = _release_licenses(locked)
        locked.status = SubscriptionStatus.EXPIRED
        _schedule(locked, "status")
        _record(
            locked,
            events.SUBSCRIPTION_EXPIRED,
            from_state=from_state,
            to_state=SubscriptionStatus.EXPIRED,
            reason=reason,
            licenses_released=released,
        )
    return True
