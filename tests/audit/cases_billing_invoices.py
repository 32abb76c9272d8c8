"""The audit table's cases of invoices (see ``tests.audit.table``): the run writes one row
per invoice it issues (one customer here: one row), staff's payment one."""

from datetime import date

from billing.services import invoices
from tests.audit.table import Run, case, staff_with
from tests.billing.factories import InvoiceFactory, subscription_of
from tests.cast import direct_customer, make_direct_bill

FEBRUARY = date(2026, 2, 1)  # the table's NOW is 2 March 2026


@case(invoices.invoice_run)
def _(w):
    partner = make_direct_bill(legal_name="Fourth Coffee B.V.")
    customer = direct_customer(partner, company_name="Contoso Retail GmbH")
    subscription_of(partner, customer, start=date(2026, 2, 1), quantity=2)  # 2 × 10.50 for February
    return Run(
        kwargs={"period_start": FEBRUARY},
        kind="invoice_issued",
        obj=lambda issued: issued[0],
        tenant=partner.tenant,
        actor=None,
        from_state="",
        to_state="issued",
        data={
            "number": "G000000001",
            "customer": "Contoso Retail GmbH",
            "customer_id": str(customer.pk),
            "period": "2026-02",
            "total": "21.00",
            "currency": partner.market.currency,
            "lines": 1,
        },
    )


@case(invoices.invoice_record_payment)
def _(w):
    partner = make_direct_bill(legal_name="Fourth Coffee B.V.")
    invoice = InvoiceFactory(partner=partner, customer=direct_customer(partner), total="21.00")
    staff = staff_with("change_invoice")
    return Run(
        kwargs={"actor": staff, "invoice": invoice},
        kind="invoice_paid",
        obj=invoice,
        tenant=partner.tenant,
        actor=staff,
        from_state="unpaid",
        to_state="paid",
        data={"number": invoice.number, "total": "21.00", "currency": "EUR"},
    )
