"""The transition's services: flag, unflag, *Enroll now*, approval at once or in review,
*Accept and continue* (DOMAIN.md, "Direct bill to indirect reseller transition")."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from enrollment import tasks
from enrollment.models import CheckKind, EnrollmentStatus, VerificationCheck
from enrollment.services import transition as services
from enrollment.services.review import enrollment_approve
from enrollment.transition import IndirectTransition, takes_new_direct_customers
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.models import Notification
from tests.cast import make_reseller, user_of
from tests.enrollment.transition.cast import (
    accepted,
    flagged,
    indirect_enrollment,
    reviewer,
    started,
    verified_direct_bill,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday: three working days later is Friday.
TUESDAY = datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)


def test_staff_flag_an_active_direct_bill_partner():
    partner, _admin = flagged()
    row = IndirectTransition.objects.get(partner=partner)
    assert row.flag_note == "Below the direct-bill thresholds" and not row.is_started
    assert takes_new_direct_customers(partner)  # flagged only: nothing changes yet


def test_only_reviewers_flag():
    partner = verified_direct_bill()
    with pytest.raises(NotPermitted):
        services.transition_flag(actor=user_of(partner), partner=partner, note="")


def test_a_partner_that_is_not_direct_bill_is_not_flagged():
    with pytest.raises(InvalidTransition, match="active direct-bill"):
        services.transition_flag(actor=reviewer(), partner=make_reseller(), note="")


def test_flagging_twice_is_refused():
    partner, _admin = flagged()
    with pytest.raises(InvalidTransition, match="already identified"):
        services.transition_flag(actor=reviewer(), partner=partner, note="")


def test_unflag_before_the_start():
    partner, _admin = flagged()
    services.transition_unflag(actor=reviewer(), partner=partner)
    assert not IndirectTransition.objects.filter(partner=partner).exists()


def test_an_unflagged_partner_is_not_offered_the_transition():
    partner = verified_direct_bill()
    with pytest.raises(NotPermitted, match="identified for offboarding"):
        services.transition_start(actor=user_of(partner), confirm=True)


def test_only_the_global_admin_enrolls_now():
    partner, _admin = flagged()
    with pytest.raises(NotPermitted):
        services.transition_start(actor=user_of(partner, role="admin_agent"), confirm=True)


def test_enroll_now_needs_the_confirmation():
    partner, admin = flagged()
    with pytest.raises(InvalidInput) as error:
        services.transition_start(actor=admin, confirm=False)
    assert "confirm" in error.value.errors
    assert not IndirectTransition.objects.get(partner=partner).is_started


def test_enroll_now_makes_an_indirect_enrollment_on_the_same_tenant_approved_at_once():
    partner, admin = started()
    enrollment = indirect_enrollment(partner)
    assert enrollment.partner == partner and enrollment.application["mpn_id"] == partner.mpn_id
    assert enrollment.status == EnrollmentStatus.APPROVED  # every check passed or was carried over
    assert enrollment.email_confirmed_at is not None
    carried = VerificationCheck.objects.get(enrollment=enrollment, kind=CheckKind.BUSINESS_VERIFICATION)
    assert carried.result == "passed" and carried.evidence["carried_from"] == "direct_bill"
    templates = set(
        Notification.objects.filter(recipient=partner.contact_email).values_list("template", flat=True)
    )
    # No new confirmation link: the primary contact's email is confirmed already.
    assert templates == {"transition_started", "enrollment_approved"}
    assert not takes_new_direct_customers(partner)


def test_a_check_the_direct_bill_enrollment_never_passed_leaves_it_to_a_reviewer_within_three_working_days():
    partner = verified_direct_bill(verified=(CheckKind.EMAIL_OWNERSHIP,))
    with time_machine.travel(TUESDAY, tick=False):
        partner, admin = started(partner)
    enrollment = indirect_enrollment(partner)
    assert enrollment.status == EnrollmentStatus.IN_REVIEW
    assert enrollment.due_at == datetime(2026, 3, 13, 10, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime(2026, 3, 13, 11, 0, tzinfo=BERLIN), tick=False):
        assert enrollment.is_overdue  # stands out in the review queue
        assert tasks.enrollments_sweep()["transition_approved"] == 0  # the sweep approves nothing unsettled
    staff = reviewer()
    for check in enrollment.checks.exclude(result="passed"):
        check.result = "waived"
        check.save()
    enrollment_approve(actor=staff, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPROVED


def test_the_sweep_approves_one_whose_approval_task_was_lost(monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda pk: None)  # the broker was down
    partner, _admin = started()
    enrollment = indirect_enrollment(partner)
    assert enrollment.status == EnrollmentStatus.IN_REVIEW
    done = tasks.enrollments_sweep()
    assert done["checked"] == 1 and done["transition_approved"] == 1
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPROVED


def test_a_second_start_is_refused():
    partner, admin = started()
    with pytest.raises(InvalidTransition, match="no second transition"):
        services.transition_start(actor=admin, confirm=True)


def test_accept_and_continue_completes_it_and_the_incentives_fall_due():
    partner, admin = started()
    moment = datetime(2026, 3, 11, 9, 30, tzinfo=BERLIN)
    with time_machine.travel(moment, tick=False):
        accepted(partner, admin)
    row = IndirectTransition.objects.get(partner=partner)
    assert row.completed_at == moment and row.incentives_due_at == moment
    assert partner.is_active_in("direct_bill") and partner.is_active_in("indirect_reseller")


def test_the_incentives_fall_due_after_the_setting_s_delay(settings):
    settings.INCENTIVES_INVITATION_DELAY_DAYS = 7
    partner, admin = started()
    moment = datetime(2026, 3, 11, 9, 30, tzinfo=BERLIN)
    with time_machine.travel(moment, tick=False):
        accepted(partner, admin)
    row = IndirectTransition.objects.get(partner=partner)
    assert row.completed_at == moment and row.incentives_due_at == moment + timedelta(days=7)


def test_the_working_days_skip_the_weekend_and_are_a_setting(settings):
    settings.TRANSITION_APPROVAL_WORKING_DAYS = 1
    partner = verified_direct_bill(verified=(CheckKind.EMAIL_OWNERSHIP,))
    friday = datetime(2026, 3, 13, 16, 0, tzinfo=BERLIN)
    with time_machine.travel(friday, tick=False):
        partner, _admin = started(partner)
    assert indirect_enrollment(partner).due_at == datetime(2026, 3, 16, 16, 0, tzinfo=BERLIN)  # Monday
