"""The customers API: /api/v1/customers/ and /api/v1/customer-invitations/ (the orders of a
customer: tests/billing/test_orders_api.py)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from billing.models import Order
from partnercenter.accounts.models import Role, Tenant, User
from relationships.models import Customer, CustomerInvitation, CustomerRelationship
from tests.cast import (
    direct_customer,
    make_customer_admin,
    make_provider,
    make_reseller,
    share_customer,
    user_of,
)
from tests.conftest import api_as
from tests.factories import (
    EnrollmentFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"
INVITATIONS = "/api/v1/customer-invitations/"
ACCEPT = "/api/v1/customer-invitations/accept/"
TOKEN = re.compile(r"/customer-invitations/([A-Za-z0-9_-]+)/$")
BODY = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}
ROW_KEYS = {"id", "company_name", "tenant", "relationships", "billed_by", "can_manage_products"}


def rel(partner, role):
    return {"partner_id": str(partner.pk), "role": role}


# --- POST /api/v1/customers/ ----------------------------------------------------------------------


def test_a_provider_creates_a_customer_for_its_reseller(provider, provider_admin, reseller, relationship):
    response = api_as(provider_admin).post(
        CUSTOMERS, {**BODY, "indirect_reseller_id": str(reseller.pk)}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == ROW_KEYS | {"admin"}
    customer = Customer.objects.get()
    assert data["id"] == str(customer.pk)
    assert data["tenant"] == {
        "id": str(customer.tenant_id),
        "domain": "litwarede.onmicrosoft.com",
        "country": "DE",
    }
    assert data["relationships"] == [rel(provider, "indirect_provider"), rel(reseller, "indirect_reseller")]
    assert data["billed_by"] == str(provider.pk) and data["can_manage_products"] is True
    admin = data["admin"]
    assert admin["email"] == "admin@litwarede.onmicrosoft.com"
    # The temporary password is returned once and works, and the admin must change it.
    user = User.objects.get(email=admin["email"])
    assert user.check_password(admin["temporary_password"]) and user.must_change_password
    assert admin["temporary_password"] not in user.password
    token = APIClient().post(
        "/api/v1/auth/token/",
        {"email": admin["email"], "password": admin["temporary_password"]},
        format="json",
    )
    assert token.status_code == 200
    # Reading the customer again never shows it.
    again = api_as(provider_admin).get(f"{CUSTOMERS}{customer.pk}/").json()
    assert "admin" not in again and admin["temporary_password"] not in str(again)


def test_a_direct_bill_partner_creates_its_customer(direct, direct_admin):
    response = api_as(direct_admin).post(CUSTOMERS, BODY, format="json")
    assert response.status_code == 201
    assert response.json()["relationships"] == [rel(direct, "direct_bill_partner")]


def test_an_indirect_reseller_gets_403_with_the_reason(reseller_admin, relationship):
    response = api_as(reseller_admin).post(CUSTOMERS, {"company_name": ""}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith(
        "Indirect resellers cannot create customer tenants: your indirect provider creates the tenant and names you"
    )
    assert not Tenant.objects.filter(domain__startswith="litware").exists()


def test_anonymous_gets_401():
    assert APIClient().post(CUSTOMERS, BODY, format="json").status_code == 401
    assert APIClient().get(CUSTOMERS).status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"domain_prefix": "lit-ware"}, "domain_prefix"),
        ({"country": "US"}, "country"),
        ({"country": "ZZ"}, "country"),
        ({"company_name": "  "}, "company_name"),
        ({"indirect_reseller_id": "not-a-uuid"}, "indirect_reseller_id"),
        ({"indirect_reseller_id": "6a1b3c9e-0000-4000-8000-000000000000"}, "indirect_reseller_id"),
    ],
)
def test_bad_input_is_400_on_the_field(provider_admin, changes, field):
    response = api_as(provider_admin).post(CUSTOMERS, {**BODY, **changes}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Customer.objects.exists()


def test_a_taken_domain_is_400_on_domain_prefix(provider_admin):
    TenantFactory(domain="litwarede.onmicrosoft.com")
    response = api_as(provider_admin).post(CUSTOMERS, BODY, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "domain_prefix": ["litwarede.onmicrosoft.com is already taken. Choose another prefix."]
    }


def test_the_country_message_names_the_market(direct_admin):
    response = api_as(direct_admin).post(CUSTOMERS, {**BODY, "country": "CA"}, format="json")
    assert response.status_code == 400
    assert "Europe" in response.json()["country"][0]


def test_the_registration_number_is_400_where_required(db):
    partner = PartnerFactory(country="IN")
    EnrollmentFactory(partner=partner, program="direct_bill", status="active")
    client = api_as(user_of(partner))
    response = client.post(CUSTOMERS, {**BODY, "country": "IN"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["organization_registration_number"]
    response = client.post(
        CUSTOMERS,
        {**BODY, "country": "IN", "organization_registration_number": "U72900KA2020PTC123456"},
        format="json",
    )
    assert response.status_code == 201


# --- GET /api/v1/customers/ ------------------------------------------------------------------------


def test_the_list_shows_who_bills_each_customer(
    provider, provider_admin, reseller, reseller_admin, direct, direct_admin, relationship
):
    shared = share_customer(provider, reseller, company_name="A shared customer")
    own = direct_customer(provider, role="indirect_provider", company_name="B provider's own")
    direct_only = direct_customer(direct, company_name="C direct")

    data = api_as(provider_admin).get(CUSTOMERS).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 2
    first, second = data["results"]
    assert set(first) == ROW_KEYS
    assert first["id"] == str(shared.pk)
    assert first["tenant"] == {"id": str(shared.tenant_id), "domain": shared.tenant.domain, "country": "DE"}
    assert first["relationships"] == [rel(reseller, "indirect_reseller"), rel(provider, "indirect_provider")]
    # "Providers bill their resellers' customers" and their own direct customers.
    assert (first["billed_by"], first["can_manage_products"]) == (str(provider.pk), True)
    assert second["id"] == str(own.pk)
    assert (second["billed_by"], second["can_manage_products"]) == (str(provider.pk), True)

    data = api_as(reseller_admin).get(CUSTOMERS).json()
    assert [r["id"] for r in data["results"]] == [str(shared.pk)]
    # The reseller's indirect customer: its provider bills and orders.
    assert (data["results"][0]["billed_by"], data["results"][0]["can_manage_products"]) == (
        str(provider.pk),
        False,
    )

    data = api_as(direct_admin).get(CUSTOMERS).json()
    assert [r["id"] for r in data["results"]] == [str(direct_only.pk)]
    assert data["results"][0]["relationships"] == [rel(direct, "direct_bill_partner")]
    assert (data["results"][0]["billed_by"], data["results"][0]["can_manage_products"]) == (
        str(direct.pk),
        True,
    )


def test_a_partner_never_sees_an_unrelated_partners_relationship(
    provider, reseller, reseller_admin, outsider_partner, relationship
):
    customer = share_customer(provider, reseller)
    CustomerRelationship.objects.create(
        customer=customer, partner=outsider_partner, role="direct_bill_partner"
    )
    [row] = api_as(reseller_admin).get(CUSTOMERS).json()["results"]
    assert str(outsider_partner.pk) not in str(row)


def test_provider_filter_keeps_the_customers_shared_with_that_provider(
    provider, reseller, reseller_admin, relationship
):
    second_provider = make_provider()
    ProviderResellerRelationshipFactory(provider=second_provider, reseller=reseller)
    with_first = share_customer(provider, reseller)
    with_second = share_customer(second_provider, reseller)
    client = api_as(reseller_admin)
    assert {r["id"] for r in client.get(CUSTOMERS).json()["results"]} == {
        str(with_first.pk),
        str(with_second.pk),
    }
    for who, expected in ((provider, with_first), (second_provider, with_second)):
        results = client.get(CUSTOMERS, {"provider": str(who.pk)}).json()["results"]
        assert [r["id"] for r in results] == [str(expected.pk)]
        assert results[0]["billed_by"] == str(who.pk)


def test_reseller_filter_keeps_the_customers_shared_with_that_reseller(
    provider, provider_admin, reseller, relationship
):
    other_reseller = make_reseller(provider)
    mine = share_customer(provider, reseller)
    share_customer(provider, other_reseller)
    direct_customer(provider, role="indirect_provider")
    results = api_as(provider_admin).get(CUSTOMERS, {"reseller": str(reseller.pk)}).json()["results"]
    assert [r["id"] for r in results] == [str(mine.pk)]


def test_a_bad_filter_is_400(provider_admin):
    response = api_as(provider_admin).get(CUSTOMERS, {"provider": "x"})
    assert response.status_code == 400 and list(response.json()) == ["provider"]


def test_the_list_takes_the_same_queries_whatever_its_length(
    provider, provider_admin, reseller, reseller_admin, relationship
):
    client_provider, client_reseller = api_as(provider_admin), api_as(reseller_admin)

    def queries(client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CUSTOMERS).status_code == 200
        return len(captured)

    share_customer(provider, reseller)
    direct_customer(provider, role="indirect_provider")
    few = (queries(client_provider), queries(client_reseller))
    for _ in range(8):
        share_customer(provider, reseller)
        direct_customer(provider, role="indirect_provider")
    assert (queries(client_provider), queries(client_reseller)) == few


def test_the_list_answers_in_a_fixed_number_of_queries(
    provider, provider_admin, reseller, django_assert_num_queries, relationship
):
    for _ in range(5):
        share_customer(provider, reseller)
    client = api_as(provider_admin)
    # The partner (with whether it is active and its kept count), the page, its relationships.
    with django_assert_num_queries(4):  # with the partner's rows kept lists name (relationships.kept)
        assert client.get(CUSTOMERS).json()["count"] == 5


def test_another_partners_customer_is_404(provider, reseller, outsider, direct, direct_admin, relationship):
    shared = share_customer(provider, reseller)
    own = direct_customer(direct)
    for client, customer in (
        (api_as(outsider), shared),
        (api_as(direct_admin), shared),
        (api_as(outsider), own),
    ):
        assert client.get(f"{CUSTOMERS}{customer.pk}/").status_code == 404
        assert client.get(f"{CUSTOMERS}{customer.pk}/orders/").status_code == 404
        response = client.post(
            f"{CUSTOMERS}{customer.pk}/orders/",
            {"lines": [{"offer_id": "x", "term": "P1Y", "billing": "monthly", "quantity": 1}]},
            format="json",
        )
        assert response.status_code == 404
    assert api_as(outsider).get(CUSTOMERS).json()["count"] == 0
    assert not Order.objects.exists()


def test_a_partner_that_is_not_active_gets_403(db):
    partner = PartnerFactory()
    EnrollmentFactory(partner=partner, status="in_review")
    response = api_as(user_of(partner)).get(CUSTOMERS)
    assert response.status_code == 403
    assert "enrollment is active" in response.json()["detail"]


# --- Customer invitations --------------------------------------------------------------------------


def test_the_reseller_invites_new_customers(provider, reseller, reseller_admin, relationship):
    response = api_as(reseller_admin).post(INVITATIONS, {"provider_id": str(provider.pk)}, format="json")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {"id", "link", "expires_at", "draft_email"}
    invitation = CustomerInvitation.objects.get()
    assert data["id"] == str(invitation.pk)
    assert TOKEN.search(data["link"]) and data["link"].startswith("http://testserver/customer-invitations/")
    assert set(data["draft_email"]) == {"subject", "body"}
    assert data["link"] in data["draft_email"]["body"]
    assert (
        reseller.legal_name in data["draft_email"]["body"]
        and provider.legal_name in data["draft_email"]["body"]
    )


def test_an_invitation_needs_one_of_the_resellers_providers(
    reseller_admin, provider_admin, reseller, relationship
):
    stranger = make_provider()
    client = api_as(reseller_admin)
    response = client.post(INVITATIONS, {"provider_id": str(stranger.pk)}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["provider_id"]
    assert client.post(INVITATIONS, {}, format="json").status_code == 400
    # The provider has no provider of its own.
    response = api_as(provider_admin).post(INVITATIONS, {"provider_id": str(reseller.pk)}, format="json")
    assert response.status_code == 400
    assert not CustomerInvitation.objects.exists()


def test_an_employee_with_a_narrow_role_gets_403(provider, reseller, relationship):
    response = api_as(user_of(reseller, role=Role.SALES_AGENT)).post(
        INVITATIONS, {"provider_id": str(provider.pk)}, format="json"
    )
    assert response.status_code == 403


def _link(reseller_admin, provider) -> str:
    data = api_as(reseller_admin).post(INVITATIONS, {"provider_id": str(provider.pk)}, format="json").json()
    return TOKEN.search(data["link"]).group(1)


def test_the_customers_global_admin_accepts(
    provider, reseller, reseller_admin, customer_admin, committed, relationship
):
    token = _link(reseller_admin, provider)
    with committed():
        response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 200, response.json()
    customer = Customer.objects.get()
    assert response.json() == {
        "id": str(customer.pk),
        "company_name": "Contoso GmbH",
        "tenant": {"id": str(customer.tenant_id), "domain": "contosode.onmicrosoft.com", "country": "DE"},
        "relationships": [
            {"partner_id": str(reseller.pk), "name": reseller.legal_name, "role": "indirect_reseller"},
            {"partner_id": str(provider.pk), "name": provider.legal_name, "role": "indirect_provider"},
        ],
    }
    assert len(mail.outbox) == 1
    # The customer now shows in both partners' lists.
    assert api_as(reseller_admin).get(CUSTOMERS).json()["count"] == 1


def test_accepting_twice_is_409(provider, reseller_admin, customer_admin, relationship):
    token = _link(reseller_admin, provider)
    client = api_as(customer_admin)
    assert client.post(ACCEPT, {"token": token}, format="json").status_code == 200
    response = client.post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"detail", "code", "status"}
    assert (body["code"], body["status"]) == ("invalid_transition", "accepted")
    assert CustomerRelationship.objects.count() == 2


def test_an_expired_link_is_409(provider, reseller_admin, customer_admin, relationship):
    from django.utils import timezone

    token = _link(reseller_admin, provider)
    CustomerInvitation.objects.update(expires_at=timezone.now())
    response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 409 and response.json()["status"] == "expired"


def test_an_unknown_token_is_400_on_token(customer_admin):
    response = api_as(customer_admin).post(ACCEPT, {"token": "nope"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["token"]


def test_a_user_who_is_not_the_global_admin_gets_403(provider, reseller_admin, relationship):
    token = _link(reseller_admin, provider)
    actor = make_customer_admin(roles=(Role.HELPDESK_AGENT,))
    assert api_as(actor).post(ACCEPT, {"token": token}, format="json").status_code == 403


def test_a_csp_transaction_tenant_gets_403_and_nothing_changes(
    provider, reseller_admin, outsider, relationship
):
    token = _link(reseller_admin, provider)
    response = api_as(outsider).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 403
    assert "different, non-CSP tenant" in response.json()["detail"]
    assert not Customer.objects.exists() and CustomerInvitation.objects.get().status == "sent"
