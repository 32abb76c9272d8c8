"""Reads for enrollments, always scoped to the caller's partner: another partner's
enrollment is simply not found (404)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CheckKind,
    CheckResult,
    EmailVerification,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Partner,
)


def enrollments_for(user) -> QuerySet[Enrollment]:
    if not (user and user.is_authenticated and user.tenant_id):
        return Enrollment.objects.none()
    return (
        Enrollment.objects.filter(partner__tenant_id=user.tenant_id)
        .select_related("partner", "partner__tenant")
        .prefetch_related(
            "checks",
            Prefetch("events", queryset=EnrollmentEvent.objects.order_by("at", "id")),
        )
    )


def enrollment_for(user, enrollment_id) -> Enrollment:
    """One enrollment of the user's partner, or 404."""
    return get_object_or_404(enrollments_for(user), pk=enrollment_id)


def partner_for(user) -> Partner | None:
    if not (user and user.is_authenticated and user.tenant_id):
        return None
    return Partner.objects.filter(tenant_id=user.tenant_id).select_related("tenant").first()


@dataclass
class NextStep:
    title: str
    text: str
    when: datetime | None = None
    partner_must_act: bool = False


def next_step(enrollment: Enrollment) -> NextStep:
    """What comes next, and when, in the reader's language."""
    status = enrollment.status
    email = enrollment.partner.contact_email
    if status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION:
        latest = (
            EmailVerification.objects.filter(
                enrollment=enrollment, superseded_at__isnull=True, used_at__isnull=True
            )
            .order_by("-created_at")
            .first()
        )
        expired = latest is None or latest.expires_at <= timezone.now()
        text = _(
            "We emailed a link to %(email)s. The primary contact follows it to confirm that they signed up "
            "and that the address belongs to your company. Review starts only after that."
        ) % {"email": email}
        if expired:
            text += " " + _("The last link has expired: send the email again.")
        return NextStep(
            title=_("Confirm the primary contact's email"),
            text=text,
            when=None if expired else latest.expires_at,
            partner_must_act=True,
        )
    if status == EnrollmentStatus.IN_REVIEW:
        return NextStep(
            title=_("Verification in progress"),
            text=_(
                "We are verifying your email domain, your employment and your business. This usually takes "
                "3 to 5 business days. We email %(email)s at every change; there is nothing for you to do now."
            )
            % {"email": email},
            when=enrollment.due_at,
        )
    if status == EnrollmentStatus.ACTION_NEEDED:
        return NextStep(
            title=_("We need information from you"),
            text=_("Read the request in the timeline below and answer it, so that the review can continue."),
            partner_must_act=True,
        )
    if status == EnrollmentStatus.APPROVED:
        return NextStep(
            title=_("Accept the agreement"),
            text=_(
                "Your company is verified. Your global admin accepts the Microsoft Partner Agreement next."
            ),
            partner_must_act=True,
        )
    if status == EnrollmentStatus.ACTIVE:
        return NextStep(
            title=_("You are enrolled"), text=_("The program's capabilities are on for your company.")
        )
    if status == EnrollmentStatus.REJECTED:
        return NextStep(
            title=_("Application rejected"),
            text=_("The reason is given below. You may correct your details and apply again."),
        )
    return NextStep(title=_("Application withdrawn"), text=_("You may apply again at any time."))


def check_sentence(check) -> str:
    """A check's state, in the reader's language."""
    labels = {
        CheckResult.PENDING: _("pending"),
        CheckResult.PASSED: _("passed"),
        CheckResult.FAILED: _("failed"),
        CheckResult.WAIVED: _("waived"),
    }
    return f"{CheckKind(check.kind).label}: {labels[CheckResult(check.result)]}"
