"""Step 6 of the indirect reseller journey: the global admin accepts the agreement and the
enrollment becomes active; the current agreements, the agreement page, and staff's templates
(the partner and business profiles: test_partner_profile.py)."""

import uuid
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from enrollment.models import AgreementAcceptance, AgreementTemplate, Enrollment, EnrollmentStatus
from enrollment.services.agreements import agreement_accept
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.models import Notification
from tests.conftest import api_as
from tests.data import PRIMARY_CONTACT as CONTACT
from tests.factories import (
    AgreementAcceptanceFactory,
    AgreementTemplateFactory,
    EnrollmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def accept(user, template, contact=None):
    return api_as(user).post(
        "/api/v1/partner/agreements/",
        {"template_id": str(template.pk), "primary_contact": contact or CONTACT},
        format="json",
    )


# --- Accepting the agreement ------------------------------------------------------------------------


class TestAccept:
    @pytest.mark.time_machine(NOW, tick=False)
    def test_acceptance_records_template_version_user_contact_and_time(self, admin, approved, template):
        response = accept(admin, template)
        assert response.status_code == 201, response.data
        acceptance = AgreementAcceptance.objects.get()
        assert acceptance.template == template and acceptance.template.version == "2026-10"
        assert acceptance.partner == approved.partner
        assert acceptance.program == "indirect_reseller"
        assert acceptance.region == "europe"  # Germany's market
        assert acceptance.accepted_by == admin
        assert acceptance.accepted_at == NOW
        assert (
            acceptance.contact_first_name,
            acceptance.contact_last_name,
            acceptance.contact_email,
            acceptance.contact_phone,
        ) == ("Jonas", "Becker", "jonas@fabrikam.de", "+49301234567")
        assert response.data["template"] == {
            "id": str(template.pk),
            "name": "Microsoft Partner Agreement",
            "version": "2026-10",
            "language": "en",
        }
        assert response.data["primary_contact"]["phone"] == "+49301234567"
        assert response.data["accepted_by"]["email"] == admin.email
        assert response.data["region"] == "europe"

    def test_enrollment_becomes_active_with_an_event_row(self, admin, approved, template):
        assert accept(admin, template).status_code == 201
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.ACTIVE
        event = approved.events.get(kind="agreement_accepted")
        assert (event.from_state, event.to_state, event.actor) == ("approved", "active", admin)
        assert event.data["version"] == "2026-10" and "2026-10" in event.detail

    def test_one_email_to_the_primary_contact_after_commit(
        self, admin, approved, template, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            agreement_accept(actor=admin, template_id=template.pk, primary_contact=CONTACT)
        assert mail.outbox == []  # nothing leaves before the commit
        assert len(callbacks) == 1
        callbacks[0]()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["jonas@fabrikam.de"]
        assert message.subject == "You are enrolled: the agreement is signed"
        assert "Microsoft Partner Agreement (version 2026-10)" in message.body
        assert "Fabrikam Deutschland GmbH is now enrolled" in message.body
        notification = Notification.objects.get(template="enrollment_active")
        assert notification.status == Notification.Status.SENT

    def test_the_email_is_sent_once_even_if_acceptance_is_tried_again(
        self, admin, approved, template, committed
    ):
        with committed():
            assert accept(admin, template).status_code == 201
        with committed():
            assert accept(admin, template).status_code == 409
        assert len(mail.outbox) == 1

    def test_employee_gets_403_and_nothing_changes(self, employee, approved, template):
        response = accept(employee, template)
        assert response.status_code == 403
        assert "global admin" in response.data["detail"]
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED
        assert not AgreementAcceptance.objects.exists()

    def test_service_refuses_a_non_admin(self, employee, approved, template):
        with pytest.raises(NotPermitted):
            agreement_accept(actor=employee, template_id=template.pk, primary_contact=CONTACT)

    def test_a_user_without_a_partner_gets_404(self, customer_admin, approved, template):
        assert accept(customer_admin, template).status_code == 404
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED
        assert not AgreementAcceptance.objects.exists()

    def test_an_outsider_accepts_for_its_own_partner_only(self, outsider, approved, template):
        # Its own partner has no approved indirect reseller enrollment: nothing to accept.
        response = accept(outsider, template)
        assert response.status_code == 409 and response.data["status"] == "none"
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED
        assert not AgreementAcceptance.objects.exists()

    def test_anonymous_gets_401(self, api, template):
        response = api.post("/api/v1/partner/agreements/", {"template_id": str(template.pk)}, format="json")
        assert response.status_code == 401

    @pytest.mark.parametrize(
        "status",
        ["pending_email_verification", "in_review", "action_needed", "rejected", "withdrawn", "expired"],
    )
    def test_only_while_approved(self, admin, partner, template, status):
        enrollment = EnrollmentFactory(partner=partner, status=status)
        response = accept(admin, template)
        assert response.status_code == 409
        assert response.data["code"] == "invalid_transition"
        assert response.data["status"] == status
        enrollment.refresh_from_db()
        assert enrollment.status == status
        assert not AgreementAcceptance.objects.exists()

    def test_without_any_enrollment_409_status_none(self, admin, partner, template):
        response = accept(admin, template)
        assert response.status_code == 409
        assert response.data["status"] == "none"

    def test_template_of_another_program_needs_that_programs_enrollment(self, admin, approved):
        direct = AgreementTemplateFactory(program="direct_bill", name="Direct-bill terms")
        response = accept(admin, direct)
        assert response.status_code == 409
        assert response.data["status"] == "none"

    def test_second_acceptance_is_409(self, admin, approved, template):
        assert accept(admin, template).status_code == 201
        response = accept(admin, template)
        assert response.status_code == 409
        assert response.data["status"] == "active"
        assert AgreementAcceptance.objects.count() == 1

    def test_once_per_region_even_for_another_language(self, admin, approved, template):
        assert accept(admin, template).status_code == 201
        chinese = AgreementTemplateFactory(version="2026-10", language="zh-hant")
        assert accept(admin, chinese).status_code == 409
        assert AgreementAcceptance.objects.count() == 1

    def test_region_already_accepted_refuses_an_approved_enrollment(self, admin, approved, template):
        AgreementAcceptanceFactory(partner=approved.partner, template=template)
        response = accept(admin, template)
        assert response.status_code == 409
        assert response.data["status"] == "approved"
        assert "already accepted" in response.data["detail"]
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED

    def test_database_holds_one_acceptance_per_partner_program_region(self, partner, template):
        AgreementAcceptanceFactory(partner=partner, template=template, region="europe")
        AgreementAcceptanceFactory(
            partner=partner, template=template, region="united_states"
        )  # another region
        with pytest.raises(IntegrityError), transaction.atomic():
            AgreementAcceptanceFactory(partner=partner, template=template, region="europe")

    def test_template_must_be_current(self, admin, approved, template):
        template.is_current = False
        template.save()
        response = accept(admin, template)
        assert response.status_code == 400
        assert "template_id" in response.data

    def test_unknown_template_is_400(self, admin, approved):
        response = api_as(admin).post(
            "/api/v1/partner/agreements/",
            {"template_id": str(uuid.uuid4()), "primary_contact": CONTACT},
            format="json",
        )
        assert response.status_code == 400
        assert "template_id" in response.data

    @pytest.mark.parametrize(
        "field,value",
        [
            ("first_name", ""),
            ("last_name", "x" * 51),
            ("email", "jonas@gmail.com"),
            ("email", "not-an-email"),
            ("phone", "12"),
        ],
    )
    def test_contact_is_validated_field_by_field(self, admin, approved, template, field, value):
        response = accept(admin, template, {**CONTACT, field: value})
        assert response.status_code == 400
        assert set(response.data) == {"primary_contact"}
        assert set(response.data["primary_contact"]) == {field}
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED

    @pytest.mark.parametrize(
        "field,value,expected",
        [
            ("first_name", "x" * 51, "at most 50"),
            ("last_name", "  ", "Enter the last name"),
            ("email", "jonas@gmail.com", "web-based mail service"),
            ("phone", "12", "valid phone number"),
        ],
    )
    def test_service_applies_the_contact_rules(self, admin, approved, template, field, value, expected):
        with pytest.raises(InvalidInput) as exc:
            agreement_accept(actor=admin, template_id=template.pk, primary_contact={**CONTACT, field: value})
        assert expected in exc.value.errors["primary_contact"][field][0]

    def test_service_rechecks_the_state_after_the_lock(self, admin, approved, template):
        Enrollment.objects.filter(pk=approved.pk).update(status=EnrollmentStatus.ACTIVE)
        with pytest.raises(InvalidTransition) as exc:
            agreement_accept(actor=admin, template_id=template.pk, primary_contact=CONTACT)
        assert exc.value.status == "active"


# --- The current agreements ------------------------------------------------------------------------------


class TestAgreementList:
    def test_current_templates_with_a_link_to_their_page(self, admin, client, template):
        AgreementTemplateFactory(version="2026-10", language="ru", name="Соглашение с партнером Майкрософт")
        AgreementTemplateFactory(version="2025-01", is_current=False)
        AgreementTemplateFactory(program="direct_bill", name="Direct-bill terms")
        response = api_as(admin).get("/api/v1/agreements/?program=indirect_reseller")
        assert response.status_code == 200
        assert response.data["count"] == 2
        item = next(r for r in response.data["results"] if r["language"] == "en")
        assert set(item) == {"id", "name", "version", "language", "url"}
        assert item == {
            "id": str(template.pk),
            "name": "Microsoft Partner Agreement",
            "version": "2026-10",
            "language": "en",
            "url": f"http://testserver/agreements/{template.pk}/",
        }
        client.force_login(admin)
        page = client.get(item["url"])
        assert page.status_code == 200
        assert template.body.encode() in page.content

    def test_unknown_program_is_400(self, admin):
        response = api_as(admin).get("/api/v1/agreements/?program=gold")
        assert response.status_code == 400
        assert "program" in response.data

    def test_anonymous_gets_401(self, api):
        assert api.get("/api/v1/agreements/").status_code == 401

    def test_constant_number_of_queries(self, admin, django_assert_num_queries):
        client = api_as(admin)
        AgreementTemplateFactory()
        with CaptureQueriesContext(connection) as one:
            client.get("/api/v1/agreements/")
        for _ in range(6):
            AgreementTemplateFactory()
        with django_assert_num_queries(len(one)):
            response = client.get("/api/v1/agreements/")
        assert response.data["count"] == 7


# --- Pages ----------------------------------------------------------------------------------------------------


class TestPages:
    def test_agreement_page_for_the_global_admin(self, client, admin, approved, template):
        client.force_login(admin)
        response = client.get("/partner/agreement/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Microsoft Partner Agreement" in html and "2026-10" in html
        assert template.body in html
        assert "Accept and continue" in html
        assert 'value="jonas@fabrikam.de"' in html  # the primary contact on record, prefilled

    @pytest.mark.parametrize("path", ["/partner/agreement/", "/partner/users/"])
    def test_admin_pages_are_403_for_others(self, client, employee, approved, template, path):
        client.force_login(employee)
        assert client.get(path).status_code == 403

    def test_agreement_page_in_the_readers_language_else_english(self, client, admin, approved, template):
        AgreementTemplateFactory(
            version="2026-10", language="zh-hant", body="本合約由 Microsoft 與合作夥伴簽訂。"
        )
        client.force_login(admin)
        chinese = client.get("/partner/agreement/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
        assert "本合約由 Microsoft 與合作夥伴簽訂。" in chinese
        russian = client.get("/partner/agreement/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        assert template.body in russian  # no Russian template: English

    def test_accept_on_the_page_then_the_overview_shows_the_banner(
        self, client, admin, approved, template, committed
    ):
        client.force_login(admin)
        with committed():
            response = client.post(
                "/partner/agreement/",
                {"template_id": str(template.pk), **CONTACT, "accept": "on"},
            )
        assert response.status_code == 302 and response["Location"] == "/"
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.ACTIVE
        assert len(mail.outbox) == 1
        overview = client.get("/").content.decode()
        assert "You are enrolled as Indirect reseller: the agreement is signed" in overview
        assert "Accept the agreement" not in overview

    def test_accept_needs_the_box_ticked(self, client, admin, approved, template):
        client.force_login(admin)
        response = client.post("/partner/agreement/", {"template_id": str(template.pk), **CONTACT})
        assert response.status_code == 200
        assert b"Tick the box to accept the agreement." in response.content
        approved.refresh_from_db()
        assert approved.status == EnrollmentStatus.APPROVED

    def test_page_shows_the_services_contact_errors(self, client, admin, approved, template):
        client.force_login(admin)
        response = client.post(
            "/partner/agreement/",
            {"template_id": str(template.pk), **CONTACT, "email": "jonas@gmail.com", "accept": "on"},
        )
        assert response.status_code == 200
        assert b"web-based mail service" in response.content

    def test_overview_offers_the_agreement_when_approved(self, client, admin, employee, approved, template):
        client.force_login(admin)
        assert b'href="/partner/agreement/?program=indirect_reseller"' in client.get("/").content
        client.force_login(employee)
        html = client.get("/").content.decode()
        assert "/partner/agreement/" not in html
        assert "Your global admin accepts the Microsoft Partner Agreement next." in html


# --- Staff and the demo -------------------------------------------------------------------------------------------


class TestAdminAndSeed:
    @pytest.fixture
    def superuser(self, db):
        return UserFactory(tenant=None, roles=[], is_staff=True, is_superuser=True, email="su@partners.test")

    def test_staff_manage_templates(self, client, superuser, template):
        client.force_login(superuser)
        response = client.get("/admin/enrollment/agreementtemplate/?program=indirect_reseller&language=en")
        assert response.status_code == 200
        assert b"2026-10" in response.content
        assert client.get(f"/admin/enrollment/agreementtemplate/{template.pk}/change/").status_code == 200

    def test_an_accepted_template_can_no_longer_be_edited(self, client, superuser, template, partner):
        AgreementAcceptanceFactory(partner=partner, template=template)
        client.force_login(superuser)
        client.post(
            f"/admin/enrollment/agreementtemplate/{template.pk}/change/",
            {"is_current": "on"},
        )
        template.refresh_from_db()
        assert template.body.startswith("1. Parties")

    def test_acceptances_are_read_only(self, client, superuser, template, partner):
        acceptance = AgreementAcceptanceFactory(partner=partner, template=template)
        client.force_login(superuser)
        assert client.get("/admin/enrollment/agreementacceptance/").status_code == 200
        assert client.get("/admin/enrollment/agreementacceptance/add/").status_code == 403
        response = client.get(f"/admin/enrollment/agreementacceptance/{acceptance.pk}/change/")
        assert response.status_code == 200
        assert b'name="_save"' not in response.content

    def test_seed_creates_the_current_agreement_in_every_language_once(self, settings):
        settings.DEBUG = True
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        templates = AgreementTemplate.objects.filter(program="indirect_reseller", version="2026-10")
        assert sorted(templates.values_list("language", flat=True)) == ["en", "ru", "zh-hans", "zh-hant"]
        assert all(t.is_current and len(t.body) > 200 for t in templates)
        assert templates.get(language="en").name == "Microsoft Partner Agreement"
