"""The direct-bill pages (issue 9): the wizard's minimum requirements and questionnaire
step, the status page (refusal, credit check, support plan), the review page's override,
the queue's credit line, Program info and the overview banner. The rules are the
services' (tests/enrollment/test_direct_bill*.py of dbcore); these tests hold the pages to
them: what is shown, what is sent, and errors inline."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.models import DirectBillApplication, Enrollment
from partnercenter.core.errors import InvalidInput
from tests.factories import EnrollmentFactory, VerificationCheckFactory

from .test_views import STEP_DATA, post_step

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = {
    "questionnaire-authority_to_sign": "yes",
    "questionnaire-first_level_support": "yes",
    "questionnaire-service_1_kind": "managed_service",
    "questionnaire-service_1_description": "Managed Microsoft 365 for law firms",
    "questionnaire-service_2_kind": "ip_service",
    "questionnaire-service_2_description": "Contract analytics on Azure",
    "questionnaire-service_3_kind": "",
    "questionnaire-service_3_description": "",
    "questionnaire-billing_infrastructure": "yes",
    "questionnaire-years_trading": "12",
    "questionnaire-annual_revenue": "8500000.00",
    "questionnaire-cloud_revenue_12m": "1900000",
}
DIRECT_STEPS = ["program", "mpn", "business", "contact", "support", "bank", "questionnaire", "review"]


@pytest.fixture(autouse=True)
def _open(settings):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def step_data(step):
    if step == "program":
        return {"program-program": "direct_bill"}
    if step == "questionnaire":
        return QUESTIONNAIRE
    return STEP_DATA[step]


def through(client, last):
    """Post the direct-bill wizard's steps up to (not including) ``last``."""
    client.get("/enroll/apply/")
    for step in DIRECT_STEPS[: DIRECT_STEPS.index(last)]:
        response = post_step(client, step, step_data(step))
        assert response.status_code == 302, (step, response.context and response.context["form"].errors)


def finish(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, "review")
        return client.get(response["Location"])  # the "finished" step runs done()


def direct_bill(partner, *, status="in_review", line=None, plan="", declined="", **answers):
    """A direct-bill enrollment of ``partner`` with its answered application."""
    enrollment = EnrollmentFactory(partner=partner, program="direct_bill", status=status)
    DirectBillApplication.objects.create(
        enrollment=enrollment,
        authority_to_sign=True,
        first_level_support=True,
        billing_infrastructure=True,
        managed_services=[{"kind": "managed_service", "description": "Managed Microsoft 365"}],
        years_trading=12,
        annual_revenue=Decimal("8500000.00"),
        cloud_revenue_12m=Decimal("1900000.00"),
        currency="EUR",
        answered_at=timezone.now(),
        credit_line_amount=line,
        credit_line_currency="EUR" if line is not None else "",
        credit_decided_at=timezone.now() if line is not None or declined else None,
        support_plan=plan,
        support_plan_confirmed_at=timezone.now() if plan else None,
        **answers,
    )
    VerificationCheckFactory(enrollment=enrollment, kind="questionnaire", result="passed")
    credit = "passed" if line is not None else "failed" if declined else "pending"
    VerificationCheckFactory(enrollment=enrollment, kind="credit_check", result=credit, detail=declined)
    VerificationCheckFactory(
        enrollment=enrollment, kind="support_plan", result="passed" if plan else "pending"
    )
    return enrollment


class TestWizard:
    def test_the_program_step_lists_the_minimum_requirements_before_anything_is_typed(self, signed_in):
        signed_in.get("/enroll/apply/")
        content = signed_in.get("/enroll/apply/program/").content.decode()
        assert "Minimum requirements for direct bill" in content
        for words in [
            "An active MPN ID for the office location",
            "Authority to sign legal agreements for the company",
            "Advanced Support for Partners or Premier Support for Partners",
            "At least one managed service, IP service or customer solution",
            "An infrastructure for billing and provisioning customers",
        ]:
            assert words in content, words

    def test_direct_bill_counts_eight_steps_and_indirect_seven(self, signed_in, mpn):
        signed_in.get("/enroll/apply/")
        for number, step in enumerate(DIRECT_STEPS, start=1):
            page = signed_in.get(f"/enroll/apply/{step}/")
            # Until a program is chosen, the count is the indirect reseller's.
            total = 7 if step == "program" else 8
            assert f"Step {number} of {total}".encode() in page.content, step
            if step != "review":
                post_step(signed_in, step, step_data(step))
        # Back on the first step, indirect reseller: no questionnaire, seven steps.
        post_step(signed_in, "program", {"program-program": "indirect_reseller"})
        assert b"Step 7 of 7" in signed_in.get("/enroll/apply/review/").content
        assert "questionnaire" not in [
            n for n, _t in signed_in.get("/enroll/apply/bank/").context["step_titles"]
        ]

    def test_the_questionnaire_asks_in_the_markets_currency(self, signed_in, mpn):
        through(signed_in, "questionnaire")
        page = signed_in.get("/enroll/apply/questionnaire/")
        form = page.context["form"]
        assert form.currency == "EUR"  # Germany, typed on the business step
        assert "(EUR)" in form.fields["annual_revenue"].label
        assert "(EUR)" in form.fields["cloud_revenue_12m"].label
        assert b'type="radio"' in page.content and b"<script>" not in page.content

    def test_one_submission_answers_the_questionnaire(
        self, signed_in, mpn, django_capture_on_commit_callbacks
    ):
        through(signed_in, "review")
        review = signed_in.get("/enroll/apply/review/").content.decode()
        assert "Qualification questionnaire" in review
        assert "Contract analytics on Azure" in review and "€8,500,000.00" in review
        response = finish(signed_in, django_capture_on_commit_callbacks)
        enrollment = Enrollment.objects.get()
        assert response["Location"] == f"/enrollments/{enrollment.pk}/"
        assert enrollment.program == "direct_bill" and enrollment.status == "pending_email_verification"
        application = enrollment.direct_bill
        assert application.answered_at is not None
        assert application.authority_to_sign and application.first_level_support
        assert application.billing_infrastructure and application.years_trading == 12
        assert application.managed_services == [
            {"kind": "managed_service", "description": "Managed Microsoft 365 for law firms"},
            {"kind": "ip_service", "description": "Contract analytics on Azure"},
        ]
        assert application.annual_revenue == Decimal("8500000.00")
        assert application.cloud_revenue_12m == Decimal("1900000.00")
        assert application.currency == "EUR"

    def test_a_failing_answer_ends_the_application_with_the_reason_and_the_indirect_path(
        self, signed_in, mpn, django_capture_on_commit_callbacks
    ):
        QUESTIONNAIRE_NO = {**QUESTIONNAIRE, "questionnaire-authority_to_sign": "no"}
        through(signed_in, "questionnaire")
        assert post_step(signed_in, "questionnaire", QUESTIONNAIRE_NO).status_code == 302
        response = finish(signed_in, django_capture_on_commit_callbacks)
        enrollment = Enrollment.objects.get()
        assert enrollment.status == "rejected"
        page = signed_in.get(response["Location"]).content.decode()
        assert "does not qualify for direct bill" in page
        assert enrollment.questionnaire_refusal and str(enrollment.questionnaire_refusal) in page
        assert f'action="/enrollments/{enrollment.pk}/apply-again/"' in page
        assert 'name="program" value="indirect_reseller"' in page
        # The button starts the wizard again as an indirect reseller, the details kept.
        again = signed_in.post(f"/enrollments/{enrollment.pk}/apply-again/", {"program": "indirect_reseller"})
        assert again["Location"] == "/enroll/apply/"
        assert signed_in.session["enrollment_prefill"]["program"] == {"program": "indirect_reseller"}
        assert signed_in.session["enrollment_prefill"]["mpn"] == {"mpn_id": "4820001"}

    def test_the_services_refusal_shows_inline_and_records_nothing(
        self, signed_in, mpn, monkeypatch, django_capture_on_commit_callbacks
    ):
        from enrollment.views import application

        def refuse(**kwargs):
            raise InvalidInput({"annual_revenue": {"currency": ["Declare the amount in EUR."]}})

        monkeypatch.setattr(application.direct_bill_services, "enrollment_answer_questionnaire", refuse)
        through(signed_in, "review")
        with django_capture_on_commit_callbacks(execute=True):
            response = post_step(signed_in, "review")
            response = signed_in.get(response["Location"])
        assert response["Location"] == "/enroll/apply/questionnaire/"
        response = signed_in.get(response["Location"])
        assert response.context["wizard"]["steps"].current == "questionnaire"
        assert response.context["form"]["service_2_description"].value() == "Contract analytics on Azure"
        assert response.context["form"].errors["annual_revenue"] == ["Declare the amount in EUR."]
        assert b'class="error" role="alert">Declare the amount in EUR.' in response.content
        assert not Enrollment.objects.exists()  # one transaction: the submission is undone

    def test_half_a_service_row_is_an_error_on_that_row(self, signed_in, mpn):
        through(signed_in, "questionnaire")
        half = {**QUESTIONNAIRE, "questionnaire-service_3_kind": "customer_solution"}
        response = post_step(signed_in, "questionnaire", half)
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["service_3_description"]
        missing = {**QUESTIONNAIRE, "questionnaire-service_1_kind": "", "questionnaire-years_trading": "-1"}
        errors = post_step(signed_in, "questionnaire", missing).context["form"].errors
        assert set(errors) == {"service_1_kind", "years_trading"}

    def test_back_keeps_the_answers(self, signed_in, mpn):
        through(signed_in, "questionnaire")
        typed = {**QUESTIONNAIRE, "questionnaire-annual_revenue": "not yet"}
        assert post_step(signed_in, "questionnaire", typed, wizard_goto_step="bank").status_code == 302
        form = signed_in.get("/enroll/apply/questionnaire/").context["form"]
        assert form["annual_revenue"].value() == "not yet"
        assert form["service_2_description"].value() == "Contract analytics on Azure"
        # And the program step keeps direct bill.
        page = signed_in.get("/enroll/apply/program/")
        assert b'value="direct_bill" checked' in page.content


class TestStatusPage:
    def test_credit_line_and_the_support_plan_form_for_the_global_admin(self, signed_in, partner):
        enrollment = direct_bill(partner, line=Decimal("250000.00"))
        content = signed_in.get(f"/enrollments/{enrollment.pk}/").content.decode()
        assert "Approved: a credit line of €250,000.00" in content
        assert f'action="/enrollments/{enrollment.pk}/support-plan/"' in content
        assert "Advanced Support for Partners" in content and "Premier Support for Partners" in content

    def test_no_support_plan_form_before_a_line_nor_for_an_employee(
        self, client, signed_in, partner, employee
    ):
        pending = direct_bill(partner)
        content = signed_in.get(f"/enrollments/{pending.pk}/").content.decode()
        assert "Not decided yet" in content and "support-plan/" not in content
        pending.status = "withdrawn"
        pending.save()
        approved = direct_bill(partner, line=Decimal("1000"))
        client.force_login(employee)
        assert b"support-plan/" not in client.get(f"/enrollments/{approved.pk}/").content

    def test_a_declined_credit_check_shows_its_reason(self, signed_in, partner):
        enrollment = direct_bill(partner, declined="Declared revenue is too low for a credit line.")
        content = signed_in.get(f"/enrollments/{enrollment.pk}/").content.decode()
        assert "Declined" in content and "Declared revenue is too low for a credit line." in content

    def test_confirm_the_support_plan(self, signed_in, partner):
        enrollment = direct_bill(partner, line=Decimal("250000.00"))
        response = signed_in.post(
            f"/enrollments/{enrollment.pk}/support-plan/", {"plan": "psfp"}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"/enrollments/{enrollment.pk}/"
        assert b"The support plan is confirmed" in response.content
        enrollment.refresh_from_db()
        assert enrollment.support_plan == "psfp"
        assert enrollment.checks.get(kind="support_plan").result == "passed"
        assert b"Premier Support for Partners" in response.content

    def test_no_plan_chosen_is_an_inline_error(self, signed_in, partner):
        enrollment = direct_bill(partner, line=Decimal("250000.00"))
        response = signed_in.post(f"/enrollments/{enrollment.pk}/support-plan/", {"plan": "gold"})
        assert response.status_code == 200
        assert b'id="id_support_plan_plan_error"' in response.content
        assert DirectBillApplication.objects.get().support_plan == ""

    def test_outsider_gets_404_and_employee_403(self, client, outsider, employee, partner):
        enrollment = direct_bill(partner, line=Decimal("250000.00"))
        client.force_login(outsider)
        assert client.post(f"/enrollments/{enrollment.pk}/support-plan/", {"plan": "asfp"}).status_code == 404
        client.force_login(employee)
        assert client.post(f"/enrollments/{enrollment.pk}/support-plan/", {"plan": "asfp"}).status_code == 403
        assert DirectBillApplication.objects.get().support_plan == ""

    def test_an_indirect_enrollment_shows_nothing_of_direct_bill(self, signed_in, partner):
        enrollment = EnrollmentFactory(partner=partner, status="in_review")
        content = signed_in.get(f"/enrollments/{enrollment.pk}/").content.decode()
        assert "Credit check and support plan" not in content


class TestProgramInfo:
    def test_program_info_and_the_overview_banner_show_line_and_plan(self, signed_in, partner):
        direct_bill(partner, status="active", line=Decimal("250000.00"), plan="asfp")
        profile = signed_in.get("/partner/").content.decode()
        overview = signed_in.get("/").content.decode()
        for content in (profile, overview):
            assert "Credit line" in content and "€250,000.00" in content
            assert "Advanced Support for Partners" in content
        assert "You are enrolled as Direct bill" in overview

    def test_program_info_keeps_its_number_of_queries(self, signed_in, partner):
        direct_bill(partner, status="active", line=Decimal("1000"), plan="asfp")
        with CaptureQueriesContext(connection) as one:
            signed_in.get("/partner/")
        EnrollmentFactory(partner=partner, status="active")
        direct_bill(partner, status="rejected")
        with CaptureQueriesContext(connection) as more:
            signed_in.get("/partner/")
        assert len(more.captured_queries) == len(one.captured_queries)


def test_seed_demo_adds_a_direct_bill_applicant_and_an_active_direct_bill_partner(
    settings, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    from enrollment.models import MpnProfile
    from partnercenter.accounts.models import User

    settings.DEBUG = True
    settings.DIRECT_BILL_APPLICATIONS_OPEN = False  # the demo's partner is made all the same
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # safe to run again
    active = Enrollment.objects.get(partner__tenant__domain="fourthcoffeenl.onmicrosoft.com")
    assert active.program == "direct_bill" and active.status == "active"
    assert active.credit_line is not None and active.credit_line[1] == "EUR"
    assert active.support_plan == "asfp"
    kinds = list(active.events.values_list("kind", flat=True))
    assert kinds[0] == "submitted" and kinds[-1] == "agreement_accepted"
    # The applicant: a work account, its global admin and an MPN profile, no application yet.
    admin = User.objects.get(email="admin@proseware.onmicrosoft.com")
    assert admin.is_global_admin and admin.tenant.country.code == "IE"
    assert MpnProfile.objects.get(mpn_id="4890001").pmc_account.username == "proseware"
    assert not Enrollment.objects.filter(partner__tenant=admin.tenant).exists()
    printed = out.getvalue()
    assert "admin@proseware.onmicrosoft.com" in printed and "Proseware-PMC-2026" in printed
    assert "Fourth Coffee" in printed and "active direct-bill partner" in printed
