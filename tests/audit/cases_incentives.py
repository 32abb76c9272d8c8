"""The audit table's cases of incentives (issue 11): the invitation after the transition
(the sweep's batch) and enrolling in an incentive program; what changes nothing and what is
refused writes no row (``NO_OPS``, ``REFUSALS``, read by ``test_one_row_per_change``)."""

from datetime import timedelta

from enrollment.models import IndirectTransition
from enrollment.services import incentives
from partnercenter.accounts.models import Role
from tests.audit.table import NOW, Run, case
from tests.cast import make_direct_bill, user_of
from tests.factories import EnrollmentFactory


def _transitioned(invited=False, **kwargs):
    partner = make_direct_bill(
        legal_name="Fourth Coffee B.V.", contact_email="daan@fourthcoffee.nl", **kwargs
    )
    EnrollmentFactory(partner=partner, program="indirect_reseller", status="active")
    transition = IndirectTransition.objects.create(
        partner=partner,
        flagged_at=NOW - timedelta(days=10),
        completed_at=NOW - timedelta(hours=2),
        incentives_due_at=NOW - timedelta(hours=1),
        incentives_invited_at=NOW - timedelta(minutes=30) if invited else None,
    )
    return partner, transition


@case(incentives.incentives_invitations_send)
def _(w):
    partner, transition = _transitioned()
    return Run(
        kwargs={},  # the sweep's batch: every due transition (this one)
        kind="incentives_invited",
        obj=transition,
        tenant=partner.tenant,
        from_state="",
        to_state="",
        data={"email": "daan@fourthcoffee.nl"},
    )


@case(incentives.incentive_enroll)
def _(w):
    partner, _transition = _transitioned(invited=True)
    admin = user_of(partner, role=Role.INCENTIVES_ADMIN, email="ina@fourthcoffee.nl")
    return Run(
        kwargs={"actor": admin, "program": "indirect_reseller"},
        kind="incentives_enrolled",
        obj=lambda enrollment: enrollment,
        tenant=partner.tenant,
        actor=admin,
        from_state="",
        to_state="enrolled",
        data={"program": "indirect_reseller"},
    )


def _noop_invite_twice(w):
    _transitioned(invited=True)
    return incentives.incentives_invitations_send, {}


def _noop_enroll_twice(w):
    partner, _transition = _transitioned(invited=True)
    admin = user_of(partner)
    incentives.incentive_enroll(actor=admin, program="direct_bill")
    return incentives.incentive_enroll, {"actor": admin, "program": "direct_bill"}


NO_OPS = {
    "invite to incentives twice": _noop_invite_twice,
    "enroll in incentives twice": _noop_enroll_twice,
}


def _refuse_not_offered(w):
    partner, _transition = _transitioned()  # not invited yet
    return incentives.incentive_enroll, {"actor": user_of(partner), "program": "indirect_reseller"}


def _refuse_another_role(w):
    partner, _transition = _transitioned(invited=True)
    agent = user_of(partner, role=Role.SALES_AGENT, email="sales@fourthcoffee.nl")
    return incentives.incentive_enroll, {"actor": agent, "program": "direct_bill"}


REFUSALS = {
    "enroll in incentives not offered": _refuse_not_offered,
    "a sales agent enrolls in incentives": _refuse_another_role,
}
