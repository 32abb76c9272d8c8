"""The events a detail page reads for its checks' decisions (``outcomes.latest_decision_events``):
for one enrollment they are read as the latest event of each check and the latest request
for information, a few rows however long the history (issue 12); they are the events the
many-enrollments reading finds, and the decisions the page shows follow them."""

import pytest

from enrollment import outcomes, selectors
from enrollment.services.review import check_decide, enrollment_request_info, enrollment_respond
from tests.factories import EnrollmentFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db


def test_one_enrollments_latest_decisions_are_the_many_readings_and_drive_the_notes(admin, reviewer):
    enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="in_review")
    other = EnrollmentFactory(status="in_review")
    for kind in ("email_domain", "address", "mpn_status"):
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result="pending")
    check_decide(
        actor=reviewer, enrollment=enrollment, kind="email_domain", result="failed", note="First look"
    )
    check_decide(
        actor=reviewer, enrollment=enrollment, kind="email_domain", result="waived", note="Known reseller"
    )
    check_decide(
        actor=reviewer, enrollment=enrollment, kind="address", result="failed", note="No such street"
    )
    enrollment_request_info(actor=reviewer, enrollment=enrollment, message="Send the lease")
    enrollment_respond(actor=admin, enrollment=enrollment, message="Attached")
    enrollment_request_info(actor=reviewer, enrollment=enrollment, message="Send the lease, please")

    one = outcomes.latest_decision_events([str(enrollment.pk)])[str(enrollment.pk)]
    many = outcomes.latest_decision_events([str(enrollment.pk), str(other.pk)])[str(enrollment.pk)]
    assert [e.pk for e in one] == [e.pk for e in many]
    assert len(one) == 3  # the latest of each decided check, and the latest request
    assert one[-1].note == "Send the lease, please"

    page = selectors.enrollment_for(admin, enrollment.pk)  # the status page's reading
    notes = {check.kind: check.decision.note for check in page.checks.all()}
    assert notes["email_domain"] == "Known reseller"
    assert notes["address"] == "No such street"
    assert notes["mpn_status"] == ""
