"""Shared steps of every enrollment state change: the lock, the move along ``MOVES``, the
audit row and the email to the primary contact after commit."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from partnercenter.audit.kinds import EventKind
from partnercenter.audit.services import event_for, record_event
from partnercenter.core.errors import InvalidTransition
from partnercenter.notifications.services import notification_queue

from ..models import MOVES, Enrollment


def conflict(enrollment: Enrollment, message=None) -> InvalidTransition:
    """The 409 of an action the enrollment's status does not allow, saying why."""
    return InvalidTransition(
        enrollment.status,
        message
        or _("This action is not possible while the application is “%(status)s”.")
        % {"status": enrollment.get_status_display()},
        label=enrollment.get_status_display(),
    )


def require_move(enrollment: Enrollment, action: str, message=None) -> None:
    """409 unless ``action`` may start from the enrollment's status (``MOVES``)."""
    if not enrollment.can(action):
        raise conflict(enrollment, message)


def record(enrollment: Enrollment, kind: EventKind, *, actor=None, from_status=None, **fields):
    """The enrollment's audit row, filed in its partner's history."""
    return record_event(**_event_fields(enrollment, kind, actor=actor, from_status=from_status, **fields))


def event_of(enrollment: Enrollment, kind: EventKind, *, actor=None, from_status=None, **fields):
    """``record``'s row, unsaved: a batch writes them with ``audit.services.record_events``."""
    return event_for(**_event_fields(enrollment, kind, actor=actor, from_status=from_status, **fields))


def _event_fields(enrollment: Enrollment, kind: EventKind, *, actor=None, from_status=None, **fields) -> dict:
    return dict(
        obj=enrollment,
        kind=kind,
        actor=actor,
        tenant=enrollment.partner.tenant_id,
        from_state=enrollment.status if from_status is None else from_status,
        to_state=enrollment.status,
        **fields,
    )


def move(
    enrollment: Enrollment,
    action: str,
    *,
    kind: EventKind,
    actor=None,
    actor_label=None,
    note="",
    message=None,
    data=None,
    **fields,
):
    """Move a locked enrollment by ``action`` along ``MOVES``, save only what changed and
    write the one audit row (returned)."""
    require_move(enrollment, action, message)
    old = enrollment.status
    enrollment.status = MOVES[action].target or old
    for name, value in fields.items():
        setattr(enrollment, name, value)
    enrollment.save(update_fields=["status", "updated_at", *fields])
    return record(
        enrollment,
        kind,
        actor=actor,
        actor_label=actor_label,
        from_status=old,
        note=note,
        **(data or {}),
    )


def lock(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().select_related("partner").get(pk=enrollment.pk)


def _status_url(enrollment: Enrollment) -> str:
    return f"{settings.SITE_URL}/enrollments/{enrollment.pk}/"


def agreement_url(enrollment: Enrollment) -> str:
    """The page where the global admin reads and accepts the enrollment's agreement."""
    query = urlencode({"program": enrollment.program})
    return f"{settings.SITE_URL}{reverse('enrollment:agreement')}?{query}"


def email_context(enrollment: Enrollment, **extra) -> dict:
    partner = enrollment.partner
    return {
        "first_name": partner.contact_first_name,
        "legal_name": partner.legal_name,
        "program": enrollment.program,
        "enrollment_id": str(enrollment.pk),
        "status_url": _status_url(enrollment),
        **extra,
    }


def contact_email(enrollment: Enrollment, template: str, key: str, **extra) -> dict:
    """The email to the primary contact, as ``notification_queue``'s keyword arguments."""
    partner = enrollment.partner
    return {
        "template": template,
        "recipient": partner.contact_email,
        "language": partner.language,
        "context": email_context(enrollment, **extra),
        "key": key,
    }


def notify_contact(enrollment: Enrollment, template: str, key: str, **extra) -> None:
    notification_queue(**contact_email(enrollment, template, key, **extra))
