"""The invoices API: who sees which invoices (the billing partner, the reseller for its
customers, the customer's global admin; other roles 403 with the table's reason, anyone
else 404), the line items, the PDF and the reconciliation file, the credit position and
staff's payment."""

import csv
import io

import pytest

from billing.models import Invoice
from partnercenter.audit.models import Event
from tests.audit.table import staff_with
from tests.billing.invoicing import billed_world
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

REASON = "Only your global admin or a billing admin can see invoices, credits and the credit line."


@pytest.fixture
def w():
    return billed_world()


@pytest.mark.parametrize("who", ["provider_admin", "billing_admin"])
def test_the_billing_partner_lists_its_invoices(w, who):
    response = api_as(getattr(w, who)).get("/api/v1/invoices/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["number"] == "G000000001"
    assert row["period"] == "2026-02"
    assert row["customer_id"] == str(w.customer.pk)
    assert row["reseller_id"] == str(w.reseller.pk)
    assert row["total"] == {"amount": "561.25", "currency": "EUR"}
    assert row["credits"] == {"amount": "50.00", "currency": "EUR"}
    assert row["period_end"] == "2026-02-28"


@pytest.mark.parametrize("who", ["admin_agent", "sales_agent"])
def test_other_roles_get_403_with_the_reason(w, who):
    for url in (
        "/api/v1/invoices/",
        f"/api/v1/invoices/{w.invoice.pk}/",
        f"/api/v1/invoices/{w.invoice.pk}/pdf/",
        f"/api/v1/invoices/{w.invoice.pk}/reconciliation/",
        "/api/v1/billing/credit/",
    ):
        response = api_as(getattr(w, who)).get(url)
        assert response.status_code == 403, url
        assert REASON in response.json()["detail"]


def test_the_detail_has_its_line_items(w):
    response = api_as(w.billing_admin).get(f"/api/v1/invoices/{w.invoice.pk}/")
    assert response.status_code == 200
    items = response.json()["line_items"]
    assert [(i["line_number"], i["kind"], i["amount"]["amount"]) for i in items] == [
        (1, "charge", "240.00"),
        (2, "charge", "71.25"),
        (3, "charge", "300.00"),
        (4, "credit", "-50.00"),
    ]
    assert items[1]["charge_start"] == "2026-02-10" and items[1]["charge_end"] == "2026-02-28"
    assert items[1]["unit_price"] == {"amount": "10.50", "currency": "EUR"}


def test_the_reseller_sees_what_was_billed_for_its_customers(w):
    client = api_as(w.reseller_billing)
    assert [r["id"] for r in client.get("/api/v1/invoices/").json()["results"]] == [str(w.invoice.pk)]
    assert client.get(f"/api/v1/invoices/{w.invoice.pk}/").status_code == 200
    # Read-only: nothing to write; another partner's invoice is not found.
    assert client.get(f"/api/v1/invoices/{w.direct_invoice.pk}/").status_code == 404


def test_another_partners_invoice_is_404(w):
    client = api_as(w.direct_admin)
    assert [r["id"] for r in client.get("/api/v1/invoices/").json()["results"]] == [str(w.direct_invoice.pk)]
    for suffix in ("", "pdf/", "reconciliation/"):
        assert client.get(f"/api/v1/invoices/{w.invoice.pk}/{suffix}").status_code == 404


def test_filters_by_period_and_customer(w):
    client = api_as(w.provider_admin)
    assert client.get("/api/v1/invoices/?period=2026-02").json()["count"] == 1
    assert client.get("/api/v1/invoices/?period=2026-01").json()["count"] == 0
    assert client.get(f"/api/v1/invoices/?customer={w.customer.pk}").json()["count"] == 1
    assert client.get(f"/api/v1/invoices/?customer={w.direct_invoice.customer_id}").json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [("period=2026-13", "period"), ("period=February", "period"), ("customer=nope", "customer")],
)
def test_a_bad_filter_is_400_by_field(w, query, field):
    response = api_as(w.provider_admin).get(f"/api/v1/invoices/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_pdf_and_the_reconciliation_file(w):
    client = api_as(w.billing_admin)
    pdf = client.get(f"/api/v1/invoices/{w.invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"G000000001" in pdf.content
    response = client.get(f"/api/v1/invoices/{w.invoice.pk}/reconciliation/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    assert rows[3]["ChargeType"] == "customerCredit" and rows[3]["Amount"] == "-50.00"


def test_the_credit_position(w):
    direct = api_as(w.direct_admin).get("/api/v1/billing/credit/")
    assert direct.status_code == 200
    body = direct.json()
    # The direct-bill partner's February invoice is unpaid: it counts against the line.
    assert body["unpaid"] == {"amount": "71.25", "currency": "EUR"}
    assert set(body) == {"currency", "credit_line", "unpaid", "unbilled", "used", "available"}
    # A provider has no credit line.
    assert api_as(w.provider_admin).get("/api/v1/billing/credit/").json()["credit_line"] is None


def test_the_customers_global_admin_sees_its_own_invoices(w):
    client = api_as(w.customer_admin)
    body = client.get("/api/v1/customer/invoices/").json()
    assert [r["id"] for r in body["results"]] == [str(w.invoice.pk)]
    assert client.get(f"/api/v1/customer/invoices/{w.invoice.pk}/").json()["line_items"]
    pdf = client.get(f"/api/v1/customer/invoices/{w.invoice.pk}/pdf/")
    assert pdf.content.startswith(b"%PDF")
    # Another customer's invoice is not found; the partner's endpoints are not the customer's.
    assert client.get(f"/api/v1/customer/invoices/{w.direct_invoice.pk}/").status_code == 404
    assert client.get("/api/v1/invoices/").status_code == 403


def test_only_the_customers_global_admin(w):
    refused = api_as(w.customer_employee).get("/api/v1/customer/invoices/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Only your organization's global admin can see its invoices. Ask your global admin."
    )
    # A partner's admin is no customer here: nothing, and the customer's invoice is 404.
    client = api_as(w.reseller_admin)
    assert client.get("/api/v1/customer/invoices/").json()["count"] == 0
    assert client.get(f"/api/v1/customer/invoices/{w.invoice.pk}/").status_code == 404


def test_staff_record_a_payment_and_it_leaves_the_credit_line(w):
    url = f"/api/v1/review/invoices/{w.direct_invoice.pk}/payment/"
    assert api_as(w.direct_admin).post(url).status_code == 403
    assert api_as(staff_with("review_enrollment")).post(url).status_code == 403
    staff = staff_with("change_invoice", email="ops@partners.test")
    response = api_as(staff).post(url)
    assert response.status_code == 200
    assert response.json()["paid_at"]
    assert Event.objects.filter(kind="invoice_paid", object_id=str(w.direct_invoice.pk)).count() == 1
    assert api_as(w.direct_admin).get("/api/v1/billing/credit/").json()["unpaid"]["amount"] == "0.00"
    again = api_as(staff).post(url)
    assert again.status_code == 409 and again.json()["status"] == "paid"
    assert Event.objects.filter(kind="invoice_paid").count() == 1
    assert Invoice.objects.get(pk=w.direct_invoice.pk).paid_recorded_by == staff
