"""A transition's enrollment approved at once when its automated checks pass
(``transition_auto_approve``; the task ``tasks.run_transition_checks`` and the sweep call
it). Apart from ``services.transition``, which queues that task, so the two never import
each other."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import CheckResult, Enrollment, EnrollmentStatus, Partner, Program, VerificationCheck
from ..transition import CARRIED_FROM_DIRECT_BILL
from .common import agreement_url, move, notify_contact

SETTLED = (CheckResult.PASSED, CheckResult.WAIVED)


def _direct_bill_settled(partner: Partner) -> set:
    """The kinds the partner's active direct-bill enrollment passed or waived."""
    return set(
        VerificationCheck.objects.filter(
            enrollment__partner=partner,
            enrollment__program=Program.DIRECT_BILL,
            enrollment__status=EnrollmentStatus.ACTIVE,
            result__in=SETTLED,
        ).values_list("kind", flat=True)
    )


def transition_auto_approve(*, enrollment_id) -> bool:
    """Approve a transition's enrollment whose automated checks passed, at once. A check
    still waiting for a person counts as passed when the active direct-bill enrollment
    passed it (the same company); a failed check, or one the direct-bill enrollment never
    settled, leaves the decision to a reviewer within the working days. True if this call
    approved it; a call that approves nothing writes nothing."""
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("partner")
            .filter(pk=enrollment_id, indirect_transition__isnull=False)
            .first()
        )
        if enrollment is None or not enrollment.can("approve") or enrollment.checks_started_at is None:
            return False
        checks = list(VerificationCheck.objects.select_for_update().filter(enrollment=enrollment))
        carried = _direct_bill_settled(enrollment.partner)
        taken_over = [c for c in checks if c.result == CheckResult.PENDING and c.kind in carried]
        if any(c.result not in SETTLED and c not in taken_over for c in checks):
            return False
        now = timezone.now()
        for check in taken_over:
            check.result, check.checked_at, check.detail = CheckResult.PASSED, now, CARRIED_FROM_DIRECT_BILL()
            check.evidence = {**check.evidence, "carried_from": "direct_bill"}
        VerificationCheck.objects.bulk_update(
            taken_over, ["result", "checked_at", "detail_code", "detail_params", "detail_text", "evidence"]
        )
        move(
            enrollment,
            "approve",
            kind=events.TRANSITION_APPROVED,
            actor_label=str(_("Automated checks")),
            data={"carried": sorted(c.kind for c in taken_over)},
            decided_at=now,
            due_at=None,
        )
        notify_contact(
            enrollment,
            "enrollment_approved",
            key=f"enrollment:{enrollment.pk}:approved",
            agreement_url=agreement_url(enrollment),
        )
    return True
