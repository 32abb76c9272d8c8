"""The transition's pages: Overview's current task, *Become an indirect reseller*, the staff
page *Identified for offboarding*, Program info with both programs, the refusals."""

import pytest
from django.test import TestCase

from enrollment.transition import IndirectTransition
from tests.cast import user_of
from tests.enrollment.transition.cast import (
    accepted,
    flagged,
    indirect_enrollment,
    reviewer,
    started,
    verified_direct_bill,
)

pytestmark = pytest.mark.django_db
BECOME = "/partner/become-indirect-reseller/"


def html_of(response) -> str:
    return response.content.decode()


def test_the_overview_offers_the_task_to_the_flagged_partners_global_admin(client):
    partner, admin = flagged()
    client.force_login(admin)
    html = html_of(client.get("/"))
    assert "Current tasks" in html and BECOME in html
    client.force_login(user_of(partner, role="admin_agent"))
    assert BECOME not in html_of(client.get("/"))


def test_the_overview_of_an_unflagged_partner_has_no_task(client):
    client.force_login(user_of(verified_direct_bill()))
    assert BECOME not in html_of(client.get("/"))


def test_an_unflagged_partner_is_refused_with_the_reason(client):
    client.force_login(user_of(verified_direct_bill()))
    response = client.get(BECOME)
    assert response.status_code == 403 and "identified for offboarding" in html_of(response)


def test_the_form_shows_the_details_on_record_and_that_there_is_no_rollback(client):
    partner, admin = flagged()
    client.force_login(admin)
    html = html_of(client.get(BECOME))
    assert partner.mpn_id in html and partner.tenant.domain in html and partner.legal_name in html
    assert partner.contact_email in html and "There is no rollback" in html and "Enroll now" in html


def test_enroll_now_without_the_confirmation_changes_nothing(client):
    partner, admin = flagged()
    client.force_login(admin)
    response = client.post(BECOME, {}, follow=True)
    assert "Confirm that the details are correct" in html_of(response)
    assert not IndirectTransition.objects.get(partner=partner).is_started


def test_enroll_now_goes_to_the_enrollment_and_program_info_shows_both_at_the_end(client):
    partner, admin = flagged()
    client.force_login(admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(BECOME, {"confirm": "on"})
    enrollment = indirect_enrollment(partner)
    assert response.status_code == 302 and response.url == f"/enrollments/{enrollment.pk}/"
    assert "already started" in html_of(client.get(BECOME))
    accepted(partner, admin)
    profile = html_of(client.get("/partner/"))
    assert "Direct bill" in profile and "Indirect reseller" in profile
    assert "Current tasks" not in html_of(client.get("/"))


def test_a_new_direct_customer_is_refused_on_the_page_with_the_reason(client):
    _partner, admin = started()
    client.force_login(admin)
    response = client.post(
        "/customers/new/", {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}
    )
    assert response.status_code == 403 and "cannot add new direct customers" in html_of(response)


def test_staff_flag_and_unflag_on_the_review_page(client):
    partner = verified_direct_bill()
    client.force_login(reviewer())
    url = f"/review/partners/{partner.pk}/offboarding/"
    assert "Identify for offboarding" in html_of(client.get(url))
    client.post(url, {"action": "flag", "note": "Below the thresholds"})
    assert IndirectTransition.objects.get(partner=partner).flag_note == "Below the thresholds"
    client.post(url, {"action": "unflag"})
    assert not IndirectTransition.objects.filter(partner=partner).exists()


def test_staff_cannot_unflag_on_the_page_after_the_start(client):
    partner, _admin = started()
    client.force_login(reviewer())
    url = f"/review/partners/{partner.pk}/offboarding/"
    response = client.post(url, {"action": "unflag"}, follow=True)
    assert "no rollback" in html_of(response)
    assert IndirectTransition.objects.filter(partner=partner).exists()


def test_the_review_page_of_the_direct_bill_enrollment_links_to_the_flag(client):
    partner = verified_direct_bill()
    client.force_login(reviewer())
    direct = partner.enrollments.get(program="direct_bill")
    assert f"/review/partners/{partner.pk}/offboarding/" in html_of(client.get(f"/review/{direct.pk}/"))


def test_program_info_shows_the_transition_in_review(client, monkeypatch):
    from enrollment.services import transition

    monkeypatch.setattr(transition, "_enqueue", lambda pk: None)  # the checks have not run yet
    partner, admin = started()
    client.force_login(admin)
    profile = html_of(client.get("/partner/"))
    info = profile[profile.index('id="program-info"') :]
    assert "Indirect reseller" in info and "In review" in info
