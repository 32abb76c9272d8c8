"""``GET /v1/invoices``, ``GET /v1/invoices/{id}`` and the line items of each billing provider:
Partner Center's Invoice, InvoiceDetail, LicenseBasedLineItem and OneTimeInvoiceLineItem
shapes; who sees invoices is billing's rule (the global admin and the billing admin, the
reseller for its customers; others 403 with the table's reason; another partner's 404 code
3000); the provider and line item type read in any case; seek paging, bounded and with
constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import InvoiceLine
from tests.billing.invoicing import billed_world

from . import pc_client

pytestmark = pytest.mark.django_db

REASON = "Only your global admin or a billing admin can see invoices, credits and the credit line."


@pytest.fixture
def w():
    return billed_world()


def _link(uri: str) -> dict:
    return {"uri": uri, "method": "GET", "headers": []}


def test_the_invoices_in_partner_centers_shape(w):
    client = pc_client(w.billing_admin, X_Locale="en-US")
    response = client.get("/v1/invoices")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["attributes"] == {"objectType": "Collection"} and body["totalCount"] == 1
    invoice = w.invoice
    base = f"/invoices/{invoice.pk}"
    expected = {
        "id": str(invoice.pk),
        "invoiceNumber": "G000000001",
        "invoiceDate": "2026-03-02T06:00:00.000Z",
        "billingPeriodStartDate": "2026-02-01T00:00:00Z",
        "billingPeriodEndDate": "2026-02-28T00:00:00Z",
        "totalCharges": 561.25,
        "paidAmount": 0,
        "currencyCode": "EUR",
        "currencySymbol": "€",
        "pdfDownloadLink": None,  # Partner Center gives it when the invoice is read by ID
        "invoiceDetails": [
            {
                "invoiceLineItemType": "billing_line_items",
                "billingProvider": "office",
                "links": {"self": _link(f"{base}/lineitems/Office/BillingLineItems")},
                "attributes": {"objectType": "InvoiceDetail"},
            },
            {
                "invoiceLineItemType": "billing_line_items",
                "billingProvider": "one_time",
                "links": {"self": _link(f"{base}/lineitems/OneTime/BillingLineItems")},
                "attributes": {"objectType": "InvoiceDetail"},
            },
        ],
        "documentType": "invoice",
        "links": {"self": _link(base)},
        "attributes": {"objectType": "Invoice"},
    }
    assert body["items"] == [expected]
    one = client.get(f"/v1{base}").json()
    assert one == expected | {"pdfDownloadLink": f"http://testserver/api/v1/invoices/{invoice.pk}/pdf/"}
    # The link works with the same bearer token (the PDF of /api/v1/).
    pdf = client.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_office_line_items(w):
    response = pc_client(w.provider_admin).get(
        f"/v1/invoices/{w.invoice.pk}/lineitems/Office/BillingLineItems"
    )
    assert response.status_code == 200, response.json()
    items = response.json()["items"]
    assert [(i["chargeType"], i["amount"]) for i in items] == [
        ("Cycle fee", 240.0),
        ("Cycle fee", 71.25),
        ("Prorate fees when cancel", -50.0),
    ]
    monthly = items[1]
    line = InvoiceLine.objects.get(invoice=w.invoice, line_number=2)
    subscription = line.subscription
    assert monthly == {
        "partnerId": str(w.provider.tenant_id),
        "customerId": str(w.customer.pk),
        "customerName": "Wingtip Toys",
        "orderId": str(subscription.order_line.order_id),
        "subscriptionId": str(subscription.pk),
        "chargeStartDate": "2026-02-10T00:00:00Z",
        "chargeEndDate": "2026-02-28T00:00:00Z",
        "unitPrice": 10.5,
        "quantity": 10,
        "subtotal": 71.25,
        "totalForCustomer": 71.25,
        "currency": "EUR",
        "invoiceLineItemType": "billing_line_items",
        "billingProvider": "office",
        "invoiceNumber": "G000000001",
        "mpnId": w.provider.mpn_id,
        "tier2MpnId": w.reseller.mpn_id,
        "offerId": line.offer_id,
        "offerName": line.description,
        "domainName": w.customer.tenant.domain,
        "billingCycleType": "monthly",
        "subscriptionName": subscription.friendly_name,
        "subscriptionStartDate": "2026-02-10T00:00:00Z",
        "chargeType": "Cycle fee",
        "amount": 71.25,
        "tax": 0,
        "attributes": {"objectType": "LicenseBasedLineItem"},
    }


@pytest.mark.parametrize(
    "path",
    [
        "lineitems/OneTime/BillingLineItems",
        "lineitems/onetime/billinglineitems",
        "lineitems/one_time/billing_line_items",
        "lineitems?provider=OneTime&invoiceLineItemType=BillingLineItems",
    ],
)
def test_the_one_time_line_items_in_any_spelling(w, path):
    response = pc_client(w.provider_admin).get(f"/v1/invoices/{w.invoice.pk}/{path}")
    assert response.status_code == 200, response.json()
    [software] = response.json()["items"]
    assert software["attributes"] == {"objectType": "OneTimeInvoiceLineItem"}
    assert (software["billingProvider"], software["chargeType"], software["totalForCustomer"]) == (
        "one_time",
        "new",
        300.0,
    )
    assert software["productId"] and software["skuId"] and software["billingFrequency"] == "one_time"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("lineitems/Azure/BillingLineItems", "provider"),
        ("lineitems/Office/UsageLineItems", "invoiceLineItemType"),
        ("lineitems", "provider"),
    ],
)
def test_an_unknown_provider_or_type_is_400_naming_it(w, path, field):
    response = pc_client(w.provider_admin, X_Locale="en-US").get(f"/v1/invoices/{w.invoice.pk}/{path}")
    assert response.status_code == 400
    assert response.json()["code"] == 2000 and response.json()["data"][0]["field"] == field
    names = "Office, OneTime" if field == "provider" else "BillingLineItems"
    assert response.json()["description"] == f"{field} must be one of: {names}."


def test_the_reseller_sees_what_was_billed_for_its_customers(w):
    client = pc_client(w.reseller_billing)
    assert [item["id"] for item in client.get("/v1/invoices").json()["items"]] == [str(w.invoice.pk)]
    assert client.get(f"/v1/invoices/{w.invoice.pk}/lineitems/Office/BillingLineItems").status_code == 200


def test_another_partners_invoice_is_404(w):
    client = pc_client(w.direct_admin)
    assert [item["id"] for item in client.get("/v1/invoices").json()["items"]] == [str(w.direct_invoice.pk)]
    for suffix in ("", "/lineitems/Office/BillingLineItems"):
        response = client.get(f"/v1/invoices/{w.invoice.pk}{suffix}")
        assert response.status_code == 404 and response.json()["code"] == 3000


@pytest.mark.parametrize("who", ["admin_agent", "sales_agent"])
def test_other_roles_get_403_with_the_reason(w, who):
    client = pc_client(getattr(w, who), X_Locale="en-US")
    for url in (
        "/v1/invoices",
        f"/v1/invoices/{w.invoice.pk}",
        f"/v1/invoices/{w.invoice.pk}/lineitems/Office/BillingLineItems",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert REASON in response.json()["description"]


def test_a_paid_invoice_says_what_was_paid(w):
    from django.utils import timezone

    w.invoice.paid_at = timezone.now()
    w.invoice.save(update_fields=["paid_at"])
    body = pc_client(w.provider_admin).get(f"/v1/invoices/{w.invoice.pk}").json()
    assert body["paidAmount"] == -561.25


def test_line_items_seek_paged_bounded_with_constant_queries(w):
    client = pc_client(w.provider_admin)
    url = f"/v1/invoices/{w.invoice.pk}/lineitems/Office/BillingLineItems"
    template = InvoiceLine.objects.get(invoice=w.invoice, line_number=2)

    def add(count):
        start = InvoiceLine.objects.filter(invoice=w.invoice).count() + 1
        for number in range(start, start + count):
            InvoiceLine.objects.create(
                invoice=w.invoice,
                line_number=number,
                kind="charge",
                subscription=template.subscription,
                offer_id=template.offer_id,
                description=template.description,
                quantity=1,
                unit_price=Decimal("1.00"),
                charge_start=date(2026, 2, 1),
                charge_end=date(2026, 3, 1),
                amount=Decimal("1.00"),
            )

    def read():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"size": 2})
        assert response.status_code == 200
        return response.json(), len(captured)

    first, small = read()
    add(10)
    page, large = read()
    assert small == large and page["totalCount"] == 2 and "next" in page["links"]
    seen = [item["subscriptionId"] for item in page["items"]]
    while "next" in page["links"]:
        page = client.get(
            url, {"size": 2, "seekOperation": "Next"}, HTTP_MS_CONTINUATIONTOKEN=page["continuationToken"]
        ).json()
        seen += [item["subscriptionId"] for item in page["items"]]
    assert len(seen) == 13  # three of February's and the ten added, each once
    too_many = client.get(url, {"size": 1001})
    assert too_many.status_code == 400 and too_many.json()["data"][0]["field"] == "size"


def test_the_invoice_list_keeps_its_queries(w):
    client = pc_client(w.provider_admin)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/v1/invoices", {"size": 1}).status_code == 200
    few = len(captured)
    from tests.billing.factories import InvoiceFactory

    for month in range(3, 9):
        InvoiceFactory(
            partner=w.provider,
            customer=w.customer,
            sequence=100 + month,
            period_start=date(2026, month, 1),
            period_end=date(2026, month + 1, 1),
        )
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/v1/invoices", {"size": 1})
    assert len(captured) == few and response.json()["totalCount"] == 1
