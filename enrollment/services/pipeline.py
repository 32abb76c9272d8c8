"""The verification pipeline that runs in Celery: the automated checks once email
ownership is confirmed, the reminder after one business day, the expiry after
ENROLLMENT_EXPIRY_DAYS. Each claims its work with a conditional update, so a task that
runs twice does nothing the second time (HOUSE_STYLE 9)."""

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relationships.selectors import csp_partners_of_tenant

from .. import rules
from ..models import (
    OPEN_STATUSES,
    CheckKind,
    CheckResult,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Partner,
    VerificationCheck,
)
from ..registry import get_registry
from .common import SYSTEM, lock, move, notify_contact, record_event

P, F, Q = CheckResult.PASSED, CheckResult.FAILED, CheckResult.PENDING


def _mpn_checks(partner: Partner) -> list[tuple]:
    record = get_registry().lookup(partner.mpn_id)
    tenant_country = partner.tenant.country.code
    if record is None:
        missing = (
            f"MPN ID {partner.mpn_id} is no longer in the Partner Network. Link an active company profile."
        )
        return [(CheckKind.MPN_STATUS, F, missing, {}), (CheckKind.MPN_COUNTRY, F, missing, {})]
    evidence = {"registry": record.__dict__, "tenant_country": tenant_country}
    status = (
        (P, f"MPN ID {record.mpn_id} ({record.company_name}) is active.")
        if record.is_active
        else (F, f"MPN ID {record.mpn_id} is inactive. Reactivate it in the Partner Membership Center.")
    )
    country = (
        (P, f"The MPN ID is located in {record.country}, as the tenant.")
        if record.country == tenant_country
        else (F, f"The MPN ID is located in {record.country}, the tenant in {tenant_country}.")
    )
    return [(CheckKind.MPN_STATUS, *status, evidence), (CheckKind.MPN_COUNTRY, *country, evidence)]


def _email_domain_check(partner: Partner) -> tuple:
    """Automatic when the contact's domain is a verified domain of the tenant; otherwise
    a reviewer decides, and may ask for proof of domain ownership."""
    domain = partner.contact_email.rsplit("@", 1)[-1].lower()
    verified = sorted(partner.tenant.verified_domain_names())
    evidence = {"contact_domain": domain, "tenant_verified_domains": verified}
    if domain in verified:
        return CheckKind.EMAIL_DOMAIN, P, f"{domain} is a verified domain of the tenant.", evidence
    return (
        CheckKind.EMAIL_DOMAIN,
        Q,
        f"{domain} is not a verified domain of the tenant: a reviewer decides and may ask for proof of domain ownership.",
        evidence,
    )


def _address_check(partner: Partner) -> tuple:
    address = {
        "line1": partner.address_line1,
        "line2": partner.address_line2,
        "city": partner.city,
        "state": partner.state,
        "postal_code": partner.postal_code,
        "country": partner.country.code,
    }
    evidence = {"address": address, "tenant_country": partner.tenant.country.code}
    problems = rules.address_errors(address)
    if problems:
        return (
            CheckKind.ADDRESS,
            F,
            "The address is incomplete: " + ", ".join(sorted(problems)) + ".",
            evidence,
        )
    if partner.country.code != partner.tenant.country.code:
        return (
            CheckKind.ADDRESS,
            Q,
            f"The address is in {partner.country.code}, the tenant in {partner.tenant.country.code}: a reviewer decides.",
            evidence,
        )
    return CheckKind.ADDRESS, P, "The address is complete and in the tenant's country.", evidence


def _duplicate_check(enrollment: Enrollment) -> tuple:
    """The same MPN ID, or the same legal name in the same country, already enrolled."""
    partner = enrollment.partner
    others = (
        Enrollment.objects.filter(program=enrollment.program, status__in=[s.value for s in OPEN_STATUSES])
        .exclude(partner=partner)
        .exclude(status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION)
        .select_related("partner")
    )
    matches = [
        {"partner_id": str(e.partner_id), "enrollment_id": str(e.pk), "matched": what}
        for e in others
        for what in (["mpn_id"] if e.partner.mpn_id == partner.mpn_id else [])
        + (
            ["legal_name"]
            if e.partner.legal_name.casefold() == partner.legal_name.casefold()
            and e.partner.country == partner.country
            else []
        )
    ]
    if matches:
        fields = sorted({m["matched"] for m in matches})
        return (
            CheckKind.DUPLICATE,
            F,
            f"Another enrolled partner has the same {' and '.join(fields)}. A reviewer checks whether this is the same company.",
            {"matches": matches},
        )
    return CheckKind.DUPLICATE, P, "No other enrolled partner has this MPN ID or legal name.", {"matches": []}


def _csp_tenant_check(partner: Partner) -> tuple:
    """A partner's CSP transaction tenant may not be a customer of another CSP partner."""
    sellers = csp_partners_of_tenant(partner.tenant, excluding=partner)
    if sellers:
        return (
            CheckKind.CSP_TENANT_RESTRICTION,
            F,
            "This tenant is a customer tenant of another CSP partner. Enroll with a tenant that no other CSP partner sells to.",
            {"partner_ids": [str(p.pk) for p in sellers]},
        )
    return CheckKind.CSP_TENANT_RESTRICTION, P, "The tenant is not a customer of another CSP partner.", {}


def enrollment_checks_run(*, enrollment_id) -> bool:
    """Run the automated checks of an enrollment in review, once. Returns True if this
    call ran them. Checks that need a person stay pending for the reviewer."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Enrollment.objects.filter(
            pk=enrollment_id, status=EnrollmentStatus.IN_REVIEW, checks_started_at__isnull=True
        ).update(checks_started_at=now)
        if claimed != 1:
            return False
        enrollment = lock(Enrollment(pk=enrollment_id))
        partner = (
            Partner.objects.select_related("tenant")
            .prefetch_related("tenant__domains")
            .get(pk=enrollment.partner_id)
        )
        enrollment.partner = partner
        results = [
            *_mpn_checks(partner),
            _email_domain_check(partner),
            _address_check(partner),
            _duplicate_check(enrollment),
            _csp_tenant_check(partner),
            (
                CheckKind.BUSINESS_VERIFICATION,
                Q,
                "A reviewer verifies that the legal entity exists at the stated address.",
                {"legal_name": partner.legal_name, "country": partner.country.code},
            ),
        ]
        for kind, result, detail, evidence in results:
            VerificationCheck.objects.update_or_create(
                enrollment=enrollment,
                kind=kind,
                defaults={
                    "result": result,
                    "detail": detail,
                    "evidence": evidence,
                    "checked_at": now if result != Q else None,
                    "decided_by": None,
                },
            )
        counts = Counter(result for _kind, result, _detail, _evidence in results)
        record_event(
            enrollment,
            kind=EnrollmentEvent.Kind.CHECKS_COMPLETED,
            actor_label=SYSTEM,
            from_status=enrollment.status,
            detail=f"{counts[P]} passed, {counts[F]} failed, {counts[Q]} left to a reviewer.",
        )
    return True


def enrollment_remind(*, enrollment_id) -> bool:
    """One reminder to a primary contact who has not confirmed after one business day,
    with a fresh link (the earlier one stops working)."""
    from .application import _issue_email_verification

    now = timezone.now()
    with transaction.atomic():
        claimed = Enrollment.objects.filter(
            pk=enrollment_id,
            status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION,
            remind_at__lte=now,
            reminder_sent_at__isnull=True,
        ).update(reminder_sent_at=now)
        if claimed != 1:
            return False
        enrollment = lock(Enrollment(pk=enrollment_id))
        _issue_email_verification(enrollment, template="enrollment_reminder")
        record_event(
            enrollment,
            kind=EnrollmentEvent.Kind.REMINDER_SENT,
            actor_label=SYSTEM,
            from_status=enrollment.status,
            detail=enrollment.partner.contact_email,
        )
    return True


def enrollment_expire(*, enrollment_id) -> bool:
    """An application whose primary contact never confirmed ends, with an email."""
    now = timezone.now()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().filter(pk=enrollment_id).first()
        if (
            enrollment is None
            or enrollment.status != EnrollmentStatus.PENDING_EMAIL_VERIFICATION
            or enrollment.expires_at is None
            or enrollment.expires_at > now
        ):
            return False
        enrollment = lock(enrollment)
        move(
            enrollment,
            EnrollmentStatus.EXPIRED,
            kind=EnrollmentEvent.Kind.EXPIRED,
            actor_label=SYSTEM,
            detail=_("The primary contact did not confirm the email address in time."),
            decided_at=now,
            due_at=None,
        )
        enrollment.email_verifications.filter(used_at__isnull=True, superseded_at__isnull=True).update(
            superseded_at=now
        )
        notify_contact(enrollment, "enrollment_expired", key=f"enrollment:{enrollment.pk}:expired")
    return True


def enrollments_due() -> dict[str, list]:
    """What the periodic sweep must do now."""
    now = timezone.now()
    pending = Enrollment.objects.filter(status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION)
    return {
        "expire": list(pending.filter(expires_at__lte=now).values_list("pk", flat=True)[:500]),
        "remind": list(
            pending.filter(remind_at__lte=now, reminder_sent_at__isnull=True, expires_at__gt=now).values_list(
                "pk", flat=True
            )[:500]
        ),
        # Checks whose task was lost (broker down at the time): run them now.
        "checks": list(
            Enrollment.objects.filter(
                status=EnrollmentStatus.IN_REVIEW, checks_started_at__isnull=True
            ).values_list("pk", flat=True)[:500]
        ),
    }
