"""Incentives (issue 11): the invitation to indirect-reseller incentives after the
transition, sent once by the sweep, and a partner enrolling in an incentive program.

- ``incentives_invitations_send``: the sweep's batch. Each due transition is claimed with a
  conditional update (``incentives_invited_at`` set once), so two sweeps at once send one
  email; one audit row ``incentives_invited`` and the email, in the partner's language, to
  the MPN account's email (``enrollment.incentives.mpn_account_email``).
- ``incentive_enroll``: the global admin or the incentives admin enrolls the partner in an
  offered program; one audit row ``incentives_enrolled``; enrolled already: nothing changes.

Domain errors raised: ``NotPermitted`` (403), ``NotFound`` (404).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import NotFound, NotPermitted
from partnercenter.notifications.services import notification_queue

from .. import events
from ..incentives import IncentiveEnrollment, IncentiveProgram, incentive_programs_for, mpn_account_email
from ..models import IndirectTransition, Partner
from ..permissions import require_incentives_admin
from ..selectors import partner_for

BATCH = 500


def _due(now):
    return IndirectTransition.objects.filter(
        incentives_due_at__lte=now, incentives_invited_at__isnull=True, completed_at__isnull=False
    )


def incentives_invitations_send(*, limit: int = BATCH) -> int:
    """The sweep's batch: invite each partner whose invitation is due (at most ``limit``);
    how many were invited by this call."""
    now = timezone.now()
    ids = list(_due(now).order_by("incentives_due_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(_invite(transition_id, now) for transition_id in ids)


def _invite(transition_id, now) -> bool:
    with transaction.atomic():
        claimed = _due(now).filter(pk=transition_id).update(incentives_invited_at=now)
        if claimed != 1:
            return False  # another sweep sent it
        transition = IndirectTransition.objects.select_related("partner__tenant").get(pk=transition_id)
        partner = transition.partner
        email = mpn_account_email(partner)
        record_event(transition, events.INCENTIVES_INVITED, tenant=partner.tenant_id, email=email)
        notification_queue(
            template="incentives_invitation",
            recipient=email,
            language=partner.language,
            context={
                "first_name": partner.contact_first_name,
                "legal_name": partner.legal_name,
                "incentives_url": f"{settings.SITE_URL}{reverse('enrollment:incentives')}",
            },
            key=f"incentives-invitation:{partner.pk}",
        )
    return True


def incentive_enroll(*, actor, program: str) -> IncentiveEnrollment:
    """Enroll the actor's partner in the incentive ``program`` (``IncentiveProgram``), which
    must be offered to it (``incentive_programs_for``). Enrolled already: the enrollment,
    unchanged, and no row."""
    require_incentives_admin(actor)
    if program not in IncentiveProgram.values:
        raise NotFound()
    partner = partner_for(actor)
    if partner is None:
        raise NotFound()
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()  # one enrollment at a time
        offered = {row["program"]: row["enrollment"] for row in incentive_programs_for(partner)}
        if program not in offered:
            raise NotPermitted(_not_offered_reason(program))
        if offered[program] is not None:
            return offered[program]
        enrollment = IncentiveEnrollment.objects.create(
            partner=partner, program=program, enrolled_at=timezone.now(), enrolled_by=actor
        )
        record_event(
            enrollment,
            events.INCENTIVES_ENROLLED,
            actor=actor,
            tenant=partner.tenant_id,
            to_state="enrolled",
            program=program,
        )
    return enrollment


def _not_offered_reason(program: str) -> str:
    if program == IncentiveProgram.DIRECT_BILL:
        return _("Direct-bill incentives are offered to active direct-bill partners only.")
    return _(
        "Indirect-reseller incentives are offered after the transition to indirect reseller, "
        "once the invitation has been sent."
    )
