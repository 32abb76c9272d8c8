"""The order form on the customer page (billing.views): the partner that bills the customer
orders; the reseller reads; another partner gets 404."""

import pytest
from django.urls import reverse

from billing.models import Order
from tests.cast import direct_customer, share_customer

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


# --- Orders -------------------------------------------------------------------------------------------


def test_the_provider_orders_on_the_customer_page(client, provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    url = reverse("relationships:customer-detail", args=[customer.pk])
    html = page(signed_in(client, provider_admin).get(url))
    assert "Submit an order" in html and "EUR" in html
    response = client.post(
        reverse("billing:customer-order", args=[customer.pk]),
        {"offer": "Microsoft 365 E3", "quantity": "10", "unit_price": "32.40"},
    )
    assert response.status_code == 302 and response["Location"] == url
    order = Order.objects.get()
    assert (order.partner, order.quantity, str(order.unit_price), order.currency) == (
        provider,
        10,
        "32.40",
        "EUR",
    )
    html = page(client.get(url))
    assert "Microsoft 365 E3" in html and "€324.00" in html


def test_a_bad_order_shows_the_errors(client, direct, direct_admin):
    customer = direct_customer(direct)
    response = signed_in(client, direct_admin).post(
        reverse("billing:customer-order", args=[customer.pk]),
        {"offer": "Microsoft 365 E3", "quantity": "10001", "unit_price": "1"},
    )
    assert response.status_code == 400
    assert 'class="error"' in page(response)
    assert not Order.objects.exists()


def test_the_reseller_has_no_order_form(client, provider, reseller, reseller_admin, relationship):
    customer = share_customer(provider, reseller)
    signed_in(client, reseller_admin)
    html = page(client.get(reverse("relationships:customer-detail", args=[customer.pk])))
    assert "Submit an order" not in html
    assert "Your provider orders products for this customer" in html
    response = client.post(
        reverse("billing:customer-order", args=[customer.pk]),
        {"offer": "x", "quantity": "1", "unit_price": "1"},
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_another_partners_customer_page_is_404(client, direct, outsider, provider_admin):
    customer = direct_customer(direct)
    for actor in (outsider, provider_admin):
        signed_in(client, actor)
        assert client.get(reverse("relationships:customer-detail", args=[customer.pk])).status_code == 404
        response = client.post(
            reverse("billing:customer-order", args=[customer.pk]),
            {"offer": "x", "quantity": "1", "unit_price": "1"},
        )
        assert response.status_code == 404
    assert not Order.objects.exists()
