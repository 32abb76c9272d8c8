"""The audit table's cases of the transition to indirect reseller (see ``tests.audit.table``)."""

from enrollment.services import checks, transition_approval
from enrollment.services import transition as services
from tests.audit.table import Run, case
from tests.enrollment.transition.cast import flagged, indirect_enrollment, reviewer, verified_direct_bill

NOTE = "Below the direct-bill thresholds"


@case(services.transition_flag)
def _(w):
    partner, staff = verified_direct_bill(), reviewer()
    return Run(
        kwargs={"actor": staff, "partner": partner, "note": NOTE},
        kind="transition_flagged",
        obj=partner,
        tenant=partner.tenant,
        actor=staff,
        from_state="",
        to_state="flagged",
        note=NOTE,
        data={"partner_name": "Adatum Direct GmbH", "partner_id": str(partner.pk)},
    )


@case(services.transition_unflag)
def _(w):
    partner, _admin = flagged()
    staff = reviewer()
    return Run(
        kwargs={"actor": staff, "partner": partner},
        kind="transition_unflagged",
        obj=partner,
        tenant=partner.tenant,
        actor=staff,
        from_state="flagged",
        to_state="",
        data={"partner_name": "Adatum Direct GmbH", "partner_id": str(partner.pk)},
    )


@case(services.transition_start)
def _(w):
    partner, admin = flagged()
    return Run(
        kwargs={"actor": admin, "confirm": True},
        kind="transition_started",
        obj=lambda row: row.enrollment,
        tenant=partner.tenant,
        actor=admin,
        from_state="",
        to_state="in_review",
        data={"mpn_id": partner.mpn_id},
    )


@case(transition_approval.transition_auto_approve)
def _(w):
    partner, admin = flagged()
    services.transition_start(actor=admin, confirm=True)  # the checks' task waits for the commit
    enrollment = indirect_enrollment(partner)
    checks.enrollment_checks_run(enrollment_id=enrollment.pk)
    return Run(
        kwargs={"enrollment_id": enrollment.pk},
        kind="transition_approved",
        obj=enrollment,
        tenant=partner.tenant,
        actor_label="Automated checks",
        from_state="in_review",
        to_state="approved",
        data={"carried": ["business_verification", "email_domain", "mpn_ownership"]},
    )


def _noop_auto_approve_twice(w):
    partner, admin = flagged()
    services.transition_start(actor=admin, confirm=True)
    enrollment = indirect_enrollment(partner)
    checks.enrollment_checks_run(enrollment_id=enrollment.pk)
    transition_approval.transition_auto_approve(enrollment_id=enrollment.pk)
    return transition_approval.transition_auto_approve, {"enrollment_id": enrollment.pk}


def _noop_auto_approve_unsettled(w):
    partner, admin = flagged(verified_direct_bill(verified=()))
    services.transition_start(actor=admin, confirm=True)
    enrollment = indirect_enrollment(partner)
    checks.enrollment_checks_run(enrollment_id=enrollment.pk)
    return transition_approval.transition_auto_approve, {"enrollment_id": enrollment.pk}


NO_OPS = {
    "approve a transition twice": _noop_auto_approve_twice,
    "approve a transition with a check for a reviewer": _noop_auto_approve_unsettled,
}
REFUSALS = {
    "unflag a started transition": lambda w: (
        services.transition_unflag,
        {"actor": reviewer(), "partner": _started_partner()},
    ),
}


def _started_partner():
    partner, admin = flagged()
    services.transition_start(actor=admin, confirm=True)
    return partner
