"""The audit table's cases of the direct-bill application (see ``tests.audit.table``)."""

from decimal import Decimal

from django.utils import timezone

from enrollment.models import DirectBillApplication, VerificationCheck
from enrollment.services import direct_bill
from tests.audit.table import Run, case, enrollment_of
from tests.cast import make_reviewer
from tests.enrollment.direct_bill import answers


def direct_bill_of(w, status, *, shared="passed", **fields):
    """A direct-bill enrollment of the admin's partner in ``status``, with its application
    (``fields``) and its checks: the shared steps ``shared``, its own pending."""
    enrollment = enrollment_of(w, status, program="direct_bill")
    DirectBillApplication.objects.create(enrollment=enrollment, currency="EUR", **fields)
    VerificationCheck.objects.bulk_create(
        [
            VerificationCheck(enrollment=enrollment, kind=kind, result=shared)
            for kind in ("email_ownership", "email_domain", "business_verification")
        ]
        + [
            VerificationCheck(enrollment=enrollment, kind=kind, result="pending")
            for kind in ("questionnaire", "credit_check", "support_plan")
        ]
    )
    return enrollment


ANSWERED = {
    "years_trading": 6,
    "annual_revenue": Decimal("2000000"),
    "cloud_revenue_12m": Decimal("500000"),
}


def answered(w, status="in_review", **fields):
    enrollment = direct_bill_of(w, status, **{**ANSWERED, "answered_at": timezone.now(), **fields})
    enrollment.checks.filter(kind="questionnaire").update(result="passed")
    return enrollment


@case(direct_bill.enrollment_answer_questionnaire)
def _(w):
    enrollment = direct_bill_of(w, "pending_email_verification")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment, "answers": answers()},
        kind="questionnaire_answered",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="pending_email_verification",
        to_state="pending_email_verification",
    )


@case(direct_bill.enrollment_answer_questionnaire, "failing")
def _(w):
    enrollment = direct_bill_of(w, "in_review")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment, "answers": answers(authority_to_sign=False)},
        kind="questionnaire_failed",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="in_review",
        to_state="rejected",
        data={"reasons": [{"code": "authority_to_sign"}]},
    )


@case(direct_bill.enrollment_run_credit_check)
def _(w):
    enrollment = answered(w)
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="credit_approved",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="in_review",
        to_state="in_review",
        data={"amount": "250000", "currency": "EUR", "check": "credit_check"},
    )


@case(direct_bill.enrollment_override_credit_check)
def _(w):
    enrollment, staff = answered(w, "action_needed"), make_reviewer()
    return Run(
        kwargs={
            "actor": staff,
            "enrollment": enrollment,
            "approved": True,
            "amount": Decimal("75000"),
            "note": "Parent company guarantee.",
        },
        kind="credit_check_overridden",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="action_needed",
        to_state="action_needed",
        note="Parent company guarantee.",
        data={"approved": True, "amount": "75000", "currency": "EUR"},
    )


@case(direct_bill.enrollment_confirm_support_plan)
def _(w):
    enrollment = answered(w, credit_line_amount=Decimal("250000"), credit_line_currency="EUR")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment, "plan": "asfp"},
        kind="support_plan_confirmed",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="in_review",
        to_state="in_review",
        data={"plan": "asfp"},
    )
