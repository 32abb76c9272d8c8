"""There is no rollback: every path that could undo a started transition is refused with
the reason (services, the API's 409, the admin)."""

import pytest
from django.test import Client

from enrollment.models import Enrollment, Partner
from enrollment.services.application import enrollment_withdraw
from enrollment.services.review import enrollment_reject
from enrollment.services.transition import transition_start, transition_unflag
from enrollment.transition import IndirectTransition
from partnercenter.core.errors import InvalidTransition
from tests.cast import make_reviewer
from tests.enrollment.transition.cast import accepted, indirect_enrollment, reviewer, started

pytestmark = pytest.mark.django_db


def test_the_approved_enrollment_cannot_be_withdrawn():
    partner, admin = started()
    with pytest.raises(InvalidTransition, match="no rollback"):
        enrollment_withdraw(actor=admin, enrollment=indirect_enrollment(partner))


def test_the_enrollment_in_review_cannot_be_withdrawn_either(monkeypatch):
    from enrollment.services import transition

    monkeypatch.setattr(transition, "_enqueue", lambda pk: None)
    partner, admin = started()
    enrollment = indirect_enrollment(partner)
    assert enrollment.status == "in_review"
    with pytest.raises(InvalidTransition, match="no rollback"):
        enrollment_withdraw(actor=admin, enrollment=enrollment)


def test_the_active_enrollment_cannot_be_withdrawn_or_ended():
    partner, admin = started()
    accepted(partner, admin)
    enrollment = indirect_enrollment(partner)
    with pytest.raises(InvalidTransition, match="no rollback"):
        enrollment_withdraw(actor=admin, enrollment=enrollment)
    with pytest.raises(InvalidTransition):
        enrollment_reject(actor=reviewer(), enrollment=enrollment, reason="Undo it")
    assert Enrollment.objects.get(pk=enrollment.pk).status == "active"


def test_unflag_after_the_start_is_refused():
    partner, _admin = started()
    with pytest.raises(InvalidTransition, match="no rollback"):
        transition_unflag(actor=reviewer(), partner=partner)


def test_a_second_transition_is_refused():
    partner, admin = started()
    accepted(partner, admin)
    with pytest.raises(InvalidTransition, match="no second transition"):
        transition_start(actor=admin, confirm=True)


@pytest.fixture
def superuser_client():
    user = make_reviewer(email="root@partners.test", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_cannot_delete_the_enrollment_the_partner_or_the_row(superuser_client):
    partner, admin = started()
    enrollment = indirect_enrollment(partner)
    row = IndirectTransition.objects.get(partner=partner)
    for url in (
        f"/admin/enrollment/enrollment/{enrollment.pk}/delete/",
        f"/admin/enrollment/partner/{partner.pk}/delete/",
        f"/admin/enrollment/indirecttransition/{row.pk}/delete/",
    ):
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403, url
    bulk = superuser_client.post(
        "/admin/enrollment/enrollment/",
        {"action": "delete_selected", "index": "0", "_selected_action": [str(enrollment.pk)], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert (
        Partner.objects.filter(pk=partner.pk).exists()
        and IndirectTransition.objects.filter(pk=row.pk).exists()
    )


def test_the_admin_cannot_change_the_row(superuser_client):
    partner, _admin = started()
    row = IndirectTransition.objects.get(partner=partner)
    response = superuser_client.post(
        f"/admin/enrollment/indirecttransition/{row.pk}/change/", {"started_at": ""}
    )
    assert response.status_code in (200, 403)
    row.refresh_from_db()
    assert row.started_at is not None


def test_the_admin_action_unflag_after_the_start_is_refused(superuser_client):
    partner, _admin = started()
    response = superuser_client.post(
        "/admin/enrollment/partner/",
        {"action": "unidentify_for_offboarding", "index": "0", "_selected_action": [str(partner.pk)]},
        follow=True,
    )
    assert "no rollback" in response.content.decode()
    assert IndirectTransition.objects.filter(partner=partner).exists()


def test_the_admin_action_flags_through_the_service(superuser_client):
    from tests.enrollment.transition.cast import verified_direct_bill

    partner = verified_direct_bill()
    superuser_client.post(
        "/admin/enrollment/partner/",
        {"action": "identify_for_offboarding", "index": "0", "_selected_action": [str(partner.pk)]},
    )
    assert IndirectTransition.objects.get(partner=partner).flagged_by.email == "root@partners.test"
