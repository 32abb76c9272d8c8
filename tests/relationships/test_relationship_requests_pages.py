"""The relationship request pages (issue 9, "What it unlocks"): the direct-bill partner's page,
reachable from Customers, that makes the link and the draft email and lists its requests;
the customer's acceptance page, where a visit changes nothing and anonymous visitors sign in
and come back. And Create customer: only an active direct-bill partner as direct partner."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from relationships.models import Customer, RelationshipRequest
from relationships.services.relationship_requests import (
    relationship_request_accept,
    relationship_request_create,
)
from tests.cast import direct_customer, make_customer_admin, user_of
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PAGE = "/customers/relationship-requests/"
TOKEN = re.compile(r"/relationship-requests/([A-Za-z0-9_-]+)/")


def signed_in(client, user):
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


def request_url(direct_admin) -> str:
    created = relationship_request_create(actor=direct_admin)
    return f"/relationship-requests/{TOKEN.search(created.link).group(1)}/"


# --- The partner's page ---------------------------------------------------------------------------


def test_the_customers_page_links_to_it_for_a_direct_bill_partner_only(
    client, direct_admin, reseller_admin, provider_admin, relationship
):
    assert reverse("relationships:relationship-requests") == PAGE
    assert f'href="{PAGE}"' in html_of(signed_in(client, direct_admin).get("/customers/"))
    for admin in (reseller_admin, provider_admin):
        assert f'href="{PAGE}"' not in html_of(signed_in(client, admin).get("/customers/"))


def test_a_visit_creates_no_request(client, direct_admin):
    signed_in(client, direct_admin)
    for _visit in range(2):
        response = client.get(PAGE)
        assert response.status_code == 200
        html = html_of(response)
        assert "Create a request link" in html and 'id="request-link"' not in html
        assert "No relationship requests yet." in html
    assert not RelationshipRequest.objects.exists()


def test_the_button_shows_the_link_and_the_draft_and_lists_it(client, direct_admin):
    response = signed_in(client, direct_admin).post(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = html_of(response)
    link = re.search(r'id="request-link" class="full-width" type="text" value="([^"]+)"', html).group(1)
    assert link.startswith("http://testserver/relationship-requests/")
    body = re.search(r'<textarea id="draft-body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert link in body and "Adatum Direct GmbH" in body
    assert 'data-copy="draft-body"' in html and "js/portal.js" in html
    assert ' style="' not in html.split("<main", 1)[-1]
    # The list shows it, without the token.
    html = html_of(client.get(PAGE))
    assert "Sent" in html and direct_admin.email in html
    assert link not in html
    assert RelationshipRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["reseller", "provider", "sales_agent", "not_active"])
def test_only_an_active_direct_bill_partners_admin_gets_the_page(client, who, request):
    if who in ("reseller", "provider"):
        actor = request.getfixturevalue(f"{who}_admin")
    elif who == "sales_agent":
        actor = user_of(request.getfixturevalue("direct"), role=Role.SALES_AGENT)
    else:
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, program="direct_bill", status="approved")
        actor = user_of(partner)
    signed_in(client, actor)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE).status_code == 403
    assert not RelationshipRequest.objects.exists()


def test_the_list_shows_the_customer_and_keeps_its_number_of_queries(client, direct_admin):
    signed_in(client, direct_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    relationship_request_create(actor=direct_admin)
    few = queries()
    for n in range(3):
        token = TOKEN.search(relationship_request_create(actor=direct_admin).link).group(1)
        relationship_request_accept(
            actor=make_customer_admin(f"tailspin{n}.onmicrosoft.com", f"Tailspin {n}"), token=token
        )
    assert queries() == few
    html = html_of(client.get(PAGE))
    assert "Tailspin 2 (tailspin2.onmicrosoft.com)" in html and "Accepted" in html


def test_another_partners_requests_are_not_shown(client, direct_admin, outsider):
    relationship_request_create(actor=direct_admin)
    assert "No relationship requests yet." in html_of(signed_in(client, outsider).get(PAGE))


# --- The customer's page -----------------------------------------------------------------------------


def test_anyone_with_the_link_sees_who_asks_and_an_anonymous_post_signs_in(client, direct_admin):
    url = request_url(direct_admin)
    html = html_of(client.get(url))
    assert "Adatum Direct GmbH" in html and "Direct-bill partner" in html
    assert "administrator permissions" in html and "bills you" in html
    assert f"{reverse('login')}?next={url.replace('/', '%2F')}" in html
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert not Customer.objects.exists()


def test_signing_in_comes_back_to_the_request(client, direct_admin, customer_admin, password):
    url = request_url(direct_admin)
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": customer_admin.email, "password": password, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert 'name="confirm"' in html_of(client.get(url))


def test_the_global_admin_accepts_in_one_step(client, direct, direct_admin, customer_admin, committed):
    url = request_url(direct_admin)
    signed_in(client, customer_admin)
    html = html_of(client.get(url))
    assert 'name="confirm"' in html and "contosode.onmicrosoft.com" in html
    assert not Customer.objects.exists() and not Event.objects.filter(kind="relationship_request_accepted")
    assert html_of(client.post(url, {})).count("Tick the box to accept the partner.") == 1
    assert not Customer.objects.exists()
    with committed():
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url
    customer = Customer.objects.get(tenant=customer_admin.tenant)
    assert [(r.partner, r.role, r.admin_access) for r in customer.relationships.all()] == [
        (direct, "direct_bill_partner", True)
    ]
    html = html_of(client.get(url))
    assert "Your organization accepted Adatum Direct GmbH as its direct-bill partner." in html
    assert len(mail.outbox) == 1
    # The customer's admin sees the partner among its partners, with its role.
    html = html_of(client.get(reverse("relationships:customer-partners")))
    assert "Adatum Direct GmbH" in html and "Direct-bill partner" in html
    # The partner sees it in its customers as a customer it bills.
    html = html_of(signed_in(client, direct_admin).get("/customers/"))
    assert "Contoso GmbH" in html and "Add or view products" in html


def test_a_used_link_says_so(client, direct_admin, customer_admin):
    url = request_url(direct_admin)
    signed_in(client, customer_admin).post(url, {"confirm": "on"})
    other = make_customer_admin("tailspinde.onmicrosoft.com", "Tailspin")
    html = html_of(signed_in(client, other).get(url))
    assert "already used" in html and 'name="confirm"' not in html
    assert "already used" in html_of(client.post(url, {"confirm": "on"}, follow=True))
    assert Customer.objects.count() == 1


def test_an_expired_link_says_so(client, direct_admin, customer_admin):
    url = request_url(direct_admin)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        signed_in(client, customer_admin)  # a fresh session, in the future
        html = html_of(client.get(url))
        assert "expired on" in html and 'name="confirm"' not in html
        assert "expired on" in html_of(client.post(url, {"confirm": "on"}, follow=True))
    assert not Customer.objects.exists()


def test_a_csp_transaction_tenant_is_told_to_use_another_tenant(client, direct_admin, outsider):
    url = request_url(direct_admin)
    html = html_of(signed_in(client, outsider).get(url))
    assert escape("different, non-CSP tenant") in html and 'name="confirm"' not in html
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 403
    assert escape("different, non-CSP tenant") in html_of(response)
    assert not Customer.objects.exists()


def test_an_existing_relationship_is_shown_before_the_button(client, direct, direct_admin, customer_admin):
    direct_customer(direct, tenant=customer_admin.tenant)
    url = request_url(direct_admin)
    html = html_of(signed_in(client, customer_admin).get(url))
    assert "already a partner of your organization" in html and 'name="confirm"' not in html
    assert "already a partner" in html_of(client.post(url, {"confirm": "on"}, follow=True))
    assert RelationshipRequest.objects.get().status == "sent"


def test_an_unknown_link_is_404(client):
    response = client.get("/relationship-requests/nope/")
    assert response.status_code == 404
    assert "This relationship request link is not valid" in html_of(response)


def test_staff_read_requests_in_the_admin_without_the_hash(client, direct_admin):
    from partnercenter.accounts.models import User

    request = relationship_request_create(actor=direct_admin).request
    signed_in(client, User.objects.create_superuser("root@partners.test", "Correct-Horse-42"))
    assert client.get("/admin/relationships/relationshiprequest/").status_code == 200
    html = html_of(client.get(f"/admin/relationships/relationshiprequest/{request.pk}/change/"))
    assert "Adatum Direct GmbH" in html and request.token_hash not in html


# --- Create customer: only an active direct-bill partner as direct partner ----------------------------

FORM = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}


def test_a_direct_bill_partner_whose_enrollment_is_not_active_cannot_create_customers(client, reseller):
    for status in ("in_review", "approved"):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, program="direct_bill", status=status)
        signed_in(client, user_of(partner))
        assert client.get("/customers/new/").status_code == 403
        assert client.post("/customers/new/", FORM).status_code == 403
    # An active indirect reseller whose direct-bill enrollment is not active yet is a reseller.
    EnrollmentFactory(partner=reseller, program="direct_bill", status="approved")
    response = signed_in(client, user_of(reseller)).post("/customers/new/", FORM)
    assert response.status_code == 403
    assert escape("Indirect resellers cannot create customer tenants") in html_of(response)
    assert 'href="/customers/new/"' not in html_of(client.get("/customers/"))
    assert not Customer.objects.exists()


def test_an_active_direct_bill_partner_creates_its_direct_customer(client, direct, direct_admin):
    response = signed_in(client, direct_admin).post("/customers/new/", FORM)
    assert response.status_code == 200 and "litwarede.onmicrosoft.com" in html_of(response)
    customer = Customer.objects.get()
    assert [(r.partner, r.role) for r in customer.relationships.all()] == [(direct, "direct_bill_partner")]
