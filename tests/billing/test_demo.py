"""seed_demo's commerce part (billing.demo): orders, subscriptions, users with licenses and
last month's invoices for Fourth Coffee and Adatum, made through the services; a second
seed_demo changes nothing."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from billing.models import CustomerUser, Invoice, LicenseAssignment, Order, Subscription, SubscriptionTerm
from partnercenter.audit.models import Event
from partnercenter.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=False)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Order,
            Subscription,
            SubscriptionTerm,
            CustomerUser,
            LicenseAssignment,
            Invoice,
            Event,
            Notification,
        )
    }


@pytest.fixture
def seeded(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    out = StringIO()
    with (
        time_machine.travel("2026-12-01 09:00 +00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_orders_and_bills_last_month(seeded):
    alpine = Order.objects.get(customer__company_name="Alpine Ski House B.V.")
    litware = Order.objects.get(customer__company_name="Litware GmbH")
    assert alpine.partner.legal_name.startswith("Fourth Coffee")
    assert litware.partner.legal_name.startswith("Adatum") and litware.reseller.legal_name.startswith("Trey")
    assert alpine.status == litware.status == "completed"
    kinds = set(Subscription.objects.filter(order_line__order=alpine).values_list("kind", flat=True))
    assert kinds == {"license", "azure_reservation", "software"}
    reservation = Subscription.objects.get(order_line__order=alpine, kind="azure_reservation")
    assert reservation.scope == "shared" and reservation.end_date == date(2027, 11, 10)
    # The one hand-made thing: dated back to last month, terms and all.
    for subscription in Subscription.objects.all():
        assert subscription.start_date == subscription.term_started_on == date(2026, 11, 10)
        assert subscription.terms.get().start_date == date(2026, 11, 10)
    # Users and licenses: by Fourth Coffee for Alpine, by Trey Research for Litware.
    assert LicenseAssignment.objects.filter(subscription__customer=alpine.customer).count() == 3
    trey = LicenseAssignment.objects.filter(subscription__customer=litware.customer)
    assert trey.count() == 4
    assert {a.assigned_by.email for a in trey} == {"admin@treyde.onmicrosoft.com"}
    # One invoice per billing partner and customer for November 2026.
    invoices = {i.customer.company_name: i for i in Invoice.objects.select_related("customer")}
    assert set(invoices) == {"Alpine Ski House B.V.", "Litware GmbH"}
    assert {i.period_start for i in invoices.values()} == {date(2026, 11, 1)}
    # 5 seats × 11.75 × 21/30 days + 2 × 592.09 (the year, in advance) + 1004.86 once.
    assert invoices["Alpine Ski House B.V."].total == Decimal("41.13") + Decimal("1184.18") + Decimal(
        "1004.86"
    )
    assert invoices["Litware GmbH"].total == Decimal("144.76")  # 10 × 20.68 × 21/30
    assert "billing@fourthcoffeenl.onmicrosoft.com" in seeded
    assert "invoices of November 2026: 2 new" in seeded


def test_a_second_seed_demo_changes_nothing(seeded, django_capture_on_commit_callbacks):
    before = counts()
    again = StringIO()
    with (
        time_machine.travel("2026-12-01 10:00 +00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("seed_demo", stdout=again)
    assert counts() == before
    assert "invoices of November 2026: 0 new" in again.getvalue()


def test_a_month_later_it_still_changes_nothing(seeded):
    """Its invoices are of the month its orders are dated in; the next month is the beat's."""
    before = counts()
    with time_machine.travel("2027-01-05 10:00 +00:00", tick=False):
        call_command("seed_demo", stdout=StringIO())
    assert counts() == before
