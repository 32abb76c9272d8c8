"""One audit trail (issue 7, section 4; HOUSE_STYLE 7b, 7c): every state change writes
exactly one row of the one shape (``partnercenter.audit.models.Event``), a call that
changes nothing writes none, and every kind written is registered, labelled and renders
its sentence in every language of the portal.

``CASES`` is the table: one entry per state-changing service (a service with several
outcomes has one per outcome), each with the world it needs and the row it must write.
``TestEveryServiceIsInTheTable`` fails when a new service is added without its entry.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import enrollment.services
import relationships.services
from billing import services as billing
from enrollment.models import AgreementTemplate, BusinessProfile, EmailVerification, Enrollment
from enrollment.services import (
    agreements,
    application,
    business_profile,
    checks,
    confirmation,
    deadlines,
    review,
)
from enrollment.services.links import hash_token
from partnercenter.accounts import services as accounts
from partnercenter.accounts.models import User
from partnercenter.audit import kinds
from partnercenter.audit.models import Event
from partnercenter.audit.services import record_event
from partnercenter.core.errors import DomainError
from partnercenter.notifications.models import Notification
from relationships.models import (
    GranularAdminRelationship,
    ResellerInvitation,
)
from relationships.services import (
    admin_access,
    customer_invitations,
    customers,
    providers,
    reseller_invitations,
)
from tests.cast import make_provider, make_reseller, make_reviewer, user_of
from tests.factories import (
    PASSWORD,
    AgreementTemplateFactory,
    BusinessProfileFactory,
    CustomerFactory,
    CustomerRelationshipFactory,
    EnrollmentFactory,
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    TenantFactory,
    UserFactory,
    VerificationCheckFactory,
    active_partner,
)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

LANGUAGES = ("en", "zh-hant", "zh-hans", "ru")
CONTACT = {
    "first_name": "Jonas",
    "last_name": "Becker",
    "email": "jonas@fabrikam.de",
    "phone": "+49 30 1234567",
}


# --- The cast (tests/cast.py) and what only these tests need ------------------------------------------------------------------------------------


def staff_with(*codenames, email="riley@partners.test") -> User:
    user = UserFactory(tenant=None, roles=[], email=email, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def enrollment_of(w, status, **kwargs) -> Enrollment:
    """An enrollment of the global admin's partner (Fabrikam) in ``status``."""
    partner = PartnerFactory(
        tenant=w.admin.tenant, legal_name="Fabrikam Deutschland GmbH", mpn_id=w.mpn.mpn_id
    )
    return EnrollmentFactory(partner=partner, status=status, **kwargs)


def provider_world() -> SimpleNamespace:
    """An authorized, active indirect provider and one of its resellers, with their admins."""
    provider = make_provider("Contoso Distribution GmbH", listing={"description": "Distribution for Europe"})
    reseller = make_reseller(legal_name="Adatum Cloud GmbH", contact_email="jonas@adatum.test")
    relationship = ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    return SimpleNamespace(
        provider=provider,
        reseller=reseller,
        relationship=relationship,
        provider_admin=user_of(provider, email="admin@contoso-distribution.test"),
        reseller_admin=user_of(reseller, email="admin@adatum.test"),
    )


def gdap(p, status, **kwargs) -> GranularAdminRelationship:
    return GranularAdminRelationship.objects.create(
        relationship=p.relationship,
        name="Helpdesk for Adatum",
        roles=["Directory Readers"],
        duration_days=30,
        status=status,
        **kwargs,
    )


def reseller_invitation_token(invitation: ResellerInvitation) -> str:
    """The token of the invitation's link, as the email carries it (its last path segment)."""
    invitation.refresh_from_db()
    notification = Notification.objects.get(
        idempotency_key=f"reseller-invitation:{invitation.pk}:{invitation.token_hash}"
    )
    return notification.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]


def pdf(name="registration.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")


# --- The table -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One call of a service and the one row it must write. ``obj`` and ``tenant`` may be
    callables of the call's result (for what the call creates)."""

    kwargs: dict
    kind: str
    obj: Any
    tenant: Any
    from_state: str
    to_state: str
    actor: Any = None
    note: str = ""
    data: dict = field(default_factory=dict)
    actor_label: str | None = None


@dataclass(frozen=True)
class Case:
    service: Callable
    build: Callable[[SimpleNamespace], Run]


CASES: dict[str, Case] = {}


def case(service, variant=""):
    def register(build):
        name = service.__name__ + (f":{variant}" if variant else "")
        assert name not in CASES, name
        CASES[name] = Case(service, build)
        return build

    return register


def resolve(value, result):
    return value(result) if callable(value) and not isinstance(value, type) else value


# partnercenter.accounts.services


@case(accounts.tenant_signup)
def _(w):
    return Run(
        kwargs={
            "company_name": "Contoso GmbH",
            "domain_prefix": "contosode",
            "country": "DE",
            "email": "anna@contoso.test",
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
        data={"email": "anna@contoso.test", "before": [], "after": ["global_admin"]},
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


@case(confirmation.email_verification_confirm)
def _(w):
    enrollment = enrollment_of(w, "pending_email_verification")
    VerificationCheckFactory(enrollment=enrollment, kind="email_ownership")
    EmailVerification.objects.create(
        enrollment=enrollment,
        email=enrollment.partner.contact_email,
        token_hash=hash_token("the-emailed-token"),
        expires_at=NOW + timedelta(days=7),
    )
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


@case(deadlines.enrollment_remind)
def _(w):
    enrollment = enrollment_of(
        w,
        "pending_email_verification",
        remind_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=5),
    )
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="reminder_sent",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="pending_email_verification",
        data={"email": enrollment.partner.contact_email},
    )


@case(deadlines.enrollment_expire)
def _(w):
    enrollment = enrollment_of(w, "pending_email_verification", expires_at=NOW - timedelta(minutes=1))
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="expired",
        obj=enrollment,
        tenant=w.admin.tenant,
        from_state="pending_email_verification",
        to_state="expired",
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
        to_state="in_review",
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


@case(providers.provider_authorize, "authorize")
def _(w):
    partner, staff = active_partner(legal_name="Contoso Distribution GmbH"), make_reviewer()
    return Run(
        kwargs={"actor": staff, "partner": partner, "authorized": True},
        kind="provider_authorized",
        obj=lambda provider: provider,
        tenant=partner.tenant,
        actor=staff,
        from_state="",
        to_state="authorized",
    )


@case(providers.provider_authorize, "withdraw")
def _(w):
    provider, staff = IndirectProviderFactory(), make_reviewer()
    return Run(
        kwargs={"actor": staff, "partner": provider.partner, "authorized": False},
        kind="provider_withdrawn",
        obj=provider,
        tenant=provider.partner.tenant,
        actor=staff,
        from_state="authorized",
        to_state="withdrawn",
    )


@case(providers.provider_listing_update)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.provider_admin, "data": {"description": "Training and credit for resellers."}},
        kind="provider_listing_updated",
        obj=p.provider.indirect_provider,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="",
        data={"changed": ["description"]},
    )


# relationships.services.reseller_invitations


@case(reseller_invitations.reseller_invitation_send)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.provider_admin, "email": "lea@northwind.test", "message": "Join us."},
        kind="reseller_invitation_sent",
        obj=lambda invitation: invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="sent",
        data={"email": "lea@northwind.test", "mpn_id": ""},
    )


def _sent_invitation(p, email="lea@northwind.test", **kwargs) -> ResellerInvitation:
    return reseller_invitations.reseller_invitation_send(actor=p.provider_admin, email=email, **kwargs)


@case(reseller_invitations.reseller_invitation_resend)
def _(w):
    p = provider_world()
    invitation = _sent_invitation(p)
    return Run(
        kwargs={"actor": p.provider_admin, "invitation": invitation},
        kind="reseller_invitation_resent",
        obj=invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="sent",
        to_state="sent",
    )


@case(reseller_invitations.reseller_invitation_revoke)
def _(w):
    p = provider_world()
    invitation = _sent_invitation(p)
    return Run(
        kwargs={"actor": p.provider_admin, "invitation": invitation},
        kind="reseller_invitation_revoked",
        obj=invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="sent",
        to_state="revoked",
    )


@case(reseller_invitations.reseller_invitation_expire)
def _(w):
    p = provider_world()
    invitation = _sent_invitation(p)
    ResellerInvitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - timedelta(seconds=1))
    return Run(
        kwargs={"invitation_id": invitation.pk},
        kind="reseller_invitation_expired",
        obj=invitation,
        tenant=p.provider.tenant,
        from_state="sent",
        to_state="expired",
    )


@case(reseller_invitations.reseller_invitation_accept)
def _(w):
    p = provider_world()
    newcomer = active_partner(legal_name="Northwind Cloud GmbH")
    newcomer_admin = user_of(newcomer, email="lea@northwind.test")
    invitation = _sent_invitation(p)
    return Run(
        kwargs={"actor": newcomer_admin, "token": reseller_invitation_token(invitation), "authorize": True},
        kind="reseller_authorized_provider",
        obj=lambda relationship: relationship,
        tenant=newcomer.tenant,
        actor=newcomer_admin,
        from_state="",
        to_state="active",
        data={
            "invitation_id": str(invitation.pk),
            "provider": "Contoso Distribution GmbH",
            "reseller": "Northwind Cloud GmbH",
        },
    )


# relationships.services.admin_access


@case(admin_access.relationship_remove_admin_access)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.reseller_admin, "relationship": p.relationship},
        kind="admin_access_removed",
        obj=p.relationship,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="admin_access",
        to_state="no_admin_access",
        data={"provider": "Contoso Distribution GmbH", "reseller": "Adatum Cloud GmbH"},
    )


@case(admin_access.gdap_propose)
def _(w):
    p = provider_world()
    return Run(
        kwargs={
            "actor": p.provider_admin,
            "relationship": p.relationship,
            "name": "Helpdesk for Adatum",
            "roles": ["Helpdesk Administrator"],
            "duration_days": 90,
        },
        kind="gdap_proposed",
        obj=lambda gdap: gdap,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="created",
        to_state="approval_pending",
        data={"name": "Helpdesk for Adatum", "roles": ["Helpdesk Administrator"], "duration_days": 90},
    )


@case(admin_access.gdap_approve)
def _(w):
    p = provider_world()
    pending = gdap(p, "approval_pending")
    return Run(
        kwargs={"actor": p.reseller_admin, "gdap": pending},
        kind="gdap_approved",
        obj=pending,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="approval_pending",
        to_state="active",
    )


@case(admin_access.gdap_terminate)
def _(w):
    p = provider_world()
    running = gdap(p, "active", activated_at=NOW, ends_at=NOW + timedelta(days=30))
    return Run(
        kwargs={"actor": p.provider_admin, "gdap": running},
        kind="gdap_termination_requested",
        obj=running,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="active",
        to_state="termination_requested",
    )


SWEEP_STEPS = {
    # step: (the row's state, what the sweep writes)
    "terminate": (
        {"status": "termination_requested"},
        "gdap_terminated",
        "termination_requested",
        "terminated",
    ),
    "extend": (
        {"status": "active", "auto_extend": True, "ends_at": NOW - timedelta(hours=1)},
        "gdap_extended",
        "active",
        "active",
    ),
    "expire": (
        {"status": "active", "ends_at": NOW - timedelta(hours=1)},
        "gdap_expired",
        "active",
        "expired",
    ),
    "expiring": (
        {"status": "active", "ends_at": NOW + timedelta(days=10)},
        "gdap_expiring",
        "active",
        "expiring",
    ),
}


def _sweep_case(step):
    fields, kind, from_state, to_state = SWEEP_STEPS[step]

    def build(w):
        p = provider_world()
        row = gdap(p, **fields)
        return Run(
            kwargs={"gdap_id": row.pk, "step": step},
            kind=kind,
            obj=row,
            tenant=p.provider.tenant,
            from_state=from_state,
            to_state=to_state,
        )

    return build


for _step in SWEEP_STEPS:
    case(admin_access.gdap_sweep_step, _step)(_sweep_case(_step))


# relationships.services.customers, .customer_invitations


@case(customers.customer_create)
def _(w):
    p = provider_world()
    return Run(
        kwargs={
            "actor": p.provider_admin,
            "company_name": "Contoso Retail GmbH",
            "domain_prefix": "contosoretail",
            "country": "DE",
            "indirect_reseller_id": p.reseller.pk,
        },
        kind="customer_created",
        obj=lambda created: created.customer,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="indirect_provider",
        data={
            "domain": "contosoretail.onmicrosoft.com",
            "relationships": [
                {
                    "partner_id": str(p.provider.pk),
                    "partner": "Contoso Distribution GmbH",
                    "role": "indirect_provider",
                },
                {
                    "partner_id": str(p.reseller.pk),
                    "partner": "Adatum Cloud GmbH",
                    "role": "indirect_reseller",
                },
            ],
        },
    )


@case(customer_invitations.customer_invitation_create)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.reseller_admin, "provider_id": p.provider.pk},
        kind="customer_invitation_created",
        obj=lambda created: created.invitation,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="",
        to_state="sent",
        data={"provider": "Contoso Distribution GmbH", "reseller": "Adatum Cloud GmbH"},
    )


@case(customer_invitations.customer_invitation_accept)
def _(w):
    p = provider_world()
    created = customer_invitations.customer_invitation_create(
        actor=p.reseller_admin, provider_id=p.provider.pk
    )
    customer_tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com")
    customer_admin = UserFactory(tenant=customer_tenant, email="admin@contosode.onmicrosoft.com")
    return Run(
        kwargs={"actor": customer_admin, "token": created.link.rstrip("/").rsplit("/", 1)[-1]},
        kind="customer_invitation_accepted",
        obj=created.invitation,
        tenant=p.reseller.tenant,
        actor=customer_admin,
        from_state="sent",
        to_state="accepted",
        data={
            "customer": "Contoso GmbH",
            "domain": "contosode.onmicrosoft.com",
            "relationships": [
                {
                    "partner_id": str(p.reseller.pk),
                    "partner": "Adatum Cloud GmbH",
                    "role": "indirect_reseller",
                    "role_before": "",
                },
                {
                    "partner_id": str(p.provider.pk),
                    "partner": "Contoso Distribution GmbH",
                    "role": "indirect_provider",
                    "role_before": "",
                },
            ],
        },
    )


# billing.services


@case(billing.order_submit)
def _(w):
    p = provider_world()
    customer = CustomerFactory(company_name="Contoso Retail GmbH")
    CustomerRelationshipFactory(customer=customer, partner=p.reseller, role="indirect_reseller")
    CustomerRelationshipFactory(
        customer=customer, partner=p.provider, role="indirect_provider", via_reseller=p.reseller
    )
    return Run(
        kwargs={
            "actor": p.provider_admin,
            "customer": customer,
            "offer": "Microsoft 365 Business Standard",
            "quantity": 5,
            "unit_price": "12.50",
        },
        kind="order_submitted",
        obj=lambda order: order,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="submitted",
        data={
            "customer": "Contoso Retail GmbH",
            "customer_id": str(customer.pk),
            "quantity": 5,
            "offer": "Microsoft 365 Business Standard",
            "unit_price": "12.50",
            "currency": "EUR",
        },
    )


# --- (a) Every state change writes exactly one row ---------------------------------------------------


@pytest.fixture
def w(admin, employee, mpn, application):
    return SimpleNamespace(admin=admin, employee=employee, mpn=mpn, application=application)


def run_case(name, w) -> tuple[Run, Any, list[Event]]:
    """Build the case's world, call its service once, return the rows the call wrote."""
    entry = CASES[name]
    run = entry.build(w)
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = entry.service(**run.kwargs)
    return run, result, list(Event.objects.filter(id__gt=last).order_by("id"))


@pytest.mark.parametrize("name", CASES)
def test_a_state_change_writes_exactly_one_row(name, w):
    run, result, written = run_case(name, w)
    assert [e.kind for e in written] == [run.kind], f"{name} wrote {[e.kind for e in written]}"
    event = written[0]
    obj = resolve(run.obj, result)
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    tenant = resolve(run.tenant, result)
    assert event.tenant_id == getattr(tenant, "pk", tenant)
    assert (event.from_state, event.to_state) == (run.from_state, run.to_state)
    actor = resolve(run.actor, result)
    assert event.actor_id == getattr(actor, "pk", None)
    if run.actor_label is not None:
        assert event.actor_label == run.actor_label
    elif actor is None:
        assert event.actor_label == "system"
    else:
        assert event.actor_label == f"{actor.get_full_name()} <{actor.email}>"
    assert event.note == run.note
    assert {key: event.data.get(key) for key in run.data} == run.data
    # The row reads as one history of its object.
    assert list(Event.objects.of(obj))[-1] == event


# Calls that change nothing: each prepares a state in which the service has nothing to do.


def _noop_claim_twice(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    review.enrollment_claim(actor=staff, enrollment=enrollment)
    return review.enrollment_claim, {"actor": staff, "enrollment": enrollment}


def _noop_release_unassigned(w):
    return review.enrollment_release, {"actor": make_reviewer(), "enrollment": enrollment_of(w, "in_review")}


def _noop_authorize_authorized(w):
    return providers.provider_authorize, {
        "actor": make_reviewer(),
        "partner": IndirectProviderFactory().partner,
        "authorized": True,
    }


def _noop_withdraw_a_non_provider(w):
    return providers.provider_authorize, {
        "actor": make_reviewer(),
        "partner": active_partner(),
        "authorized": False,
    }


def _noop_listing_unchanged(w):
    p = provider_world()
    listing = p.provider.indirect_provider
    data = {"countries": listing.countries, "offers": listing.offers, "description": listing.description}
    return providers.provider_listing_update, {"actor": p.provider_admin, "data": data}


def _noop_business_profile_unchanged(w):
    profile = BusinessProfileFactory(partner=PartnerFactory(tenant=w.admin.tenant))
    data = {"description": profile.description, "website": profile.website, "industries": profile.industries}
    return business_profile.business_profile_update, {"actor": w.admin, "data": data}


def _noop_make_current_the_current(w):
    template = AgreementTemplateFactory()
    return agreements.agreement_template_make_current, {
        "actor": staff_with("change_agreementtemplate"),
        "template": template,
    }


def _noop_join_admin_agents_twice(w):
    accounts.admin_agent_join(actor=w.admin)
    return accounts.admin_agent_join, {"actor": w.admin}


def _noop_roles_unchanged(w):
    return accounts.user_roles_update, {"actor": w.admin, "user": w.employee, "roles": list(w.employee.roles)}


def _noop_remind_twice(w):
    enrollment = enrollment_of(
        w,
        "pending_email_verification",
        remind_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=5),
    )
    deadlines.enrollment_remind(enrollment_id=enrollment.pk)
    return deadlines.enrollment_remind, {"enrollment_id": enrollment.pk}


def _noop_expire_before_time(w):
    enrollment = enrollment_of(w, "pending_email_verification", expires_at=NOW + timedelta(days=1))
    return deadlines.enrollment_expire, {"enrollment_id": enrollment.pk}


def _noop_checks_twice(w):
    enrollment = enrollment_of(w, "in_review")
    checks.enrollment_checks_run(enrollment_id=enrollment.pk)
    return checks.enrollment_checks_run, {"enrollment_id": enrollment.pk}


def _noop_expire_invitation_twice(w):
    p = provider_world()
    invitation = _sent_invitation(p)
    ResellerInvitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - timedelta(seconds=1))
    reseller_invitations.reseller_invitation_expire(invitation_id=invitation.pk)
    return reseller_invitations.reseller_invitation_expire, {"invitation_id": invitation.pk}


def _noop_sweep_not_due(w):
    row = gdap(provider_world(), "active", ends_at=NOW + timedelta(days=90))
    return admin_access.gdap_sweep_step, {"gdap_id": row.pk, "step": "expire"}


NO_OPS = {
    "claim twice": _noop_claim_twice,
    "release an unassigned enrollment": _noop_release_unassigned,
    "authorize an authorized provider": _noop_authorize_authorized,
    "withdraw a partner that is no provider": _noop_withdraw_a_non_provider,
    "a listing update without changes": _noop_listing_unchanged,
    "a business profile update without changes": _noop_business_profile_unchanged,
    "make the current template current": _noop_make_current_the_current,
    "join the admin agents twice": _noop_join_admin_agents_twice,
    "set the roles a user has": _noop_roles_unchanged,
    "remind twice": _noop_remind_twice,
    "expire before the time": _noop_expire_before_time,
    "run the checks twice": _noop_checks_twice,
    "expire an invitation twice": _noop_expire_invitation_twice,
    "a sweep step that is not due": _noop_sweep_not_due,
}


@pytest.mark.parametrize("name", NO_OPS)
def test_a_call_that_changes_nothing_writes_no_row(name, w):
    service, kwargs = NO_OPS[name](w)
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    service(**kwargs)
    written = list(Event.objects.filter(id__gt=last))
    assert not written, f"{name}: {service.__name__} wrote {[e.kind for e in written]}"


REFUSALS = {
    "withdraw a withdrawn enrollment": lambda w: (
        application.enrollment_withdraw,
        {"actor": w.admin, "enrollment": enrollment_of(w, "withdrawn")},
    ),
    "approve with a check open": lambda w: (
        review.enrollment_approve,
        {
            "actor": make_reviewer(),
            "enrollment": VerificationCheckFactory(enrollment=enrollment_of(w, "in_review")).enrollment,
        },
    ),
    "an employee adds a user": lambda w: (
        accounts.user_add,
        {
            "actor": w.employee,
            "email": "x@fabrikamde.onmicrosoft.com",
            "first_name": "X",
            "last_name": "Y",
            "roles": ["sales_agent"],
        },
    ),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_a_refused_call_writes_no_row(name, w):
    service, kwargs = REFUSALS[name](w)
    before = Event.objects.count()
    with pytest.raises(DomainError):
        service(**kwargs)
    assert Event.objects.count() == before


# --- (b) The table covers every state-changing service ------------------------------------------------

# Module-level functions of the service modules that are reads or helpers, by name: they
# check or compute, never change a state. Anything else named ``<entity>_<verb>`` must be in
# CASES.
READ_SUFFIXES = ("_errors", "_due", "_refusal", "_draft", "_role", "_check")
READ_PREFIXES = ("validate_",)
# The services' own building blocks (not called by views, the API or tasks).
HELPER_MODULES = {"enrollment.services.common", "enrollment.services.links", "relationships.services.common"}
# Reads whose names do not say so.
KNOWN_READS = {
    "partnercenter.accounts.services.domain_for_prefix",
    "enrollment.services.checks.register_check",
    "enrollment.services.checks.registered_checks",
    "relationships.services.customers.registration_number_required",
}


def service_modules() -> list:
    found = [accounts, billing]
    for package in (enrollment.services, relationships.services):
        for info in pkgutil.iter_modules(package.__path__):
            found.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return [m for m in found if m.__name__ not in HELPER_MODULES]


def is_read(name: str) -> bool:
    return name.endswith(READ_SUFFIXES) or name.startswith(READ_PREFIXES)


def state_changing_services() -> set[str]:
    check_functions = {id(f) for f in checks.registered_checks().values()}
    found = set()
    for module in service_modules():
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
                and "_" in name
                and not is_read(name)
                and id(function) not in check_functions
                and f"{module.__name__}.{name}" not in KNOWN_READS
            ):
                found.add(f"{module.__name__}.{name}")
    return found


def qualified(function) -> str:
    return f"{function.__module__}.{function.__name__}"


class TestEveryServiceIsInTheTable:
    def test_every_state_changing_service_has_a_case(self):
        covered = {qualified(c.service) for c in CASES.values()}
        missing = sorted(state_changing_services() - covered)
        assert not missing, "State-changing services without an entry in CASES (add one): " + ", ".join(
            missing
        )

    def test_the_guard_sees_the_services(self):
        found = state_changing_services()
        assert {
            "partnercenter.accounts.services.user_add",
            "enrollment.services.review.enrollment_approve",
            "enrollment.services.deadlines.enrollment_expire",
            "relationships.services.admin_access.gdap_sweep_step",
            "relationships.services.customer_invitations.customer_invitation_accept",
            "billing.services.order_submit",
        } <= found
        # Reads are left out.
        assert not found & {
            "relationships.services.reseller_invitations.reseller_invitation_check",
            "relationships.services.customer_invitations.customer_invitation_draft",
            "relationships.services.reseller_invitations.reseller_invitations_due",
            "enrollment.services.application.validate_application",
            "enrollment.services.checks.mpn_status",
        }

    def test_a_new_service_fails_the_guard(self, monkeypatch):
        def reseller_invitation_archive(*, actor, invitation):  # a state change nobody tabled
            raise AssertionError("never called")

        reseller_invitation_archive.__module__ = reseller_invitations.__name__
        monkeypatch.setattr(
            reseller_invitations, "reseller_invitation_archive", reseller_invitation_archive, raising=False
        )
        covered = {qualified(c.service) for c in CASES.values()}
        assert state_changing_services() - covered == {
            "relationships.services.reseller_invitations.reseller_invitation_archive"
        }

    def test_every_case_calls_a_service_of_those_modules(self):
        modules = {m.__name__ for m in service_modules()}
        assert {c.service.__module__ for c in CASES.values()} <= modules


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
