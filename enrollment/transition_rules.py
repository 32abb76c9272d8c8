"""The transition's rules that the services, the pages, the API and the admin share (the
row and its predicates are ``enrollment.transition``, which ``models`` imports, so these,
which need the models, live here)."""

from partnercenter.core.errors import InvalidTransition, NotPermitted

from .incentives import incentives_due_at_for
from .models import Partner, Program
from .permissions import require_global_admin
from .transition import NO_ROLLBACK, NOT_IDENTIFIED, IndirectTransition, is_transition_enrollment


def offered_transition(actor) -> IndirectTransition:
    """The actor's partner's transition, offered to its global admin (403 otherwise: not
    the global admin, or a partner nobody identified for offboarding)."""
    require_global_admin(actor)
    partner = Partner.objects.filter(tenant_id=actor.tenant_id).first()
    row = IndirectTransition.objects.filter(partner=partner).first() if partner else None
    if row is None or not partner.is_active_in(Program.DIRECT_BILL):
        raise NotPermitted(NOT_IDENTIFIED)
    return row


def refuse_rollback(enrollment) -> None:
    """409 for any undoing of a transition's enrollment (withdraw, change, delete)."""
    if is_transition_enrollment(enrollment):
        raise InvalidTransition(enrollment.status, NO_ROLLBACK, label=enrollment.get_status_display())


def mark_completed(enrollment, now) -> None:
    """*Accept and continue*: the transition's enrollment became active (the indirect
    reseller agreement accepted), so the transition is complete and the incentives
    invitation is due from then, after ``INCENTIVES_INVITATION_DELAY_DAYS`` (``enrollment.incentives`` sends it). A step of
    ``services.agreements.agreement_accept``, in its transaction; its audit row is the
    acceptance's."""
    IndirectTransition.objects.filter(enrollment=enrollment, completed_at__isnull=True).update(
        completed_at=now, incentives_due_at=incentives_due_at_for(now)
    )
