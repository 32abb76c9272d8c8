"""The order pages: *Add products* and the order history on the customer page, the review
before *Submit order*, /orders/ (filters, pages, constant queries) and /orders/<id>/ (lines,
total, status, history): who sees what, errors on the line and field, another partner 404."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Order
from billing.views import orders as order_views
from partnercenter.accounts.models import Role
from tests.billing.factories import sold
from tests.cast import direct_customer, share_customer, user_of

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def signed_in(client, user):
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def customer_url(customer):
    return reverse("relationships:customer-detail", args=[customer.pk])


def order_url(customer):
    return reverse("billing:customer-order", args=[customer.pk])


def choice(price) -> str:
    return f"{price.offer.offer_id}|{price.term}|{price.billing}"


def lines(*rows, action="review", **extra) -> dict:
    """The formset's POST: ``rows`` of (price, quantity, scope)."""
    data = {
        "lines-TOTAL_FORMS": str(max(3, len(rows))),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "action": action,
        **extra,
    }
    for index, (price, quantity, *scope) in enumerate(rows):
        data[f"lines-{index}-item"] = choice(price) if price else ""
        data[f"lines-{index}-quantity"] = str(quantity)
        data[f"lines-{index}-auto_renew"] = "on"
        data[f"lines-{index}-scope"] = scope[0] if scope else ""
    return data


def test_the_provider_reviews_and_submits_an_order(client, provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    seats = sold(provider, name="Microsoft 365 E3", unit_price=Decimal("32.40"))
    vms = sold(provider, kind="azure_reservation", name="VM reservation", term="P3Y", billing="annual")
    page = html(signed_in(client, provider_admin).get(customer_url(customer)))
    assert "Add products" in page and "Microsoft 365 E3" in page and "€32.40" in page
    assert "<script>" not in page
    review = client.post(order_url(customer), lines((seats, 10), (vms, 1, "shared")))
    assert review.status_code == 200
    body = html(review)
    assert "Review order" in body and "Submit order" in body and "€324.00" in body
    assert not Order.objects.exists()  # a review places nothing
    key = review.context["idempotency_key"]
    submit = lines((seats, 10), (vms, 1, "shared"), action="submit", idempotency_key=key)
    response = client.post(order_url(customer), submit)
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "billing:order-detail", args=[order.pk]
    )
    assert client.post(order_url(customer), submit).status_code == 302  # a second click
    assert Order.objects.count() == 1
    assert (order.partner, order.reseller, order.lines.count()) == (provider, reseller, 2)
    detail = html(client.get(response["Location"]))
    assert "Microsoft 365 E3" in detail and "Shared" in detail and "Order placed" in detail
    assert "Cancel the order" in detail
    assert "Alpine Ski House" in html(client.get(customer_url(customer)))


def test_errors_show_on_the_line_and_field(client, direct, direct_admin):
    customer = direct_customer(direct)
    seats = sold(direct)
    vms = sold(direct, kind="azure_reservation", term="P1Y", billing="annual")
    signed_in(client, direct_admin)
    response = client.post(order_url(customer), lines((seats, 2), (vms, 1)))  # no scope
    assert response.status_code == 400
    formset = response.context["request"].order_formset
    assert formset.forms[0].errors == {}
    assert list(formset.forms[1].errors) == ["scope"]
    assert 'class="error"' in html(response)
    response = client.post(order_url(customer), lines((seats, 10001)))
    assert response.status_code == 400 and list(
        response.context["request"].order_formset.forms[0].errors
    ) == ["quantity"]
    response = client.post(order_url(customer), lines((None, "")))
    assert response.status_code == 400 and "Order from 1 to 50 lines." in html(response)
    assert not Order.objects.exists()


def test_the_reseller_reads_its_providers_orders(
    client, provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    seats = sold(provider)
    signed_in(client, provider_admin).post(order_url(customer), lines((seats, 1), action="submit"))
    order = Order.objects.get()
    signed_in(client, reseller_admin)
    page = html(client.get(customer_url(customer)))
    assert "Add products" not in page and "Order history" in page
    assert "Your provider orders products for this customer" in page
    assert client.post(order_url(customer), lines((seats, 1))).status_code == 403
    assert str(order.pk) in html(client.get(reverse("billing:orders")))
    detail = html(client.get(reverse("billing:order-detail", args=[order.pk])))
    assert "Cancel the order" not in detail
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "reads", "adds"),
    [(Role.SALES_AGENT, 200, False), (Role.HELPDESK_AGENT, 403, False), (Role.BILLING_ADMIN, 403, False)],
)
def test_the_roles(client, direct, role, reads, adds):
    customer = direct_customer(direct)
    sold(direct)
    signed_in(client, user_of(direct, role=role))
    page = html(client.get(customer_url(customer)))
    assert ("Add products" in page) is adds
    # A role that may not see orders reads why instead of the history.
    assert ("No orders yet." in page) is (reads == 200)
    assert ("or a sales agent can see customers" in page) is (reads == 403)
    response = client.get(reverse("billing:orders"))
    assert response.status_code == reads
    if reads == 403:
        assert "or a sales agent can see customers" in html(response)
    refused = client.post(order_url(customer), lines())
    assert refused.status_code == 403 and "admin agent can order" in html(refused)


def test_another_partners_orders_are_404(client, direct, direct_admin, outsider, provider_admin):
    customer = direct_customer(direct)
    signed_in(client, direct_admin).post(order_url(customer), lines((sold(direct), 1), action="submit"))
    order = Order.objects.get()
    for actor in (outsider, provider_admin):
        signed_in(client, actor)
        assert client.get(reverse("billing:order-detail", args=[order.pk])).status_code == 404
        assert client.post(reverse("billing:order-cancel", args=[order.pk])).status_code == 404
        assert client.post(order_url(customer), lines()).status_code == 404
        assert str(order.pk) not in html(client.get(reverse("billing:orders")))


def test_cancel_on_the_page(client, direct, direct_admin):
    customer = direct_customer(direct)
    signed_in(client, direct_admin).post(order_url(customer), lines((sold(direct), 1), action="submit"))
    order = Order.objects.get()
    url = reverse("billing:order-cancel", args=[order.pk])
    assert client.post(url).status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"
    again = client.post(url, follow=True)
    assert "Only a pending order can be cancelled." in html(again)


def _orders(partner, customer, count, status="completed"):
    Order.objects.bulk_create(
        Order(customer=customer, partner=partner, currency="EUR", total=Decimal("12.50"), status=status)
        for _ in range(count)
    )


def test_the_order_list_filters_and_pages_in_fixed_queries(client, direct, direct_admin, monkeypatch):
    monkeypatch.setattr(order_views, "PAGE_SIZE", 5)
    first, second = direct_customer(direct, company_name="First GmbH"), direct_customer(direct)
    signed_in(client, direct_admin)
    url = reverse("billing:orders")

    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(captured), response

    _orders(direct, first, 6)
    _orders(direct, second, 1, status="failed")
    client.get(url)
    few, response = queries()
    assert "€12.50" in html(response) and "Page 1 of 2" in html(response)
    _orders(direct, first, 20)
    many, response = queries()
    assert many == few and "Page 1 of 6" in html(response)
    assert len(queries(status="failed")[1].context["orders"]) == 1
    _count, response = queries(customer=first.pk)
    assert response.context["page"].paginator.count == 26 and "Orders of First GmbH" in html(response)
    assert queries(created_after="2026-03-03")[1].context["page"].paginator.count == 0
    assert queries(status="nonsense")[1].context["page"].paginator.count == 27  # a bad filter is left out


def test_the_customer_page_stays_in_fixed_queries(client, direct, direct_admin):
    customer = direct_customer(direct)
    sold(direct)
    signed_in(client, direct_admin)
    url = customer_url(customer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _orders(direct, customer, 2)
    client.get(url)
    few = queries()
    _orders(direct, customer, 30)
    assert queries() == few


def test_a_line_is_added_without_script(client, direct, direct_admin):
    customer, seats = direct_customer(direct), sold(direct)
    signed_in(client, direct_admin)
    response = client.post(order_url(customer), lines((seats, 2), (None, ""), (None, ""), action="add"))
    assert response.status_code == 200
    formset = response.context["request"].order_formset
    assert len(formset.forms) == 4 and formset.forms[0]["quantity"].value() == "2"
    assert "Line 4" in html(response) and not Order.objects.exists()


def test_the_review_carries_the_lines_to_submit_order(client, direct, direct_admin):
    import re

    customer = direct_customer(direct)
    seats = sold(direct, name="Microsoft 365 E3")
    vms = sold(direct, kind="azure_reservation", name="VM reservation", term="P1Y", billing="annual")
    signed_in(client, direct_admin)
    body = lines((seats, 3), (vms, 1, "single"))
    del body["lines-1-auto_renew"]  # the reservation does not renew
    review = html(client.post(order_url(customer), body))
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review))
    assert hidden["lines-0-item"] == choice(seats) and hidden["lines-1-scope"] == "single"
    response = client.post(order_url(customer), {**hidden, "action": "submit"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert [(x.offer, x.quantity, x.auto_renew, x.scope) for x in order.lines.all()] == [
        (seats.offer, 3, True, ""),
        (vms.offer, 1, False, "single"),
    ]
    assert order.idempotency_key == hidden["idempotency_key"]


@pytest.mark.parametrize(("role", "linked"), [(Role.SALES_AGENT, True), (Role.HELPDESK_AGENT, False)])
def test_the_navigation_links_orders_only_for_a_role_that_sees_them(client, direct, role, linked):
    """No *Orders* in the header for a role whose click would be a 403 (a browser journey
    found the helpdesk agent's link)."""
    signed_in(client, user_of(direct, role=role))
    page = html(client.get(reverse("home")))
    assert (f'<a href="{reverse("billing:orders")}">Orders</a>' in page) is linked
    if linked:  # the orders page leads to the subscriptions and the Azure reservations
        orders_page = html(client.get(reverse("billing:orders")))
        assert (
            reverse("billing:subscriptions") in orders_page and reverse("billing:reservations") in orders_page
        )
