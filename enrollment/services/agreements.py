"""Agreements: the global admin accepts the agreement after approval (the enrollment
becomes active); staff make a published version the current one.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events, rules
from ..models import AgreementAcceptance, AgreementTemplate, Enrollment, EnrollmentStatus, Partner
from ..permissions import require_agreement_manager, require_global_admin
from ..transition_rules import mark_completed
from .common import conflict, lock, move, notify_contact

# --- The agreement ----------------------------------------------------------------------------


def _current_template(template_id) -> AgreementTemplate | None:
    try:
        pk = uuid.UUID(str(template_id))
    except ValueError:
        return None
    return AgreementTemplate.objects.filter(pk=pk, is_current=True).first()


def validate_contact(contact, country: str) -> tuple[dict, dict]:
    """The primary contact on record at acceptance: names of 1 to 50 characters, a work
    email (no web-based or disposable mail service) and a phone number valid for the
    partner's country. Returns the normalized contact and the errors under
    ``primary_contact``."""
    clean, contact_errors = rules.normalize_contact(contact, country)
    return clean, ({"primary_contact": contact_errors} if contact_errors else {})


def _already_accepted_message():
    return _(
        "Your organization already accepted this agreement for its region. It is shown under "
        "Program info in your partner profile."
    )


def _enrollment_of(partner: Partner, program: str) -> Enrollment | None:
    """The open enrollment (at most one, by constraint), else the latest: its status is
    the one a refusal reports."""
    enrollments = Enrollment.objects.filter(partner=partner, program=program).order_by("-submitted_at")
    return enrollments.open().first() or enrollments.first()


def agreement_accept(*, actor, template_id, primary_contact: dict) -> AgreementAcceptance:
    """The global admin accepts the current agreement of a program whose enrollment is
    approved: the acceptance is recorded (template and so version, user, the primary
    contact on record, time) and the enrollment becomes active.

    "Once verified, a global admin accepts the Microsoft Partner Agreement" and "the
    agreement is accepted once per region" (DOMAIN.md): the region is the partner's
    market, and the constraint ``one_acceptance_per_region`` holds it in the database.
    """
    require_global_admin(actor)
    template = _current_template(template_id)
    if template is None:
        raise InvalidInput.on(
            "template_id", _("Choose one of the current agreements: this one is unknown or was replaced.")
        )
    partner = Partner.objects.filter(tenant_id=actor.tenant_id).first()
    if partner is None:
        raise InvalidTransition(
            "none",
            _("Your organization has not enrolled yet. Enroll first; the agreement comes after approval."),
        )
    contact, errors = validate_contact(primary_contact, partner.country.code)
    if errors:
        raise InvalidInput(errors)
    region = partner.market.code
    enrollment = _enrollment_of(partner, template.program)
    if enrollment is None:
        raise InvalidTransition(
            "none",
            _(
                "Your organization has no approved enrollment in this program. Enroll first; the agreement comes after approval."
            ),
        )
    try:
        with transaction.atomic():
            # Two admins accepting at once serialize on the enrollment row: the second sees
            # it active (and the acceptance recorded) and gets 409.
            enrollment = lock(enrollment)
            if AgreementAcceptance.objects.filter(
                partner=partner, program=template.program, region=region
            ).exists():
                raise conflict(enrollment, _already_accepted_message())
            now = timezone.now()
            acceptance = AgreementAcceptance.objects.create(
                partner=partner,
                template=template,
                program=template.program,
                region=region,
                accepted_by=actor,
                contact_first_name=contact["first_name"],
                contact_last_name=contact["last_name"],
                contact_email=contact["email"],
                contact_phone=contact["phone"],
                accepted_at=now,
            )
            move(
                enrollment,
                "accept_agreement",
                kind=events.AGREEMENT_ACCEPTED,
                actor=actor,
                message=_(
                    "The agreement can be accepted only once your enrollment is approved (it is “%(status)s”)."
                )
                % {"status": enrollment.get_status_display()},
                data={
                    "agreement": template.name,
                    "version": template.version,
                    "language": template.language,
                    "region": region,
                },
            )
            # A transition's enrollment: complete, the incentives invitation due from now.
            mark_completed(enrollment, now)
            notify_contact(
                enrollment,
                "enrollment_active",
                key=f"enrollment:{enrollment.pk}:active",
                agreement_name=template.name,
                agreement_version=template.version,
                accepted_by=actor.get_full_name(),
                accepted_at=now.isoformat(),
            )
    except IntegrityError as exc:
        # The constraint caught an acceptance the lock did not (another enrollment row).
        raise InvalidTransition(
            EnrollmentStatus.ACTIVE, _already_accepted_message(), label=EnrollmentStatus.ACTIVE.label
        ) from exc
    return acceptance


def agreement_template_make_current(*, actor, template: AgreementTemplate) -> AgreementTemplate:
    """Offer ``template`` for acceptance now: the other versions of its program and language
    are retired. Accepted versions stay what partners agreed to; doing it twice changes
    nothing the second time."""
    require_agreement_manager(actor)
    with transaction.atomic():
        # Lock every version of the program and language, in primary-key order: two staff
        # members making two versions current at once must leave exactly one current.
        versions = list(
            AgreementTemplate.objects.select_for_update()
            .filter(program=template.program, language=template.language)
            .order_by("pk")
        )
        template = next(v for v in versions if v.pk == template.pk)
        retired = [v.pk for v in versions if v.pk != template.pk and v.is_current]
        if template.is_current and not retired:
            return template
        AgreementTemplate.objects.filter(pk__in=retired).update(is_current=False)
        was_current = template.is_current
        template.is_current = True
        template.save(update_fields=["is_current"])
        record_event(
            template,
            events.AGREEMENT_TEMPLATE_MADE_CURRENT,
            actor=actor,
            from_state="current" if was_current else "retired",
            to_state="current",
            name=template.name,
            version=template.version,
            language=template.language,
            retired=len(retired),
        )
    return template
