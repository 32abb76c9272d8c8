"""Orders under two requests at once, on real PostgreSQL connections (two threads): the
last of the credit line gives one order, one idempotency key gives one order, and two
sweeps complete a lost order once."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from billing import tasks
from billing.models import Order, Subscription
from billing.services.orders import order_place
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput
from tests.billing.factories import line, sold, with_credit_line
from tests.cast import direct_customer, make_direct_bill, user_of

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at_once(*calls) -> list:
    """Run the calls in two threads released together; their outcomes (a result or the
    domain error's class name)."""
    barrier, outcomes = threading.Barrier(len(calls)), []

    def run(call):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            outcomes.append(call())
        except InvalidInput as exc:
            outcomes.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return outcomes


@pytest.fixture
def partner():
    assert connection.vendor == "postgresql"
    with time_machine.travel(DAY, tick=True):
        partner = make_direct_bill(legal_name="Adatum Race GmbH")
        yield partner


def test_two_orders_for_the_last_of_the_credit_line_give_one(partner):
    with_credit_line(partner, Decimal("1000"))
    admin, customer = user_of(partner), direct_customer(partner)
    price = sold(partner, unit_price=Decimal("600.00"), billing="annual")
    outcomes = at_once(
        lambda: order_place(actor=admin, customer=customer, lines=[line(price, 1)]),
        lambda: order_place(actor=admin, customer=customer, lines=[line(price, 1)]),
    )
    placed = [o for o in outcomes if isinstance(o, Order)]
    refused = [o for o in outcomes if isinstance(o, InvalidInput)]
    assert (len(placed), len(refused)) == (1, 1), outcomes
    assert "€400.00 of it is available" in refused[0].errors["non_field_errors"][0]
    assert Order.objects.count() == 1
    assert Event.objects.filter(kind="order_placed").count() == 1


def test_two_requests_with_one_key_give_one_order(partner):
    admin, customer = user_of(partner), direct_customer(partner)
    price = sold(partner)
    for round_ in range(3):
        key = f"req-{round_}"
        outcomes = at_once(
            lambda key=key: order_place(
                actor=admin, customer=customer, lines=[line(price, 2)], idempotency_key=key
            ),
            lambda key=key: order_place(
                actor=admin, customer=customer, lines=[line(price, 2)], idempotency_key=key
            ),
        )
        assert len({o.pk for o in outcomes}) == 1, outcomes
        assert sorted(o.replayed for o in outcomes) == [False, True]
    assert Order.objects.count() == 3
    assert Event.objects.filter(kind="order_placed").count() == 3


def test_two_sweeps_complete_a_lost_order_once(partner):
    admin, customer = user_of(partner), direct_customer(partner)
    price = sold(partner)
    # Placed in a transaction whose completion task was lost (a broker down).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("billing.services.orders._queue_completion", lambda order_id: None)
        order = order_place(actor=admin, customer=customer, lines=[line(price, 2)])
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True):
        outcomes = at_once(tasks.orders_sweep, tasks.orders_sweep)
    assert sorted(o["orders_completed"] for o in outcomes) == [0, 1]
    order.refresh_from_db()
    assert order.status == "completed"
    assert Subscription.objects.count() == 1
    assert Event.objects.filter(kind="order_completed").count() == 1
