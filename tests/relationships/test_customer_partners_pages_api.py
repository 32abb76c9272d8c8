"""The customer's side in the pages and the API: *Partner relationships* in the navigation of
the customer's global admin, its partners with their roles, who bills and who has
administrator access; removing a partner's access or ending the relationship after a
confirmation (a page, or ``{"confirm": true}``); another customer's or a partner's
relationship is 404; the endpoints are in the OpenAPI schema."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from relationships.models import CustomerRelationship
from tests.cast import authorize_customer, customer_token, invite_customer, make_customer_admin
from tests.conftest import api_as
from tests.factories import CustomerFactory, CustomerRelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/customer/partners/"
API = "/api/v1/customer/partners/"
NAV = "Partner relationships"
ROW_KEYS = {
    "partner_id",
    "name",
    "mpn_id",
    "country",
    "role",
    "via_reseller_id",
    "bills_customer",
    "state",
    "admin_access",
    "admin_access_removed_at",
    "established_at",
    "ended_at",
}


@pytest.fixture
def customer(customer_admin, reseller_admin, provider, relationship):
    return authorize_customer(customer_admin, reseller_admin, provider)


def signed_in(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def state_of(customer, partner) -> tuple:
    relationship = CustomerRelationship.objects.get(customer=customer, partner=partner)
    return relationship.state, relationship.admin_access


def sales_of(customer):
    return UserFactory(
        tenant=customer.tenant, email="sales@contosode.onmicrosoft.com", roles=[Role.SALES_AGENT.value]
    )


# --- The navigation ---------------------------------------------------------------------------------


def test_the_customers_global_admin_finds_its_partners_in_the_navigation(
    client, customer, customer_admin, reseller_admin
):
    link = f'href="{reverse("relationships:customer-partners")}"'
    assert reverse("relationships:customer-partners") == LIST
    html = page(signed_in(client, customer_admin).get("/"))
    assert link in html and NAV in html
    # Not for the customer's other users, nor for a partner (its tenant is no customer's).
    assert link not in page(signed_in(client, sales_of(customer)).get("/"))
    assert link not in page(signed_in(client, reseller_admin).get("/"))


def test_a_partner_whose_tenant_is_a_customer_too_finds_its_partners(client, reseller_admin):
    # The navigation's one query answers it for a partner's tenant (``is_customer``).
    link = f'href="{LIST}"'
    assert link not in page(signed_in(client, reseller_admin).get("/"))
    CustomerFactory(tenant=reseller_admin.tenant)
    assert link in page(client.get("/"))


def test_the_authorized_invitation_links_to_the_partners(
    client, customer_admin, reseller_admin, provider, relationship
):
    url = f"/customer-invitations/{customer_token(invite_customer(reseller_admin, provider))}/"
    signed_in(client, customer_admin)
    assert f'href="{LIST}"' not in page(client.get(url))
    client.post(url, {"confirm": "on"})
    html = page(client.get(url))
    assert f'href="{LIST}"' in html and "See your partners and their access" in html


def test_a_tenant_that_authorized_no_one_has_no_entry_yet(client, customer_admin):
    assert NAV not in page(signed_in(client, customer_admin).get("/"))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Your organization has not authorized a partner yet." in page(response)


# --- The list page ----------------------------------------------------------------------------------


def test_the_list_shows_roles_who_bills_and_admin_access(
    client, customer, customer_admin, reseller, provider
):
    response = signed_in(client, customer_admin).get(LIST)
    assert response.status_code == 200
    html = page(response)
    assert "The partners of Contoso GmbH (contosode.onmicrosoft.com)" in html
    rows = html.split("<tbody>")[1].split("</tr>")
    reseller_row = next(r for r in rows if "Fabrikam Cloud GmbH</strong>" in r)
    provider_row = next(r for r in rows if "Contoso Distribution GmbH</strong>" in r)
    assert "Indirect reseller" in reseller_row and "MPN ID 4820777" in reseller_row
    assert "Indirect provider" in provider_row and "through Fabrikam Cloud GmbH" in provider_row
    # Who bills: the provider. Who administers: the reseller.
    cells = lambda row: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)  # noqa: E731
    assert [c.strip()[:3] for c in cells(reseller_row)[2:4]] == ["No", "Yes"]
    assert [c.strip()[:3] for c in cells(provider_row)[2:4]] == ["Yes", "No"]
    assert f"/customer/partners/{reseller.pk}/remove-admin-access/" in reseller_row
    assert f"/customer/partners/{provider.pk}/remove-admin-access/" not in provider_row
    assert f"/customer/partners/{reseller.pk}/end/" in reseller_row
    assert f"/customer/partners/{provider.pk}/end/" in provider_row


def test_only_a_global_admin_sees_the_list(client, customer):
    response = signed_in(client, sales_of(customer)).get(LIST)
    assert response.status_code == 403
    assert escape("Only your organization's global admin") in page(response)
    client.logout()
    assert client.get(LIST)["Location"].startswith(reverse("login"))


# --- The confirmation pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "heading", "after", "state"),
    [
        (
            "remove-admin-access",
            "Remove the administrator access of Fabrikam Cloud GmbH?",
            "Fabrikam Cloud GmbH no longer has administrator access to your organization. It stays your partner.",
            ("active", False),
        ),
        (
            "end",
            "End the relationship with Fabrikam Cloud GmbH?",
            "Your organization&#x27;s relationship with Fabrikam Cloud GmbH has ended.",
            ("terminated", False),
        ),
    ],
)
def test_each_change_asks_for_confirmation_first(
    client, customer, customer_admin, reseller, committed, action, heading, after, state
):
    url = f"{LIST}{reseller.pk}/{action}/"
    signed_in(client, customer_admin)
    rows = Event.objects.count()
    # The confirmation page changes nothing.
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = page(response)
    assert heading in html and 'name="confirm" value="true"' in html and f'href="{LIST}"' in html
    assert state_of(customer, reseller) == ("active", True) and Event.objects.count() == rows
    # A POST without the confirmation is refused with the reason, on the same page.
    response = client.post(url, {})
    assert response.status_code == 400 and "Confirm that you" in page(response)
    assert state_of(customer, reseller) == ("active", True) and Event.objects.count() == rows
    # The page's button.
    mail.outbox.clear()
    with committed():
        response = client.post(url, {"confirm": "true"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert state_of(customer, reseller) == state
    assert Event.objects.count() == rows + 1
    assert [m.to for m in mail.outbox] == [["jonas@fabrikam.test"]]
    assert after in page(client.get(LIST))


def test_the_list_shows_an_ended_relationship_without_actions(client, customer, customer_admin, reseller):
    signed_in(client, customer_admin).post(f"{LIST}{reseller.pk}/end/", {"confirm": "true"})
    html = page(client.get(LIST))
    reseller_row = next(r for r in html.split("</tr>") if "Fabrikam Cloud GmbH</strong>" in r)
    assert "Ended" in reseller_row and f"/customer/partners/{reseller.pk}/" not in reseller_row
    # Its confirmation pages offer no button: they say why, with a way back.
    for action in ("end", "remove-admin-access"):
        response = client.get(f"{LIST}{reseller.pk}/{action}/")
        assert response.status_code == 409
        html = page(response)
        assert "already ended its relationship with Fabrikam Cloud GmbH" in html
        assert 'name="confirm"' not in html and f'href="{LIST}"' in html and "Back to your partners" in html
    # Sent again (a second tab): the conflict goes back to the list with its reason.
    response = client.post(f"{LIST}{reseller.pk}/end/", {"confirm": "true"}, follow=True)
    assert (
        "already ended its relationship with Fabrikam Cloud GmbH. To work with it again, accept a new invitation"
        in page(response)
    )
    assert Event.objects.filter(kind="customer_relationship_ended").count() == 1


def test_removed_access_cannot_be_removed_again(client, customer, customer_admin, reseller, provider):
    signed_in(client, customer_admin)
    # The provider never had it; the reseller's is removed once.
    response = client.get(f"{LIST}{provider.pk}/remove-admin-access/")
    assert response.status_code == 409 and "has no administrator access" in page(response)
    client.post(f"{LIST}{reseller.pk}/remove-admin-access/", {"confirm": "true"})
    response = client.get(f"{LIST}{reseller.pk}/remove-admin-access/")
    assert response.status_code == 409 and 'name="confirm"' not in page(response)
    # Ending it is still possible.
    assert 'name="confirm" value="true"' in page(client.get(f"{LIST}{reseller.pk}/end/"))


@pytest.mark.parametrize("action", ["remove-admin-access", "end"])
def test_another_customers_or_a_partners_admin_gets_404(client, customer, reseller, reseller_admin, action):
    url = f"{LIST}{reseller.pk}/{action}/"
    other = make_customer_admin("tailspinde.onmicrosoft.com", name="Tailspin GmbH")
    for user in (other, reseller_admin):
        signed_in(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "true"}).status_code == 404
    assert client.get(f"{LIST}{customer.pk}/end/").status_code == 404  # not a partner's id
    assert state_of(customer, reseller) == ("active", True)
    assert signed_in(client, sales_of(customer)).post(url, {"confirm": "true"}).status_code == 403
    assert state_of(customer, reseller) == ("active", True)


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_lists_the_customers_partners(customer, customer_admin, reseller, provider):
    response = api_as(customer_admin).get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and set(body) == {"count", "next", "previous", "results"}
    assert all(set(row) == ROW_KEYS for row in body["results"])
    assert [
        (r["partner_id"], r["role"], r["bills_customer"], r["admin_access"], r["state"], r["via_reseller_id"])
        for r in body["results"]
    ] == [
        (str(reseller.pk), "indirect_reseller", False, True, "active", None),
        (str(provider.pk), "indirect_provider", True, False, "active", str(reseller.pk)),
    ]
    detail = api_as(customer_admin).get(f"{API}{provider.pk}/")
    assert detail.status_code == 200 and detail.json()["name"] == "Contoso Distribution GmbH"


def test_the_api_is_for_the_global_admin(api, customer, reseller_admin):
    assert api.get(API).status_code == 401
    response = api_as(sales_of(customer)).get(API)
    assert response.status_code == 403 and "global admin" in response.json()["detail"]
    # A partner's admin: its tenant is no customer's, so it has no partners here.
    assert api_as(reseller_admin).get(API).json()["count"] == 0


def test_the_api_removes_admin_access_with_confirmation(customer, customer_admin, reseller, committed):
    client = api_as(customer_admin)
    url = f"{API}{reseller.pk}/remove-admin-access/"
    response = client.post(url, {}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["confirm"]
    response = client.post(url, {"confirm": "yes please"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["confirm"]
    assert state_of(customer, reseller) == ("active", True)
    mail.outbox.clear()
    with committed():
        response = client.post(url, {"confirm": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["admin_access"]) == ("active", False) and body["admin_access_removed_at"]
    assert [m.subject for m in mail.outbox] == ["Contoso GmbH removed your administrator access"]
    again = client.post(url, {"confirm": True}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition" and again.json()["status"] == "active"


def test_the_api_ends_a_relationship(customer, customer_admin, provider):
    client = api_as(customer_admin)
    url = f"{API}{provider.pk}/end/"
    response = client.post(url, {"confirm": True}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["bills_customer"]) == ("terminated", False)
    assert response.json()["ended_at"]
    again = client.post(url, {"confirm": True}, format="json")
    assert again.status_code == 409 and again.json()["status"] == "terminated"
    assert Event.objects.filter(kind="customer_relationship_ended").count() == 1


@pytest.mark.parametrize("action", ["", "remove-admin-access/", "end/"])
def test_the_api_answers_404_for_another_customers_or_a_partners_relationship(
    customer, reseller, reseller_admin, action
):
    url = f"{API}{reseller.pk}/{action}"
    other = make_customer_admin("tailspinde.onmicrosoft.com", name="Tailspin GmbH")
    for user in (other, reseller_admin):
        client = api_as(user)
        response = client.post(url, {"confirm": True}, format="json") if action else client.get(url)
        assert response.status_code == 404
    assert state_of(customer, reseller) == ("active", True)


def test_the_endpoints_are_in_the_openapi_schema(customer_admin):
    response = api_as(customer_admin).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "get" in paths["/api/v1/customer/partners/"]
    assert "get" in paths["/api/v1/customer/partners/{partner_id}/"]
    for action in ("remove-admin-access", "end"):
        operation = paths[f"/api/v1/customer/partners/{{partner_id}}/{action}/"]["post"]
        assert operation["description"] and "requestBody" in operation


# --- At volume ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, API])
def test_the_list_takes_the_same_number_of_queries_for_two_partners_or_six(
    client, customer, customer_admin, url
):
    def queries() -> int:
        signed_in(client, customer_admin)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    two = queries()
    CustomerRelationshipFactory.create_batch(4, customer=customer)
    assert CustomerRelationship.objects.filter(customer=customer).count() == 6
    assert queries() == two
