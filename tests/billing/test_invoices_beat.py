"""The beat task ``billing.tasks.invoices_run`` runs daily: on or after ``INVOICE_RUN_DAY``
it bills the month before unless that month's run is done, so a day the beat missed is
caught up, and running it again changes nothing."""

from datetime import date

import pytest
from django.conf import settings as django_settings

from billing.models import Invoice, InvoiceRun
from billing.tasks import invoices_run
from tests.billing.invoicing import monthly
from tests.cast import direct_customer, make_direct_bill

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    partner = make_direct_bill()
    customer = direct_customer(partner)
    monthly(partner, customer)
    return customer


def test_it_is_in_the_beat_schedule_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["invoices-run"]
    assert entry["task"] == "billing.tasks.invoices_run"
    assert entry["schedule"].day_of_month == set(range(1, 32))


@pytest.mark.parametrize(
    ("run_day", "today", "billed"),
    [
        (1, "2026-03-01T03:00:00Z", date(2026, 2, 1)),  # the run day: the month before
        (5, "2026-03-04T03:00:00Z", None),  # before the run day: nothing yet
        (5, "2026-03-05T03:00:00Z", date(2026, 2, 1)),
        (5, "2026-03-09T03:00:00Z", date(2026, 2, 1)),  # the beat missed days: caught up
        (28, "2026-03-27T03:00:00Z", None),
        (28, "2026-03-28T03:00:00Z", date(2026, 2, 1)),
    ],
)
def test_the_run_day_rule(customer, settings, time_machine, run_day, today, billed):
    settings.INVOICE_RUN_DAY = run_day
    time_machine.move_to(today, tick=False)
    result = invoices_run()
    assert result["period"] == (billed.isoformat() if billed else None)
    assert list(Invoice.objects.values_list("period_start", flat=True)) == ([billed] if billed else [])


def test_a_done_month_is_not_run_again_and_the_next_month_is(customer, settings, time_machine):
    settings.INVOICE_RUN_DAY = 3
    time_machine.move_to("2026-03-03T03:00:00Z", tick=False)
    assert invoices_run() == {"period": "2026-02-01", "invoices": 1}
    time_machine.move_to("2026-03-04T03:00:00Z", tick=False)
    assert invoices_run() == {"period": None, "invoices": 0}  # February is done
    assert InvoiceRun.objects.get(period_start=date(2026, 2, 1)).completed_at is not None
    time_machine.move_to("2026-04-03T03:00:00Z", tick=False)
    assert invoices_run() == {"period": "2026-03-01", "invoices": 1}
    assert Invoice.objects.count() == 2


def test_a_month_left_open_is_run_again_the_next_day_without_a_second_invoice(
    customer, settings, time_machine
):
    settings.INVOICE_RUN_DAY = 1
    time_machine.move_to("2026-03-01T03:00:00Z", tick=False)
    invoices_run()
    InvoiceRun.objects.update(completed_at=None)  # as if a partner had failed
    time_machine.move_to("2026-03-02T03:00:00Z", tick=False)
    assert invoices_run() == {"period": "2026-02-01", "invoices": 0}
    assert Invoice.objects.count() == 1
