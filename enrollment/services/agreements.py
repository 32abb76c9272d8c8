"""Writes after approval: the global admin accepts the agreement (the enrollment becomes
active) and the business profile customers are referred on.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnercenter.accounts.models import Role
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import rules
from ..models import (
    OPEN_STATUSES,
    AgreementAcceptance,
    AgreementTemplate,
    BusinessProfile,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Partner,
)
from ..permissions import require_global_admin
from .common import lock, move, notify_contact

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
    return enrollments.filter(status__in=[s.value for s in OPEN_STATUSES]).first() or enrollments.first()


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
                raise InvalidTransition(enrollment.status, _already_accepted_message())
            if enrollment.status != EnrollmentStatus.APPROVED:
                raise InvalidTransition(
                    enrollment.status,
                    _(
                        "The agreement can be accepted only once your enrollment is approved (it is “%(status)s”)."
                    )
                    % {"status": enrollment.get_status_display()},
                )
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
                EnrollmentStatus.ACTIVE,
                kind=EnrollmentEvent.Kind.AGREEMENT_ACCEPTED,
                actor=actor,
                detail=f"{template.name} {template.version} ({template.language}), region {region}",
            )
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
        raise InvalidTransition(EnrollmentStatus.ACTIVE, _already_accepted_message()) from exc
    return acceptance


# --- The business profile ----------------------------------------------------------------------

DESCRIPTION_MAX = 2000
LIST_ITEM_MAX = 60
LIST_MAX_ITEMS = 20
BUSINESS_PROFILE_ROLES = (Role.GLOBAL_ADMIN, Role.BUSINESS_PROFILE_ADMIN)


def require_business_profile_admin(actor) -> None:
    """The business profile admin (or the global admin) edits the business profile."""
    if not (
        actor and actor.is_authenticated and any(actor.has_role(role) for role in BUSINESS_PROFILE_ROLES)
    ):
        raise NotPermitted(
            gettext_lazy(
                "Only the business profile admin or the global admin can edit the business profile. "
                "Ask your global admin for the role."
            )
        )


def _short_strings(value, label) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)):
        return [], [_("Give the %(label)s as a list of short texts.") % {"label": label}]
    items: list[str] = []
    for item in value:
        if not isinstance(item, str):
            return [], [_("Give the %(label)s as a list of short texts.") % {"label": label}]
        item = " ".join(item.split())
        if len(item) > LIST_ITEM_MAX:
            return [], [
                _("Shorten each of the %(label)s to at most %(max)d characters (“%(item)s…” is longer).")
                % {"label": label, "max": LIST_ITEM_MAX, "item": item[:20]}
            ]
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    if len(items) > LIST_MAX_ITEMS:
        return [], [
            _("Name at most %(max)d %(label)s (you gave %(count)d).")
            % {"max": LIST_MAX_ITEMS, "label": label, "count": len(items)}
        ]
    return items, []


def validate_business_profile(data: dict) -> tuple[dict, dict]:
    """Only the fields given are checked and returned (a partial update)."""
    data = data if isinstance(data, dict) else {}
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    if "description" in data:
        text, messages = rules.normalize_description(data["description"], DESCRIPTION_MAX, _("Describe your company in plain text."))
        if messages:
            errors["description"] = messages
        else:
            clean["description"] = text
    if "website" in data:
        website, messages = rules.normalize_website(data["website"])
        if messages:
            errors["website"] = messages
        else:
            clean["website"] = website
    for key, label in (("industries", _("industries")), ("services", _("services"))):
        if key in data:
            items, messages = _short_strings(data[key], label)
            if messages:
                errors[key] = messages
            else:
                clean[key] = items
    return clean, errors


def business_profile_update(*, actor, data: dict) -> BusinessProfile:
    """Edit the profile customers are referred on; only the fields given change."""
    require_business_profile_admin(actor)
    partner = Partner.objects.filter(tenant_id=actor.tenant_id).first()
    if partner is None:
        raise InvalidTransition(
            "none",
            _("Your organization has not enrolled yet. Enroll first, then set up the business profile."),
        )
    clean, errors = validate_business_profile(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        # Lock the partner row: the profile may not exist yet, and two editors must not
        # both create it.
        Partner.objects.select_for_update().get(pk=partner.pk)
        profile, _created = BusinessProfile.objects.get_or_create(partner=partner)
        for name, value in clean.items():
            setattr(profile, name, value)
        profile.updated_by = actor
        profile.save(update_fields=[*clean, "updated_by", "updated_at"])
    return profile
