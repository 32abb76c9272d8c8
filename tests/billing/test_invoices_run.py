"""The invoice run (issue 10, "Invoices"): one invoice per billing partner, customer and
period, with the period's charges of ``billing.charges`` as line items and the unbilled
credits as negative lines; numbers per partner without gaps; one audit row per invoice and
one email per recipient and period."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import Invoice, InvoiceRun, InvoiceSequence
from billing.services.invoices import invoice_run
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput
from partnercenter.notifications.models import Notification
from tests.billing.invoicing import FEBRUARY, RUN_AT, credit_for, february, monthly, software
from tests.cast import (
    direct_customer,
    make_direct_bill,
    make_provider,
    make_reseller,
    share_customer,
    user_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(RUN_AT, tick=False)]


@pytest.fixture
def partner():
    return make_direct_bill(legal_name="Adatum Direct GmbH")


@pytest.fixture
def customer(partner):
    return direct_customer(partner, company_name="Contoso GmbH")


def test_one_invoice_with_the_months_charges_and_the_credit(partner, customer):
    (first, second, third), credit = february(partner, customer)
    issued = invoice_run(period_start=FEBRUARY)
    assert len(issued) == 1
    invoice = Invoice.objects.get()
    assert (invoice.partner, invoice.customer, invoice.reseller) == (partner, customer, None)
    assert (invoice.period_start, invoice.period_end) == (FEBRUARY, date(2026, 3, 1))
    assert invoice.currency == partner.market.currency
    lines = [
        (
            line.kind,
            line.description,
            line.quantity,
            line.unit_price,
            line.charge_start,
            line.charge_end,
            line.amount,
        )
        for line in invoice.lines.order_by("line_number")
    ]
    assert lines == [
        # Annual: the year that starts in February, in advance.
        (
            "charge",
            "Dynamics 365 Sales Professional",
            2,
            Decimal("120.00"),
            date(2026, 2, 15),
            date(2027, 2, 15),
            Decimal("240.00"),
        ),
        # Monthly: 19 of February's 28 days, in arrears.
        (
            "charge",
            "Microsoft 365 Business Standard",
            10,
            Decimal("10.50"),
            date(2026, 2, 10),
            date(2026, 3, 1),
            Decimal("71.25"),
        ),
        # One-time: once, in the month of purchase.
        (
            "charge",
            "Windows Server 2025 Standard",
            1,
            Decimal("300.00"),
            date(2026, 2, 20),
            date(2026, 2, 21),
            Decimal("300.00"),
        ),
        # The credit, negative.
        (
            "credit",
            "Dynamics 365 Sales Professional",
            1,
            Decimal("-50.00"),
            date(2026, 2, 25),
            date(2027, 2, 15),
            Decimal("-50.00"),
        ),
    ]
    assert (invoice.charges, invoice.credits, invoice.total) == (
        Decimal("611.25"),
        Decimal("50.00"),
        Decimal("561.25"),
    )
    credit.refresh_from_db()
    assert credit.invoice == invoice
    assert invoice.number == "G000000001"
    assert InvoiceRun.objects.get(period_start=FEBRUARY).completed_at is not None


def test_the_next_month_bills_what_is_due_then_only(partner, customer, time_machine):
    february(partner, customer)
    invoice_run(period_start=FEBRUARY)
    time_machine.move_to("2026-04-02T06:00:00Z")
    invoice_run(period_start=date(2026, 3, 1))
    march = Invoice.objects.get(period_start=date(2026, 3, 1))
    # Only the monthly seats: the annual year and the software were billed in February,
    # the credit was taken by February's invoice.
    assert [(line.description, line.amount) for line in march.lines.all()] == [
        ("Microsoft 365 Business Standard", Decimal("105.00"))
    ]
    assert (march.number, march.credits) == ("G000000002", Decimal("0.00"))


def test_a_credit_created_after_the_run_waits_for_the_next_invoice(partner, customer):
    subscription = monthly(partner, customer)
    late = credit_for(subscription, created_at=RUN_AT.replace(hour=7))
    invoice_run(period_start=FEBRUARY)
    late.refresh_from_db()
    assert late.invoice is None
    assert Invoice.objects.get().credits == Decimal("0.00")


def test_a_customer_with_nothing_to_bill_gets_no_invoice(partner, customer):
    direct_customer(partner, company_name="Idle GmbH")
    monthly(partner, customer, start=date(2026, 3, 5))  # starts after February
    assert invoice_run(period_start=FEBRUARY) == []
    assert not Invoice.objects.exists()


def test_one_invoice_per_partner_and_customer_and_numbers_per_partner_without_gaps(partner, customer):
    other = make_direct_bill(legal_name="Fourth Coffee B.V.")
    customers = [customer, direct_customer(partner, company_name="Tailspin Toys")]
    others = [direct_customer(other, company_name=f"Customer {n}") for n in range(3)]
    # Interleaved: the subscriptions of both partners are made in turns.
    for n in range(3):
        if n < 2:
            monthly(partner, customers[n])
            software(partner, customers[n])
        monthly(other, others[n])
    invoice_run(period_start=FEBRUARY)
    for billing_partner, count in ((partner, 2), (other, 3)):
        invoices = Invoice.objects.filter(partner=billing_partner).order_by("sequence")
        assert [i.sequence for i in invoices] == list(range(1, count + 1))
        assert [i.number for i in invoices] == [f"G{n:09d}" for n in range(1, count + 1)]
        assert InvoiceSequence.objects.get(partner=billing_partner).last_number == count
    # One invoice per customer, whatever the number of its subscriptions.
    assert Invoice.objects.filter(customer=customers[0]).count() == 1
    assert Invoice.objects.get(customer=customers[0]).lines.count() == 2


def test_the_provider_bills_its_resellers_customer_and_the_reseller_is_named(time_machine):
    provider = make_provider("Contoso Distribution GmbH")
    reseller = make_reseller(provider, legal_name="Fabrikam Cloud GmbH")
    customer = share_customer(provider, reseller, company_name="Wingtip Toys")
    monthly(provider, customer, reseller=reseller)
    invoice_run(period_start=FEBRUARY)
    invoice = Invoice.objects.get()
    assert (invoice.partner, invoice.reseller) == (provider, reseller)


def test_running_twice_makes_one_invoice_one_audit_row_and_one_email(partner, customer):
    february(partner, customer)
    user_of(partner)
    user_of(partner, Role.BILLING_ADMIN, first_name="Bea")
    user_of(partner, Role.ADMIN_AGENT)  # does not see invoices: no email
    first = invoice_run(period_start=FEBRUARY)
    again = invoice_run(period_start=FEBRUARY)
    assert len(first) == 1 and again == []
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get(partner=partner).last_number == 1
    events = Event.objects.filter(kind="invoice_issued")
    assert events.count() == 1
    event = events.get()
    assert (event.object_id, event.tenant_id, event.actor_id, event.to_state) == (
        str(first[0].pk),
        partner.tenant_id,
        None,
        "issued",
    )
    emails = Notification.objects.filter(template="invoices_ready")
    assert sorted(emails.values_list("recipient", flat=True)) == [
        f"billing.admin@{partner.tenant.domain}",
        f"global.admin@{partner.tenant.domain}",
    ]
    assert emails.first().context["month"] == "February 2026"


def test_the_email_is_in_the_partners_language(customer, partner):
    partner.language = "zh-hant"
    partner.save(update_fields=["language"])
    user_of(partner)
    monthly(partner, customer)
    invoice_run(period_start=FEBRUARY)
    email = Notification.objects.get(template="invoices_ready")
    assert (email.language, email.context["month"]) == ("zh-hant", "2026年2月")


@pytest.mark.parametrize("period", [date(2026, 2, 2), date(2026, 3, 1), "2026-02"])
def test_a_period_that_is_not_an_ended_month_is_refused(period):
    with pytest.raises(InvalidInput) as refused:
        invoice_run(period_start=period)
    assert "period_start" in refused.value.errors


def test_a_failing_partner_leaves_no_half_invoice_and_the_month_open(partner, customer, monkeypatch):
    monthly(partner, customer)
    other = make_direct_bill(legal_name="Fourth Coffee B.V.")
    monthly(other, direct_customer(other))
    from billing.services import invoices as service

    real = service.InvoiceLine.objects.bulk_create

    def fail_for_partner(lines, *args, **kwargs):
        if lines and lines[0].invoice.partner_id == partner.pk:
            raise RuntimeError("the database went away")
        return real(lines, *args, **kwargs)

    monkeypatch.setattr(service.InvoiceLine.objects, "bulk_create", fail_for_partner)
    issued = invoice_run(period_start=FEBRUARY)
    assert [i.partner for i in issued] == [other]
    assert not Invoice.objects.filter(partner=partner).exists()  # rolled back whole
    assert InvoiceSequence.objects.get(partner=partner).last_number == 0  # no gap
    assert InvoiceRun.objects.get(period_start=FEBRUARY).completed_at is None
    monkeypatch.undo()
    invoice_run(period_start=FEBRUARY)  # the next run catches it up
    assert Invoice.objects.get(partner=partner).number == "G000000001"
    assert InvoiceRun.objects.get(period_start=FEBRUARY).completed_at is not None


def test_the_email_renders_in_the_partners_language(partner, customer):
    from partnercenter.notifications.delivery import render

    partner.language = "ru"
    partner.save(update_fields=["language"])
    user_of(partner, first_name="Olga")
    monthly(partner, customer)
    invoice_run(period_start=FEBRUARY)
    subject, text, html = render(Notification.objects.get(template="invoices_ready"))
    assert subject  # the English source when the catalog has no translation yet
    assert "февраль 2026" in subject or "февраль 2026" in text
    assert "/invoices/?period=2026-02" in text and "/invoices/?period=2026-02" in html
    assert "Olga" in text


def test_the_admin_action_records_the_payment(client, partner, customer):
    from tests.audit.table import staff_with
    from tests.factories import UserFactory

    monthly(partner, customer)
    [invoice] = invoice_run(period_start=FEBRUARY)
    superuser = UserFactory(
        tenant=None, roles=[], email="ops@partners.test", is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    response = client.post(
        "/admin/billing/invoice/", {"action": "record_payment", "_selected_action": [str(invoice.pk)]}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.paid_at is not None and invoice.paid_recorded_by == superuser
    assert Event.objects.filter(kind="invoice_paid").count() == 1
    # Staff without the permission do not see the action; the service refuses them anyway.
    viewer = staff_with("view_invoice")
    client.force_login(viewer)
    page = client.get("/admin/billing/invoice/")
    assert page.status_code == 200 and "record_payment" not in page.content.decode()
