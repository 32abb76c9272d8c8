"""The customer list's rows (relationships' /customers/ with billing's summaries through
``relationships.panels.customer_row_summary``): a billed customer's subscriptions and *Add
products*, an indirect customer's licenses (assigned of bought) and users for the reseller,
in a constant number of queries; each summary written in Python as its template wrote it."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from billing.models import LicenseAssignment
from billing.views.customer_list import billed_html, indirect_html
from relationships.models import Customer
from relationships.views import customers as customer_views
from tests.billing.factories import CustomerUserFactory
from tests.billing.subscriptions_cast import annual_price, direct_subscription
from tests.cast import direct_customer, share_customer

pytestmark = pytest.mark.django_db

URL = reverse("relationships:customers")


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_direct_customer_shows_its_subscriptions_and_add_products(client, direct, direct_admin):
    customer = direct_customer(direct, company_name="Alpine Ski House")
    for _ in range(2):
        direct_subscription(direct, customer, price=annual_price())
    client.force_login(direct_admin)
    html = page(client)
    assert "2 subscriptions" in html and f"/subscriptions/?customer={customer.pk}" in html
    assert "Add or view products" in html


def test_the_reseller_sees_licenses_assigned_of_bought_and_users(
    client, provider, reseller, relationship, reseller_admin
):
    customer = share_customer(provider, reseller, company_name="Tailspin Toys")
    subscription = direct_subscription(
        provider, customer, reseller=reseller, price=annual_price(), quantity=20
    )
    for _ in range(3):
        LicenseAssignment.objects.create(
            subscription=subscription, user=CustomerUserFactory(customer=customer)
        )
    CustomerUserFactory(customer=customer)
    client.force_login(reseller_admin)
    html = page(client)
    assert "3 of 20 licenses assigned" in html and "4 users" in html
    assert "subscriptions" not in html.split("Tailspin Toys", 1)[1].split("</tr>", 1)[0]


def test_the_provider_sees_the_resellers_customer_with_its_subscriptions(
    client, provider, reseller, relationship, provider_admin
):
    customer = share_customer(provider, reseller)
    direct_subscription(provider, customer, reseller=reseller, price=annual_price())
    client.force_login(provider_admin)
    assert "1 subscription" in page(client)


def grow(provider, reseller, size):
    while Customer.objects.count() < size:
        customer = share_customer(provider, reseller)
        subscription = direct_subscription(provider, customer, reseller=reseller, price=annual_price())
        LicenseAssignment.objects.create(
            subscription=subscription, user=CustomerUserFactory(customer=customer)
        )


@pytest.mark.parametrize("viewer", ["reseller_admin", "provider_admin"])
def test_the_list_keeps_its_queries_as_the_page_grows(
    client, provider, reseller, relationship, monkeypatch, request, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    counts = []
    for size, page_size in ((2, 2), (9, 7)):  # two page sizes, two sizes of data
        monkeypatch.setattr(customer_views, "PAGE_SIZE", page_size)
        grow(provider, reseller, size)
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The template each row's summary was (templates/billing/subscriptions/_row_summary.html).
SUMMARY_TEMPLATE = (
    "{% load i18n %}\n"
    '<div class="detail muted">{% if data.billed %}<a href="{{ data.url }}">{% blocktranslate count '
    "counter=data.subscriptions %}{{ counter }} subscription{% plural %}{{ counter }} subscriptions"
    "{% endblocktranslate %}</a>\n"
    '{% else %}<a href="{{ data.url }}">{% blocktranslate count counter=data.bought with assigned=data.assigned %}'
    "{{ assigned }} of {{ counter }} license assigned{% plural %}{{ assigned }} of {{ counter }} licenses assigned"
    "{% endblocktranslate %}</a> · {% blocktranslate count counter=data.users %}{{ counter }} user{% plural %}"
    "{{ counter }} users{% endblocktranslate %}{% endif %}</div>\n"
)


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "zh-hant"])
def test_each_summary_is_what_its_template_wrote(language):
    template = engines["django"].from_string(SUMMARY_TEMPLATE)
    url = "/subscriptions/?customer=1&x=<2>"
    with translation.override(language):
        for n in (0, 1, 2, 5, 21, 1500):
            data = {"billed": True, "subscriptions": n, "url": url}
            assert billed_html(url, n) == template.render({"data": data})
            for assigned, users in ((0, 1), (n, 3), (1, 22)):
                data = {"billed": False, "assigned": assigned, "bought": n, "users": users, "url": url}
                assert indirect_html(url, assigned=assigned, bought=n, users=users) == template.render(
                    {"data": data}
                )
    assert "&lt;2&gt;" in billed_html(url, 1) and "<2>" not in indirect_html(
        url, assigned=0, bought=0, users=0
    )
