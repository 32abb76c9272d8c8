"""The audit table's case of a transition started again after its enrollment was rejected
(the transition's state changes back to started: one row, naming the earlier enrollment)."""

from django.test import TestCase

from enrollment.models import CheckKind
from enrollment.services import transition as services
from enrollment.services.review import enrollment_reject
from tests.audit.table import Run, case
from tests.enrollment.transition.cast import indirect_enrollment, reviewer, started, verified_direct_bill


@case(services.transition_start, "again")
def _(w):
    partner, admin = started(verified_direct_bill(verified=(CheckKind.EMAIL_OWNERSHIP,)))
    old = indirect_enrollment(partner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrollment_reject(actor=reviewer(), enrollment=old, reason="The business could not be verified.")
    return Run(
        kwargs={"actor": admin, "confirm": True},
        kind="transition_started",
        obj=lambda row: row.enrollment,
        tenant=partner.tenant,
        actor=admin,
        from_state="",
        to_state="in_review",
        data={"mpn_id": partner.mpn_id, "previous_enrollment": str(old.pk)},
    )
