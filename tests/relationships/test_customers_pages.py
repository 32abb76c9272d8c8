"""The customer pages: Customers, Create customer, Invite new customers, the customer's
acceptance page (the order form: tests/billing/test_orders_pages.py)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from partnercenter.accounts.models import Role, User
from partnercenter.audit.models import Event
from relationships import customer_list_selectors, selectors
from relationships.models import Customer, CustomerInvitation, ProviderResellerRelationship
from relationships.permissions import acting_partner, is_direct_bill, is_indirect_provider
from tests.cast import (
    customer_token,
    direct_customer,
    invite_customer,
    make_customer_admin,
    make_reseller,
    share_customer,
    user_of,
)
from tests.factories import EnrollmentFactory, PartnerFactory, TenantFactory

pytestmark = pytest.mark.django_db

LIST = "/customers/"
CREATE = "/customers/new/"
FORM = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}


def signed_in(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


# --- Customers ---------------------------------------------------------------------------------------


def test_the_nav_links_to_customers(client, provider_admin):
    html = page(signed_in(client, provider_admin).get("/"))
    assert f'href="{reverse("relationships:customers")}"' in html


def test_the_provider_sees_who_bills_and_what_it_shares_with_each_reseller(
    client, provider, provider_admin, reseller, relationship
):
    other_reseller = make_reseller(provider, legal_name="Wingtip Partners GmbH")
    shared = share_customer(provider, reseller, company_name="Alpine Ski House")
    own = direct_customer(provider, role="indirect_provider", company_name="Blue Yonder")
    html = page(signed_in(client, provider_admin).get(LIST))
    assert "Alpine Ski House" in html and "Blue Yonder" in html
    assert "Customers you share with each reseller" in html
    assert f'href="?reseller={reseller.pk}"' in html and "Wingtip Partners GmbH" in html
    assert "Create a customer" in html
    # Filtered: the customers shared with one reseller, or the provider's own.
    html = page(client.get(LIST, {"reseller": str(reseller.pk)}))
    assert "Alpine Ski House" in html and "Blue Yonder" not in html
    assert "Customers you share with Fabrikam Cloud GmbH" in html
    html = page(client.get(LIST, {"reseller": str(other_reseller.pk)}))
    assert "Alpine Ski House" not in html and "No customers yet." in html
    html = page(client.get(LIST, {"reseller": "direct"}))
    assert "Blue Yonder" in html and "Alpine Ski House" not in html
    assert shared and own


def test_the_reseller_sees_its_provider_billing_and_can_invite(
    client, provider, reseller_admin, reseller, relationship
):
    share_customer(provider, reseller, company_name="Alpine Ski House")
    html = page(signed_in(client, reseller_admin).get(LIST))
    row = html[html.index("Alpine Ski House") :]
    row = row[: row.index("</tr>")]
    assert "Contoso Distribution GmbH" in row  # billed by the provider
    assert "Your provider orders" in row
    assert "Create a customer" not in html
    assert reverse("relationships:customer-invite", args=[provider.pk]) in html
    html = page(client.get(LIST, {"provider": str(provider.pk)}))
    assert "Customers you share with Contoso Distribution GmbH" in html and "Alpine Ski House" in html


def test_the_direct_bill_partner_bills_its_customers(client, direct, direct_admin):
    direct_customer(direct, company_name="Coho Winery")
    html = page(signed_in(client, direct_admin).get(LIST))
    row = html[html.index("Coho Winery") :]
    row = row[: row.index("</tr>")]
    assert ">You<" in row and "Add or view products" in row


def test_the_customers_page_takes_the_same_queries_whatever_its_length(
    client, provider, provider_admin, reseller, relationship
):
    signed_in(client, provider_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    share_customer(provider, reseller)
    few = queries()
    for _ in range(10):
        share_customer(provider, reseller)
        direct_customer(provider, role="indirect_provider")
    assert queries() == few


@pytest.mark.parametrize("viewer", ["provider_admin", "reseller_admin", "direct_admin"])
def test_the_customers_page_asks_what_it_shows_in_few_queries(
    client, provider, reseller, direct, relationship, django_assert_num_queries, request, viewer, settings
):
    settings.GENERATIONS_CACHE = False  # the page as computed (kept: the session, the user, the navigation)
    share_customer(provider, reseller)
    direct_customer(provider, role="indirect_provider")
    direct_customer(direct)
    signed_in(client, request.getfixturevalue(viewer))
    client.get(LIST)
    # The session, the user with its tenant; the partner with all the page asks of it
    # (provider, direct bill, reseller, kept counts); a provider's resellers with their
    # counts, or a reseller's providers; the page of customers, their relationships,
    # billing's summaries (a reseller's: subscriptions, licenses, users); the navigation's.
    queries = {"provider_admin": 8, "reseller_admin": 10, "direct_admin": 7}[viewer]
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("viewer", ["provider_admin", "reseller_admin", "direct_admin"])
def test_the_partner_read_for_the_page_answers_as_the_predicates_do(
    provider, reseller, direct, relationship, django_assert_num_queries, request, viewer
):
    user = request.getfixturevalue(viewer)
    read, plain = acting_partner(user, customer_list_selectors.customer_list_partners()), acting_partner(user)
    with django_assert_num_queries(0):
        facts = (is_indirect_provider(read), is_direct_bill(read), read.resells)
    assert facts[:2] == (is_indirect_provider(plain), is_direct_bill(plain))
    assert facts[2] == (viewer == "reseller_admin")
    with django_assert_num_queries(0 if not read.resells else 1):
        providers = list(selectors.customer_invitation_providers(read))
    assert providers == list(selectors.customer_invitation_providers(plain))


def test_another_partners_customers_are_not_shown(client, provider, reseller, outsider, relationship):
    share_customer(provider, reseller, company_name="Alpine Ski House")
    assert "Alpine Ski House" not in page(signed_in(client, outsider).get(LIST))


def test_only_active_partners_see_customers(client, db):
    partner = PartnerFactory()
    EnrollmentFactory(partner=partner, status="in_review")
    response = signed_in(client, user_of(partner)).get(LIST)
    assert response.status_code == 403
    assert escape("once its enrollment is active") in page(response)


def test_a_customer_tenant_without_partner_gets_403(client, customer_admin):
    assert signed_in(client, customer_admin).get(LIST).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Create a customer --------------------------------------------------------------------------------


def test_the_create_form_offers_the_resellers_and_a_domain_check(
    client, provider, provider_admin, reseller, relationship
):
    make_reseller(provider, legal_name="Ended Reseller GmbH")
    ProviderResellerRelationship.objects.filter(reseller__legal_name="Ended Reseller GmbH").update(
        state="terminated"
    )
    html = page(signed_in(client, provider_admin).get(CREATE))
    assert "Fabrikam Cloud GmbH" in html and "Ended Reseller GmbH" not in html
    assert "None: my own direct customer" in html
    assert "Check availability" in html
    assert 'data-url="/api/v1/domains/PREFIX/"' in html and "js/portal.js" in html  # its domainCheck
    # Only the countries of the partner's market.
    assert '<option value="FR">' in html and '<option value="US">' not in html


def test_a_direct_bill_partner_names_no_reseller(client, direct_admin):
    html = page(signed_in(client, direct_admin).get(CREATE))
    assert 'name="indirect_reseller_id"' not in html


def test_the_temporary_password_is_shown_once(client, provider, provider_admin, reseller, relationship):
    response = signed_in(client, provider_admin).post(
        CREATE, {**FORM, "indirect_reseller_id": str(reseller.pk)}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = page(response)
    password = re.search(r"<dt>Temporary password</dt><dd><code>([^<]+)</code>", html).group(1)
    admin = User.objects.get(email="admin@litwarede.onmicrosoft.com")
    assert admin.check_password(password) and admin.must_change_password
    assert "admin@litwarede.onmicrosoft.com" in html and "shown only this once" in html
    customer = Customer.objects.get()
    assert {r.partner for r in customer.relationships.all()} == {provider, reseller}
    # Not on any later page.
    for url in (LIST, reverse("relationships:customer-detail", args=[customer.pk])):
        assert password not in page(client.get(url))


def test_the_server_checks_the_domain_again(client, direct_admin):
    TenantFactory(domain="litwarede.onmicrosoft.com")
    response = signed_in(client, direct_admin).post(CREATE, FORM)
    assert response.status_code == 200
    assert "litwarede.onmicrosoft.com is already taken" in page(response)
    assert not Customer.objects.exists()


def test_the_registration_number_error_is_on_its_field(client, db):
    partner = PartnerFactory(country="PL")
    EnrollmentFactory(partner=partner, program="direct_bill", status="active")
    response = signed_in(client, user_of(partner)).post(CREATE, {**FORM, "country": "PL"})
    html = page(response)
    assert "organization registration number is required" in html
    assert not Customer.objects.exists()


def test_an_indirect_reseller_gets_the_reason(client, reseller_admin, relationship):
    response = signed_in(client, reseller_admin).get(CREATE)
    assert response.status_code == 403
    assert escape("Indirect resellers cannot create customer tenants") in page(response)
    assert signed_in(client, reseller_admin).post(CREATE, FORM).status_code == 403
    assert not Customer.objects.exists()


# --- Invite new customers -----------------------------------------------------------------------------


def test_a_visit_of_the_invite_page_creates_no_invitation(client, provider, reseller_admin, relationship):
    url = reverse("relationships:customer-invite", args=[provider.pk])
    assert url == f"/customers/invite/{provider.pk}/"
    signed_in(client, reseller_admin)
    for _visit in range(3):
        response = client.get(url)
        assert response.status_code == 200
        html = page(response)
        assert "Create an invitation link" in html and '<form method="post">' in html
        assert 'id="invitation-link"' not in html
    assert not CustomerInvitation.objects.exists()
    assert not Event.objects.filter(kind="customer_invitation_created").exists()


def test_the_button_shows_the_link_and_the_draft(client, provider, reseller_admin, relationship):
    url = reverse("relationships:customer-invite", args=[provider.pk])
    response = signed_in(client, reseller_admin).post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = page(response)
    invitation = CustomerInvitation.objects.get()
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', html).group(1)
    assert link.startswith("http://testserver/customer-invitations/")
    textarea = re.search(r'<textarea id="draft-body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert link in textarea and "Fabrikam Cloud GmbH" in textarea and "Contoso Distribution GmbH" in textarea
    assert "Copy to clipboard" in html and 'data-copy="draft-body"' in html and "js/portal.js" in html
    assert invitation.reseller.legal_name == "Fabrikam Cloud GmbH"
    # Each press of the button is one new link; a visit afterwards makes none.
    assert client.post(url).status_code == 200
    client.get(url)
    assert CustomerInvitation.objects.count() == 2


def test_the_invite_page_is_404_for_a_provider_that_is_not_yours(
    client, reseller_admin, outsider_partner, relationship
):
    signed_in(client, reseller_admin)
    assert client.get(f"/customers/invite/{outsider_partner.pk}/").status_code == 404
    assert client.post(f"/customers/invite/{outsider_partner.pk}/").status_code == 404
    assert not CustomerInvitation.objects.exists()


def test_the_invite_page_needs_an_admin(client, provider, reseller, relationship):
    sales = user_of(reseller, role=Role.SALES_AGENT)
    assert signed_in(client, sales).get(f"/customers/invite/{provider.pk}/").status_code == 403
    assert client.post(f"/customers/invite/{provider.pk}/").status_code == 403
    assert not CustomerInvitation.objects.exists()


# --- The customer's acceptance page -------------------------------------------------------------------


def test_anyone_with_the_link_sees_who_invites(client, provider, reseller_admin, relationship):
    token = customer_token(invite_customer(reseller_admin, provider))
    html = page(client.get(f"/customer-invitations/{token}/"))
    assert "Fabrikam Cloud GmbH" in html and "Contoso Distribution GmbH" in html
    assert f"{reverse('login')}?next=%2Fcustomer-invitations%2F{token}%2F" in html
    assert reverse("signup") in html
    response = client.post(f"/customer-invitations/{token}/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Customer.objects.exists()


def test_the_global_admin_authorizes_both_in_one_step(
    client, provider, reseller, reseller_admin, customer_admin, committed, relationship
):
    url = f"/customer-invitations/{customer_token(invite_customer(reseller_admin, provider))}/"
    signed_in(client, customer_admin)
    html = page(client.get(url))
    assert "Authorize" in html and 'name="confirm"' in html
    assert page(client.post(url, {})).count("Tick the box") == 1
    assert not Customer.objects.exists()
    with committed():
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == url
    customer = Customer.objects.get(tenant=customer_admin.tenant)
    assert {(r.partner, r.role) for r in customer.relationships.all()} == {
        (reseller, "indirect_reseller"),
        (provider, "indirect_provider"),
    }
    html = page(client.get(url))
    assert "Your organization authorized Fabrikam Cloud GmbH and Contoso Distribution GmbH." in html
    assert len(mail.outbox) == 1


def test_a_used_link_says_so(client, provider, reseller_admin, customer_admin, relationship):
    url = f"/customer-invitations/{customer_token(invite_customer(reseller_admin, provider))}/"
    signed_in(client, customer_admin).post(url, {"confirm": "on"})
    other = make_customer_admin("tailspinde.onmicrosoft.com")
    html = page(signed_in(client, other).get(url))
    assert "already used" in html and 'name="confirm"' not in html
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "already used" in page(response)
    assert Customer.objects.count() == 1


def test_a_csp_transaction_tenant_is_told_to_use_another_tenant(
    client, provider, reseller_admin, outsider, relationship
):
    url = f"/customer-invitations/{customer_token(invite_customer(reseller_admin, provider))}/"
    html = page(signed_in(client, outsider).get(url))
    assert escape("different, non-CSP tenant") in html and 'name="confirm"' not in html
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 403
    assert escape("different, non-CSP tenant") in page(response)
    assert not Customer.objects.exists()


def test_an_unknown_link_is_404(client):
    response = client.get("/customer-invitations/nope/")
    assert response.status_code == 404
    assert "This invitation link is not valid" in page(response)


# --- Admin --------------------------------------------------------------------------------------------


def test_staff_read_customers_and_invitations_in_the_admin(
    client, provider, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    invitation = invite_customer(reseller_admin, provider).invitation
    superuser = User.objects.create_superuser("root@partners.test", "Correct-Horse-42")
    signed_in(client, superuser)
    assert "Alpine Ski House" in page(client.get("/admin/relationships/customer/"))
    html = page(client.get(f"/admin/relationships/customer/{customer.pk}/change/"))
    assert "Fabrikam Cloud GmbH" in html and "Indirect reseller" in html
    assert client.get("/admin/relationships/customerinvitation/").status_code == 200
    html = page(client.get(f"/admin/relationships/customerinvitation/{invitation.pk}/change/"))
    assert invitation.token_hash not in html
