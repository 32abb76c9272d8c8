"""The applicant's pages: overview, wizard, status page, email confirmation."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import Enrollment
from enrollment.services.application import enrollment_submit, enrollment_withdraw
from enrollment.services.confirmation import email_verification_confirm
from tests.data import SIGNUP
from tests.factories import PASSWORD, EnrollmentFactory, MpnProfileFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")
MGMT = "enrollment_wizard-current_step"

STEP_DATA = {
    "program": {"program-program": "indirect_reseller"},
    "mpn": {"mpn-mpn_id": "4820001"},
    "business": {
        "business-company_name": "Fabrikam Deutschland GmbH",
        "business-line1": "Hauptstraße 1",
        "business-city": "Berlin",
        "business-postal_code": "10115",
        "business-country": "DE",
    },
    "contact": {
        "contact-first_name": "Jonas",
        "contact-last_name": "Becker",
        "contact-email": "jonas@fabrikam.de",
        "contact-phone": "+49 30 1234567",
        "contact-language": "en",
    },
    "support": {
        "support-email": "support@fabrikam.de",
        "support-phone": "+49 30 1234568",
        "support-website": "",
    },
    "bank": {
        "bank-holder_name": "Fabrikam Deutschland GmbH",
        "bank-iban": "DE89 3704 0044 0532 0130 00",
        "bank-bic": "",
    },
    "review": {"review-confirm": "on"},
}


def post_step(client, step, data=None, **extra):
    return client.post(
        f"/enroll/apply/{step}/", {MGMT: step, **(data if data is not None else STEP_DATA[step]), **extra}
    )


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


class TestOverview:
    def test_anonymous_sees_the_landing_page(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert b"/signup/" in response.content

    def test_global_admin_is_offered_enrollment(self, signed_in):
        assert b"/enroll/" in signed_in.get("/").content

    def test_employee_is_told_only_the_global_admin_enrolls(self, client, employee):
        client.force_login(employee)
        response = client.get("/")
        assert b"Only your global admin can enroll" in response.content

    def test_constant_queries_whatever_the_number_of_enrollments(self, signed_in, admin):
        partner = PartnerFactory(tenant=admin.tenant)
        EnrollmentFactory(partner=partner, status="withdrawn")
        with CaptureQueriesContext(connection) as one:
            signed_in.get("/")
        for _ in range(10):
            EnrollmentFactory(partner=partner, status="withdrawn")
        with CaptureQueriesContext(connection) as many:
            response = signed_in.get("/")
        assert response.content.count(b"/enrollments/") == 11
        assert len(many.captured_queries) == len(one.captured_queries)


class TestSignup:
    def test_creates_the_work_account_and_signs_in(self, client):
        response = client.post("/signup/", SIGNUP)
        assert response.status_code == 302
        assert client.get("/").context["user"].tenant.domain == "contosotw.onmicrosoft.com"

    def test_errors_in_the_page(self, client, tenant):
        response = client.post(
            "/signup/",
            {
                "company_name": "X",
                "domain_prefix": "fabrikamde",
                "country": "DE",
                "first_name": "A",
                "last_name": "B",
                "email": "a@b.de",
                "password": "short",
            },
        )
        assert response.status_code == 200
        assert "already taken" in str(response.context["form"].errors["domain_prefix"])
        assert response.context["form"].errors["password"]


class TestWizard:
    def test_welcome_lists_what_to_have_at_hand(self, signed_in):
        response = signed_in.get("/enroll/")
        assert response.status_code == 200
        for words in [b"MPN ID", b"business address", b"Bank information", b"work email"]:
            assert words in response.content

    def test_employee_gets_403_with_a_reason(self, client, employee):
        client.force_login(employee)
        for url in ["/enroll/", "/enroll/apply/program/"]:
            response = client.get(url)
            assert response.status_code == 403
            assert b"global admin" in response.content

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get("/enroll/apply/program/")["Location"].startswith("/sign-in/")

    def test_the_whole_wizard_submits_one_enrollment(
        self, signed_in, mpn, django_capture_on_commit_callbacks
    ):
        signed_in.get("/enroll/apply/")
        steps = ["program", "mpn", "business", "contact", "support", "bank"]
        for number, step in enumerate(steps, start=1):
            page = signed_in.get(f"/enroll/apply/{step}/")
            assert f"Step {number} of 7".encode() in page.content
            response = post_step(signed_in, step)
            assert response.status_code == 302, (step, response.context and response.context["form"].errors)
        review = signed_in.get("/enroll/apply/review/")
        assert b"Fabrikam Deutschland GmbH" in review.content
        assert b"\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2 3000" in review.content  # masked
        assert b"DE89" not in review.content and b"3704" not in review.content
        with django_capture_on_commit_callbacks(execute=True):
            response = post_step(signed_in, "review")
            response = signed_in.get(response["Location"])  # the "finished" step runs done()
        enrollment = Enrollment.objects.get()
        assert response["Location"] == f"/enrollments/{enrollment.pk}/"
        assert enrollment.partner.contact_email == "jonas@fabrikam.de"
        assert len(mail.outbox) == 1

    def test_back_keeps_what_was_typed(self, signed_in, mpn):
        signed_in.get("/enroll/apply/")
        for step in ["program", "mpn", "business"]:
            post_step(signed_in, step)
        half_typed = {"contact-first_name": "Jonas", "contact-email": "not yet valid"}
        response = post_step(signed_in, "contact", half_typed, wizard_goto_step="business")
        assert response.status_code == 302
        page = signed_in.get("/enroll/apply/contact/")
        assert page.context["form"]["first_name"].value() == "Jonas"
        assert page.context["form"]["email"].value() == "not yet valid"

    @pytest.mark.parametrize(
        "mpn_id,words",
        [("4810001", b"Taiwan"), ("4820002", b"inactive"), ("1234567", b"not found")],
    )
    def test_mpn_inline_error(self, signed_in, mpn, mpn_id, words):
        MpnProfileFactory(mpn_id="4810001", country="TW")
        MpnProfileFactory(mpn_id="4820002", country="DE", status="inactive")
        signed_in.get("/enroll/apply/")
        post_step(signed_in, "program")
        response = post_step(signed_in, "mpn", {"mpn-mpn_id": mpn_id})
        assert response.status_code == 200
        assert words in response.content
        assert b'class="error"' in response.content

    def test_webmail_inline_error(self, signed_in, mpn):
        signed_in.get("/enroll/apply/")
        for step in ["program", "mpn", "business"]:
            post_step(signed_in, step)
        data = {**STEP_DATA["contact"], "contact-email": "jonas@gmail.com"}
        response = post_step(signed_in, "contact", data)
        assert response.status_code == 200
        assert "web-based mail service" in str(response.context["form"].errors["email"])

    def test_direct_bill_is_shown_but_not_open(self, signed_in):
        signed_in.get("/enroll/apply/")
        page = signed_in.get("/enroll/apply/program/")
        assert b'value="direct_bill" disabled' in page.content
        assert b"Direct-bill applications are closed." in page.content
        assert b"Enroll as an indirect reseller" in page.content
        response = post_step(signed_in, "program", {"program-program": "direct_bill"})
        assert "closed" in str(response.context["form"].errors["program"])

    def test_pmc_sign_in_and_choose_a_profile(self, signed_in, mpn):
        signed_in.get("/enroll/apply/")
        post_step(signed_in, "program")
        wrong = signed_in.post(
            "/enroll/pmc/sign-in/", {"username": "fabrikam", "password": "nope"}, follow=True
        )
        assert b"username or password is wrong" in wrong.content
        right = signed_in.post(
            "/enroll/pmc/sign-in/", {"username": "fabrikam", "password": PASSWORD}, follow=True
        )
        assert b"Use this profile" in right.content and b"4820001" in right.content
        chosen = signed_in.post("/enroll/pmc/choose/", {"mpn_id": "4820001"}, follow=True)
        assert chosen.context["form"]["mpn_id"].value() == "4820001"

    def test_pmc_choose_only_a_listed_profile(self, signed_in, mpn):
        signed_in.get("/enroll/apply/")
        page = signed_in.post("/enroll/pmc/choose/", {"mpn_id": "4820001"}, follow=True)
        assert page.context["form"]["mpn_id"].value() in (None, "")


class TestStatusPage:
    @pytest.fixture
    def enrollment(self, admin, application, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            return enrollment_submit(actor=admin, application=application)

    def test_shows_timeline_checks_and_what_to_do(self, signed_in, enrollment):
        response = signed_in.get(f"/enrollments/{enrollment.pk}/")
        content = response.content.decode()
        assert "Waiting for email confirmation" in content
        assert (
            "Application submitted" in content
            and "We emailed a confirmation link to jonas@fabrikam.de" in content
        )
        assert "What you need to do now" in content and "jonas@fabrikam.de" in content
        assert "Email ownership" in content and "MPN ID is active" in content
        assert "Send the email again" in content
        assert "•••• 3000" in content and "DE8937" not in content

    def test_outsider_gets_404(self, client, outsider, enrollment):
        client.force_login(outsider)
        assert client.get(f"/enrollments/{enrollment.pk}/").status_code == 404
        assert client.post(f"/enrollments/{enrollment.pk}/withdraw/").status_code == 404
        assert client.post(f"/enrollments/{enrollment.pk}/resend/").status_code == 404

    def test_employee_reads_but_may_not_act(self, client, employee, enrollment):
        client.force_login(employee)
        page = client.get(f"/enrollments/{enrollment.pk}/")
        assert page.status_code == 200 and b"Send the email again" not in page.content
        assert client.post(f"/enrollments/{enrollment.pk}/resend/").status_code == 403
        assert client.post(f"/enrollments/{enrollment.pk}/withdraw/").status_code == 403
        enrollment.refresh_from_db()
        assert enrollment.status == "pending_email_verification"

    def test_resend_from_the_page(self, signed_in, enrollment, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(f"/enrollments/{enrollment.pk}/resend/", follow=True)
        assert b"We sent a new link" in response.content
        assert len(mail.outbox) == 2

    def test_withdraw_from_the_page_and_twice(self, signed_in, enrollment):
        signed_in.post(f"/enrollments/{enrollment.pk}/withdraw/", {"reason": "Not now"})
        enrollment.refresh_from_db()
        assert enrollment.status == "withdrawn"
        again = signed_in.post(f"/enrollments/{enrollment.pk}/withdraw/", follow=True)
        assert b"Only an application without a decision can be withdrawn" in again.content

    def test_verify_email_page(self, client, enrollment):
        token = LINK.search(mail.outbox[0].body).group(1)
        page = client.get(f"/verify-email/{token}/")
        assert b"Confirm my email address" in page.content
        enrollment.refresh_from_db()
        assert enrollment.status == "pending_email_verification"  # GET changes nothing
        done = client.post(f"/verify-email/{token}/")
        assert done.status_code == 200 and b"is confirmed" in done.content
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review"
        reused = client.post(f"/verify-email/{token}/")
        assert reused.status_code == 400 and b"already used" in reused.content

    def test_unknown_token_page(self, client, db):
        response = client.post("/verify-email/nonsense/")
        assert response.status_code == 400
        assert b"not valid" in response.content

    def test_unknown_page_is_a_friendly_404(self, client):
        response = client.get("/enrollments/00000000-0000-0000-0000-000000000000/")
        assert response.status_code in (302, 404)
        assert client.get("/no-such-page/").status_code == 404


def test_the_timeline_shows_peoples_words_not_the_systems_english_notes(
    client, admin, application, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_submit(actor=admin, application=application)
    token = LINK.search(mail.outbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        email_verification_confirm(token=token)
    enrollment_withdraw(actor=admin, enrollment=enrollment, reason="Wir warten noch.")
    client.force_login(admin)
    page = client.get(f"/enrollments/{enrollment.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Wir warten noch." in page  # the partner's own reason
    assert "jonas@fabrikam.de" in page  # where the link went
    assert "left to a reviewer" not in page  # the pipeline's English note
