"""No dead ends on the partner's status page (issue 8, "No dead ends"):

- an approved enrollment offers **Accept the agreement** to the global admin (anyone else
  reads who can), and the approval email links to the agreement page;
- a rejected enrollment says what to do next and offers **Apply again**: the wizard starts
  over filled in from the rejected application (bank numbers typed again) and submits a
  new application through the same service; its checks show what was decided (passed,
  failed or waived, by a reviewer or automatically, with the reviewer's note as written),
  on the page and in the API.
"""

import re

import pytest
from django.conf import settings
from django.core import mail

from enrollment.models import Enrollment, EnrollmentStatus
from enrollment.services.application import enrollment_submit, enrollment_withdraw
from enrollment.services.confirmation import email_verification_confirm
from enrollment.services.review import check_decide, enrollment_approve, enrollment_reject
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, UserFactory

from .test_views import LINK, MGMT

pytestmark = pytest.mark.django_db

AGREEMENT = "/partner/agreement/?program=indirect_reseller"
REASON = "The business registration does not match the legal name."
FAILED_NOTE = "Handelsregister lists Fabrikam Holding AG at this address, not Fabrikam Deutschland GmbH."
WAIVED_NOTE = "fabrikam.de belongs to the group; the contact works there."
PASSED_NOTE = "Seen in the Partner Network."


def status_page(client, enrollment) -> str:
    response = client.get(f"/enrollments/{enrollment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- Approved: accept the agreement --------------------------------------------------------------


class TestApproved:
    def test_the_global_admin_is_offered_accept_the_agreement(self, client, admin, approved, template):
        client.force_login(admin)
        page = status_page(client, approved)
        assert f'href="{AGREEMENT}">Accept the agreement</a>' in page.replace("&amp;", "&")
        agreement = client.get(AGREEMENT)
        assert agreement.status_code == 200
        assert agreement.context["form"] is not None  # the acceptance form, for this enrollment

    def test_anyone_else_reads_who_can_accept(self, client, admin, employee, approved):
        client.force_login(employee)
        page = status_page(client, approved)
        assert "global admin can accept the agreement:" in page
        assert admin.get_full_name() in page and f"mailto:{admin.email}" in page
        assert AGREEMENT not in page.replace("&amp;", "&")

    @pytest.mark.parametrize("status", ["in_review", "active", "rejected"])
    def test_only_an_approved_enrollment_offers_it(self, client, admin, partner, status):
        enrollment = EnrollmentFactory(partner=partner, status=status)
        client.force_login(admin)
        assert "Accept the agreement</a>" not in status_page(client, enrollment)

    def test_the_approval_email_links_to_the_agreement(self, admin, partner, reviewer, committed):
        enrollment = EnrollmentFactory(partner=partner, status=EnrollmentStatus.IN_REVIEW)
        with committed():
            enrollment_approve(actor=reviewer, enrollment=enrollment)
        (message,) = mail.outbox
        link = f"{settings.SITE_URL}{AGREEMENT}"
        assert f"Accept the agreement: {link}" in message.body
        html = message.alternatives[0][0].replace("&amp;", "&")
        assert f'href="{link}"' in html and "Accept the agreement</a>" in html

    def test_the_approval_email_through_the_api_links_to_a_working_page(
        self, client, admin, partner, reviewer, template, committed
    ):
        enrollment = EnrollmentFactory(partner=partner, status=EnrollmentStatus.IN_REVIEW)
        with committed():
            response = api_as(reviewer).post(f"/api/v1/review/enrollments/{enrollment.pk}/approve/", {})
        assert response.status_code == 200, response.data
        link = re.search(r"Accept the agreement: (\S+)", mail.outbox[0].body).group(1)
        client.force_login(admin)
        page = client.get(link.removeprefix(settings.SITE_URL))
        assert page.status_code == 200 and page.context["enrollment"] == enrollment


# --- Rejected: what to do, apply again, what was decided -------------------------------------------


@pytest.fixture
def rejected(admin, application, reviewer, committed):
    """Fabrikam's application, confirmed, checked, two checks decided by the reviewer (one
    failed, one waived, both with a note; one passed with a note) and rejected with a reason."""
    with committed():
        enrollment = enrollment_submit(actor=admin, application=application)
    with committed():
        email_verification_confirm(token=LINK.search(mail.outbox[-1].body).group(1))
    enrollment.refresh_from_db()
    for kind, result, note in [
        ("business_verification", "failed", FAILED_NOTE),
        ("email_domain", "waived", WAIVED_NOTE),
        ("mpn_status", "passed", PASSED_NOTE),
    ]:
        check_decide(actor=reviewer, enrollment=enrollment, kind=kind, result=result, note=note)
    with committed():
        enrollment_reject(actor=reviewer, enrollment=enrollment, reason=REASON)
    return enrollment


class TestRejectedPage:
    def test_says_what_to_do_next_and_offers_apply_again(self, client, admin, rejected):
        client.force_login(admin)
        page = status_page(client, rejected)
        assert REASON in page
        assert "Read the reason above and what was decided on each check below." in page
        assert "only the bank account numbers are typed again" in page
        assert f'action="/enrollments/{rejected.pk}/apply-again/"' in page
        assert ">Apply again</button>" in page

    def test_anyone_else_reads_who_can_apply_again(self, client, admin, employee, rejected):
        client.force_login(employee)
        page = status_page(client, rejected)
        assert "global admin can apply again:" in page
        assert f"mailto:{admin.email}" in page
        assert "/apply-again/" not in page

    def test_checks_show_what_was_decided_with_the_reviewers_note(self, client, admin, rejected):
        client.force_login(admin)
        page = status_page(client, rejected)
        decided = page[page.index('id="decided-checks"') :]
        decided = decided[: decided.index("</section>")]
        items = {
            re.search(r'class="check-label">([^<]+)<', item).group(1): item
            for item in decided.split("<li ")[1:]
        }
        failed = items["Business verification"]
        assert "Failed" in failed and "Decided by a reviewer" in failed and "Handelsregister lists" in failed
        waived = items["Email domain and employment"]
        assert "Waived" in waived and WAIVED_NOTE in waived
        assert "Passed" in items["MPN ID is active"] and PASSED_NOTE in items["MPN ID is active"]
        automatic = items["MPN ID country matches the tenant"]
        assert "Passed" in automatic and "Checked automatically" in automatic
        assert "blockquote" not in automatic

    def test_only_a_rejected_enrollment_lists_the_decisions(self, client, admin, approved):
        client.force_login(admin)
        assert 'id="decided-checks"' not in status_page(client, approved)

    def test_checks_show_what_was_decided_in_the_api(self, admin, rejected):
        response = api_as(admin).get(f"/api/v1/enrollments/{rejected.pk}/")
        assert response.status_code == 200
        checks = {check["kind"]: check for check in response.data["checks"]}
        assert (checks["business_verification"]["result"], checks["business_verification"]["decided_by"]) == (
            "failed",
            "reviewer",
        )
        assert checks["business_verification"]["note"] == FAILED_NOTE
        assert (checks["email_domain"]["result"], checks["email_domain"]["note"]) == ("waived", WAIVED_NOTE)
        assert checks["mpn_status"]["note"] == PASSED_NOTE
        assert (checks["mpn_country"]["decided_by"], checks["mpn_country"]["note"]) == ("automated", "")
        listed = api_as(admin).get("/api/v1/enrollments/").data["results"][0]["checks"]
        assert {c["kind"]: c["note"] for c in listed} == {k: c["note"] for k, c in checks.items()}

    def test_an_appeal_sets_the_earlier_note_aside(self, admin, reviewer, application, committed):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from enrollment.services.review import enrollment_appeal

        with committed():
            enrollment = enrollment_submit(actor=admin, application=application)
        with committed():
            email_verification_confirm(token=LINK.search(mail.outbox[-1].body).group(1))
        check_decide(
            actor=reviewer,
            enrollment=enrollment,
            kind="business_verification",
            result="failed",
            note=FAILED_NOTE,
        )
        enrollment_appeal(
            actor=admin,
            enrollment=enrollment,
            kind="business_verification",
            document_type="business_registration",
            comment="",
            document=SimpleUploadedFile("hr.pdf", b"%PDF-1.4 extract", content_type="application/pdf"),
        )
        check = next(
            c
            for c in api_as(admin).get(f"/api/v1/enrollments/{enrollment.pk}/").data["checks"]
            if c["kind"] == "business_verification"
        )
        assert (check["result"], check["decided_by"], check["note"]) == ("pending", None, "")


class TestApplyAgain:
    def walk(self, client, bank_numbers):
        """Click Next through every step with what the wizard shows filled in (the bank step
        gets ``bank_numbers`` too); return the finished page's redirect."""
        for step in ["program", "mpn", "business", "contact", "support", "bank"]:
            page = client.get(f"/enroll/apply/{step}/")
            form = page.context["form"]
            data = {f"{step}-{name}": form[name].value() or "" for name in form.fields}
            if step == "bank":
                data.update(bank_numbers)
            response = client.post(f"/enroll/apply/{step}/", {MGMT: step, **data})
            assert response.status_code == 302, (step, response.context and response.context["form"].errors)
        response = client.post("/enroll/apply/review/", {MGMT: "review", "review-confirm": "on"})
        return client.get(response["Location"])

    def test_the_wizard_starts_over_filled_in_from_the_rejected_application(self, client, admin, rejected):
        client.force_login(admin)
        response = client.post(f"/enrollments/{rejected.pk}/apply-again/")
        assert response.status_code == 302 and response["Location"] == "/enroll/apply/"
        assert client.get("/enroll/apply/")["Location"] == "/enroll/apply/program/"
        business = client.get("/enroll/apply/business/").context["form"]
        assert business["company_name"].value() == "Fabrikam Deutschland GmbH"
        assert (business["line1"].value(), business["postal_code"].value(), business["country"].value()) == (
            "Hauptstraße 1",
            "10115",
            "DE",
        )
        contact = client.get("/enroll/apply/contact/").context["form"]
        stored = rejected.application["primary_contact"]
        assert (contact["email"].value(), contact["phone"].value()) == ("jonas@fabrikam.de", stored["phone"])
        bank = client.get("/enroll/apply/bank/").context["form"]
        assert bank["holder_name"].value() == "Fabrikam Deutschland GmbH"
        assert not bank["iban"].value()  # never stored in clear: typed again

    def test_the_new_application_goes_through_the_service(self, client, admin, rejected, committed):
        client.force_login(admin)
        client.post(f"/enrollments/{rejected.pk}/apply-again/")
        client.get("/enroll/apply/")
        with committed():
            finished = self.walk(client, {"bank-iban": "DE89 3704 0044 0532 0130 00"})
        new = Enrollment.objects.exclude(pk=rejected.pk).get()
        assert finished["Location"] == f"/enrollments/{new.pk}/"
        assert new.status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION
        assert new.application["legal_business_profile"] == rejected.application["legal_business_profile"]
        assert new.application["primary_contact"] == rejected.application["primary_contact"]
        rejected.refresh_from_db()
        assert rejected.status == EnrollmentStatus.REJECTED
        assert mail.outbox[-1].to == ["jonas@fabrikam.de"]  # a new confirmation link
        # Done: a later application starts empty again.
        assert "enrollment_prefill" not in client.session

    def test_apply_again_through_the_api_is_a_new_application(self, admin, rejected, application):
        response = api_as(admin).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 201, response.data
        assert response.data["status"] == "pending_email_verification"

    def test_a_withdrawn_application_may_be_applied_again_too(self, client, admin, application, committed):
        with committed():
            enrollment = enrollment_submit(actor=admin, application=application)
        enrollment_withdraw(actor=admin, enrollment=enrollment)
        client.force_login(admin)
        assert ">Apply again</button>" in status_page(client, enrollment)
        assert client.post(f"/enrollments/{enrollment.pk}/apply-again/")["Location"] == "/enroll/apply/"

    def test_not_while_another_application_of_the_program_is_open(self, client, admin, rejected, application):
        enrollment_submit(actor=admin, application=application)
        client.force_login(admin)
        page = status_page(client, rejected)
        assert "already has an open application in this program" in page
        assert ">Apply again</button>" not in page
        response = client.post(f"/enrollments/{rejected.pk}/apply-again/", follow=True)
        assert "already has an open application in this program" in response.content.decode()
        assert "enrollment_prefill" not in client.session

    @pytest.mark.parametrize("status", ["in_review", "approved", "active"])
    def test_not_from_an_open_enrollment(self, client, admin, partner, status):
        enrollment = EnrollmentFactory(partner=partner, status=status)
        client.force_login(admin)
        assert "/apply-again/" not in status_page(client, enrollment)
        response = client.post(f"/enrollments/{enrollment.pk}/apply-again/", follow=True)
        assert "This application is still open" in response.content.decode()
        assert "enrollment_prefill" not in client.session

    def test_only_the_global_admin(self, client, employee, rejected):
        client.force_login(employee)
        response = client.post(f"/enrollments/{rejected.pk}/apply-again/")
        assert response.status_code == 403
        assert "enrollment_prefill" not in client.session

    def test_another_partners_enrollment_is_404(self, client, outsider, rejected):
        client.force_login(outsider)
        assert client.post(f"/enrollments/{rejected.pk}/apply-again/").status_code == 404

    def test_only_by_post(self, client, admin, rejected):
        client.force_login(admin)
        assert client.get(f"/enrollments/{rejected.pk}/apply-again/").status_code == 405


def test_the_people_who_can_act_are_the_active_global_admins(client, admin, employee, approved):
    second = UserFactory(
        tenant=admin.tenant, roles=["global_admin"], email="second@fabrikamde.onmicrosoft.com"
    )
    gone = UserFactory(
        tenant=admin.tenant, roles=["global_admin"], email="gone@fabrikamde.onmicrosoft.com", is_active=False
    )
    client.force_login(employee)
    page = status_page(client, approved)
    assert f"mailto:{admin.email}" in page and f"mailto:{second.email}" in page
    assert gone.email not in page
