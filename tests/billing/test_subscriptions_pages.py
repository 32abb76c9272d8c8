"""Pages of subscriptions: the customer page's section, the partner-wide lists (and Azure
reservations), one subscription with its terms and history, and its buttons. Roles see or
act as the table says; another partner's subscription is 404; lists keep their queries."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Credit
from billing.views import subscriptions as views
from partnercenter.accounts.models import Role
from tests import test_bounded_reads as bounded
from tests.billing.subscriptions_cast import annual_price, at, direct_subscription, reservation_price
from tests.cast import direct_customer, share_customer, user_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def annual(direct):
    customer = direct_customer(direct, company_name="Alpine Ski House")
    return direct_subscription(direct, customer, price=annual_price("120.00"), quantity=10)


@pytest.fixture
def shared(provider, reseller, relationship):
    customer = share_customer(provider, reseller, company_name="Tailspin Toys")
    return direct_subscription(provider, customer, reseller=reseller)


def test_the_customer_page_lists_its_subscriptions_with_the_actions(client, direct_admin, annual):
    client.force_login(direct_admin)
    with time_machine.travel(at(date(2026, 1, 3)), tick=False):
        page = html(client.get(reverse("relationships:customer-detail", args=[annual.customer.pk])))
    assert 'id="subscriptions"' in page and annual.friendly_name in page
    assert "€120.00" in page and "Turn off auto-renew" in page and "Suspend" in page
    assert reverse("billing:subscription-cancel", args=[annual.pk]) in page


def test_after_the_window_there_is_no_cancel_button(client, direct_admin, annual):
    client.force_login(direct_admin)
    with time_machine.travel(at(date(2026, 2, 1)), tick=False):
        page = html(client.get(reverse("relationships:customer-detail", args=[annual.customer.pk])))
    assert reverse("billing:subscription-cancel", args=[annual.pk]) not in page


def test_the_reseller_sees_its_providers_subscription_and_may_only_change_auto_renew(
    client, reseller_admin, shared
):
    client.force_login(reseller_admin)
    with time_machine.travel(at(date(2026, 1, 3)), tick=False):
        page = html(client.get(reverse("relationships:customer-detail", args=[shared.customer.pk])))
    assert shared.friendly_name in page and "Turn off auto-renew" in page
    assert "Suspend" not in page and reverse("billing:subscription-cancel", args=[shared.pk]) not in page
    response = client.post(
        reverse("billing:subscription-auto-renew", args=[shared.pk]), {"auto_renew": "off"}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.auto_renew is False
    response = client.post(reverse("billing:subscription-suspend", args=[shared.pk]))
    assert response.status_code == 403


def test_a_sales_agent_sees_but_has_no_buttons(client, direct, annual):
    client.force_login(user_of(direct, Role.SALES_AGENT))
    page = html(client.get(reverse("billing:subscription-detail", args=[annual.pk])))
    assert annual.friendly_name in page and "Turn off auto-renew" not in page
    response = client.post(reverse("billing:subscription-suspend", args=[annual.pk]))
    assert response.status_code == 403
    assert "Only your global admin or an admin agent can change subscriptions" in response.content.decode()


def test_a_billing_admin_does_not_see_subscriptions(client, direct, annual):
    client.force_login(user_of(direct, Role.BILLING_ADMIN))
    assert client.get(reverse("billing:subscriptions")).status_code == 403
    assert client.get(reverse("billing:subscription-detail", args=[annual.pk])).status_code == 403


def test_another_partners_subscription_is_404(client, outsider, provider_admin, annual):
    for actor in (outsider, provider_admin):
        client.force_login(actor)
        assert client.get(reverse("billing:subscription-detail", args=[annual.pk])).status_code == 404
        assert client.post(reverse("billing:subscription-suspend", args=[annual.pk])).status_code == 404
        assert client.get(reverse("billing:subscription-cancel", args=[annual.pk])).status_code == 404


def test_the_cancel_confirmation_says_the_prorated_credit(client, direct_admin, annual):
    client.force_login(direct_admin)
    url = reverse("billing:subscription-cancel", args=[annual.pk])
    with time_machine.travel(at(date(2026, 1, 5)), tick=False):
        page = html(client.get(url))
        assert "€1,186.85" in page
        response = client.post(url)
    assert response.status_code == 302
    assert Credit.objects.get().amount == Decimal("1186.85")
    page = html(client.get(reverse("billing:subscription-detail", args=[annual.pk])))
    assert "Subscription cancelled" in page  # the history


def test_cancelling_after_the_window_is_refused_with_the_reason(client, direct_admin, annual):
    client.force_login(direct_admin)
    url = reverse("billing:subscription-cancel", args=[annual.pk])
    with time_machine.travel(at(date(2026, 1, 9)), tick=False):
        assert client.get(url).status_code == 409
        response = client.post(url)
    assert response.status_code == 409 and "turn off auto-renew" in response.content.decode()
    assert not Credit.objects.exists()


def test_the_detail_shows_terms_and_history(client, direct_admin, annual):
    client.force_login(direct_admin)
    client.post(reverse("billing:subscription-suspend", args=[annual.pk]))
    page = html(client.get(reverse("billing:subscription-detail", args=[annual.pk])))
    assert "Subscription suspended" in page and "Terms" in page and "2027" in page


def test_the_lists_filter_by_customer_status_and_kind(client, direct, direct_admin, annual):
    reservation = direct_subscription(direct, annual.customer, price=reservation_price(), scope="shared")
    other = direct_subscription(direct, direct_customer(direct), price=annual_price(), status="suspended")
    client.force_login(direct_admin)
    url = reverse("billing:subscriptions")
    page = html(client.get(url))
    assert all(s.friendly_name in page for s in (annual, reservation, other))
    page = html(client.get(url, {"customer": annual.customer.pk}))
    assert annual.friendly_name in page and other.friendly_name not in page
    page = html(client.get(url, {"q": "alpine"}))
    assert annual.friendly_name in page and other.friendly_name not in page
    page = html(client.get(url, {"status": "suspended"}))
    assert other.friendly_name in page and annual.friendly_name not in page
    page = html(client.get(url, {"kind": "azure_reservation"}))
    assert (
        reservation.friendly_name in page
        and annual.friendly_name not in page
        and "Azure reservations" in page
    )
    page = html(client.get(reverse("billing:reservations")))
    assert "Azure reservations" in page and reservation.friendly_name in page and "Shared" in page
    assert annual.friendly_name not in page
    # Unknown filters are ignored, never a 500.
    assert (
        client.get(
            url, {"customer": "x", "status": "nope", "kind": "?", "page": "z", "q": "x" * 500}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["billing:subscriptions", "billing:reservations"])
def test_the_lists_keep_their_queries(client, direct, direct_admin, monkeypatch, name):
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    client.force_login(direct_admin)
    price = reservation_price() if name == "billing:reservations" else annual_price()
    url = reverse(name)
    counts = []
    for size in (3, 12):
        while direct.subscriptions.count() < size:
            direct_subscription(direct, direct_customer(direct), price=price)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_customer_section_keeps_its_queries(client, direct, direct_admin):
    customer = direct_customer(direct)
    client.force_login(direct_admin)
    url = reverse("relationships:customer-detail", args=[customer.pk])
    counts = []
    for size in (2, 8):
        while customer.subscriptions.count() < size:
            direct_subscription(direct, customer, price=annual_price())
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("url", ["/subscriptions/", "/reservations/", "/subscriptions/?status=active&q=GmbH"])
def test_the_lists_read_a_bounded_number_of_rows(client, direct, direct_admin, monkeypatch, url):
    """The guard of tests/test_bounded_reads.py: the same queries and rows at two sizes past
    the page, and the list read with a LIMIT."""
    monkeypatch.setattr(views, "PAGE_SIZE", bounded.PAGE)
    client.force_login(direct_admin)
    price = reservation_price() if "reservations" in url else annual_price()

    def grow(size):
        while direct.subscriptions.count() < size:
            direct_subscription(direct, direct_customer(direct, company_name="Contoso GmbH"), price=price)

    bounded.assert_bounded(bounded.measure(lambda: client.get(url), grow), "billing_subscription")
