"""Work accounts by country and domain: sign-up chooses a country (none is preselected), the
global admin signs in on the new tenant's domain, and an employee's email is on one of the
tenant's verified domains; on the page and in the API."""

import pytest

from partnercenter.accounts.models import Tenant, User
from tests.conftest import api_as
from tests.data import SIGNUP
from tests.factories import TenantDomainFactory

pytestmark = pytest.mark.django_db

EMPLOYEE = {"first_name": "Max", "last_name": "Weber", "roles": ["sales_agent"]}


class TestSignupCountry:
    def test_the_page_preselects_no_country(self, client):
        html = client.get("/signup/").content.decode()
        select = html[html.index('name="country"') : html.index("</select>", html.index('name="country"'))]
        assert '<option value="" selected>' in select
        assert select.count(" selected") == 1  # the empty option only

    def test_without_a_country_the_page_says_choose_one_and_creates_nothing(self, client):
        response = client.post("/signup/", {**SIGNUP, "country": ""})
        assert response.status_code == 200
        assert "Choose the country or region where your organization is located." in str(
            response.context["form"].errors["country"]
        )
        assert not Tenant.objects.exists()

    def test_without_a_country_the_api_answers_400(self, api):
        response = api.post("/api/v1/signup/", {**SIGNUP, "country": ""}, format="json")
        assert response.status_code == 400
        assert "country" in response.data
        assert not Tenant.objects.exists()

    def test_the_chosen_country_is_the_tenants(self, client):
        assert client.post("/signup/", SIGNUP).status_code == 302
        assert Tenant.objects.get().country.code == "TW"


class TestGlobalAdminSignIn:
    def test_a_sign_in_off_the_new_domain_is_refused_on_the_page(self, client):
        response = client.post("/signup/", {**SIGNUP, "email": "mei@contoso.com.tw"})
        assert response.status_code == 200
        message = str(response.context["form"].errors["email"])
        assert "mei@contosotw.onmicrosoft.com" in message and "contoso.com.tw" in message
        assert not User.objects.exists()

    def test_a_sign_in_off_the_new_domain_is_refused_in_the_api(self, api):
        response = api.post("/api/v1/signup/", {**SIGNUP, "email": "mei@contoso.com.tw"}, format="json")
        assert response.status_code == 400
        assert "contosotw.onmicrosoft.com" in response.data["email"][0]

    def test_the_domain_is_compared_whatever_its_case(self, api):
        body = {**SIGNUP, "email": "Mei@ContosoTW.onmicrosoft.com"}
        assert api.post("/api/v1/signup/", body, format="json").status_code == 201


class TestEmployeeEmail:
    def test_an_email_off_the_tenants_domains_is_refused_in_the_api(self, admin):
        response = api_as(admin).post(
            "/api/v1/partner/users/", {**EMPLOYEE, "email": "max@gmail.com"}, format="json"
        )
        assert response.status_code == 400
        assert "fabrikamde.onmicrosoft.com" in response.data["email"][0]
        assert not User.objects.filter(email="max@gmail.com").exists()

    def test_an_email_off_the_tenants_domains_is_refused_on_the_page(self, client, admin):
        client.force_login(admin)
        response = client.post("/partner/users/", {**EMPLOYEE, "email": "max@fabrikam.de"})
        assert response.status_code == 200
        assert "fabrikam.de is not a verified domain" in str(response.context["form"].errors["email"])

    def test_an_unverified_custom_domain_is_refused(self, admin):
        TenantDomainFactory(tenant=admin.tenant, name="fabrikam.de", verified_at=None)
        response = api_as(admin).post(
            "/api/v1/partner/users/", {**EMPLOYEE, "email": "max@fabrikam.de"}, format="json"
        )
        assert response.status_code == 400

    def test_a_verified_custom_domain_is_accepted(self, admin):
        TenantDomainFactory(tenant=admin.tenant, name="fabrikam.de")
        response = api_as(admin).post(
            "/api/v1/partner/users/", {**EMPLOYEE, "email": "max@fabrikam.de"}, format="json"
        )
        assert response.status_code == 201, response.data

    def test_another_tenants_domain_is_refused(self, admin, outsider):
        domain = outsider.tenant.domain
        response = api_as(admin).post(
            "/api/v1/partner/users/", {**EMPLOYEE, "email": f"max@{domain}"}, format="json"
        )
        assert response.status_code == 400

    def test_the_users_page_names_the_verified_domains(self, client, admin):
        TenantDomainFactory(tenant=admin.tenant, name="fabrikam.de")
        client.force_login(admin)
        html = client.get("/partner/users/").content.decode()
        assert "verified domain of your work account: fabrikam.de, fabrikamde.onmicrosoft.com." in html
