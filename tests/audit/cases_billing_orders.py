"""The audit table's cases of orders (``billing.services.orders``; see ``tests.audit.table``):
placed, completed, failed (at completion, and by itself), cancelled; and the calls that
change nothing or are refused, which write no row (``NO_OPS``, ``REFUSALS``, read by
``test_one_row_per_change``)."""

from decimal import Decimal

from billing.services import orders
from relationships.models import CustomerRelationship
from tests.audit.table import Run, case, provider_world
from tests.billing.factories import line, sold
from tests.factories import CustomerFactory, CustomerRelationshipFactory


def _world():
    """The provider, its reseller, a customer they share, and a price of the list."""
    p = provider_world()
    p.customer = CustomerFactory(company_name="Contoso Retail GmbH")
    CustomerRelationshipFactory(customer=p.customer, partner=p.reseller, role="indirect_reseller")
    CustomerRelationshipFactory(
        customer=p.customer, partner=p.provider, role="indirect_provider", via_reseller=p.reseller
    )
    p.price = sold(p.provider, name="Microsoft 365 Business Standard", unit_price=Decimal("12.50"))
    return p


def _placed(p, key=""):
    return orders.order_place(
        actor=p.provider_admin, customer=p.customer, lines=[line(p.price, 5)], idempotency_key=key
    )


@case(orders.order_place)
def _(w):
    p = _world()
    return Run(
        kwargs={"actor": p.provider_admin, "customer": p.customer, "lines": [line(p.price, 5)]},
        kind="order_placed",
        obj=lambda order: order,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="pending",
        data={
            "customer": "Contoso Retail GmbH",
            "customer_id": str(p.customer.pk),
            "lines": 1,
            "total": "62.50",
            "currency": "EUR",
        },
    )


@case(orders.order_complete)
def _(w):
    p = _world()
    order = _placed(p)
    return Run(
        kwargs={"order": order},
        kind="order_completed",
        obj=order,
        tenant=p.provider.tenant,
        from_state="pending",
        to_state="completed",
        data={"subscriptions": 1},
    )


@case(orders.order_complete, "the partner may no longer order")
def _(w):
    p = _world()
    order = _placed(p)
    CustomerRelationship.objects.filter(partner=p.reseller).update(state="terminated")
    return Run(
        kwargs={"order": order},
        kind="order_failed",
        obj=order,
        tenant=p.provider.tenant,
        from_state="pending",
        to_state="failed",
        data={"reason": "not_permitted"},
    )


@case(orders.order_fail)
def _(w):
    p = _world()
    order = _placed(p)
    return Run(
        kwargs={"order": order, "reason": "not_permitted"},
        kind="order_failed",
        obj=order,
        tenant=p.provider.tenant,
        from_state="pending",
        to_state="failed",
        data={"reason": "not_permitted"},
    )


@case(orders.order_cancel)
def _(w):
    p = _world()
    order = _placed(p)
    return Run(
        kwargs={"actor": p.provider_admin, "order": order},
        kind="order_cancelled",
        obj=order,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="pending",
        to_state="cancelled",
    )


# --- Calls that change nothing, and refusals ---------------------------------------------------------


def _noop_same_key_twice(w):
    p = _world()
    _placed(p, key="req-1")
    return orders.order_place, {
        "actor": p.provider_admin,
        "customer": p.customer,
        "lines": [line(p.price, 5)],
        "idempotency_key": "req-1",
    }


def _noop_complete_twice(w):
    p = _world()
    order = _placed(p)
    orders.order_complete(order=order)
    return orders.order_complete, {"order": order}


def _noop_fail_a_completed_order(w):
    p = _world()
    order = orders.order_complete(order=_placed(p))
    return orders.order_fail, {"order": order, "reason": "not_permitted"}


NO_OPS = {
    "place an order with its key again": _noop_same_key_twice,
    "complete an order twice": _noop_complete_twice,
    "fail a completed order": _noop_fail_a_completed_order,
}


def _refuse_the_reseller(w):
    p = _world()
    return orders.order_place, {
        "actor": p.reseller_admin,
        "customer": p.customer,
        "lines": [line(p.price, 5)],
    }


def _refuse_cancel_completed(w):
    p = _world()
    order = orders.order_complete(order=_placed(p))
    return orders.order_cancel, {"actor": p.provider_admin, "order": order}


def _refuse_the_key_with_another_body(w):
    p = _world()
    _placed(p, key="req-1")
    return orders.order_place, {
        "actor": p.provider_admin,
        "customer": p.customer,
        "lines": [line(p.price, 6)],
        "idempotency_key": "req-1",
    }


REFUSALS = {
    "a reseller places an order": _refuse_the_reseller,
    "cancel a completed order": _refuse_cancel_completed,
    "reuse an idempotency key with another body": _refuse_the_key_with_another_body,
}
