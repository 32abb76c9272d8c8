"""The direct-bill part of ``seed_demo``: Proseware (Ireland), a work account ready to apply
for direct bill, and Fourth Coffee (the Netherlands), an active direct-bill partner with a
credit line and a support plan, made through the same services as a real applicant,
reviewer and credit check. Safe to run again."""

from decimal import Decimal

from django.db import transaction

from enrollment.models import CheckKind, Enrollment, Partner, Program
from partnercenter.accounts.models import User

APPLICANT = ("proseware", "Proseware Ireland Ltd.", "IE", "proseware.ie", "Ciara", "Murphy")
ACTIVE = ("fourthcoffeenl", "Fourth Coffee B.V.", "NL", "fourthcoffee.nl", "Daan", "Visser")
TENANTS = [APPLICANT, ACTIVE]
PMC = [("proseware", "Proseware-PMC-2026"), ("fourthcoffee", "Fourth-Coffee-PMC-2026")]
ACTIVE_MPN_ID = "4900001"
ACTIVE_CONTACT = "daan.visser@fourthcoffee.nl"
# If the credit-check provider declines the demo's figures, the reviewer grants this line.
FALLBACK_CREDIT_LINE = Decimal("250000.00")
# The checks the direct-bill steps decide themselves: the demo's reviewer does not waive them.
DIRECT_BILL_KINDS = {CheckKind.QUESTIONNAIRE, CheckKind.CREDIT_CHECK, CheckKind.SUPPORT_PLAN}

QUESTIONNAIRE = {
    "authority_to_sign": True,
    "first_level_support": True,
    "managed_services": [
        {"kind": "managed_service", "description": "Managed Microsoft 365 and Azure for hospitality chains."},
        {"kind": "customer_solution", "description": "Point-of-sale analytics on Azure."},
    ],
    "billing_infrastructure": True,
    "years_trading": 12,
    "annual_revenue": {"amount": "8500000.00", "currency": "EUR"},
    "cloud_revenue_12m": {"amount": "1900000.00", "currency": "EUR"},
}


def seed_active_direct_bill_partner(stdout) -> None:
    """Fourth Coffee: applied for direct bill, verified, credit-checked, support plan
    confirmed, approved and the direct-bill agreement accepted."""
    from enrollment.selectors import agreement_template_for
    from enrollment.services.agreements import agreement_accept
    from enrollment.services.application import enrollment_submit
    from enrollment.services.checks import enrollment_checks_run
    from enrollment.services.confirmation import email_verification_confirm
    from enrollment.services.direct_bill import (
        enrollment_answer_questionnaire,
        enrollment_confirm_support_plan,
        enrollment_override_credit_check,
        enrollment_run_credit_check,
    )
    from enrollment.services.review import check_decide, enrollment_approve
    from partnercenter.notifications.models import Notification

    admin = User.objects.get(email=f"admin@{ACTIVE[0]}.onmicrosoft.com")
    partner = Partner.objects.filter(tenant=admin.tenant).first()
    if partner is not None and partner.is_active_in(Program.DIRECT_BILL):
        return
    contact = {
        "first_name": admin.first_name,
        "last_name": admin.last_name,
        "email": ACTIVE_CONTACT,
        "phone": "+31 20 123 4567",
    }
    with transaction.atomic():
        enrollment = enrollment_submit(
            actor=admin,
            application={
                "program": Program.DIRECT_BILL,
                "mpn_id": ACTIVE_MPN_ID,
                "legal_business_profile": {
                    "company_name": admin.tenant.name,
                    "address": {
                        "line1": "Herengracht 182",
                        "city": "Amsterdam",
                        "postal_code": "1016 BR",
                        "country": "NL",
                    },
                },
                "primary_contact": contact,
                "support_profile": {"email": "support@fourthcoffee.nl", "phone": "+31 20 123 4568"},
                "bank_account": {"holder_name": admin.tenant.name, "iban": "NL91ABNA0417164300"},
                "language": "en",
            },
        )
        enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=QUESTIONNAIRE)
    # The link went to the primary contact; the demo follows it for them.
    link = (
        Notification.objects.filter(template="enrollment_verify_email", recipient=ACTIVE_CONTACT)
        .latest("created_at")
        .context["verify_url"]
    )
    email_verification_confirm(token=link.rstrip("/").rsplit("/", 1)[1])
    enrollment_checks_run(enrollment_id=enrollment.pk)
    reviewer = User.objects.get(email="reviewer@partners.localhost")
    for check in Enrollment.objects.get(pk=enrollment.pk).checks.exclude(result__in=["passed", "waived"]):
        if check.kind not in DIRECT_BILL_KINDS:
            check_decide(
                actor=reviewer,
                enrollment=enrollment,
                kind=check.kind,
                result="waived",
                note="Demo data: verified outside the portal.",
            )
    enrollment_run_credit_check(enrollment_id=enrollment.pk)  # the task's body; idempotent
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    if enrollment.credit_line is None:
        enrollment_override_credit_check(
            actor=reviewer,
            enrollment=enrollment,
            approved=True,
            amount=FALLBACK_CREDIT_LINE,
            note="Demo data: credit line agreed outside the portal.",
        )
    enrollment_confirm_support_plan(
        actor=admin, enrollment=Enrollment.objects.get(pk=enrollment.pk), plan="asfp"
    )
    enrollment_approve(actor=reviewer, enrollment=Enrollment.objects.get(pk=enrollment.pk), note="Demo data")
    template = agreement_template_for(Program.DIRECT_BILL, ["en"])
    agreement_accept(actor=admin, template_id=template.pk, primary_contact=contact)
    line = Enrollment.objects.get(pk=enrollment.pk).credit_line
    stdout.write(
        f"Direct bill: Fourth Coffee (admin@{ACTIVE[0]}…) is an active direct-bill partner "
        f"(credit line {line[0]} {line[1]}, Advanced Support for Partners); Proseware Ireland "
        f"(admin@{APPLICANT[0]}…, MPN ID 4890001) is ready to apply."
    )
