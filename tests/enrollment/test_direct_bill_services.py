"""The direct-bill services (issue 9): submission's checks, the questionnaire (a failing
answer ends the application at once; the settings thresholds), the credit check queued
once the shared steps settle, staff's override, the support plan, approval and the
agreement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import override

from enrollment.models import AgreementAcceptance, DirectBillApplication, Enrollment
from enrollment.services import direct_bill as services
from enrollment.services.agreements import agreement_accept
from enrollment.services.review import check_decide, enrollment_approve
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.factories import AgreementTemplateFactory, EnrollmentFactory

from .direct_bill import CREDIT_LINE, answers, check_of, submit_direct_bill, to_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open(settings):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True


@pytest.fixture
def submitted(admin, mpn):
    return submit_direct_bill(admin, mpn.mpn_id)


def kinds(enrollment) -> list[str]:
    return list(Event.objects.of(enrollment).values_list("kind", flat=True))


def test_a_direct_bill_application_gets_the_indirect_checks_and_its_own(submitted):
    checks = {c.kind: c.result for c in submitted.checks.all()}
    assert {"questionnaire", "credit_check", "support_plan"} <= set(checks)
    assert {checks[k] for k in ("questionnaire", "credit_check", "support_plan")} == {"pending"}
    assert submitted.direct_bill.currency == "EUR"
    assert submitted.can_answer_questionnaire and submitted.credit_line is None


def test_an_indirect_application_has_none_of_them(admin, application):
    from enrollment.services.application import enrollment_submit

    enrollment = enrollment_submit(actor=admin, application=application)
    assert not enrollment.is_direct_bill and enrollment.credit_line is None
    assert not enrollment.checks.filter(kind__in=["questionnaire", "credit_check", "support_plan"]).exists()
    assert not DirectBillApplication.objects.exists()
    with pytest.raises(InvalidTransition):
        services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())


class TestQuestionnaire:
    def test_qualifying_answers_pass_the_check_and_keep_the_status(self, admin, submitted):
        enrollment = services.enrollment_answer_questionnaire(
            actor=admin, enrollment=submitted, answers=answers()
        )
        assert enrollment.status == "pending_email_verification"
        check = check_of(enrollment, "questionnaire")
        assert (check.result, check.detail_code) == ("passed", "questionnaire_passed")
        application = DirectBillApplication.objects.get(enrollment=enrollment)
        assert application.annual_revenue == Decimal("2000000.00") and application.years_trading == 6
        assert application.answered_by == admin and kinds(enrollment)[-1] == "questionnaire_answered"

    def test_it_is_answered_once(self, admin, submitted):
        services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())
        with pytest.raises(InvalidTransition):
            services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())

    def test_only_the_global_admin_answers(self, employee, submitted):
        with pytest.raises(NotPermitted):
            services.enrollment_answer_questionnaire(actor=employee, enrollment=submitted, answers=answers())

    def test_not_after_a_decision(self, admin, submitted):
        Enrollment.objects.filter(pk=submitted.pk).update(status="approved")
        with pytest.raises(InvalidTransition):
            services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())

    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"authority_to_sign": False}, "authority_to_sign"),
            ({"first_level_support": False}, "first_level_support"),
            ({"managed_services": []}, "managed_services"),
            ({"billing_infrastructure": False}, "billing_infrastructure"),
        ],
    )
    def test_a_failing_answer_ends_the_application_at_once(self, admin, submitted, committed, changes, code):
        with committed():
            enrollment = services.enrollment_answer_questionnaire(
                actor=admin, enrollment=submitted, answers=answers(**changes)
            )
        enrollment.refresh_from_db()
        assert enrollment.status == "rejected" and enrollment.decided_at is not None
        check = check_of(enrollment, "questionnaire")
        assert (check.result, check.detail_params) == ("failed", {"reasons": [{"code": code}]})
        assert "indirect reseller" in enrollment.questionnaire_refusal
        assert kinds(enrollment)[-1] == "questionnaire_failed"
        rejected = mail.outbox[-1]
        assert rejected.to == [enrollment.partner.contact_email] and "indirect reseller" in rejected.body
        # The way is free for an indirect reseller application (or a new direct-bill one).
        assert enrollment.may_apply_again

    def test_the_reason_is_rendered_in_the_readers_language(self, admin, submitted):
        services.enrollment_answer_questionnaire(
            actor=admin, enrollment=submitted, answers=answers(authority_to_sign=False)
        )
        enrollment = Enrollment.objects.select_related("direct_bill").get(pk=submitted.pk)
        assert enrollment.direct_bill.failed_requirements == [{"code": "authority_to_sign"}]
        with override("en"):
            english = enrollment.questionnaire_refusal
        assert english.startswith("The answers do not meet the minimum requirements")
        assert Event.objects.of(enrollment).last().detail  # the timeline renders it too

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (answers(authority_to_sign="yes"), "authority_to_sign"),
            (answers(billing_infrastructure=1), "billing_infrastructure"),
            (answers(years_trading=-1), "years_trading"),
            (answers(years_trading=True), "years_trading"),
            (answers(annual_revenue={"amount": "-5", "currency": "EUR"}), "annual_revenue"),
            (answers(cloud_revenue_12m={"amount": "5", "currency": "USD"}), "cloud_revenue_12m"),
            (answers(managed_services=[{"kind": "hosting", "description": "x"}]), "managed_services"),
            (answers(managed_services=[{"kind": "ip_service", "description": "  "}]), "managed_services"),
        ],
    )
    def test_bad_input_names_the_field(self, admin, submitted, body, field):
        with pytest.raises(InvalidInput) as raised:
            services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=body)
        assert list(raised.value.errors) == [field]
        assert check_of(submitted, "questionnaire").result == "pending"


class TestThresholds:
    def test_months_as_an_indirect_reseller_off_by_default(self, admin, submitted):
        services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())
        assert check_of(submitted, "questionnaire").result == "passed"

    def test_months_as_an_indirect_reseller_on(self, admin, submitted, settings):
        settings.DIRECT_BILL_MIN_INDIRECT_MONTHS = 12
        services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())
        check = check_of(submitted, "questionnaire")
        assert check.detail_params == {"reasons": [{"code": "indirect_months", "min": 12, "months": 0}]}

    def test_months_as_an_indirect_reseller_met(self, admin, submitted, settings):
        settings.DIRECT_BILL_MIN_INDIRECT_MONTHS = 12
        partner = submitted.partner
        EnrollmentFactory(partner=partner, program="indirect_reseller", status="active")
        AgreementAcceptance.objects.create(
            partner=partner,
            template=AgreementTemplateFactory(program="indirect_reseller"),
            program="indirect_reseller",
            region=partner.market.code,
            contact_first_name="Jonas",
            contact_last_name="Becker",
            contact_email=partner.contact_email,
            contact_phone="+49301234567",
            accepted_at=timezone.now() - timedelta(days=400),
        )
        services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())
        assert check_of(submitted, "questionnaire").result == "passed"

    def test_cloud_revenue_off_by_default_and_on_per_currency(self, admin, mpn, settings):
        settings.DIRECT_BILL_MIN_CLOUD_REVENUE = {"EUR": Decimal("900000")}
        enrollment = submit_direct_bill(admin, mpn.mpn_id)
        services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())
        assert check_of(enrollment, "questionnaire").detail_params == {
            "reasons": [{"code": "cloud_revenue", "min": "900000", "currency": "EUR"}]
        }

    def test_a_currency_not_listed_is_not_restricted(self, admin, submitted, settings):
        settings.DIRECT_BILL_MIN_CLOUD_REVENUE = {"USD": Decimal("100000")}
        services.enrollment_answer_questionnaire(actor=admin, enrollment=submitted, answers=answers())
        assert check_of(submitted, "questionnaire").result == "passed"


class TestCreditCheckQueued:
    def test_it_runs_when_the_reviewer_settles_business_verification(
        self, admin, reviewer, submitted, committed
    ):
        enrollment = to_review(submitted)
        services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())
        assert check_of(enrollment, "credit_check").result == "pending"  # business verification waits
        with committed():
            check_decide(actor=reviewer, enrollment=enrollment, kind="business_verification", result="passed")
        check = check_of(enrollment, "credit_check")
        assert (check.result, check.detail_code, check.decided_by) == ("passed", "credit_approved", None)
        enrollment = Enrollment.objects.get(pk=enrollment.pk)
        assert enrollment.credit_line == (Decimal(CREDIT_LINE), "EUR")
        assert "credit_approved" in kinds(enrollment)
        assert "250,000.00" in mail.outbox[-1].body and "support plan" in mail.outbox[-1].body

    def test_it_runs_when_the_questionnaire_is_the_last_step(self, admin, submitted, committed):
        enrollment = to_review(submitted, business="waived")
        with committed():
            services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())
        assert check_of(enrollment, "credit_check").result == "passed"

    def test_a_decline_keeps_the_file_in_review_with_its_reason(self, admin, submitted, committed):
        enrollment = to_review(submitted, business="passed")
        with committed():
            services.enrollment_answer_questionnaire(
                actor=admin, enrollment=enrollment, answers=answers(years_trading=1)
            )
        check = check_of(enrollment, "credit_check")
        assert (check.result, check.detail_params["reason"]) == ("failed", "trading_history_short")
        assert "traded for less than 2 years" in check.detail
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review" and enrollment.credit_line is None
        assert "traded for less than 2 years" in mail.outbox[-1].body

    def test_reviewers_do_not_decide_the_direct_bill_steps_as_checks(self, reviewer, submitted):
        enrollment = to_review(submitted)
        for kind in ("questionnaire", "credit_check", "support_plan"):
            with pytest.raises(InvalidInput) as raised:
                check_decide(actor=reviewer, enrollment=enrollment, kind=kind, result="passed")
            assert list(raised.value.errors) == ["kind"]


@pytest.fixture
def credited(admin, submitted, committed):
    """In review, every step settled, the credit line approved."""
    enrollment = to_review(submitted, business="passed")
    with committed():
        services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())
    return Enrollment.objects.get(pk=enrollment.pk)


class TestOverride:
    def test_staff_override_a_decline_with_a_line_and_a_note(self, reviewer, credited):
        check = services.enrollment_override_credit_check(
            actor=reviewer,
            enrollment=credited,
            approved=True,
            amount=Decimal("400000"),
            note="Bank guarantee.",
        )
        assert (check.result, check.decided_by, check.detail_code) == (
            "passed",
            reviewer,
            "credit_overridden_approved",
        )
        event = Event.objects.of(credited).last()
        assert (event.kind, event.note, event.actor_id) == (
            "credit_check_overridden",
            "Bank guarantee.",
            reviewer.pk,
        )
        assert Enrollment.objects.get(pk=credited.pk).credit_line == (Decimal("400000.00"), "EUR")

    def test_staff_decline(self, reviewer, credited):
        services.enrollment_override_credit_check(
            actor=reviewer, enrollment=credited, approved=False, amount=None, note="Unpaid invoices."
        )
        assert Enrollment.objects.get(pk=credited.pk).credit_line is None
        assert check_of(credited, "credit_check").result == "failed"

    @pytest.mark.parametrize(
        ("approved", "amount", "note", "field"),
        [
            ("yes", Decimal(1), "n", "approved"),
            (True, Decimal(-1), "n", "credit_line"),
            (True, None, "n", "credit_line"),
            (False, None, " ", "note"),
        ],
    )
    def test_bad_input(self, reviewer, credited, approved, amount, note, field):
        with pytest.raises(InvalidInput) as raised:
            services.enrollment_override_credit_check(
                actor=reviewer, enrollment=credited, approved=approved, amount=amount, note=note
            )
        assert field in raised.value.errors

    def test_only_reviewers(self, staff, credited):
        with pytest.raises(NotPermitted):
            services.enrollment_override_credit_check(
                actor=staff, enrollment=credited, approved=False, amount=None, note="n"
            )

    def test_not_after_a_decision(self, reviewer, credited):
        Enrollment.objects.filter(pk=credited.pk).update(status="rejected")
        with pytest.raises(InvalidTransition):
            services.enrollment_override_credit_check(
                actor=reviewer, enrollment=credited, approved=False, amount=None, note="n"
            )


class TestSupportPlanToActive:
    def test_the_plan_then_approval_then_the_agreement(self, admin, reviewer, credited, committed):
        with pytest.raises(InvalidInput):
            enrollment_approve(actor=reviewer, enrollment=credited)  # the support plan is still open
        enrollment = services.enrollment_confirm_support_plan(actor=admin, enrollment=credited, plan="asfp")
        assert enrollment.support_plan == "asfp" and check_of(enrollment, "support_plan").result == "passed"
        assert kinds(enrollment)[-1] == "support_plan_confirmed"
        services.enrollment_confirm_support_plan(actor=admin, enrollment=credited, plan="asfp")
        assert kinds(enrollment).count("support_plan_confirmed") == 1  # twice is once
        for kind in ("mpn_ownership", "address", "duplicate", "csp_tenant_restriction"):
            credited.checks.filter(kind=kind).update(result="passed")
        enrollment_approve(actor=reviewer, enrollment=credited)
        template = AgreementTemplateFactory(
            program="direct_bill", name="Microsoft Partner Agreement (direct bill)"
        )
        contact = {
            "first_name": "Jonas",
            "last_name": "Becker",
            "email": "jonas@fabrikam.de",
            "phone": "+49 30 1234567",
        }
        agreement_accept(actor=admin, template_id=template.pk, primary_contact=contact)
        assert Enrollment.objects.get(pk=credited.pk).status == "active"

    def test_not_before_the_credit_line(self, admin, submitted):
        enrollment = to_review(submitted)
        assert not enrollment.can_confirm_support_plan
        with pytest.raises(InvalidTransition):
            services.enrollment_confirm_support_plan(actor=admin, enrollment=enrollment, plan="psfp")

    def test_a_wrong_plan_and_the_wrong_role(self, admin, employee, credited):
        with pytest.raises(InvalidInput) as raised:
            services.enrollment_confirm_support_plan(actor=admin, enrollment=credited, plan="gold")
        assert list(raised.value.errors) == ["plan"]
        with pytest.raises(NotPermitted):
            services.enrollment_confirm_support_plan(actor=employee, enrollment=credited, plan="asfp")
