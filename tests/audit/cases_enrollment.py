"""The audit table's cases of work accounts and enrollments (see ``tests.audit.table``)."""

from datetime import timedelta

from enrollment.models import EmailVerification
from enrollment.services import (
    agreements,
    application,
    business_profile,
    checks,
    confirmation,
    mpn,
    review,
)
from enrollment.services.links import hash_token
from partnercenter.accounts import services as accounts
from tests.audit.table import (
    CONTACT,
    NOW,
    Run,
    case,
    enrollment_of,
    pdf,
    staff_with,
)
from tests.cast import make_reviewer
from tests.factories import (
    PASSWORD,
    AgreementTemplateFactory,
    BusinessProfileFactory,
    PartnerFactory,
    VerificationCheckFactory,
)

# partnercenter.accounts.services


@case(accounts.tenant_signup)
def _(w):
    return Run(
        kwargs={
            "company_name": "Contoso GmbH",
            "domain_prefix": "contosode",
            "country": "DE",
            "email": "anna@contosode.onmicrosoft.com",
            "password": PASSWORD,
            "first_name": "Anna",
            "last_name": "Schmidt",
        },
        kind="tenant_created",
        obj=lambda result: result[1],
        tenant=lambda result: result[0],
        actor=lambda result: result[1],
        from_state="",
        to_state="",
        data={"email": "anna@contosode.onmicrosoft.com", "before": [], "after": ["global_admin"]},
    )


@case(accounts.user_add)
def _(w):
    return Run(
        kwargs={
            "actor": w.admin,
            "email": "lea@fabrikamde.onmicrosoft.com",
            "first_name": "Lea",
            "last_name": "Wolf",
            "roles": ["sales_agent"],
        },
        kind="user_added",
        obj=lambda user: user,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"email": "lea@fabrikamde.onmicrosoft.com", "before": [], "after": ["sales_agent"]},
    )


@case(accounts.user_roles_update)
def _(w):
    return Run(
        kwargs={"actor": w.admin, "user": w.employee, "roles": ["admin_agent", "sales_agent"]},
        kind="roles_changed",
        obj=w.employee,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"email": w.employee.email, "before": ["sales_agent"], "after": ["admin_agent", "sales_agent"]},
    )


@case(accounts.admin_agent_join)
def _(w):
    return Run(
        kwargs={"actor": w.admin},
        kind="roles_changed",
        obj=w.admin,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"before": ["global_admin"], "after": ["global_admin", "admin_agent"]},
    )


@case(accounts.password_change)
def _(w):
    return Run(
        kwargs={"user": w.admin, "old_password": PASSWORD, "new_password": "Another-Horse-43"},
        kind="password_changed",
        obj=w.admin,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"email": w.admin.email},
    )


# enrollment.services.application, .confirmation, .checks, .deadlines


@case(application.enrollment_submit)
def _(w):
    return Run(
        kwargs={"actor": w.admin, "application": w.application},
        kind="submitted",
        obj=lambda enrollment: enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="pending_email_verification",
        data={"email": "jonas@fabrikam.de"},
    )


@case(mpn.pmc_sign_in)
def _(w):
    return Run(
        kwargs={"actor": w.admin, "username": "fabrikam", "password": PASSWORD},
        kind="pmc_signed_in",
        obj=lambda result: result[0],
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"pmc_username": "fabrikam", "mpn_ids": ["4820001"]},
    )


@case(application.enrollment_resend_verification_email)
def _(w):
    enrollment = enrollment_of(w, "pending_email_verification")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment},
        kind="verification_email_resent",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="pending_email_verification",
        to_state="pending_email_verification",
        data={"email": enrollment.partner.contact_email},
    )


@case(application.enrollment_withdraw)
def _(w):
    enrollment = enrollment_of(w, "in_review")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment, "reason": "We merged with another partner."},
        kind="withdrawn",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="in_review",
        to_state="withdrawn",
        note="We merged with another partner.",
    )


def emailed_enrollment(w):
    """An enrollment waiting for its primary contact, with the emailed pair of links."""
    enrollment = enrollment_of(w, "pending_email_verification")
    EmailVerification.objects.create(
        enrollment=enrollment,
        email=enrollment.partner.contact_email,
        token_hash=hash_token("the-emailed-token"),
        refusal_token_hash=hash_token("the-second-link"),
        expires_at=NOW + timedelta(days=7),
    )
    return enrollment


@case(confirmation.email_verification_confirm)
def _(w):
    enrollment = emailed_enrollment(w)
    VerificationCheckFactory(enrollment=enrollment, kind="email_ownership")
    return Run(
        kwargs={"token": "the-emailed-token"},
        kind="email_confirmed",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=None,
        actor_label=f"Jonas Becker <{enrollment.partner.contact_email}>",
        from_state="pending_email_verification",
        to_state="in_review",
    )


@case(confirmation.enrollment_report_not_requested)
def _(w):
    enrollment = emailed_enrollment(w)
    return Run(
        kwargs={"token": "the-second-link"},
        kind="not_requested",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=None,
        actor_label=f"Jonas Becker <{enrollment.partner.contact_email}>",
        from_state="pending_email_verification",
        to_state="withdrawn",
        data={"email": enrollment.partner.contact_email},
    )


@case(checks.enrollment_checks_run)
def _(w):
    enrollment = enrollment_of(w, "in_review")
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="checks_completed",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="in_review",
        to_state="in_review",
    )


# enrollment.services.review


@case(review.enrollment_claim)
def _(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    return Run(
        kwargs={"actor": staff, "enrollment": enrollment},
        kind="claimed",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="in_review",
    )


@case(review.enrollment_release)
def _(w):
    staff = make_reviewer()
    enrollment = enrollment_of(w, "in_review", assignee=staff, claimed_at=NOW)
    return Run(
        kwargs={"actor": staff, "enrollment": enrollment},
        kind="released",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="in_review",
    )


@case(review.enrollment_approve)
def _(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="passed")
    return Run(
        kwargs={"actor": staff, "enrollment": enrollment, "note": "Registration confirmed."},
        kind="approved",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="approved",
        note="Registration confirmed.",
    )


@case(review.enrollment_reject)
def _(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    return Run(
        kwargs={"actor": staff, "enrollment": enrollment, "reason": "The company is not registered."},
        kind="rejected",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="rejected",
        note="The company is not registered.",
    )


@case(review.enrollment_request_info)
def _(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    return Run(
        kwargs={"actor": staff, "enrollment": enrollment, "message": "Send the business registration."},
        kind="info_requested",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="action_needed",
        note="Send the business registration.",
    )


@case(review.check_decide)
def _(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="pending")
    return Run(
        kwargs={
            "actor": staff,
            "enrollment": enrollment,
            "kind": "business_verification",
            "result": "failed",
            "note": "Not found.",
        },
        kind="check_failed",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=staff,
        from_state="in_review",
        to_state="in_review",
        note="Not found.",
        data={"check": "business_verification"},
    )


@case(review.enrollment_respond)
def _(w):
    enrollment = enrollment_of(w, "action_needed")
    return Run(
        kwargs={"actor": w.admin, "enrollment": enrollment, "message": "Attached to the appeal."},
        kind="responded",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="action_needed",
        to_state="in_review",
        note="Attached to the appeal.",
    )


@case(review.enrollment_respond, "with a document")
def _(w):
    enrollment = enrollment_of(w, "action_needed")
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="failed")
    return Run(
        kwargs={
            "actor": w.admin,
            "enrollment": enrollment,
            "message": "Our registration is attached.",
            "kind": "business_verification",
            "document_type": "business_registration",
            "document": pdf(),
        },
        kind="responded_with_document",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="action_needed",
        to_state="in_review",
        note="Our registration is attached.",
        data={"check": "business_verification", "document_type": "business_registration"},
    )


@case(review.enrollment_appeal)
def _(w):
    enrollment = enrollment_of(w, "action_needed")
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="failed")
    return Run(
        kwargs={
            "actor": w.admin,
            "enrollment": enrollment,
            "kind": "business_verification",
            "document_type": "business_registration",
            "comment": "Our registration.",
            "document": pdf(),
        },
        kind="appeal_submitted",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="action_needed",
        to_state="action_needed",  # the request still waits for the answer
        note="Our registration.",
        data={"check": "business_verification", "document_type": "business_registration"},
    )


# enrollment.services.agreements, .business_profile


@case(agreements.agreement_accept)
def _(w):
    enrollment = enrollment_of(w, "approved")
    template = AgreementTemplateFactory(version="2026-03")
    return Run(
        kwargs={"actor": w.admin, "template_id": template.pk, "primary_contact": CONTACT},
        kind="agreement_accepted",
        obj=enrollment,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="approved",
        to_state="active",
        data={"agreement": template.name, "version": "2026-03", "language": "en", "region": "europe"},
    )


@case(agreements.agreement_template_make_current)
def _(w):
    old = AgreementTemplateFactory(version="2026-01")
    new = AgreementTemplateFactory(version="2026-02", is_current=False)
    staff = staff_with("change_agreementtemplate")
    return Run(
        kwargs={"actor": staff, "template": new},
        kind="agreement_template_made_current",
        obj=new,
        tenant=None,
        actor=staff,
        from_state="retired",
        to_state="current",
        data={"name": old.name, "version": "2026-02", "language": "en", "retired": 1},
    )


@case(business_profile.business_profile_update)
def _(w):
    partner = PartnerFactory(tenant=w.admin.tenant)
    BusinessProfileFactory(partner=partner)
    return Run(
        kwargs={"actor": w.admin, "data": {"description": "Managed security for retailers.", "website": ""}},
        kind="business_profile_updated",
        obj=lambda profile: profile,
        tenant=w.admin.tenant,
        actor=w.admin,
        from_state="",
        to_state="",
        data={"changed": ["description", "website"]},
    )


# relationships.services.providers
