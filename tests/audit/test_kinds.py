"""The audit trail's kinds and histories (issue 7, section 4; HOUSE_STYLE 7b, 7c): every
kind written is registered, labelled and renders its sentence in every language of the
portal; a partner has one history across its objects; the business profile page and the
admin's "make current" action write one row each."""

import importlib
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from enrollment.models import AgreementTemplate, BusinessProfile
from enrollment.services import (
    application,
    business_profile,
)
from partnercenter.accounts import services as accounts
from partnercenter.audit import kinds
from partnercenter.audit.models import Event
from partnercenter.audit.services import record_event
from tests.audit import (  # noqa: F401 (they fill CASES)
    cases_billing_invoices,
    cases_billing_licenses,
    cases_billing_orders,
    cases_billing_subs,
    cases_customers,
    cases_direct_bill,
    cases_enrollment,
    cases_finish,
    cases_incentives,
    cases_oauth,
    cases_programs,
    cases_relationship_requests,
    cases_relationships,
    cases_tokens,
    cases_transition,
)
from tests.audit.table import (
    CASES,
    LANGUAGES,
    NOW,
    run_case,
)
from tests.factories import (
    AgreementTemplateFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


# --- (c) The registry of kinds ------------------------------------------------------------------------

EVENT_MODULES = (
    "partnercenter.accounts.events",
    "enrollment.events",
    "relationships.events",
    "billing.events",
)


def declared_kinds() -> list[tuple[str, kinds.EventKind]]:
    """Every kind the apps declare in their ``events.py`` (module attributes and tables)."""
    found = []
    for module_name in EVENT_MODULES:
        module = importlib.import_module(module_name)
        for attr, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else [value]
            found += [(f"{module_name}.{attr}", v) for v in values if isinstance(v, kinds.EventKind)]
    return found


class TestKindRegistry:
    def test_every_declared_kind_is_the_registered_one(self):
        for where, kind in declared_kinds():
            assert kinds.is_registered(kind), f"{where} ({kind.code}) is not registered"

    def test_every_registered_kind_is_declared_in_an_events_module(self):
        declared = {kind.code for _where, kind in declared_kinds()}
        assert set(kinds.registered()) == declared, set(kinds.registered()) ^ declared

    def test_codes_are_unique(self):
        codes = [kind.code for _where, kind in {id(k): (w, k) for w, k in declared_kinds()}.values()]
        assert len(codes) == len(set(codes))
        with pytest.raises(ImproperlyConfigured):
            kinds.register("submitted", "Submitted again")
        assert kinds.registered()["submitted"].label == "Application submitted"

    def test_every_kind_has_a_label(self):
        for code, kind in kinds.registered().items():
            for language in LANGUAGES:
                with translation.override(language):
                    label = str(kind.label)
                assert label and label != code, (code, language)

    def test_record_event_refuses_an_unregistered_kind(self, admin):
        before = Event.objects.count()
        with pytest.raises(ValueError, match="not a registered"):
            record_event(admin, kinds.EventKind(code="made_up", label="Made up"), tenant=admin.tenant)
        # A look-alike of a registered code is refused too: only the declared object counts.
        with pytest.raises(ValueError, match="not a registered"):
            record_event(admin, kinds.EventKind(code="user_added", label="User added"), tenant=admin.tenant)
        assert Event.objects.count() == before

    @pytest.mark.parametrize("name", CASES)
    def test_the_sentence_renders_in_every_language(self, name, w):
        _run, _result, written = run_case(name, w)
        for event in written:
            # Every kind a service writes is registered (record_event checks it; a row
            # written around it would show here).
            assert event.kind in kinds.registered(), event.kind
            kind = kinds.registered()[event.kind]
            for language in LANGUAGES:
                with translation.override(language):
                    # Called directly: ``describe`` would hide an error behind a fallback.
                    sentence = str(kind.sentence(event.data)) if kind.sentence else ""
                    assert event.sentence == sentence
                    assert str(event.label)
                    event.detail  # noqa: B018 (renders without error)
                if kind.sentence:
                    assert sentence.strip(), (event.kind, language)


# --- (d) One history per partner ---------------------------------------------------------------------


def test_a_partners_history_shows_its_events_across_objects(w, outsider, time_machine):
    admin, tenant = w.admin, w.admin.tenant
    accounts.user_add(
        actor=admin,
        email="lea@fabrikamde.onmicrosoft.com",
        first_name="Lea",
        last_name="Wolf",
        roles=["sales_agent"],
    )
    time_machine.shift(timedelta(minutes=1))
    enrollment = application.enrollment_submit(actor=admin, application=w.application)
    time_machine.shift(timedelta(minutes=1))
    business_profile.business_profile_update(
        actor=admin, data={"description": "Managed security for retailers."}
    )
    # Another partner's event is not in it.
    accounts.admin_agent_join(actor=outsider)

    history = list(Event.objects.of_tenant(tenant))
    assert [e.kind for e in history] == ["business_profile_updated", "submitted", "user_added"]
    assert {e.object_type for e in history} == {
        "enrollment.businessprofile",
        "enrollment.enrollment",
        "accounts.user",
    }
    assert all(e.tenant_id == tenant.pk for e in history)
    assert [e.kind for e in Event.objects.of_tenant(outsider.tenant)] == ["roles_changed"]
    # One object's history is that object's only.
    assert [e.kind for e in Event.objects.of(enrollment)] == ["submitted"]
    assert [e.kind for e in Event.objects.of(BusinessProfile.objects.get())] == ["business_profile_updated"]


# --- (e) The business profile page and the admin action ------------------------------------------------


def test_the_business_profile_page_writes_one_row(client, admin):
    PartnerFactory(tenant=admin.tenant)
    client.force_login(admin)
    before = Event.objects.count()
    response = client.post(
        "/partner/business-profile/",
        {
            "description": "Managed security for retailers.",
            "website": "https://fabrikam.de",
            "industries": "Retail",
            "services": "Security",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.count() == before + 1
    event = Event.objects.order_by("-id").first()
    profile = BusinessProfile.objects.get(partner__tenant=admin.tenant)
    assert (event.kind, event.object_type, event.object_id) == (
        "business_profile_updated",
        "enrollment.businessprofile",
        str(profile.pk),
    )
    assert event.tenant_id == admin.tenant_id and event.actor_id == admin.pk
    # Saving the same again changes nothing and writes nothing.
    client.post(
        "/partner/business-profile/",
        {
            "description": "Managed security for retailers.",
            "website": "https://fabrikam.de",
            "industries": "Retail",
            "services": "Security",
        },
    )
    assert Event.objects.count() == before + 1


def test_the_admin_action_make_current_writes_one_row(client):
    superuser = UserFactory(
        tenant=None, roles=[], email="ops@partners.test", is_staff=True, is_superuser=True
    )
    current = AgreementTemplateFactory(version="2026-01")
    new = AgreementTemplateFactory(version="2026-02", is_current=False)
    client.force_login(superuser)
    before = Event.objects.count()
    response = client.post(
        "/admin/enrollment/agreementtemplate/",
        {"action": "make_current", "_selected_action": [str(new.pk)], "index": 0},
    )
    assert response.status_code == 302
    assert Event.objects.count() == before + 1
    event = Event.objects.order_by("-id").first()
    assert (event.kind, event.object_type, event.object_id) == (
        "agreement_template_made_current",
        "enrollment.agreementtemplate",
        str(new.pk),
    )
    assert (event.from_state, event.to_state, event.actor_id) == ("retired", "current", superuser.pk)
    assert event.data["retired"] == 1
    current.refresh_from_db()
    new.refresh_from_db()
    assert new.is_current and not current.is_current
    assert AgreementTemplate.objects.filter(is_current=True).count() == 1
