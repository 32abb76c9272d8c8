"""From direct bill to indirect reseller (DOMAIN.md, "Direct bill to indirect reseller
transition"; the row and its predicates are ``enrollment.transition``).

- ``transition_flag`` / ``transition_unflag``: program staff identify an active direct-bill
  partner for offboarding (and take it back while the partner has not started).
- ``transition_start``: *Enroll now* (again, in a new enrollment, when the last one ended
  without becoming active: ``IndirectTransition.is_started``). The global admin confirms the details on record; an
  indirect-reseller enrollment is made on the same tenant from the partner's data. The
  primary contact's email is confirmed already (in the direct-bill enrollment), so no new
  confirmation link is sent: the enrollment starts in review, its decision due in
  TRANSITION_APPROVAL_WORKING_DAYS working days, and the automated checks are queued.
- ``transition_approval.transition_auto_approve``: when the checks pass (a check still waiting for a person
  that the active direct-bill enrollment passed counts as passed) the enrollment is
  approved at once; otherwise a reviewer decides it in the queue like any enrollment.
- ``enrollment.transition_rules.mark_completed`` (a step of ``agreements.agreement_accept``, in
  its transaction and audit row): the agreement accepted, the transition is complete and
  the incentives invitation falls due.

There is no rollback: nothing here or elsewhere undoes a started transition (the refusals
are ``enrollment.transition.NO_ROLLBACK``).

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import events, tasks
from ..business_days import add_business_days
from ..models import (
    OPEN_STATUSES,
    CheckKind,
    CheckResult,
    Enrollment,
    EnrollmentStatus,
    Partner,
    Program,
    VerificationCheck,
)
from ..permissions import require_reviewer
from ..transition import (
    CARRIED_FROM_DIRECT_BILL,
    NO_ROLLBACK,
    NOT_IDENTIFIED,
    IndirectTransition,
)
from ..transition_rules import offered_transition
from .common import notify_contact, record

logger = logging.getLogger(__name__)

NOTE_MAX = 2000
SETTLED = (CheckResult.PASSED, CheckResult.WAIVED)


def _partner_data(partner: Partner) -> dict:
    return {"partner_name": partner.legal_name, "partner_id": str(partner.pk)}


def _lock_partner(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


def _locked_transition(partner: Partner) -> IndirectTransition | None:
    return IndirectTransition.objects.select_for_update().filter(partner=partner).first()


def _started_refusal(row: IndirectTransition) -> InvalidTransition:
    return InvalidTransition("started", NO_ROLLBACK)


# --- Identified for offboarding (program staff) ---------------------------------------------------


def transition_flag(*, actor, partner: Partner, note: str = "") -> IndirectTransition:
    """Identify an active direct-bill partner for offboarding: its global admin is offered
    *Become an indirect reseller*. A partner flagged already, or not an active direct-bill
    partner, is refused (409)."""
    require_reviewer(actor)
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise InvalidInput.on("note", _("Write the note as text of at most 2000 characters."))
    with transaction.atomic():
        partner = _lock_partner(partner)
        if not partner.is_active_in(Program.DIRECT_BILL):
            raise InvalidTransition(
                "not_direct_bill",
                _("Only an active direct-bill partner can be identified for offboarding."),
            )
        if _locked_transition(partner) is not None:
            raise InvalidTransition(
                "flagged", _("This partner is already identified for offboarding. Nothing was changed.")
            )
        now = timezone.now()
        row = IndirectTransition.objects.create(
            partner=partner, flagged_at=now, flagged_by=actor, flag_note=note.strip()
        )
        record_event(
            partner,
            events.TRANSITION_FLAGGED,
            actor=actor,
            tenant=partner.tenant_id,
            from_state="",
            to_state="flagged",
            note=row.flag_note,
            at=now,
            **_partner_data(partner),
        )
    return row


def transition_unflag(*, actor, partner: Partner, note: str = "") -> Partner:
    """Take the flag back before the partner selected *Enroll now*; afterwards there is no
    rollback (409)."""
    require_reviewer(actor)
    note = note.strip()[:NOTE_MAX] if isinstance(note, str) else ""
    with transaction.atomic():
        partner = _lock_partner(partner)
        row = _locked_transition(partner)
        if row is None:
            raise InvalidTransition(
                "none", _("This partner is not identified for offboarding. Nothing was changed.")
            )
        if row.is_started:
            raise _started_refusal(row)
        row.delete()
        record_event(
            partner,
            events.TRANSITION_UNFLAGGED,
            actor=actor,
            tenant=partner.tenant_id,
            from_state="flagged",
            to_state="",
            note=note,
            **_partner_data(partner),
        )
    return partner


# --- Enroll now (the partner's global admin) -----------------------------------------------------------


def _application(partner: Partner) -> dict:
    """The indirect-reseller application made from the partner's data on record."""
    bank = getattr(partner, "bank_account", None)
    return {
        "program": Program.INDIRECT_RESELLER,
        "transition": True,
        "mpn_id": partner.mpn_id,
        "mpn_linked_via": partner.mpn_linked_via,
        "mpn_evidence": partner.mpn_evidence,
        "legal_business_profile": {
            "company_name": partner.legal_name,
            "address": {
                "line1": partner.address_line1,
                "line2": partner.address_line2,
                "city": partner.city,
                "state": partner.state,
                "postal_code": partner.postal_code,
                "country": partner.country.code,
            },
        },
        "primary_contact": {
            "first_name": partner.contact_first_name,
            "last_name": partner.contact_last_name,
            "email": partner.contact_email,
            "phone": partner.contact_phone,
        },
        "support_profile": {
            "email": partner.support_email,
            "phone": partner.support_phone,
            "website": partner.support_website,
        },
        "bank_account": {"holder_name": bank.holder_name, "last4": bank.last4, "bic": bank.bic}
        if bank
        else {},
        "language": partner.language,
    }


def transition_start(*, actor, confirm) -> IndirectTransition:
    """*Enroll now*: the global admin confirmed the details on record and that there is no
    rollback; an indirect-reseller enrollment is submitted on the same tenant, in review at
    once (the primary contact's email is confirmed already), and the checks are queued."""
    row = offered_transition(actor)
    if confirm is not True:
        raise InvalidInput.on(
            "confirm",
            _("Confirm that the details are correct and that you understand there is no rollback."),
        )
    with transaction.atomic():
        partner = _lock_partner(row.partner)
        row = _locked_transition(partner)
        if row is None:
            raise NotPermitted(NOT_IDENTIFIED)
        if row.is_started:
            raise InvalidTransition(
                "started",
                _(
                    "Your organization has already started becoming an indirect reseller. There is no second transition."
                ),
            )
        if Enrollment.objects.filter(
            partner=partner, program=Program.INDIRECT_RESELLER, status__in=OPEN_STATUSES
        ).exists():
            raise InvalidTransition(
                "enrolled", _("Your organization already has an open or active indirect-reseller enrollment.")
            )
        # Again after an enrollment that ended without becoming active (rejected, expired):
        # a new one; the old one stays in the partner's history.
        previous = row.enrollment_id
        now = timezone.now()
        days = settings.TRANSITION_APPROVAL_WORKING_DAYS
        enrollment = Enrollment.objects.create(
            partner=partner,
            program=Program.INDIRECT_RESELLER,
            status=EnrollmentStatus.IN_REVIEW,
            submitted_by=actor,
            submitted_at=now,
            email_confirmed_at=now,
            due_at=add_business_days(now, days, partner.country.code),
            application=_application(partner),
        )
        VerificationCheck.objects.create(
            enrollment=enrollment,
            kind=CheckKind.EMAIL_OWNERSHIP,
            result=CheckResult.PASSED,
            checked_at=now,
            detail=CARRIED_FROM_DIRECT_BILL(),
            evidence={"email": partner.contact_email},
        )
        row.enrollment, row.started_at, row.started_by = enrollment, now, actor
        row.save(update_fields=["enrollment", "started_at", "started_by"])
        again = {"previous_enrollment": str(previous)} if previous else {}
        record(
            enrollment, events.TRANSITION_STARTED, actor=actor, from_status="", mpn_id=partner.mpn_id, **again
        )
        notify_contact(
            enrollment,
            "transition_started",
            key=f"enrollment:{enrollment.pk}:transition_started",
            due_at=enrollment.due_at.isoformat(),
        )
        transaction.on_commit(lambda: _enqueue(enrollment.pk))
    return row


def _enqueue(enrollment_id) -> None:
    try:
        tasks.run_transition_checks.delay(str(enrollment_id))
    except Exception:  # the broker is unreachable: the periodic sweep runs them
        logger.exception("Could not enqueue the checks of %s; the sweep will run them", enrollment_id)
