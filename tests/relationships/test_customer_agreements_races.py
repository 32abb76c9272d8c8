"""Two identical confirmations at once (a double click, a retried request in two workers):
both pass their checks before either records, and the customer's lock makes them record one
acceptance and one audit row."""

import datetime

import pytest
import time_machine

from partnercenter.audit.models import Event
from relationships.customer_agreements import CustomerAgreementAcceptance
from relationships.services import customer_agreements
from tests.cast import share_customer
from tests.notifications.test_concurrent_sweeps import run_together

from .agreements_helpers import CONTACT, TODAY, mca_template

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_identical_confirmations_at_once_record_once(
    monkeypatch, provider, reseller, relationship, provider_admin
):
    template = mca_template()
    customer = share_customer(provider, reseller, company_name="Contoso GmbH")

    def confirm():
        return customer_agreements.customer_agreement_confirm(
            actor=provider_admin,
            customer=customer,
            template_id=str(template.pk),
            contact=dict(CONTACT),
            date_agreed=datetime.date(2026, 2, 27),
        )

    with time_machine.travel(TODAY, tick=False):
        # Each waits for the other once its date is checked: both are past the checks.
        done = run_together(monkeypatch, customer_agreements, "_date_agreed", confirm)
    assert sorted(result.created for result in done) == [False, True]
    assert CustomerAgreementAcceptance.objects.count() == 1
    assert Event.objects.filter(kind="customer_agreement_confirmed").count() == 1
