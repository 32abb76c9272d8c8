"""Two workers run the invoice run at once (two threads, two PostgreSQL connections): the
lock of each partner's number sequence serializes them, so there is one invoice per
partner, customer and period, and the numbers run without gaps."""

import threading

import pytest
import time_machine
from django.db import connection

from billing.models import Invoice, InvoiceSequence
from billing.services.invoices import invoice_run
from partnercenter.audit.models import Event
from tests.billing.invoicing import FEBRUARY, RUN_AT, february, monthly
from tests.cast import direct_customer, make_direct_bill


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_make_one_invoice_each_and_no_gap():
    assert connection.vendor == "postgresql"
    with time_machine.travel(RUN_AT, tick=False):
        partners = [make_direct_bill(legal_name=f"Partner {n} GmbH") for n in range(2)]
        for partner in partners:
            for n in range(3):
                customer = direct_customer(partner, company_name=f"Customer {n} of {partner.legal_name}")
                if n == 0:
                    february(partner, customer)
                else:
                    monthly(partner, customer)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        from django.db import connection as thread_connection

        try:
            with time_machine.travel(RUN_AT, tick=False):
                barrier.wait()
                outcomes.append(len(invoice_run(period_start=FEBRUARY)))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sum(outcomes) == 6, outcomes  # six invoices between them, whoever made which
    for partner in partners:
        invoices = Invoice.objects.filter(partner=partner)
        assert invoices.count() == 3
        assert sorted(invoices.values_list("sequence", flat=True)) == [1, 2, 3]
        assert InvoiceSequence.objects.get(partner=partner).last_number == 3
        assert invoices.values("customer").distinct().count() == 3
    assert Event.objects.filter(kind="invoice_issued").count() == 6
