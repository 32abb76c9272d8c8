"""Commerce through the REST API only (issue 10, "Done when"): a direct-bill partner orders
for its direct customer, assigns licenses to the customer's users and reads the invoice of
the month; a provider orders for a reseller's customer while the reseller manages its
users and licenses, and the reseller sees what was billed. On a fixed calendar (the suite
also runs a year ahead)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from billing.tasks import invoices_run
from tests.billing.factories import PriceFactory
from tests.cast import (
    direct_customer,
    make_direct_bill,
    make_provider,
    make_reseller,
    share_customer,
    user_of,
)
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

ORDERED = "2027-03-10T09:00:00+00:00"
INVOICED = "2027-04-02T06:00:00+00:00"


@pytest.fixture
def standard():
    """Microsoft 365 Business Standard, 1 year billed monthly, EUR 10.50 a month, in Europe."""
    return PriceFactory(
        offer__product__name="Microsoft 365 Business Standard",
        offer__name="Microsoft 365 Business Standard",
        term="P1Y",
        billing="monthly",
        unit_price=Decimal("10.50"),
        effective_from=date(2027, 1, 1),
    )


def order(client, customer, price, quantity, key):
    body = {
        "lines": [
            {
                "offer_id": price.offer.offer_id,
                "term": price.term,
                "billing": price.billing,
                "quantity": quantity,
            }
        ]
    }
    return client.post(
        f"/api/v1/customers/{customer.pk}/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def add_user_with_license(client, customer, username, subscription_id):
    made = client.post(
        f"/api/v1/customers/{customer.pk}/users/",
        {"first_name": "Kim", "last_name": "Akers", "username": username},
        format="json",
    )
    assert made.status_code == 201, made.data
    assert made.data["temporary_password"]
    assigned = client.post(
        f"/api/v1/customers/{customer.pk}/users/{made.data['id']}/licenses/",
        {"subscription_id": subscription_id},
        format="json",
    )
    assert assigned.status_code == 201, assigned.data
    return made.data["id"]


def test_a_direct_bill_partner_orders_assigns_licenses_and_reads_the_invoice(standard, committed):
    partner = make_direct_bill(legal_name="Fourth Coffee B.V.", country="NL")
    customer = direct_customer(partner, company_name="Alpine Ski House B.V.")
    admin = user_of(partner)
    client = api_as(admin)

    with time_machine.travel(ORDERED, tick=False):
        with committed():
            placed = order(client, customer, standard, 5, "order-1")
        assert placed.status_code == 201, placed.data
        # The same Idempotency-Key again is the same order.
        again = order(client, customer, standard, 5, "order-1")
        assert again.status_code == 200 and again.data["id"] == placed.data["id"]
        read = client.get(f"/api/v1/orders/{placed.data['id']}/")
        assert read.data["status"] == "completed"
        subscription_id = read.data["lines"][0]["subscription_id"]
        add_user_with_license(client, customer, "kim.akers", subscription_id)
        licenses = client.get(f"/api/v1/customers/{customer.pk}/licenses/").data
        row = next(r for r in licenses["results"] if r["subscription_id"] == subscription_id)
        assert (row["bought"], row["assigned"]) == (5, 1)

    with time_machine.travel(INVOICED, tick=False), committed():
        invoices_run()
        invoices = client.get("/api/v1/invoices/", {"period": "2027-03"}).data
    assert invoices["count"] == 1
    invoice = client.get(f"/api/v1/invoices/{invoices['results'][0]['id']}/").data
    # 22 of March's 31 days of 5 × 10.50.
    assert invoice["total"] == {"amount": "37.26", "currency": "EUR"}
    assert [item["quantity"] for item in invoice["line_items"]] == [5]


def test_a_provider_orders_for_a_resellers_customer_and_the_reseller_manages_its_licenses(
    standard, committed
):
    provider = make_provider("Adatum Distribution GmbH")
    reseller = make_reseller(provider, legal_name="Trey Research GmbH")
    customer = share_customer(provider, reseller, company_name="Litware GmbH")
    provider_api, reseller_api = api_as(user_of(provider)), api_as(user_of(reseller))

    with time_machine.travel(ORDERED, tick=False):
        # The reseller does not order: its provider does.
        refused = order(reseller_api, customer, standard, 3, "r-1")
        assert refused.status_code == 403
        with committed():
            placed = order(provider_api, customer, standard, 3, "p-1")
        assert placed.status_code == 201, placed.data
        subscription_id = provider_api.get(f"/api/v1/orders/{placed.data['id']}/").data["lines"][0][
            "subscription_id"
        ]
        # The reseller sees the provider's order and manages the customer's users and licenses.
        seen = reseller_api.get("/api/v1/orders/").data
        assert [o["id"] for o in seen["results"]] == [placed.data["id"]]
        add_user_with_license(reseller_api, customer, "megan.bowen", subscription_id)
        # The provider has no administrator access to the customer's tenant.
        assert (
            provider_api.post(
                f"/api/v1/customers/{customer.pk}/users/",
                {"first_name": "Alex", "last_name": "Wilber", "username": "alex.wilber"},
                format="json",
            ).status_code
            == 403
        )

    with time_machine.travel(INVOICED, tick=False), committed():
        invoices_run()
        billed = provider_api.get("/api/v1/invoices/", {"period": "2027-03"}).data
        seen_by_reseller = reseller_api.get("/api/v1/invoices/", {"period": "2027-03"}).data
    assert billed["count"] == 1
    assert [i["id"] for i in seen_by_reseller["results"]] == [billed["results"][0]["id"]]
