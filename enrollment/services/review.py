"""The review: staff claim, decide checks and decide the file; the partner answers
requests and appeals checks with documents.

Two reviewers acting at once: both lock the enrollment row; the second re-checks the
state after the lock, finds it moved and gets ``InvalidTransition`` (409).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.core.errors import InvalidInput
from partnercenter.core.l10n import format_list

from .. import events
from ..business_days import add_business_days
from ..models import (
    CheckKind,
    CheckResult,
    DocumentType,
    Enrollment,
    EnrollmentDocument,
    VerificationCheck,
)
from ..permissions import require_global_admin, require_reviewer
from .common import agreement_url, lock, move, notify_contact, record, require_move
from .common import held_by_other as _held_by_other
from .common import lock_with_assignee as _lock_with_assignee
from .common import not_held as _not_held
from .direct_bill import STEPS_OF_THEIR_OWN, queue_credit_check

MESSAGE_MAX = 2000


def _required_text(value, field: str, message) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput.on(field, message)
    if len(text) > MESSAGE_MAX:
        raise InvalidInput.on(
            field,
            ngettext(
                "Shorten the text to at most %(max)d character.",
                "Shorten the text to at most %(max)d characters.",
                MESSAGE_MAX,
            )
            % {"max": MESSAGE_MAX},
        )
    return text


def _lock_for_decision(actor, enrollment: Enrollment, action: str) -> Enrollment:
    enrollment = _lock_with_assignee(enrollment)
    require_move(enrollment, action, _("This enrollment is no longer in review."))
    if _held_by_other(enrollment, actor):
        raise _not_held(enrollment)
    return enrollment


# --- Staff --------------------------------------------------------------------------------------


def enrollment_claim(*, actor, enrollment: Enrollment) -> Enrollment:
    """Take an enrollment; 409 if another reviewer holds it."""
    require_reviewer(actor)
    with transaction.atomic():
        enrollment = _lock_with_assignee(enrollment)
        require_move(enrollment, "claim", _("This enrollment is decided; there is nothing to claim."))
        if _held_by_other(enrollment, actor):
            raise _not_held(enrollment)
        if enrollment.assignee_id == actor.pk:
            return enrollment
        enrollment.assignee, enrollment.claimed_at = actor, timezone.now()
        enrollment.save(update_fields=["assignee", "claimed_at", "updated_at"])
        record(enrollment, events.CLAIMED, actor=actor)
    return enrollment


def enrollment_release(*, actor, enrollment: Enrollment) -> Enrollment:
    """Give an enrollment back to the queue (its holder, or a superuser)."""
    require_reviewer(actor)
    with transaction.atomic():
        enrollment = _lock_with_assignee(enrollment)
        if enrollment.assignee_id is None:
            return enrollment
        if _held_by_other(enrollment, actor) and not actor.is_superuser:
            raise _not_held(enrollment)
        enrollment.assignee, enrollment.claimed_at = None, None
        enrollment.save(update_fields=["assignee", "claimed_at", "updated_at"])
        record(enrollment, events.RELEASED, actor=actor)
    return enrollment


def _taken(enrollment: Enrollment, actor) -> dict:
    """Deciding an unclaimed enrollment claims it: the fields the decision's move saves."""
    if enrollment.assignee_id is None:
        return {"assignee": actor, "claimed_at": timezone.now()}
    return {}


def enrollment_approve(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    """Verified. Every check must be passed or waived first."""
    require_reviewer(actor)
    note = (note or "").strip()[:MESSAGE_MAX] if isinstance(note, str) else ""
    with transaction.atomic():
        enrollment = _lock_for_decision(actor, enrollment, "approve")
        unsettled = [
            str(CheckKind(kind).label)
            for kind in enrollment.checks.exclude(
                result__in=[CheckResult.PASSED, CheckResult.WAIVED]
            ).values_list("kind", flat=True)
        ]
        if unsettled:
            raise InvalidInput(
                {
                    "non_field_errors": [
                        _("Pass or waive every check before approving. Still open: %(checks)s.")
                        % {"checks": format_list(unsettled)}
                    ]
                }
            )
        move(
            enrollment,
            "approve",
            kind=events.APPROVED,
            actor=actor,
            note=note,
            decided_at=timezone.now(),
            due_at=None,
            **_taken(enrollment, actor),
        )
        notify_contact(
            enrollment,
            "enrollment_approved",
            key=f"enrollment:{enrollment.pk}:approved",
            agreement_url=agreement_url(enrollment),
        )
    return enrollment


def enrollment_reject(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    """Rejected, always with a reason that reaches the partner."""
    require_reviewer(actor)
    reason = _required_text(
        reason, "reason", _("Give the reason for the rejection: the partner receives it.")
    )
    with transaction.atomic():
        enrollment = _lock_for_decision(actor, enrollment, "reject")
        move(
            enrollment,
            "reject",
            kind=events.REJECTED,
            actor=actor,
            note=reason,
            decided_at=timezone.now(),
            due_at=None,
            decision_reason=reason,
            **_taken(enrollment, actor),
        )
        notify_contact(
            enrollment, "enrollment_rejected", key=f"enrollment:{enrollment.pk}:rejected", reason=reason
        )
    return enrollment


def enrollment_request_info(*, actor, enrollment: Enrollment, message: str) -> Enrollment:
    """Ask the partner for information; the review waits for the answer."""
    require_reviewer(actor)
    message = _required_text(message, "message", _("Write what the partner must provide."))
    with transaction.atomic():
        enrollment = _lock_for_decision(actor, enrollment, "request_info")
        event = move(
            enrollment,
            "request_info",
            kind=events.INFO_REQUESTED,
            actor=actor,
            note=message,
            due_at=None,
            **_taken(enrollment, actor),
        )
        notify_contact(
            enrollment, "enrollment_action_needed", key=f"enrollment-event:{event.pk}", message=message
        )
    return enrollment


def check_decide(
    *, actor, enrollment: Enrollment, kind: str, result: str, note: str = ""
) -> VerificationCheck:
    """Pass, fail or waive one check. Failing or waiving needs a note: reasons are
    always given."""
    require_reviewer(actor)
    if result not in events.CHECK_DECIDED:
        raise InvalidInput.on("result", _("Choose passed, failed or waived."))
    if result == CheckResult.PASSED:
        note = (note or "").strip()[:MESSAGE_MAX] if isinstance(note, str) else ""
    else:
        note = _required_text(note, "note", _("Say why: the note is shown to the partner with the check."))
    with transaction.atomic():
        enrollment = _lock_with_assignee(enrollment)
        require_move(
            enrollment, "decide_check", _("Checks can be decided only while the enrollment is in review.")
        )
        if _held_by_other(enrollment, actor):
            raise _not_held(enrollment)
        check = VerificationCheck.objects.select_for_update().filter(enrollment=enrollment, kind=kind).first()
        if check is None:
            raise InvalidInput.on("kind", _("This enrollment has no such check."))
        if kind in STEPS_OF_THEIR_OWN:
            raise InvalidInput.on("kind", STEPS_OF_THEIR_OWN[kind])
        if taken := _taken(enrollment, actor):
            for name, value in taken.items():
                setattr(enrollment, name, value)
            enrollment.save(update_fields=[*taken, "updated_at"])
        check.result, check.decided_by, check.checked_at = result, actor, timezone.now()
        if note:
            check.detail = note  # people's words, shown as written in place of the system's
        check.save(
            update_fields=[
                "result",
                "decided_by",
                "checked_at",
                "detail_code",
                "detail_params",
                "detail_text",
            ]
        )
        record(enrollment, events.CHECK_DECIDED[result], actor=actor, note=note, check=kind)
        queue_credit_check(enrollment)  # business verification may be the last step it waits for
    return check


# --- The partner ------------------------------------------------------------------------------


def enrollment_respond(
    *, actor, enrollment: Enrollment, message: str, kind: str = "", document_type: str = "", document=None
) -> Enrollment:
    """The partner answers a request for information; the review continues. A document may
    go in with the answer (``kind``, ``document_type``, ``document``, as for an appeal): it
    is saved and its check goes back to pending, in the same change (one audit row)."""
    require_global_admin(actor)
    message = _required_text(message, "message", _("Write your answer to the reviewer's request."))
    attached = document is not None or bool(document_type)
    if attached and (errors := _document_errors(kind, document_type, document)):
        raise InvalidInput(errors)
    with transaction.atomic():
        enrollment = lock(enrollment)
        require_move(enrollment, "respond", _("No request for information is waiting for an answer."))
        if attached:
            _attach_document(enrollment, actor, kind, document_type, "", document)
        move(
            enrollment,
            "respond",
            kind=events.RESPONDED_WITH_DOCUMENT if attached else events.RESPONDED,
            actor=actor,
            note=message,
            message=_("No request for information is waiting for an answer."),
            data={"check": kind, "document_type": document_type} if attached else None,
            due_at=add_business_days(
                timezone.now(), settings.REVIEW_BUSINESS_DAYS, enrollment.calendar_country
            ),
        )
    return enrollment


# What a document must start with to be of an accepted type (checked by content).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


def _sniff(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    return None


def _document_errors(kind, document_type, document) -> dict[str, list]:
    """What is wrong with a document for a check: the check, its type, the file itself
    (PDF, PNG or JPEG by content, at most DOCUMENT_MAX_BYTES)."""
    errors: dict[str, list] = {}
    if kind not in CheckKind.values:
        errors["check"] = [_("Choose the check you are answering.")]
    if document_type not in DocumentType.values:
        errors["document_type"] = [
            _(
                "Choose the type of document: proof of domain ownership, business registration or tax registration."
            )
        ]
    if document is None:
        errors["document"] = [_("Attach the document (PDF, PNG or JPEG).")]
    elif document.size > settings.DOCUMENT_MAX_BYTES:
        errors["document"] = [
            _("The file is too large (%(size)d MB). Upload at most %(max)d MB.")
            % {"size": round(document.size / 1048576) or 1, "max": settings.DOCUMENT_MAX_BYTES // 1048576}
        ]
    elif _sniff(document) is None:
        errors["document"] = [_("Upload a PDF, PNG or JPEG file. Other types are not accepted.")]
    return errors


def _attach_document(
    enrollment: Enrollment, actor, kind, document_type, comment, document
) -> EnrollmentDocument:
    """Save the document for the (locked) enrollment's check, which goes back to pending."""
    check = VerificationCheck.objects.select_for_update().filter(enrollment=enrollment, kind=kind).first()
    if check is None or check.result not in (CheckResult.FAILED, CheckResult.PENDING):
        raise InvalidInput.on("check", _("Only a failed or questioned check can be appealed."))
    saved = EnrollmentDocument.objects.create(
        enrollment=enrollment,
        verification_check=check,
        document_type=document_type,
        file=document,
        original_name=(getattr(document, "name", "") or "document")[:255],
        content_type=_sniff(document),
        size=document.size,
        comment=comment,
        uploaded_by=actor,
    )
    check.result, check.checked_at, check.decided_by = CheckResult.PENDING, None, None
    check.save(update_fields=["result", "checked_at", "decided_by"])
    return saved


def enrollment_appeal(
    *, actor, enrollment: Enrollment, kind: str, document_type: str, comment: str, document
) -> EnrollmentDocument:
    """Appeal a failed or questioned check with a document of a stated type: the check
    goes back to pending. The enrollment keeps its status: a file waiting for the partner
    still waits for the answer to the request (``enrollment_respond``)."""
    require_global_admin(actor)
    errors = _document_errors(kind, document_type, document)
    comment = (comment or "").strip()[:MESSAGE_MAX] if isinstance(comment, str) else ""
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        enrollment = lock(enrollment)
        require_move(
            enrollment,
            "appeal",
            _("Documents can be added only while the enrollment is in review or waits for you."),
        )
        saved = _attach_document(enrollment, actor, kind, document_type, comment, document)
        move(
            enrollment,
            "appeal",
            kind=events.APPEAL_SUBMITTED,
            actor=actor,
            note=comment,
            data={"check": kind, "document_type": document_type},
        )
    return saved
