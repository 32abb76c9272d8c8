"""Writes for orders: place, complete, fail, cancel (issue 10, "Orders and subscriptions").

"Who may order is one rule: an active direct-bill partner for its direct customers; a
provider for customers that have a relationship with it and with one of its resellers;
never an indirect reseller" (``billing.permissions.may_order_for``). Each line is priced at
the price list of the day of the partner's market (``billing.prices.price_on``); an order
that would take a direct-bill partner past its credit line is refused with the reason.

Errors of the lines are nested as the input is: ``{"lines": [{}, {"quantity": ["…"]}]}``
(one dict per line, in order, empty for a good line); a rule of the whole order goes under
``non_field_errors``.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403), ``NotFound`` (404: the
customer or the order is not the partner's) and ``InvalidTransition`` (409: the order's
status does not allow the move, or an idempotency key reused with another body).
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from celery import current_app
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrollment.models import Partner
from enrollment.restrictions import require_unrestricted
from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from partnercenter.core.l10n import format_money
from relationships.models import Customer, CustomerRelationship
from relationships.permissions import acting_partner

from .. import events
from ..charges import add_months
from ..credit import credit_position
from ..models import (
    IDEMPOTENCY_KEY_MAX,
    ORDER_MOVES,
    TERM_MONTHS,
    Order,
    OrderFailure,
    OrderLine,
    OrderStatus,
    Subscription,
    SubscriptionTerm,
)
from ..permissions import Action, may_order_for, require, require_may_order_for
from ..renewals import next_due_at
from .order_lines import PricedLine, order_lines_check  # noqa: F401 (the review reads it here)

logger = logging.getLogger(__name__)

# An order still pending after this long lost its completion task (a broker down): the
# sweep completes it.
STALE_AFTER = timedelta(minutes=1)
# ``billing.tasks.order_complete_task``, looked up by name (the tasks module imports this one);
# the app's ready() imports the tasks, so a web process has it in Celery's registry.
COMPLETE_TASK = "billing.tasks.order_complete_task"


def _line_fingerprint(line: OrderLine) -> tuple:
    return (line.offer.offer_id, line.term, line.billing, line.quantity, line.auto_renew, line.scope)


def _credit_refusal(partner: Partner, total: Decimal, currency: str, today: date) -> None:
    """The rule: "an order is refused with a reason when it would take a direct-bill partner
    past its credit line (unbilled plus unpaid)". What its pending orders will add counts
    too, as the completion task has not made their subscriptions yet. Called under the
    partner's lock."""
    position = credit_position(partner, today)
    if position.credit_line is None:
        return  # no credit line (an indirect provider): not limited here
    pending = sum((o.total for o in Order.objects.pending().filter(partner=partner)), Decimal("0"))
    used = position.used + pending
    if used + total <= position.credit_line:
        return
    available = max(position.credit_line - used, Decimal("0"))
    raise InvalidInput(
        {
            "non_field_errors": [
                _(
                    "This order costs %(total)s for its first billing period, more than your credit line "
                    "allows: your credit line is %(line)s and %(available)s of it is available. Order less, "
                    "or pay your open invoices first."
                )
                % {
                    "total": format_money(total, currency),
                    "line": format_money(position.credit_line, currency),
                    "available": format_money(available, currency),
                }
            ]
        }
    )


def _replay(existing: Order, customer: Customer, priced: list[PricedLine] | None) -> Order:
    """The order the key made first, if this request is the same one; else 409."""
    existing_lines = [_line_fingerprint(line) for line in existing.lines.select_related("offer")]
    same = existing.customer_id == customer.pk and (
        [p.fingerprint for p in priced] == existing_lines if priced is not None else False
    )
    if not same:
        raise InvalidTransition(
            existing.status,
            _(
                "This idempotency key was already used for another order. Send a new key for a new order, "
                "or the same body to read the first order."
            ),
            label=OrderStatus(existing.status).label,
        )
    existing.replayed = True
    return existing


def _priced_or_none(partner, lines):
    try:
        return order_lines_check(partner=partner, lines=lines)
    except InvalidInput:
        return None


def order_place(*, actor, customer: Customer, lines, idempotency_key: str = "") -> Order:
    """Place an order of ``lines`` for ``customer``: pending, with its lines priced at the
    price list of the day; its completion is queued after the commit. One audit row
    ``order_placed``.

    The same ``idempotency_key`` from the same partner returns the first order (``replayed``
    is set on it) and writes nothing; with another body it is ``InvalidTransition`` (409)."""
    partner = acting_partner(actor)
    relationship = (
        CustomerRelationship.objects.active()
        .filter(customer=customer, partner=partner)
        .select_related("partner")
        .first()
    )
    if relationship is None:
        raise NotFound()
    require(actor, Action.ORDER)
    require_may_order_for(relationship)
    key = idempotency_key.strip() if isinstance(idempotency_key, str) else ""
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise InvalidInput.on(
            "idempotency_key",
            ngettext(
                "Send an idempotency key of at most %(max)d character.",
                "Send an idempotency key of at most %(max)d characters.",
                IDEMPOTENCY_KEY_MAX,
            )
            % {"max": IDEMPOTENCY_KEY_MAX},
        )
    if key:
        existing = Order.objects.filter(partner=partner, idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, customer, _priced_or_none(partner, lines))
    require_unrestricted(partner)  # the continuing obligations: no new purchases (a replay is none)
    priced = order_lines_check(partner=partner, lines=lines)
    currency = partner.market.currency
    total = sum((line.amount for line in priced), Decimal("0"))
    today = timezone.localdate()
    with transaction.atomic():
        # The partner's row serializes its orders: two orders for the last of the credit
        # line at once are decided one after the other, and so are two requests with one key.
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        if key:
            existing = Order.objects.filter(partner=partner, idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, customer, priced)
        _credit_refusal(partner, total, currency, today)
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    customer=customer,
                    partner=partner,
                    reseller_id=relationship.via_reseller_id,
                    currency=currency,
                    total=total,
                    idempotency_key=key,
                    created_by=actor,
                )
        except IntegrityError:
            # Another request with the key won (the constraint holds even without the lock).
            winner = Order.objects.get(partner=partner, idempotency_key=key)
            return _replay(winner, customer, priced)
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                line_number=number,
                offer=line.offer,
                price=line.price,
                quantity=line.quantity,
                term=line.term,
                billing=line.billing,
                unit_price=line.price.unit_price,
                currency=line.price.currency,
                auto_renew=line.auto_renew,
                scope=line.scope,
            )
            for number, line in enumerate(priced, start=1)
        )
        record_event(
            order,
            events.ORDER_PLACED,
            actor=actor,
            tenant=partner.tenant_id,
            to_state=OrderStatus.PENDING,
            customer=customer.company_name,
            customer_id=str(customer.pk),
            lines=len(priced),
            total=str(total),
            currency=currency,
        )
        transaction.on_commit(lambda: _queue_completion(order.pk))
    order.replayed = False
    return order


def _queue_completion(order_id) -> None:
    try:
        current_app.tasks[COMPLETE_TASK].delay(str(order_id))
    except Exception:  # the broker is unreachable: the sweep completes the order in a minute
        logger.exception("Could not queue the completion of order %s; the sweep will complete it", order_id)


def _locked_pending(order: Order, move: str) -> Order | None:
    """The order locked, if its status still allows ``move`` (None: someone moved it first)."""
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None or not locked.can(move):
        return None
    return locked


def _unchanged(order: Order) -> Order:
    current = Order.objects.get(pk=order.pk)
    current.changed = False
    return current


def order_complete(*, order: Order) -> Order:
    """Complete a pending order (the system): per line a subscription and its first term,
    from today to the end of the line's term (none for perpetual software), due when
    ``billing.renewals`` says. One audit row ``order_completed``. An order no longer pending
    is left as it is (the task and the sweep may both come): ``changed`` is False on it. If the partner may no longer
    order for the customer, the order fails instead (``order_fail``)."""
    with transaction.atomic():
        locked = _locked_pending(order, "complete")
        if locked is None:
            return _unchanged(order)
        relationship = (
            CustomerRelationship.objects.active()
            .filter(customer_id=locked.customer_id, partner_id=locked.partner_id)
            .select_related("partner")
            .first()
        )
        if not may_order_for(relationship):
            return order_fail(order=locked, reason=OrderFailure.NOT_PERMITTED)
        today = timezone.localdate()
        lines = list(locked.lines.select_related("offer__product"))
        for line in lines:
            months = TERM_MONTHS[line.term]
            subscription = Subscription(
                customer_id=locked.customer_id,
                partner_id=locked.partner_id,
                reseller_id=locked.reseller_id,
                order_line=line,
                offer=line.offer,
                kind=line.offer.product.kind,
                friendly_name=line.offer.name,
                quantity=line.quantity,
                term=line.term,
                billing=line.billing,
                unit_price=line.unit_price,
                currency=line.currency,
                start_date=today,
                term_started_on=today,
                end_date=add_months(today, months) if months else None,
                auto_renew=line.auto_renew,
                scope=line.scope,
            )
            subscription.due_at = next_due_at(subscription)
            subscription.save(force_insert=True)
            SubscriptionTerm.objects.create(
                subscription=subscription,
                number=1,
                start_date=today,
                end_date=subscription.end_date,
                quantity=line.quantity,
                unit_price=line.unit_price,
                currency=line.currency,
                billing=line.billing,
            )
        locked.status = ORDER_MOVES["complete"][1]
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        record_event(
            locked,
            events.ORDER_COMPLETED,
            tenant=locked.partner.tenant_id,
            from_state=OrderStatus.PENDING,
            to_state=locked.status,
            subscriptions=len(lines),
        )
    locked.changed = True
    return locked


def order_fail(*, order: Order, reason: str) -> Order:
    """A pending order fails (the system), with a reason code (``OrderFailure``) that is
    read in the reader's language. One audit row ``order_failed``; none if it is no longer
    pending."""
    with transaction.atomic():
        locked = _locked_pending(order, "fail")
        if locked is None:
            return _unchanged(order)
        locked.status = ORDER_MOVES["fail"][1]
        locked.failure_reason = reason
        locked.save(update_fields=["status", "failure_reason"])
        record_event(
            locked,
            events.ORDER_FAILED,
            tenant=locked.partner.tenant_id,
            from_state=OrderStatus.PENDING,
            to_state=locked.status,
            reason=reason,
        )
    locked.changed = True
    return locked


def order_cancel(*, actor, order: Order) -> Order:
    """The partner that placed a pending order cancels it; ``InvalidTransition`` (409) once
    it is completed, failed or cancelled. One audit row ``order_cancelled``."""
    partner = acting_partner(actor)
    if order.reseller_id == partner.pk:
        raise NotPermitted(
            _("Your indirect provider placed this order and bills it: only it can cancel the order.")
        )
    if order.partner_id != partner.pk:
        raise NotFound()
    require(actor, Action.ORDER)
    with transaction.atomic():
        locked = _locked_pending(order, "cancel")
        if locked is None:
            current = Order.objects.get(pk=order.pk)
            raise InvalidTransition(
                current.status,
                _("Only a pending order can be cancelled."),
                label=OrderStatus(current.status).label,
            )
        locked.status = ORDER_MOVES["cancel"][1]
        locked.save(update_fields=["status"])
        record_event(
            locked,
            events.ORDER_CANCELLED,
            actor=actor,
            tenant=partner.tenant_id,
            from_state=OrderStatus.PENDING,
            to_state=locked.status,
        )
    return locked


def orders_stale_due(now=None) -> list:
    """The ids of orders still pending a minute after they were placed (their completion
    task was lost), oldest first, bounded (the next sweep takes the rest)."""
    now = now or timezone.now()
    return list(
        Order.objects.pending()
        .filter(created_at__lt=now - STALE_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
