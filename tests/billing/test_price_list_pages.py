"""*Pricing and offers* (billing.views.price_list): a partner sees its market's offers only, in
its currency, at today's price; filtered by kind and searched by name or offer ID; a page
at a time in a constant number of queries; who may see it is the role table's rule."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from billing.views import price_list as price_list_views
from partnercenter.accounts.models import Role
from tests.billing.price_list_cases import catalog, grow, priced
from tests.cast import make_direct_bill, make_reseller, user_of
from tests.factories import EnrollmentFactory, PartnerFactory, TenantFactory, UserFactory, active_partner

pytestmark = pytest.mark.django_db

URL = "/price-list/"


def html_of(client, user, query="") -> str:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_url_is_the_named_one():
    assert reverse("billing:price-list") == URL


class TestByMarket:
    def test_a_german_partner_sees_europe_in_euros(self, client, provider_admin):
        offers = catalog()
        html = html_of(client, provider_admin)
        assert "Pricing and offers" in html and "Europe" in html
        assert offers["basic"].offer_id in html and "€6.77" in html and "€67.68" in html
        assert "€21.62" in html and "£18.17" not in html  # the UK's price of the same offer
        assert "Dynamics 365 Sales Professional" not in html  # not sold in Europe
        assert "$7.20" not in html and "230" not in html

    def test_a_us_partner_sees_dollars(self, client, outsider):
        catalog()
        html = html_of(client, outsider)
        assert "$7.20" in html and "$65.00" in html and "Dynamics 365 Sales Professional" in html
        assert "€" not in html and "Windows Server" not in html

    def test_a_taiwanese_partner_sees_new_taiwan_dollars(self, client):
        catalog()
        partner = active_partner(tenant=TenantFactory(country="TW"), country="TW")
        html = html_of(client, user_of(partner))
        assert "Microsoft 365 Business Basic" in html and "NT$230.00" in html
        assert "Office 365 E3" not in html

    def test_terms_and_billing_frequencies_are_labelled(self, client, provider_admin):
        catalog()
        html = html_of(client, provider_admin)
        for label in ("1 month", "1 year", "3 years", "Perpetual", "Monthly", "Annual", "One-time"):
            assert f">{label}<" in html, label
        assert escape("Windows Server 2022 Standard – 16 core") in html

    def test_in_the_readers_language(self, client, provider_admin):
        catalog()
        client.force_login(provider_admin)
        html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        assert "6,77\xa0€" in html

    def test_a_partner_of_a_market_without_prices_is_told_so(self, client):
        catalog()
        partner = active_partner(tenant=TenantFactory(country="KE"), country="KE")
        assert "No offers are sold in your market yet." in html_of(client, user_of(partner))


class TestThePriceOfTheDay:
    def test_a_later_price_replaces_the_older_one_on_its_day(self, client, provider_admin):
        offers = catalog()
        priced(offers["basic"], "europe", "EUR", amount="7.10", since=date(2027, 1, 1))
        with time_machine.travel(date(2026, 12, 31), tick=False):
            html = html_of(client, provider_admin)
            assert "€6.77" in html and "€7.10" not in html
        with time_machine.travel(date(2027, 1, 1), tick=False):
            html = html_of(client, provider_admin)
            assert "€7.10" in html and "€6.77" not in html

    def test_an_offer_is_listed_from_its_first_price(self, client, provider_admin):
        catalog()
        from tests.billing.price_list_cases import offer

        copilot = offer("CFQ7TTC0MM8R", "Microsoft 365 Copilot")
        priced(copilot, "europe", "EUR", "P1Y", "annual", "337.00", since=date(2026, 11, 1))
        with time_machine.travel(date(2026, 10, 31), tick=False):
            assert "Copilot" not in html_of(client, provider_admin)
        with time_machine.travel(date(2026, 11, 1), tick=False):
            assert "Copilot" in html_of(client, provider_admin)


class TestFiltersAndSearch:
    def test_by_product_kind(self, client, provider_admin):
        catalog()
        html = html_of(client, provider_admin, "?kind=azure_reservation")
        assert "Reserved VM Instance" in html and "Business Basic" not in html and "Show every offer" in html

    def test_by_name_in_any_case(self, client, provider_admin):
        catalog()
        html = html_of(client, provider_admin, "?q=office+365")
        assert "Office 365 E3" in html and "Business Basic" not in html

    def test_by_offer_id(self, client, provider_admin):
        catalog()
        html = html_of(client, provider_admin, "?q=DG7GMGF0DVSV:0008")
        assert "Windows Server" in html and "Office 365" not in html

    def test_nothing_found_says_so(self, client, provider_admin):
        catalog()
        assert "No offer matches your search." in html_of(client, provider_admin, "?q=Minecraft")

    @pytest.mark.parametrize(
        "query", ["?kind=seat", "?kind=license&q=" + "x" * 300, "?page=lots", "?page=999"]
    )
    def test_odd_input_is_never_an_error_page(self, client, provider_admin, query):
        catalog()
        html_of(client, provider_admin, query)

    def test_an_unknown_kind_says_so_and_shows_every_offer(self, client, provider_admin):
        catalog()
        html = html_of(client, provider_admin, "?kind=seat")
        assert "Select a valid choice" in html and "Office 365 E3" in html


class TestWho:
    @pytest.mark.parametrize("role", [Role.GLOBAL_ADMIN, Role.ADMIN_AGENT, Role.SALES_AGENT])
    def test_roles_that_see_orders_or_order_see_it_and_its_link(self, client, provider, role):
        catalog()
        html = html_of(client, user_of(provider, role))
        assert "€6.77" in html and f'href="{URL}"' in html

    @pytest.mark.parametrize(
        "role", [Role.HELPDESK_AGENT, Role.BILLING_ADMIN, Role.BUSINESS_PROFILE_ADMIN, Role.INCENTIVES_ADMIN]
    )
    def test_other_roles_get_403_with_the_reason_and_no_link(self, client, provider, role):
        user = user_of(provider, role)
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 403
        html = response.content.decode()
        assert "Only your global admin, an admin agent or a sales agent can see the price list." in html
        assert f'href="{URL}"' not in client.get("/").content.decode()

    def test_a_direct_bill_partner_and_a_reseller_see_their_market(self, client, provider):
        catalog()
        direct = make_direct_bill(legal_name="Adatum Direct GmbH")
        reseller = make_reseller(provider=provider, legal_name="Fabrikam Cloud GmbH")
        for partner in (direct, reseller):
            assert "€6.77" in html_of(client, user_of(partner))

    def test_a_partner_not_yet_active_gets_403(self, client):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, status="in_review")
        client.force_login(user_of(partner))
        response = client.get(URL)
        assert (
            response.status_code == 403
            and escape("once its enrollment is active") in response.content.decode()
        )
        assert f'href="{URL}"' not in client.get("/").content.decode()

    def test_a_customer_tenant_and_staff_get_403(self, client, customer_admin, reviewer):
        for user in (customer_admin, reviewer):
            client.force_login(user)
            assert client.get(URL).status_code == 403

    def test_anonymous_goes_to_the_sign_in(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_only_get(self, client, provider_admin):
        client.force_login(provider_admin)
        assert client.post(URL).status_code == 405


def test_a_page_at_a_time_in_the_same_queries_whatever_the_length(client, provider_admin, monkeypatch):
    monkeypatch.setattr(price_list_views, "PAGE_SIZE", 5)
    client.force_login(provider_admin)

    def queries(size):
        grow(size)
        client.get(URL)  # the session settles on a first request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return [q["sql"] for q in captured], response.content.decode()

    small, html = queries(7)
    assert "Page 1 of 2" in html
    large, html = queries(30)
    assert "Page 1 of 6" in html
    assert len(small) == len(large)
    listing = [sql for sql in large if 'FROM "billing_offer"' in sql and "ORDER BY" in sql]
    assert listing and all(" LIMIT " in sql for sql in listing)


class TestAdmin:
    """Django's admin shows the price list read-mostly: filters by market, currency and kind,
    search by name or ID; nothing is added or deleted there (import_price_list loads it)."""

    @pytest.fixture
    def staff_client(self, client):
        client.force_login(UserFactory(tenant=None, roles=[], is_staff=True, is_superuser=True))
        return client

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "?market=europe",
            "?currency=GBP",
            "?offer__product__kind__exact=software",
            "?q=Office",
            "?q=DG7GMGF0DVSV",
        ],
    )
    def test_prices_by_market_currency_kind_and_search(self, staff_client, query):
        catalog()
        response = staff_client.get("/admin/billing/price/" + query)
        assert response.status_code == 200
        html = response.content.decode()
        if query == "?currency=GBP":
            assert "18.17" in html and "6.77" not in html
        if query == "?q=DG7GMGF0DVSV":
            assert "Windows Server" in html and "Office 365" not in html

    def test_offers_by_market_and_products_by_kind(self, staff_client):
        offers = catalog()
        html = staff_client.get("/admin/billing/offer/?market=united_states").content.decode()
        assert "Dynamics 365 Sales Professional" in html and "Windows Server" not in html
        assert staff_client.get("/admin/billing/product/?kind__exact=azure_plan").status_code == 200
        page = staff_client.get(f"/admin/billing/offer/{offers['basic'].pk}/change/")
        assert page.status_code == 200 and "67.68" in page.content.decode()

    def test_nothing_is_added_deleted_or_priced_here(self, staff_client):
        offers = catalog()
        assert staff_client.get("/admin/billing/price/add/").status_code == 403
        assert staff_client.get("/admin/billing/offer/add/").status_code == 403
        assert staff_client.get("/admin/billing/product/add/").status_code == 403
        price = offers["basic"].prices.first()
        assert (
            staff_client.post(f"/admin/billing/price/{price.pk}/delete/", {"post": "yes"}).status_code == 403
        )
        response = staff_client.post(f"/admin/billing/price/{price.pk}/change/", {"unit_price": "0.01"})
        assert response.status_code in (200, 403)
        price.refresh_from_db()
        assert str(price.unit_price) != "0.01"

    def test_the_names_are_translatable(self):
        from billing.models import Offer, Price, Product

        for model in (Product, Offer, Price):
            assert type(model._meta.verbose_name).__name__ == "__proxy__"
            assert type(model._meta.verbose_name_plural).__name__ == "__proxy__"
