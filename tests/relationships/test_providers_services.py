"""The indirect provider services: staff authorize a provider, the provider edits its
listing (DOMAIN.md "Providers and resellers"); and every email of the provider and reseller
model renders in every language."""

import pytest
from django.conf import settings
from django.core import mail

from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.delivery import render
from partnercenter.notifications.models import Notification
from relationships.models import IndirectProvider
from relationships.services.providers import provider_authorize, provider_listing_update
from tests.cast import events_of, user_of
from tests.factories import EnrollmentFactory, PartnerFactory, active_partner

pytestmark = pytest.mark.django_db


# --- Rule 1: staff authorize indirect providers ---------------------------------------------------------


class TestProviderAuthorize:
    def test_staff_authorize_an_active_partner(self, reviewer, django_capture_on_commit_callbacks):
        partner = active_partner(legal_name="Northwind Distribution")
        with django_capture_on_commit_callbacks(execute=True):
            provider = provider_authorize(actor=reviewer, partner=partner, authorized=True)
        assert provider.authorized and provider.authorized_by == reviewer
        assert IndirectProvider.objects.get(partner=partner) == provider
        # One audit row, on the provider listing, in the partner's history.
        [event] = events_of(provider)
        assert (event.kind, event.object_type, event.object_id) == (
            "provider_authorized",
            "relationships.indirectprovider",
            str(provider.pk),
        )
        assert (event.actor, event.tenant, event.from_state, event.to_state) == (
            reviewer,
            partner.tenant,
            "",
            "authorized",
        )
        assert [m.to for m in mail.outbox] == [[partner.contact_email]]

    def test_only_staff_with_the_review_permission(self, provider_admin, staff):
        partner = active_partner()
        for actor in (provider_admin, staff):
            with pytest.raises(NotPermitted):
                provider_authorize(actor=actor, partner=partner, authorized=True)
        assert not IndirectProvider.objects.filter(partner=partner).exists()

    def test_a_partner_without_an_active_enrollment_is_409(self, reviewer):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, status="approved")
        with pytest.raises(InvalidTransition) as caught:
            provider_authorize(actor=reviewer, partner=partner, authorized=True)
        assert caught.value.status == "approved"
        assert not IndirectProvider.objects.filter(partner=partner).exists()
        with pytest.raises(InvalidTransition) as caught:
            provider_authorize(actor=reviewer, partner=PartnerFactory(), authorized=True)
        assert caught.value.status == "none"
        assert not Event.objects.filter(kind="provider_authorized").exists()

    def test_false_withdraws_and_true_authorizes_the_same_row_again(self, reviewer, provider):
        listing = provider.indirect_provider
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        listing.refresh_from_db()
        assert not listing.authorized
        withdrawn = events_of(listing, "provider_withdrawn").get()
        assert (withdrawn.from_state, withdrawn.to_state, withdrawn.tenant) == (
            "authorized",
            "withdrawn",
            provider.tenant,
        )
        # Withdrawing again changes nothing, and writes nothing.
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        assert events_of(listing).count() == 1
        provider_authorize(actor=reviewer, partner=provider, authorized=True)
        listing.refresh_from_db()
        assert listing.authorized and listing.authorized_by == reviewer
        assert IndirectProvider.objects.filter(partner=provider).count() == 1
        assert events_of(listing, "provider_authorized").get().from_state == "withdrawn"
        # Authorizing again changes nothing either.
        provider_authorize(actor=reviewer, partner=provider, authorized=True)
        assert [e.kind for e in events_of(listing)] == ["provider_withdrawn", "provider_authorized"]

    def test_authorized_must_be_a_boolean(self, reviewer, provider):
        with pytest.raises(InvalidInput) as caught:
            provider_authorize(actor=reviewer, partner=provider, authorized="yes")
        assert "authorized" in caught.value.errors


# --- Rule 2: the listing ----------------------------------------------------------------------------------


class TestListing:
    def test_global_admin_and_admin_agent_edit_the_listing(self, provider, provider_admin):
        agent = user_of(provider, role="admin_agent")
        provider_listing_update(
            actor=provider_admin,
            data={"countries": ["de", "AT", "DE"], "offers": ["financing", "technical_training"]},
        )
        provider_listing_update(
            actor=agent,
            data={"description": "  Training and credit for resellers.  ", "website": "https://c.example"},
        )
        listing = IndirectProvider.objects.get(partner=provider)
        assert listing.countries == ["DE", "AT"]
        assert listing.offers == ["technical_training", "financing"]
        assert listing.description == "Training and credit for resellers."
        assert listing.website == "https://c.example"
        # One row per edit, naming the fields that changed.
        first, second = events_of(listing, "provider_listing_updated")
        assert (first.actor, first.tenant, first.data) == (
            provider_admin,
            provider.tenant,
            {"changed": ["countries", "offers"]},
        )
        assert (second.actor, second.data) == (agent, {"changed": ["description", "website"]})
        # An edit that changes nothing writes nothing.
        provider_listing_update(actor=agent, data={"website": "https://c.example"})
        assert events_of(listing).count() == 2

    def test_who_may_not(self, provider, provider_admin, reseller_admin, reviewer):
        for actor in (user_of(provider, role="sales_agent"), reseller_admin):
            with pytest.raises(NotPermitted):
                provider_listing_update(actor=actor, data={"description": "x"})
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        with pytest.raises(NotPermitted):
            provider_listing_update(actor=provider_admin, data={"description": "x"})

    def test_a_partner_whose_enrollment_is_not_active_may_not_act(self, provider, provider_admin):
        provider.enrollments.update(status="withdrawn")
        with pytest.raises(NotPermitted):
            provider_listing_update(actor=provider_admin, data={"description": "x"})

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"countries": ["XX"]}, "countries"),
            ({"countries": "DE"}, "countries"),
            ({"offers": ["free_lunch"]}, "offers"),
            ({"description": "x" * 2001}, "description"),
            ({"website": "not a url"}, "website"),
        ],
    )
    def test_bad_input_field_by_field(self, provider_admin, data, field):
        with pytest.raises(InvalidInput) as caught:
            provider_listing_update(actor=provider_admin, data=data)
        assert list(caught.value.errors) == [field]

    def test_description_of_2000_characters_is_fine(self, provider, provider_admin):
        provider_listing_update(actor=provider_admin, data={"description": "x" * 2000})
        assert len(IndirectProvider.objects.get(partner=provider).description) == 2000


# --- The emails -----------------------------------------------------------------------------------------------------

EMAILS = {
    "reseller_invitation": {
        "provider_name": "O'Brien & Partners",
        "provider_country": "IE",
        "message": "Hello <b>there</b>",
        "accept_url": "http://testserver/reseller-invitations/abc/",
        "expires_at": "2026-12-01T10:00:00+00:00",
    },
    "provider_reseller_authorized": {
        "first_name": "Jonas",
        "reseller_name": "O'Brien & Partners",
        "reseller_mpn_id": "4820777",
        "resellers_url": "http://testserver/indirect-resellers/",
    },
    "provider_admin_access_removed": {
        "first_name": "Jonas",
        "reseller_name": "O'Brien & Partners",
        "reseller_mpn_id": "4820777",
        "resellers_url": "http://testserver/indirect-resellers/",
    },
    "provider_authorized": {
        "first_name": "Jonas",
        "legal_name": "O'Brien & Partners",
        "listing_url": "http://testserver/partner/provider-listing/",
    },
    "provider_withdrawn": {"first_name": "Jonas", "legal_name": "O'Brien & Partners"},
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("template", sorted(EMAILS))
def test_every_email_renders_in_every_language(template, language):
    subject, text, html = render(Notification(template=template, language=language, context=EMAILS[template]))
    assert subject and "\n" not in subject
    assert "O'Brien & Partners" in subject + text  # plain text is not HTML-escaped
    assert "O&#x27;Brien &amp; Partners" in html or "O'Brien" not in html
    assert "<b>there</b>" not in html  # the provider's message is escaped in HTML
    for url in (v for v in EMAILS[template].values() if v.startswith("http")):
        assert url in text and url in html
