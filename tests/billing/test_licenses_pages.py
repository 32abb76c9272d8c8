"""The Users and Licenses sections of the customer page (billing.views.licenses): the
reseller (or the direct-bill partner) adds users, resets passwords, deletes users after a
confirmation, assigns and removes licenses; the temporary password is shown once, on the
answer to the button, never cached, in a URL or in the session; the helpdesk agent has no
license buttons, the sales agent and the provider read why; another partner gets 404; the
list keeps a constant number of queries."""

from html import unescape

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import CustomerUser, LicenseAssignment
from billing.views import licenses as license_views
from partnercenter.accounts.models import Role
from tests.billing.factories import CustomerUserFactory, subscription_of
from tests.cast import direct_customer, share_customer, user_of
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Kim",
    "last_name": "Akers",
    "username": "kim.akers",
    "domain": "contosode.onmicrosoft.com",
}


@pytest.fixture
def customer(provider, reseller, relationship):
    tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com", country="DE")
    return share_customer(provider, reseller, tenant=tenant, company_name="Contoso GmbH")


def detail(customer) -> str:
    return reverse("relationships:customer-detail", args=[customer.pk])


def seats(provider, customer, reseller=None, quantity=10):
    return subscription_of(
        provider,
        customer,
        reseller=reseller,
        quantity=quantity,
        offer__product__name="Microsoft 365 Business Standard",
    )


def html(response) -> str:
    return response.content.decode()


def shown_password(page: str) -> str:
    """The temporary password the page shows (its second code in the password's card)."""
    return unescape(page.split('id="temporary-password"')[1].split("<code>")[2].split("</code>")[0])


def test_the_reseller_adds_a_user_and_sees_the_password_once(client, customer, reseller_admin):
    client.force_login(reseller_admin)
    page = html(client.get(detail(customer)))
    assert "Add user" in page and "This customer has no users yet." in page
    response = client.post(reverse("billing:customer-user-create", args=[customer.pk]), FORM)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = CustomerUser.objects.get()
    page = html(response)
    assert "kim.akers@contosode.onmicrosoft.com" in page and "Temporary password" in page
    password = shown_password(page)
    assert check_password(password, user.password_hash)
    # The next page does not show it, and the session never held it.
    assert password not in html(client.get(detail(customer)))
    assert password not in str(dict(client.session))


def test_a_bad_user_name_shows_on_its_field(client, customer, reseller_admin):
    client.force_login(reseller_admin)
    response = client.post(
        reverse("billing:customer-user-create", args=[customer.pk]), {**FORM, "username": "kim akers"}
    )
    assert response.status_code == 400
    assert 'id="id_username_error"' in html(response) and "letters A to Z" in html(response)
    assert not CustomerUser.objects.exists()


def test_reset_password_shows_a_new_one(client, customer, reseller_admin):
    user = CustomerUserFactory(customer=customer, must_change_password=False)
    client.force_login(reseller_admin)
    response = client.post(reverse("billing:customer-user-reset-password", args=[customer.pk, user.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    user.refresh_from_db()
    password = shown_password(html(response))
    assert user.must_change_password and check_password(password, user.password_hash)


def test_delete_asks_first_and_releases_the_licenses(client, provider, customer, reseller, reseller_admin):
    subscription = seats(provider, customer, reseller)
    user = CustomerUserFactory(customer=customer)
    LicenseAssignment.objects.create(subscription=subscription, user=user)
    client.force_login(reseller_admin)
    url = reverse("billing:customer-user-delete", args=[customer.pk, user.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Microsoft 365 Business Standard" in html(confirm)
    assert CustomerUser.objects.get().status == "active"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == detail(customer) + "#users"
    assert CustomerUser.objects.get().status == "deleted" and not LicenseAssignment.objects.exists()
    assert f"<code>{user.user_principal_name}</code>" not in html(client.get(detail(customer)))
    assert client.get(url).status_code == 404


def test_assign_and_remove_a_license(client, provider, customer, reseller, reseller_admin):
    subscription = seats(provider, customer, reseller, quantity=1)
    user, other = CustomerUserFactory(customer=customer), CustomerUserFactory(customer=customer)
    client.force_login(reseller_admin)
    assert "0 of 1" in html(client.get(detail(customer)))
    assign = reverse("billing:license-assign", args=[customer.pk, user.pk])
    response = client.post(assign, {"subscription_id": str(subscription.pk)})
    assert response.status_code == 302 and LicenseAssignment.objects.count() == 1
    page = html(client.get(detail(customer)))
    assert "1 of 1" in page and "is assigned to" in page
    # The last seat is taken: the page says so.
    response = client.post(
        reverse("billing:license-assign", args=[customer.pk, other.pk]),
        {"subscription_id": str(subscription.pk)},
    )
    assert response.status_code == 302
    assert "The 1 license of Microsoft 365 Business Standard is assigned." in html(
        client.get(response["Location"])
    )
    response = client.post(reverse("billing:license-unassign", args=[customer.pk, user.pk, subscription.pk]))
    assert response.status_code == 302 and not LicenseAssignment.objects.exists()


def test_the_direct_bill_partner_has_the_sections(client, direct, direct_admin):
    customer = direct_customer(direct)
    client.force_login(direct_admin)
    assert "Add user" in html(client.get(detail(customer)))


def test_the_helpdesk_agent_manages_users_but_not_licenses(client, provider, customer, reseller):
    seats(provider, customer, reseller)
    user = CustomerUserFactory(customer=customer)
    client.force_login(user_of(reseller, Role.HELPDESK_AGENT))
    page = html(client.get(detail(customer)))
    assert "Add user" in page and "Reset password" in page
    assert "Assign license" not in page and "admin agent can assign licenses" in page
    response = client.post(
        reverse("billing:license-assign", args=[customer.pk, user.pk]), {"subscription_id": "x"}
    )
    assert response.status_code == 403


def test_the_sales_agent_and_the_provider_read_why(client, customer, reseller, provider_admin):
    user = CustomerUserFactory(customer=customer)
    client.force_login(user_of(reseller, Role.SALES_AGENT))
    page = html(client.get(detail(customer)))
    assert "Add user" not in page and "Reset password" not in page
    assert "helpdesk agent can manage customers&#x27; users" in page
    assert client.post(reverse("billing:customer-user-create", args=[customer.pk]), FORM).status_code == 403
    client.force_login(provider_admin)
    page = html(client.get(detail(customer)))
    assert "Add user" not in page and "administrator access" in page
    assert (
        client.post(reverse("billing:customer-user-reset-password", args=[customer.pk, user.pk])).status_code
        == 403
    )


def test_another_partner_gets_404(client, customer, outsider):
    user = CustomerUserFactory(customer=customer)
    client.force_login(outsider)
    assert client.post(reverse("billing:customer-user-create", args=[customer.pk]), FORM).status_code == 404
    assert client.get(reverse("billing:customer-user-delete", args=[customer.pk, user.pk])).status_code == 404


def test_another_customers_user_is_404(client, provider, customer, reseller, reseller_admin):
    their_user = CustomerUserFactory(customer=share_customer(provider, reseller))
    client.force_login(reseller_admin)
    url = reverse("billing:customer-user-reset-password", args=[customer.pk, their_user.pk])
    assert client.post(url).status_code == 404


def test_the_users_section_keeps_a_constant_number_of_queries(
    client, monkeypatch, provider, customer, reseller, reseller_admin
):
    monkeypatch.setattr(license_views, "USERS_PAGE_SIZE", 5)
    subscriptions = [seats(provider, customer, reseller, quantity=50) for _ in range(2)]
    client.force_login(reseller_admin)
    counts = []
    for size in (3, 12):
        while CustomerUser.objects.count() < size:
            user = CustomerUserFactory(customer=customer)
            for subscription in subscriptions:
                LicenseAssignment.objects.create(subscription=subscription, user=user)
        client.get(detail(customer))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(customer)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_subscription_that_is_not_the_customers_is_refused_with_a_reason(
    client, provider, customer, reseller, reseller_admin
):
    their_subscription = seats(provider, share_customer(provider, reseller), reseller)
    user = CustomerUserFactory(customer=customer)
    client.force_login(reseller_admin)
    url = reverse("billing:license-assign", args=[customer.pk, user.pk])
    for value in (str(their_subscription.pk), "not-an-id", ""):
        response = client.post(url, {"subscription_id": value})
        assert response.status_code == 302
        assert "Choose one of this customer&#x27;s subscriptions." in html(client.get(response["Location"]))
    assert not LicenseAssignment.objects.exists()


def test_the_helpdesk_agent_has_no_order_form(client, monkeypatch, direct, direct_admin):
    """With the orders section too (no orders yet, which it can read): the direct-bill
    partner's admin orders and manages users; its helpdesk agent only manages users."""
    monkeypatch.undo()
    customer = direct_customer(direct)
    client.force_login(direct_admin)
    page = html(client.get(detail(customer)))
    assert "Add products" in page and "Add user" in page
    client.force_login(user_of(direct, Role.HELPDESK_AGENT))
    page = html(client.get(detail(customer)))
    assert "Add user" in page and "Add products" not in page


def test_the_helpdesk_agent_reads_why_it_sees_no_orders(client, direct):
    """The customer page's order history tells a role that may not see orders why, in the
    role table's words (a browser journey found it silent)."""
    customer = direct_customer(direct)
    client.force_login(user_of(direct, Role.HELPDESK_AGENT))
    page = html(client.get(detail(customer)))
    orders = page.split('id="orders"')[1].split("</section>")[0]
    assert "Only your global admin, an admin agent or a sales agent can see customers&#x27; orders" in orders
    assert "Add products" not in page


def test_every_column_of_the_users_table_is_named(client, provider, customer, reseller, reseller_admin):
    """axe-core's empty-table-header: the column of the buttons has a header too."""
    seats(provider, customer, reseller)
    CustomerUserFactory(customer=customer)
    client.force_login(reseller_admin)
    users = html(client.get(detail(customer))).split('id="users"')[1].split("</thead>")[0]
    assert "<th></th>" not in users
    assert users.count('<th scope="col">') == 4
