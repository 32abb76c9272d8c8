"""The application: validate it, enroll now, resend the confirmation link, withdraw.

Each state change checks the actor's right, locks the row, re-checks the state after the
lock, moves it along ``MOVES``, writes one audit row and queues its email after commit.
Views, the API, the admin and tasks all call these.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.accounts.models import Tenant
from partnercenter.core.errors import InvalidInput

from .. import check_details as D
from .. import events, rules
from ..business_days import add_business_days, day_length
from ..models import (
    BankAccount,
    CheckKind,
    CheckResult,
    Enrollment,
    EnrollmentStatus,
    Language,
    MpnProfile,
    Partner,
    Program,
    VerificationCheck,
)
from ..permissions import ONLY_THE_GLOBAL_ADMIN_ENROLLS, require_global_admin
from ..programs import applications_closed_message, program_availability
from ..transition_rules import refuse_rollback
from .common import lock, move, notify_contact, record, require_move
from .direct_bill import direct_bill_open
from .links import issue_email_verification, supersede_links
from .mpn import mpn_link

# --- Validation of a whole application ----------------------------------------------------


def validate_application(*, tenant: Tenant, application: dict) -> tuple[dict, dict]:
    """Check an application (the shape of ``POST /api/v1/enrollments/``) against every
    rule; return the normalized application and the errors nested as the input is."""
    app = application if isinstance(application, dict) else {}
    errors = rules.Errors()
    clean: dict = {}

    program = app.get("program")
    for message in program_errors(tenant, program):
        errors.add("program", message)
    clean["program"] = program

    record, mpn_messages = rules.mpn_errors(app.get("mpn_id"), tenant)
    for message in mpn_messages:
        errors.add("mpn_id", message)
    clean["mpn_id"] = (app.get("mpn_id") or "").strip() if isinstance(app.get("mpn_id"), str) else ""
    clean["mpn_record"] = record

    profile = app.get("legal_business_profile")
    profile = profile if isinstance(profile, dict) else {}
    for message in rules.name_errors(profile.get("company_name"), rules.COMPANY_NAME):
        errors.add("legal_business_profile.company_name", message)
    address = profile.get("address") if isinstance(profile.get("address"), dict) else {}
    clean_address, address_errors = rules.normalize_address(address)
    errors.merge("legal_business_profile.address.", address_errors)
    country = clean_address["country"]
    clean["legal_business_profile"] = {
        "company_name": str(profile.get("company_name") or "").strip(),
        "address": clean_address,
    }

    clean["primary_contact"], contact_errors = rules.normalize_contact(app.get("primary_contact"), country)
    errors.merge("primary_contact.", contact_errors)

    support = app.get("support_profile")
    support = support if isinstance(support, dict) else {}
    for message in rules.email_errors(support.get("email")):
        errors.add("support_profile.email", message)
    support_phone, phone_messages = rules.normalize_phone(support.get("phone"), country)
    for message in phone_messages:
        errors.add("support_profile.phone", message)
    for message in rules.website_errors(support.get("website")):
        errors.add("support_profile.website", message)
    clean["support_profile"] = {
        "email": str(support.get("email") or "").strip().lower(),
        "phone": support_phone,
        "website": str(support.get("website") or "").strip(),
    }

    bank, bank_errors = rules.normalize_bank_account(app.get("bank_account"), country)
    errors.merge("bank_account.", bank_errors)
    clean["bank_account"] = bank

    language = app.get("language") or Language.EN
    if language not in Language.values:
        errors.add("language", _("Choose a language: en, zh-hant, zh-hans or ru."))
    clean["language"] = language
    return clean, errors.tree


def program_errors(tenant: Tenant, program) -> list[str]:
    """A known program, open for applications, with no open or approved enrollment of
    this partner in it (at most one per partner and program)."""
    if program not in Program.values:
        return [_("Choose a program: indirect_reseller or direct_bill.")]
    availability = program_availability(program)
    if not availability.applications_open:
        return [applications_closed_message(availability)]
    if _has_open_enrollment(tenant, program):
        return [_open_enrollment_message()]
    return []


def _has_open_enrollment(tenant: Tenant, program: str) -> bool:
    return Enrollment.objects.open().filter(partner__tenant=tenant, program=program).exists()


def _open_enrollment_message() -> str:
    return _(
        "Your organization already has an open or approved enrollment in this program. "
        "Follow it on its status page, or withdraw it before applying again."
    )


# --- The state changes -----------------------------------------------------------------------


def enrollment_submit(*, actor, application: dict) -> Enrollment:
    """Enroll now: record the partner's profile and a new enrollment waiting for the
    primary contact to confirm their email, and email them the link."""
    require_global_admin(actor, ONLY_THE_GLOBAL_ADMIN_ENROLLS)
    tenant = actor.tenant
    clean, errors = validate_application(tenant=tenant, application=application)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            # Two submissions by one partner serialize on the tenant row, so the
            # open-enrollment check below sees the other's enrollment.
            Tenant.objects.select_for_update().get(pk=tenant.pk)
            if _has_open_enrollment(tenant, clean["program"]):
                raise InvalidInput.on("program", _open_enrollment_message())
            # Two tenants submitting one MPN ID serialize on its registry row.
            MpnProfile.objects.select_for_update().filter(mpn_id=clean["mpn_id"]).first()
            if Enrollment.objects.holding_mpn(clean["mpn_id"], other_than=tenant).exists():
                raise InvalidInput.on("mpn_id", rules.mpn_held_message(clean["mpn_id"]))
            clean["mpn_linked_via"], clean["mpn_evidence"] = mpn_link(actor, clean["mpn_id"])
            partner = _partner_save(tenant, clean)
            now = timezone.now()
            enrollment = Enrollment.objects.create(
                partner=partner,
                program=clean["program"],
                status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION,
                submitted_by=actor,
                submitted_at=now,
                application=_application_record(clean),
                # The sweep reminds after one business day and ends the application after
                # ENROLLMENT_EXPIRY_DAYS if the primary contact never confirms.
                remind_at=add_business_days(now, 1, partner.country.code),
                expires_at=now + settings.ENROLLMENT_EXPIRY_DAYS * day_length(),
            )
            _record_submission_checks(enrollment, clean)
            issue_email_verification(enrollment)
            record(enrollment, events.SUBMITTED, actor=actor, from_status="", email=partner.contact_email)
    except IntegrityError as exc:
        # The partial unique constraint caught a race the lock did not (another process).
        raise InvalidInput.on("program", _open_enrollment_message()) from exc
    return enrollment


def _partner_save(tenant: Tenant, clean: dict) -> Partner:
    profile, address = clean["legal_business_profile"], clean["legal_business_profile"]["address"]
    contact, support = clean["primary_contact"], clean["support_profile"]
    fields = {
        "mpn_id": clean["mpn_id"],
        "mpn_linked_via": clean["mpn_linked_via"],
        "mpn_evidence": clean["mpn_evidence"],
        "legal_name": profile["company_name"],
        "address_line1": address["line1"],
        "address_line2": address["line2"],
        "city": address["city"],
        "state": address["state"],
        "postal_code": address["postal_code"],
        "country": address["country"],
        "contact_first_name": contact["first_name"],
        "contact_last_name": contact["last_name"],
        "contact_email": contact["email"],
        "contact_phone": contact["phone"],
        "support_email": support["email"],
        "support_phone": support["phone"],
        "support_website": support["website"],
        "language": clean["language"],
    }
    partner, _created = Partner.objects.update_or_create(tenant=tenant, defaults=fields)
    bank = clean["bank_account"]
    BankAccount.objects.update_or_create(
        partner=partner,
        defaults={
            "holder_name": bank["holder_name"],
            "iban": bank.get("iban", ""),
            "bic": bank.get("bic", ""),
            "account_number": bank.get("account_number", ""),
            "routing_number": bank.get("routing_number", ""),
            "last4": bank["last4"],
        },
    )
    return partner


def _application_record(clean: dict) -> dict:
    """What was submitted, for the reviewer: bank numbers masked, never stored in clear."""
    bank = clean["bank_account"]
    return {
        "program": clean["program"],
        "mpn_id": clean["mpn_id"],
        "mpn_linked_via": clean["mpn_linked_via"],
        "mpn_evidence": clean["mpn_evidence"],
        "legal_business_profile": clean["legal_business_profile"],
        "primary_contact": clean["primary_contact"],
        "support_profile": clean["support_profile"],
        "bank_account": {
            "holder_name": bank["holder_name"],
            "last4": bank["last4"],
            "bic": bank.get("bic", ""),
        },
        "language": clean["language"],
    }


def _record_submission_checks(enrollment: Enrollment, clean: dict) -> None:
    """The checks settled by the time of submission, with their evidence; email ownership
    waits for the primary contact."""
    now = timezone.now()
    record = clean["mpn_record"]
    evidence = {
        "registry": {
            "mpn_id": record.mpn_id,
            "company_name": record.company_name,
            "country": record.country,
            "status": record.status,
        }
    }
    tenant_country = enrollment.partner.tenant.country.code
    VerificationCheck.objects.bulk_create(
        [
            VerificationCheck(
                enrollment=enrollment,
                kind=CheckKind.EMAIL_OWNERSHIP,
                result=CheckResult.PENDING,
                detail=D.EMAIL_WAITING(email=enrollment.partner.contact_email),
                evidence={"email": enrollment.partner.contact_email},
            ),
            VerificationCheck(
                enrollment=enrollment,
                kind=CheckKind.MPN_STATUS,
                result=CheckResult.PASSED,
                checked_at=now,
                detail=D.MPN_ACTIVE_AT_SUBMISSION(mpn_id=record.mpn_id),
                evidence=evidence,
            ),
            VerificationCheck(
                enrollment=enrollment,
                kind=CheckKind.MPN_COUNTRY,
                result=CheckResult.PASSED,
                checked_at=now,
                detail=D.MPN_COUNTRY_AT_SUBMISSION(mpn_country=record.country, tenant_country=tenant_country),
                evidence={**evidence, "tenant_country": tenant_country},
            ),
            VerificationCheck(
                enrollment=enrollment,
                kind=CheckKind.BANK_ACCOUNT,
                result=CheckResult.PASSED,
                checked_at=now,
                detail=D.BANK_WELL_FORMED(),
                evidence={
                    "last4": clean["bank_account"]["last4"],
                    "bic": clean["bank_account"].get("bic", ""),
                },
            ),
            # Direct bill adds its questionnaire, credit check and support plan.
            *(direct_bill_open(enrollment, now) if enrollment.is_direct_bill else []),
        ]
    )


def enrollment_resend_verification_email(*, actor, enrollment: Enrollment) -> Enrollment:
    """A new link to the primary contact; the earlier one stops working."""
    require_global_admin(actor)
    with transaction.atomic():
        enrollment = lock(enrollment)
        require_move(
            enrollment,
            "resend_email",
            _("The email address is already confirmed or the application is closed."),
        )
        issue_email_verification(enrollment)
        record(
            enrollment,
            events.VERIFICATION_EMAIL_RESENT,
            actor=actor,
            email=enrollment.partner.contact_email,
        )
    return enrollment


def enrollment_withdraw(*, actor, enrollment: Enrollment, reason: str = "") -> Enrollment:
    """The partner withdraws before a decision."""
    require_global_admin(actor)
    reason = reason.strip()[:1000] if isinstance(reason, str) else ""
    with transaction.atomic():
        enrollment = lock(enrollment)
        refuse_rollback(enrollment)  # a transition's enrollment: there is no rollback
        now = timezone.now()
        move(
            enrollment,
            "withdraw",
            kind=events.WITHDRAWN,
            actor=actor,
            note=reason,
            message=_("Only an application without a decision can be withdrawn."),
            decided_at=now,
            due_at=None,
        )
        supersede_links(enrollment, now)
        notify_contact(enrollment, "enrollment_withdrawn", key=f"enrollment:{enrollment.pk}:withdrawn")
    return enrollment
