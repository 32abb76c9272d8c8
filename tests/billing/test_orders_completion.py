"""A placed order's life after it is placed: completed after the commit (a subscription and
its first term per line, with its dates and ``due_at``), failed when the partner may no
longer order, swept when its completion task was lost, cancelled while pending."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from billing import tasks
from billing.models import ORDER_MOVES, Order, OrderStatus, Subscription, SubscriptionTerm
from billing.renewals import at_start_of, next_due_at
from billing.services.orders import order_cancel, order_complete, order_place
from partnercenter.accounts.models import Role
from partnercenter.core.errors import InvalidTransition, NotFound, NotPermitted
from relationships.models import CustomerRelationship
from tests.billing.factories import line, sold
from tests.cast import direct_customer, events_of, share_customer, user_of

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def place(actor, customer, *lines):
    return order_place(actor=actor, customer=customer, lines=list(lines))


def test_the_moves_are_one_table():
    assert set(ORDER_MOVES) == {"complete", "fail", "cancel"}
    assert all(sources == {OrderStatus.PENDING} for sources, _target in ORDER_MOVES.values())
    assert {target for _sources, target in ORDER_MOVES.values()} == {"completed", "failed", "cancelled"}


def test_a_completed_order_makes_a_subscription_per_line(
    committed, provider, provider_admin, reseller, relationship
):
    customer = share_customer(provider, reseller)
    seats = sold(
        provider, name="Microsoft 365 E3", term="P1Y", billing="monthly", unit_price=Decimal("32.40")
    )
    plan = sold(provider, kind="azure_plan", name="Azure plan", term="P1M", billing="monthly")
    reservation = sold(
        provider, kind="azure_reservation", name="VM reservation", term="P3Y", billing="annual"
    )
    software = sold(provider, kind="software", name="SQL Server Standard", term="none", billing="one_time")
    with committed():
        order = place(
            provider_admin,
            customer,
            line(seats, 10, auto_renew=False),
            line(plan, 1),
            line(reservation, 2, scope="shared"),
            line(software, 4),
        )
    order.refresh_from_db()
    assert order.status == "completed" and order.completed_at is not None
    subscriptions = {s.friendly_name: s for s in Subscription.objects.all()}
    assert len(subscriptions) == 4
    for sub in subscriptions.values():
        assert (sub.customer, sub.partner, sub.reseller, sub.status) == (
            customer,
            provider,
            reseller,
            "active",
        )
        assert sub.start_date == sub.term_started_on == date(2026, 3, 2)
        assert sub.due_at == next_due_at(sub)
    e3 = subscriptions["Microsoft 365 E3"]
    assert (e3.kind, e3.quantity, e3.term, e3.billing, e3.unit_price, e3.auto_renew, e3.scope) == (
        "license",
        10,
        "P1Y",
        "monthly",
        Decimal("32.40"),
        False,
        "",
    )
    assert e3.end_date == date(2027, 3, 2)
    assert e3.due_at == at_start_of(date(2027, 3, 2)) - timedelta(days=14)
    assert e3.order_line.order == order
    assert subscriptions["Azure plan"].end_date == date(2026, 4, 2)
    # A monthly term renews every month: no reminder, due at its end.
    assert subscriptions["Azure plan"].due_at == at_start_of(date(2026, 4, 2))
    vm = subscriptions["VM reservation"]
    assert (vm.kind, vm.scope, vm.end_date) == ("azure_reservation", "shared", date(2029, 3, 2))
    sql = subscriptions["SQL Server Standard"]
    assert (sql.kind, sql.end_date, sql.due_at) == ("software", None, None)
    [term] = SubscriptionTerm.objects.filter(subscription=e3)
    assert (term.number, term.start_date, term.end_date, term.quantity, term.unit_price, term.billing) == (
        1,
        date(2026, 3, 2),
        date(2027, 3, 2),
        10,
        Decimal("32.40"),
        "monthly",
    )
    assert SubscriptionTerm.objects.get(subscription=sql).end_date is None
    [completed] = events_of(order, "order_completed")
    assert (completed.actor, completed.from_state, completed.to_state, completed.data) == (
        None,
        "pending",
        "completed",
        {"subscriptions": 4},
    )


def test_completing_twice_completes_once(direct, direct_admin):
    order = place(direct_admin, direct_customer(direct), line(sold(direct)))
    order_complete(order=order)
    order_complete(order=order)
    assert Subscription.objects.count() == 1
    assert len(events_of(order, "order_completed")) == 1


def test_an_order_the_partner_may_no_longer_complete_fails_with_the_reason(
    committed, provider, provider_admin, reseller, relationship
):
    customer = share_customer(provider, reseller)
    order = place(provider_admin, customer, line(sold(provider)))
    CustomerRelationship.objects.filter(partner=reseller).update(state="terminated")
    order_complete(order=order)
    order.refresh_from_db()
    assert (order.status, order.failure_reason) == ("failed", "not_permitted")
    assert "could no longer order for this customer" in order.failure_text
    assert not Subscription.objects.exists()
    [failed] = events_of(order, "order_failed")
    assert (failed.from_state, failed.to_state, failed.data) == (
        "pending",
        "failed",
        {"reason": "not_permitted"},
    )
    order_complete(order=order)  # nothing more
    assert len(events_of(order)) == 2


def test_a_lost_completion_is_swept_once(direct, direct_admin):
    order = place(direct_admin, direct_customer(direct), line(sold(direct)))  # the commit never came
    assert tasks.orders_sweep() == {"orders_completed": 0}  # under a minute: the task may still come
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert tasks.orders_sweep() == {"orders_completed": 1}
        assert tasks.orders_sweep() == {"orders_completed": 0}
    order.refresh_from_db()
    assert order.status == "completed"
    assert Subscription.objects.count() == 1
    assert len(events_of(order, "order_completed")) == 1


QUEUE_IN_A_FRESH_PROCESS = """
import django
django.setup()
from celery import current_app
from celery.app.task import Task
from billing.services import orders
queued = []
Task.apply_async = lambda task, args=None, kwargs=None, **options: queued.append((task.name, args))
print("registered:", "billing.tasks.order_complete_task" in current_app.tasks)
orders._queue_completion("an-order-id")
print("queued:", queued)
"""


def test_the_completion_is_queued_in_a_process_that_never_imported_billing_tasks():
    """Celery's autodiscovery runs in a worker only: in a web process the app's ready()
    imports billing's tasks, so the service finds its task in the registry (else every order
    would wait for the sweep, with an error in the log)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", QUEUE_IN_A_FRESH_PROCESS],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "partnercenter.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "registered: True" in done.stdout
    assert "queued: [('billing.tasks.order_complete_task', ('an-order-id',))]" in done.stdout, done.stderr


def test_the_sweep_is_in_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["billing-orders-sweep"]
    assert entry["task"] == "billing.tasks.orders_sweep" and entry["schedule"] <= 60


def test_the_task_of_an_unknown_order_does_nothing(db):
    import uuid

    assert tasks.order_complete_task(str(uuid.uuid4())) is None


# --- Cancel ---------------------------------------------------------------------------------------


def test_the_partner_cancels_a_pending_order(direct, direct_admin):
    order = place(direct_admin, direct_customer(direct), line(sold(direct)))
    order_cancel(actor=direct_admin, order=order)
    order.refresh_from_db()
    assert order.status == "cancelled"
    [cancelled] = events_of(order, "order_cancelled")
    assert (cancelled.actor, cancelled.from_state, cancelled.to_state) == (
        direct_admin,
        "pending",
        "cancelled",
    )
    order_complete(order=order)  # a cancelled order is not completed after all
    assert not Subscription.objects.exists()
    with pytest.raises(InvalidTransition) as exc:
        order_cancel(actor=direct_admin, order=order)
    assert exc.value.status == "cancelled"


def test_a_completed_order_is_not_cancelled(direct, direct_admin):
    order = order_complete(order=place(direct_admin, direct_customer(direct), line(sold(direct))))
    with pytest.raises(InvalidTransition) as exc:
        order_cancel(actor=direct_admin, order=order)
    assert exc.value.status == "completed"
    assert Order.objects.get().status == "completed"


def test_who_cancels(
    direct, direct_admin, outsider, provider, provider_admin, reseller, reseller_admin, relationship
):
    order = place(direct_admin, direct_customer(direct), line(sold(direct)))
    with pytest.raises(NotFound):
        order_cancel(actor=outsider, order=order)
    with pytest.raises(NotPermitted):
        order_cancel(actor=user_of(direct, role=Role.SALES_AGENT), order=order)
    provider_order = place(provider_admin, share_customer(provider, reseller), line(sold(provider)))
    with pytest.raises(NotPermitted) as exc:
        order_cancel(actor=reseller_admin, order=provider_order)
    assert "only it can cancel" in str(exc.value.message)
    assert set(Order.objects.values_list("status", flat=True)) == {"pending"}
