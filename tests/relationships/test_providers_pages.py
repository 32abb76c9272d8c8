"""The provider and reseller pages: Find a provider, the listing, Indirect resellers,
Indirect providers, granular admin, the invitation's acceptance page and the admin action."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from relationships.models import (
    GranularAdminRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
    ResellerInvitation,
)
from relationships.services.reseller_invitations import reseller_invitation_accept
from tests.cast import invite_reseller, make_provider, make_reviewer, reseller_token, user_of
from tests.factories import (
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    active_partner,
)

pytestmark = pytest.mark.django_db

NOT_ACTIVE = "Your organization can do this once its enrollment is active"
NOT_PROVIDER = "Only an indirect provider authorized by the program can do this."


def signed_in(client, user):
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


# --- Find a provider and the listing ---------------------------------------------------------------------------


class TestFindAProvider:
    URL = "/providers/"

    def test_search_by_country_offer_and_name(self, client, provider, reseller_admin):
        IndirectProviderFactory(
            partner=active_partner(legal_name="Alpine Distribution"), countries=["AT"], offers=["financing"]
        )
        IndirectProviderFactory(partner=active_partner(legal_name="Withdrawn Ltd"), authorized=False)
        signed_in(client, reseller_admin)
        page = html_of(client.get(self.URL))
        assert "Contoso Distribution GmbH" in page and "Alpine Distribution" in page
        assert "Withdrawn Ltd" not in page
        assert "Germany" in page and "Technical training" in page
        page = html_of(client.get(self.URL, {"country": "AT"}))
        assert "Alpine Distribution" in page and "Contoso Distribution GmbH" not in page
        page = html_of(client.get(self.URL, {"offer": "technical_training"}))
        assert "Contoso Distribution GmbH" in page and "Alpine Distribution" not in page
        page = html_of(client.get(self.URL, {"name": "alp"}))
        assert "Alpine Distribution" in page and "Contoso Distribution GmbH" not in page
        assert "No provider matches" in html_of(client.get(self.URL, {"country": "JP"}))

    def test_sign_in_first(self, client):
        response = client.get(self.URL)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]

    def test_constant_number_of_queries(self, client, reseller_admin):
        signed_in(client, reseller_admin)
        make_provider("First Distribution")
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.URL).status_code == 200
        for n in range(8):
            make_provider(f"Distribution {n}")
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.URL).status_code == 200
        assert len(many.captured_queries) == len(one.captured_queries)


class TestListingPage:
    URL = "/partner/provider-listing/"

    def test_edit_the_listing(self, client, provider, provider_admin):
        signed_in(client, provider_admin)
        assert client.get(self.URL).status_code == 200
        response = client.post(
            self.URL,
            {
                "countries": ["AT", "CH"],
                "offers": ["marketing_help"],
                "description": "We train resellers.",
                "website": "https://contoso.example",
            },
        )
        assert response.status_code == 302
        listing = IndirectProvider.objects.get(partner=provider)
        assert (listing.countries, listing.offers, listing.website) == (
            ["AT", "CH"],
            ["marketing_help"],
            "https://contoso.example",
        )

    def test_errors_go_back_on_the_form(self, client, provider_admin):
        signed_in(client, provider_admin)
        response = client.post(self.URL, {"website": "not a url"})
        assert response.status_code == 200
        assert "Enter a full web address" in html_of(response)

    def test_403_with_the_reason(self, client, provider, reseller_admin):
        sales = user_of(provider, role="sales_agent")
        assert "Only your global admin or an admin agent" in html_of(signed_in(client, sales).get(self.URL))
        response = signed_in(client, reseller_admin).get(self.URL)
        assert response.status_code == 403 and NOT_PROVIDER in html_of(response)
        provider.enrollments.update(status="withdrawn")
        response = signed_in(client, user_of(provider, role="admin_agent")).get(self.URL)
        assert response.status_code == 403 and NOT_ACTIVE in html_of(response)


# --- Indirect resellers (the provider) -------------------------------------------------------------------------------


class TestIndirectResellers:
    URL = "/indirect-resellers/"

    def test_relationships_invite_form_and_invitations(self, client, provider_admin, relationship, reseller):
        invite_reseller(provider_admin, email="owner@northwind.example")
        page = html_of(signed_in(client, provider_admin).get(self.URL))
        assert reseller.legal_name in page and reseller.mpn_id in page
        assert "Invite a reseller" in page and 'name="email"' in page and 'name="mpn_id"' in page
        assert "owner@northwind.example" in page and "Resend" in page and "Revoke" in page
        assert f"/indirect-resellers/{relationship.pk}/granular-admin/" in page

    def test_invite_from_the_page(self, client, provider_admin, django_capture_on_commit_callbacks):
        signed_in(client, provider_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/indirect-resellers/invite/", {"email": "owner@northwind.example", "message": "Hi"}
            )
        assert response.status_code == 302
        assert ResellerInvitation.objects.get().email == "owner@northwind.example"
        assert [m.to for m in mail.outbox] == [["owner@northwind.example"]]
        response = client.post("/indirect-resellers/invite/", {"email": "", "mpn_id": ""})
        assert response.status_code == 400
        assert "Give the reseller&#x27;s email address or its MPN ID." in html_of(response)

    def test_resend_and_revoke_from_the_page(self, client, provider_admin, reseller_admin):
        invitation, old_token = invite_reseller(provider_admin, email=reseller_admin.email)
        signed_in(client, provider_admin)
        response = client.post(f"/indirect-resellers/invitations/{invitation.pk}/resend/", follow=True)
        assert "The old link no longer works" in html_of(response)
        assert reseller_token(invitation) != old_token
        response = client.post(f"/indirect-resellers/invitations/{invitation.pk}/revoke/", follow=True)
        assert "The invitation was revoked" in html_of(response)
        invitation.refresh_from_db()
        assert invitation.status == "revoked"
        response = client.post(f"/indirect-resellers/invitations/{invitation.pk}/revoke/", follow=True)
        assert "Current status: Revoked." in html_of(response)

    def test_another_partners_invitation_is_404(self, client, provider_admin):
        invitation, _ = invite_reseller(provider_admin, email="a@b.example")
        other = user_of(make_provider("Other Distribution"))
        response = signed_in(client, other).post(f"/indirect-resellers/invitations/{invitation.pk}/revoke/")
        assert response.status_code == 404

    def test_403_for_a_reseller_and_an_inactive_partner(
        self, client, reseller_admin, provider, provider_admin
    ):
        response = signed_in(client, reseller_admin).get(self.URL)
        assert response.status_code == 403 and NOT_PROVIDER in html_of(response)
        provider.enrollments.update(status="withdrawn")
        response = signed_in(client, provider_admin).get(self.URL)
        assert response.status_code == 403 and NOT_ACTIVE in html_of(response)

    def test_read_only_roles_see_no_forms(self, client, provider, relationship):
        sales = user_of(provider, role="sales_agent")
        page = html_of(signed_in(client, sales).get(self.URL))
        assert relationship.reseller.legal_name in page and "Invite a reseller" not in page
        assert (
            signed_in(client, sales).post("/indirect-resellers/invite/", {"email": "a@b.example"}).status_code
            == 403
        )

    def test_constant_number_of_queries(self, client, provider, provider_admin):
        signed_in(client, provider_admin)
        ProviderResellerRelationshipFactory(provider=provider)
        invite_reseller(provider_admin, email="first@reseller.example")
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.URL).status_code == 200
        for n in range(5):
            relationship = ProviderResellerRelationshipFactory(provider=provider)
            GranularAdminRelationship.objects.create(
                relationship=relationship, name="Helpdesk", roles=["Global Reader"], duration_days=30
            )
            invite_reseller(provider_admin, email=f"r{n}@reseller.example")
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.URL).status_code == 200
        assert len(many.captured_queries) == len(one.captured_queries)


class TestGdapPages:
    def test_propose_then_approve_then_terminate(self, client, relationship, provider_admin, reseller_admin):
        url = f"/indirect-resellers/{relationship.pk}/granular-admin/"
        signed_in(client, provider_admin)
        assert "Request granular admin roles" in html_of(client.get(url))
        response = client.post(
            url, {"name": "Helpdesk", "roles": ["Helpdesk Administrator"], "duration_days": 0}
        )
        assert response.status_code == 400
        response = client.post(
            url,
            {"name": "Helpdesk", "roles": ["Helpdesk Administrator", "Global Reader"], "duration_days": 90},
        )
        assert response.status_code == 302
        gdap = GranularAdminRelationship.objects.get()
        assert gdap.status == "approval_pending"
        page = html_of(signed_in(client, reseller_admin).get("/indirect-providers/"))
        assert "Helpdesk" in page and f"/granular-admin/{gdap.pk}/approve/" in page
        assert "Global Reader, Helpdesk Administrator" in page
        response = client.post(f"/granular-admin/{gdap.pk}/approve/", follow=True)
        assert "granted" in html_of(response)
        gdap.refresh_from_db()
        assert gdap.status == "active"
        response = client.post(f"/granular-admin/{gdap.pk}/approve/", follow=True)
        assert "Current status: Active." in html_of(response)
        signed_in(client, provider_admin)
        assert f"/granular-admin/{gdap.pk}/terminate/" in html_of(client.get("/indirect-resellers/"))
        response = client.post(f"/granular-admin/{gdap.pk}/terminate/")
        assert response.status_code == 302 and response["Location"] == "/indirect-resellers/"
        gdap.refresh_from_db()
        assert gdap.status == "termination_requested"

    def test_the_reseller_may_not_propose_and_outsiders_get_404(self, client, relationship, reseller_admin):
        url = f"/indirect-resellers/{relationship.pk}/granular-admin/"
        assert signed_in(client, reseller_admin).get(url).status_code == 403
        outsider = user_of(make_provider("Other Distribution"))
        assert signed_in(client, outsider).get(url).status_code == 404


# --- Indirect providers (the reseller) --------------------------------------------------------------------------------


class TestIndirectProviders:
    URL = "/indirect-providers/"

    def test_providers_and_remove_admin_access(
        self, client, relationship, provider, reseller_admin, django_capture_on_commit_callbacks
    ):
        signed_in(client, reseller_admin)
        page = html_of(client.get(self.URL))
        assert provider.legal_name in page and "Remove administrator access" in page
        # The customers side's "Invite new customers" for this provider.
        assert f"/customers/invite/{provider.pk}/" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/indirect-providers/{relationship.pk}/remove-admin-access/", follow=True)
        assert "no longer has administrator access" in html_of(response)
        relationship.refresh_from_db()
        assert relationship.admin_access is False and relationship.state == "active"
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]

    def test_the_provider_cannot_remove_it_and_outsiders_get_404(self, client, relationship, provider_admin):
        url = f"/indirect-providers/{relationship.pk}/remove-admin-access/"
        assert signed_in(client, provider_admin).post(url).status_code == 403
        outsider = user_of(active_partner())
        assert signed_in(client, outsider).post(url).status_code == 404
        relationship.refresh_from_db()
        assert relationship.admin_access is True

    def test_waiting_invitations_are_shown(self, client, provider_admin, reseller, reseller_admin):
        invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        page = html_of(signed_in(client, reseller_admin).get(self.URL))
        assert "Invitations waiting for you" in page and "Contoso Distribution GmbH invited you" in page

    def test_an_inactive_partner_gets_403_with_the_reason(self, client):
        partner = PartnerFactory()
        response = signed_in(client, user_of(partner)).get(self.URL)
        assert response.status_code == 403 and NOT_ACTIVE in html_of(response)

    def test_constant_number_of_queries(self, client, reseller, reseller_admin):
        signed_in(client, reseller_admin)
        ProviderResellerRelationshipFactory(reseller=reseller)
        with CaptureQueriesContext(connection) as one:
            assert client.get(self.URL).status_code == 200
        for _ in range(5):
            relationship = ProviderResellerRelationshipFactory(reseller=reseller)
            GranularAdminRelationship.objects.create(
                relationship=relationship, name="Helpdesk", roles=["Global Reader"], duration_days=30
            )
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.URL).status_code == 200
        assert len(many.captured_queries) == len(one.captured_queries)


# --- The acceptance page ---------------------------------------------------------------------------------------------------


class TestAcceptPage:
    def url(self, token):
        return f"/reseller-invitations/{token}/"

    def test_the_whole_journey(self, client, provider, provider_admin, reseller, reseller_admin):
        invitation, token = invite_reseller(
            provider_admin, email=reseller_admin.email, message="Looking forward to it."
        )
        signed_in(client, reseller_admin)
        page = html_of(client.get(self.url(token)))
        assert provider.legal_name in page and "Looking forward to it." in page
        assert "administrator access to your company's tenant" in page
        assert "place orders for your customers" in page
        assert 'type="checkbox" name="authorize"' in page and "Authorize indirect provider" in page
        # Without the tick nothing happens.
        response = client.post(self.url(token), {})
        assert response.status_code == 400 and "Tick the box" in html_of(response)
        assert not ProviderResellerRelationship.objects.exists()
        response = client.post(self.url(token), {"authorize": "on"})
        assert response.status_code == 302 and response["Location"] == "/indirect-providers/"
        # The provider is on the reseller's Indirect providers page, and the reseller on the
        # provider's Indirect resellers page.
        assert provider.legal_name in html_of(client.get("/indirect-providers/"))
        assert reseller.legal_name in html_of(signed_in(client, provider_admin).get("/indirect-resellers/"))
        invitation.refresh_from_db()
        assert invitation.status == "accepted"

    def test_a_used_link(self, client, provider_admin, reseller_admin):
        _invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        response = signed_in(client, reseller_admin).get(self.url(token))
        assert response.status_code == 409
        assert "already accepted" in html_of(response) and "Authorize indirect provider" not in html_of(
            response
        )
        response = client.post(self.url(token), {"authorize": "on"})
        assert response.status_code == 409
        assert ProviderResellerRelationship.objects.count() == 1

    def test_an_unknown_link(self, client, reseller_admin):
        response = signed_in(client, reseller_admin).get(self.url("made-up-token"))
        assert response.status_code == 404 and "This invitation link is not valid" in html_of(response)

    def test_the_wrong_partner_gets_403_with_a_clear_message(self, client, provider_admin, reseller):
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        stranger = user_of(active_partner(mpn_id="4820999"))
        signed_in(client, stranger)
        for response in (client.get(self.url(token)), client.post(self.url(token), {"authorize": "on"})):
            assert response.status_code == 403
            assert escape("This invitation is for the partner with MPN ID 4820777") in html_of(response)
        assert not ProviderResellerRelationship.objects.exists()

    def test_a_read_only_role_gets_403(self, client, provider_admin, reseller):
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        response = signed_in(client, user_of(reseller, role="sales_agent")).get(self.url(token))
        assert response.status_code == 403 and "Only your global admin or an admin agent" in html_of(response)

    def test_sign_in_first(self, client, provider_admin):
        _invitation, token = invite_reseller(provider_admin, email="a@b.example")
        response = client.get(self.url(token))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- Staff: the admin action ------------------------------------------------------------------------------------------------


class TestAdminAction:
    def test_staff_authorize_a_partner_from_the_partner_list(self, client):
        reviewer = make_reviewer()
        reviewer.is_superuser = True
        reviewer.save()
        partner = active_partner(legal_name="Northwind Distribution")
        inactive = PartnerFactory(legal_name="Not Yet Active")
        signed_in(client, reviewer)
        response = client.post(
            "/admin/enrollment/partner/",
            {"action": "authorize_partners", "_selected_action": [str(partner.pk), str(inactive.pk)]},
            follow=True,
        )
        assert response.status_code == 200
        assert IndirectProvider.objects.get(partner=partner).authorized_by == reviewer
        assert not IndirectProvider.objects.filter(partner=inactive).exists()
        assert "Not Yet Active has no active enrollment" in html_of(response)
        listing = IndirectProvider.objects.get(partner=partner)
        client.post(
            "/admin/relationships/indirectprovider/",
            {"action": "withdraw_providers", "_selected_action": [str(listing.pk)]},
        )
        listing.refresh_from_db()
        assert not listing.authorized

    def test_staff_without_the_review_permission_are_refused(self, client):
        staff = user_of(active_partner(), is_staff=True, is_superuser=False)
        staff.tenant = None
        staff.save()
        from django.contrib.auth.models import Permission

        staff.user_permissions.add(Permission.objects.get(codename="change_partner"))
        partner = active_partner()
        response = signed_in(client, staff).post(
            "/admin/enrollment/partner/",
            {"action": "authorize_partners", "_selected_action": [str(partner.pk)]},
            follow=True,
        )
        assert "Only program staff with the review permission" in html_of(response)
        assert not IndirectProvider.objects.filter(partner=partner).exists()


@pytest.mark.django_db
def test_the_navigation_offers_what_the_partner_may_use(client):
    from tests.factories import IndirectProviderFactory, PartnerFactory, UserFactory, active_partner

    new = PartnerFactory()
    client.force_login(UserFactory(tenant=new.tenant))
    html = client.get("/").content.decode()
    assert "/partner/" in html and "/providers/" not in html and "/customers/" not in html

    reseller = active_partner()
    client.force_login(UserFactory(tenant=reseller.tenant))
    html = client.get("/").content.decode()
    assert "/providers/" in html and "/indirect-providers/" in html and "/customers/" in html
    assert "/indirect-resellers/" not in html

    provider = IndirectProviderFactory().partner
    client.force_login(UserFactory(tenant=provider.tenant))
    assert "/indirect-resellers/" in client.get("/").content.decode()
