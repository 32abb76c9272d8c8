"""A transition whose enrollment ended without becoming active (rejected, expired) did not
transition: the partner is identified for offboarding again, *Become an indirect reseller*
is offered again (a new enrollment; the old one stays in its history) and it adds direct
customers again until the new start. An approved or active one is for good (no rollback)."""

import pytest

from enrollment.models import CheckKind, Enrollment, EnrollmentStatus
from enrollment.services import transition as services
from enrollment.services.review import enrollment_reject
from enrollment.transition import IndirectTransition, takes_new_direct_customers
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidTransition
from tests.conftest import api_as
from tests.enrollment.transition.cast import (
    flagged,
    indirect_enrollment,
    reviewer,
    started,
    verified_direct_bill,
)

pytestmark = pytest.mark.django_db
BECOME = "/partner/become-indirect-reseller/"
TRANSITION = "/api/v1/partner/transition-to-indirect/"


def rejected():
    """Started, left to a reviewer (a check the direct-bill enrollment never passed), rejected."""
    partner, admin = started(verified_direct_bill(verified=(CheckKind.EMAIL_OWNERSHIP,)))
    enrollment = indirect_enrollment(partner)
    assert enrollment.status == EnrollmentStatus.IN_REVIEW
    assert not takes_new_direct_customers(partner)
    enrollment_reject(actor=reviewer(), enrollment=enrollment, reason="The business could not be verified.")
    return partner, admin, enrollment


def test_a_rejected_transition_is_offered_again_and_takes_direct_customers_again():
    partner, admin, old = rejected()
    row = IndirectTransition.objects.get(partner=partner)
    assert row.ended_untransitioned and not row.is_started and row.offers_enrollment
    assert takes_new_direct_customers(partner)


@pytest.mark.parametrize("status", [EnrollmentStatus.REJECTED, EnrollmentStatus.EXPIRED])
def test_an_enrollment_ended_without_becoming_active_frees_the_partner(status):
    partner, _admin = started()
    Enrollment.objects.filter(pk=indirect_enrollment(partner).pk).update(status=status)
    assert takes_new_direct_customers(partner)
    assert IndirectTransition.objects.get(partner=partner).offers_enrollment


@pytest.mark.parametrize("status", [EnrollmentStatus.APPROVED, EnrollmentStatus.ACTIVE])
def test_an_approved_or_active_transition_stays(status):
    partner, admin = started()
    Enrollment.objects.filter(pk=indirect_enrollment(partner).pk).update(status=status)
    assert not takes_new_direct_customers(partner)
    assert not IndirectTransition.objects.get(partner=partner).offers_enrollment
    with pytest.raises(InvalidTransition, match="no second transition"):
        services.transition_start(actor=admin, confirm=True)


def test_enroll_now_again_makes_a_new_enrollment_and_keeps_the_old_one(django_capture_on_commit_callbacks):
    partner, admin, old = rejected()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.transition_start(actor=admin, confirm=True)
    assert row.enrollment_id != old.pk and row.is_started
    old.refresh_from_db()
    assert old.status == EnrollmentStatus.REJECTED  # in the partner's history
    assert set(Enrollment.objects.filter(partner=partner, program="indirect_reseller")) == {
        old,
        row.enrollment,
    }
    assert not takes_new_direct_customers(partner)
    event = Event.objects.filter(kind="transition_started").order_by("-at").first()
    assert event.data["previous_enrollment"] == str(old.pk)


def test_the_page_offers_it_again(client):
    partner, admin, old = rejected()
    client.force_login(admin)
    html = client.get("/").content.decode()
    assert BECOME in html and "ended without becoming active" in html
    response = client.get(BECOME)
    assert response.status_code == 200 and "Enroll now" in response.content.decode()
    response = client.post(BECOME, {"confirm": "on"})
    new = IndirectTransition.objects.get(partner=partner).enrollment
    assert response.status_code == 302 and new.pk != old.pk


def test_the_api_offers_it_again(django_capture_on_commit_callbacks):
    partner, admin, old = rejected()
    body = api_as(admin).get(TRANSITION).json()
    assert body["offered"] is True and body["enrollment_status"] == "rejected"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(admin).post(TRANSITION, {"confirm": True}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["offered"] is False and response.json()["enrollment_id"] != str(old.pk)


def test_a_flagged_partner_that_never_started_is_offered_it():
    partner, _admin = flagged()
    assert IndirectTransition.objects.get(partner=partner).offers_enrollment


def test_the_customers_page_adds_a_direct_customer_again_after_the_rejection(client):
    _partner, admin, _old = rejected()
    client.force_login(admin)
    response = client.post(
        "/customers/new/", {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Customer created" in html
    assert "cannot add new direct customers" not in html


def test_staff_see_it_identified_again_and_may_take_it_back(client):
    partner, _admin, old = rejected()
    client.force_login(reviewer())
    html = client.get(f"/review/partners/{partner.pk}/offboarding/").content.decode()
    assert "identified for offboarding again" in html and f"/review/{old.pk}/" in html
    assert "No longer identify for offboarding" in html  # not started: the flag may be taken back
    services.transition_unflag(actor=reviewer(), partner=partner)
    assert not IndirectTransition.objects.filter(partner=partner).exists()
    assert Enrollment.objects.filter(pk=old.pk).exists()  # the rejected enrollment stays in the history
