"""The transition through the API: the whole journey, and each refusal with its status."""

import pytest
import time_machine

from billing.models import Invoice
from billing.services.invoices import invoice_run
from enrollment.models import AgreementTemplate
from tests.billing.invoicing import FEBRUARY, RUN_AT, monthly
from tests.cast import direct_customer, user_of
from tests.conftest import api_as
from tests.data import PRIMARY_CONTACT
from tests.enrollment.transition.cast import (
    current_indirect_template,
    flagged,
    indirect_enrollment,
    reviewer,
    started,
    verified_direct_bill,
)

pytestmark = pytest.mark.django_db
TRANSITION = "/api/v1/partner/transition-to-indirect/"


def offboarding(partner) -> str:
    return f"/api/v1/review/partners/{partner.pk}/offboarding/"


def test_the_whole_journey(django_capture_on_commit_callbacks):
    partner = verified_direct_bill()
    customer = direct_customer(partner, company_name="Contoso GmbH")
    monthly(partner, customer)  # billed in February, before and after the transition
    staff, admin = reviewer(), user_of(partner)

    assert api_as(admin).post(TRANSITION, {"confirm": True}, format="json").status_code == 403
    flag = api_as(staff).post(offboarding(partner), {"note": "Below the thresholds"}, format="json")
    assert flag.status_code == 201 and flag.data["started_at"] is None

    api = api_as(admin)
    offered = api.get(TRANSITION).data
    assert offered["note"] == "Below the thresholds"
    assert offered["details_on_record"]["mpn_id"] == partner.mpn_id
    assert offered["details_on_record"]["tenant_domain"] == partner.tenant.domain
    assert api.post(TRANSITION, {}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        start = api.post(TRANSITION, {"confirm": True}, format="json")
    assert start.status_code == 201 and start.data["enrollment_status"] == "in_review"
    assert api.get(TRANSITION).data["enrollment_status"] == "approved"  # the checks passed: at once
    assert api.post(TRANSITION, {"confirm": True}, format="json").status_code == 409
    assert api_as(staff).delete(offboarding(partner)).status_code == 409  # no rollback

    accept = api.post(
        "/api/v1/partner/agreements/",
        {"template_id": str(current_indirect_template().pk), "primary_contact": PRIMARY_CONTACT},
        format="json",
    )
    assert accept.status_code == 201, accept.data
    assert api.get(TRANSITION).data["incentives_due_at"] is not None
    assert set(api.get("/api/v1/partner/").data["programs"]) == {"direct_bill", "indirect_reseller"}

    # The old direct customer is still billed; a new direct customer is refused with the reason.
    with time_machine.travel(RUN_AT, tick=False):
        invoice_run(period_start=FEBRUARY)
    assert Invoice.objects.filter(partner=partner, customer=customer).count() == 1
    refused = api.post(
        "/api/v1/customers/",
        {"company_name": "Newco", "domain_prefix": "newcode", "country": "DE"},
        format="json",
    )
    assert refused.status_code == 403 and "cannot add new direct customers" in refused.data["detail"]
    request = api.post("/api/v1/customers/relationship-requests/", {}, format="json")
    assert request.status_code == 403 and "cannot add new direct customers" in request.data["detail"]


def test_only_program_staff_flag():
    partner = verified_direct_bill()
    assert api_as(user_of(partner)).post(offboarding(partner), {}, format="json").status_code == 403


def test_flag_unknown_partner_is_404():
    url = "/api/v1/review/partners/00000000-0000-0000-0000-000000000000/offboarding/"
    assert api_as(reviewer()).post(url, {}, format="json").status_code == 404


def test_unflag_before_the_start_then_the_partner_is_refused():
    partner, admin = flagged()
    assert api_as(reviewer()).delete(offboarding(partner)).status_code == 204
    assert api_as(admin).post(TRANSITION, {"confirm": True}, format="json").status_code == 403


def test_a_non_global_admin_is_refused():
    partner, _admin = flagged()
    agent = user_of(partner, role="admin_agent")
    assert api_as(agent).post(TRANSITION, {"confirm": True}, format="json").status_code == 403


def test_withdrawing_the_transition_enrollment_is_refused():
    partner, admin = started()
    enrollment = indirect_enrollment(partner)
    response = api_as(admin).post(f"/api/v1/enrollments/{enrollment.pk}/withdraw/", {}, format="json")
    assert response.status_code == 409 and "no rollback" in str(response.data)


def test_agreement_templates_exist():
    assert current_indirect_template().program == "indirect_reseller"
    assert AgreementTemplate.objects.filter(program="indirect_reseller", is_current=True).exists()
