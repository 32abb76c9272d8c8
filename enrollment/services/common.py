"""Shared steps of every enrollment state change: the lock, the move along
``TRANSITIONS``, the event row and the email to the primary contact after commit."""

from django.conf import settings
from django.utils.translation import gettext as _

from partnercenter.core.errors import InvalidTransition
from partnercenter.notifications.services import notification_queue

from ..models import Enrollment, EnrollmentEvent

SYSTEM = "system"


def actor_label_for(actor) -> str:
    if actor is None:
        return SYSTEM
    return f"{actor.get_full_name()} <{actor.email}>"


def record_event(
    enrollment, *, kind, actor=None, actor_label=None, from_status="", detail=""
) -> EnrollmentEvent:
    return EnrollmentEvent.objects.create(
        enrollment=enrollment,
        kind=kind,
        actor=actor,
        actor_label=actor_label or actor_label_for(actor),
        from_status=from_status,
        to_status=enrollment.status,
        detail=detail,
    )


def move(enrollment: Enrollment, to: str, *, kind, actor=None, actor_label=None, detail="", **fields) -> None:
    """Move a locked enrollment to ``to`` along ``TRANSITIONS``, saving only what changed."""
    if not enrollment.can_move_to(to):
        raise InvalidTransition(
            enrollment.status,
            _("This action is not possible while the application is “%(status)s”.")
            % {"status": enrollment.get_status_display()},
        )
    old = enrollment.status
    enrollment.status = to
    for name, value in fields.items():
        setattr(enrollment, name, value)
    enrollment.save(update_fields=["status", "updated_at", *fields])
    record_event(enrollment, kind=kind, actor=actor, actor_label=actor_label, from_status=old, detail=detail)


def lock(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().select_related("partner").get(pk=enrollment.pk)


def _status_url(enrollment: Enrollment) -> str:
    return f"{settings.SITE_URL}/enrollments/{enrollment.pk}/"


def _email_context(enrollment: Enrollment, **extra) -> dict:
    partner = enrollment.partner
    return {
        "first_name": partner.contact_first_name,
        "legal_name": partner.legal_name,
        "program": enrollment.program,
        "enrollment_id": str(enrollment.pk),
        "status_url": _status_url(enrollment),
        **extra,
    }


def notify_contact(enrollment: Enrollment, template: str, key: str, **extra) -> None:
    partner = enrollment.partner
    notification_queue(
        template=template,
        recipient=partner.contact_email,
        language=partner.language,
        context=_email_context(enrollment, **extra),
        key=key,
    )
