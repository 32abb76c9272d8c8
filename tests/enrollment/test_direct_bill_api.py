"""The direct-bill application through the REST API (issue 9): from submission to
``active`` (questionnaire, email confirmation, checks, the reviewer's business
verification, the credit check in Celery, the support plan, approval, the agreement),
a declined credit check with its reason and staff's override, a failing questionnaire
that ends the application at once; every refusal (400 naming the field, 403, 404, 409);
the queue's program filter and credit line at a constant number of queries."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from enrollment.models import Enrollment
from enrollment.services import direct_bill as services
from tests.conftest import api_as
from tests.data import valid_application
from tests.factories import AgreementTemplateFactory, MpnProfileFactory, TenantFactory, UserFactory

from .direct_bill import CREDIT_LINE, answers, submit_direct_bill, to_review

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")
OWN_STEPS = {"questionnaire", "credit_check", "support_plan"}


@pytest.fixture(autouse=True)
def _open(settings):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True


def ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, getattr(response, "data", response))
    return response.data


def checks_of(enrollment: dict) -> dict[str, str]:
    return {c["kind"]: c["result"] for c in enrollment["checks"]}


def test_the_journey_from_submission_to_active(admin, reviewer, mpn, committed):
    partner, staff = api_as(admin), api_as(reviewer)
    template = AgreementTemplateFactory(
        program="direct_bill", language="en", name="Microsoft Partner Agreement"
    )
    with committed():
        created = ok(
            partner.post(
                "/api/v1/enrollments/",
                {**valid_application(mpn.mpn_id), "program": "direct_bill"},
                format="json",
            ),
            201,
        )
    url = f"/api/v1/enrollments/{created['id']}/"
    review_url = f"/api/v1/review/enrollments/{created['id']}/"
    assert (created["credit_line"], created["support_plan"]) == (None, None)
    assert {checks_of(created)[k] for k in OWN_STEPS} == {"pending"}

    answered = ok(partner.post(f"{url}questionnaire/", answers(), format="json"))
    assert (answered["status"], checks_of(answered)["questionnaire"]) == (
        "pending_email_verification",
        "passed",
    )

    token = LINK.search(mail.outbox[0].body).group(1)
    with committed():
        ok(APIClient().post("/api/v1/email-verifications/", {"token": token}, format="json"))
    in_review = ok(partner.get(url))
    assert in_review["status"] == "in_review" and checks_of(in_review)["credit_check"] == "pending"

    # The reviewer settles what is left to a person, business verification last: the
    # credit check runs in Celery once it is settled.
    left = [k for k, r in checks_of(in_review).items() if r == "pending" and k not in OWN_STEPS]
    assert "business_verification" in left
    left.remove("business_verification")
    for kind in [*left, "business_verification"]:
        with committed():
            ok(staff.post(f"{review_url}checks/{kind}/", {"result": "passed", "note": ""}, format="json"))
    credited = ok(partner.get(url))
    assert credited["credit_line"] == {"amount": CREDIT_LINE, "currency": "EUR"}
    assert checks_of(credited)["credit_check"] == "passed"
    assert "250,000.00" in mail.outbox[-1].body

    queue = ok(staff.get("/api/v1/review/enrollments/?program=direct_bill"))
    assert [row["credit_line"] for row in queue["results"]] == [{"amount": CREDIT_LINE, "currency": "EUR"}]
    assert ok(staff.get("/api/v1/review/enrollments/?program=indirect_reseller"))["count"] == 0

    planned = ok(partner.post(f"{url}support-plan/", {"plan": "psfp"}, format="json"))
    assert (planned["support_plan"], checks_of(planned)["support_plan"]) == ("psfp", "passed")
    ok(staff.post(f"{review_url}approve/", {"note": ""}, format="json"))
    contact = {
        "first_name": "Jonas",
        "last_name": "Becker",
        "email": "jonas@fabrikam.de",
        "phone": "+49 30 1234567",
    }
    ok(
        partner.post(
            "/api/v1/partner/agreements/",
            {"template_id": str(template.pk), "primary_contact": contact},
            format="json",
        ),
        201,
    )
    assert ok(partner.get(url))["status"] == "active"

    profile = ok(partner.get("/api/v1/partner/"))
    assert "direct_bill" in profile["programs"]
    (info,) = [p for p in profile["program_info"] if p["program"] == "direct_bill"]
    assert (info["status"], info["credit_line"], info["support_plan"]) == (
        "active",
        {"amount": CREDIT_LINE, "currency": "EUR"},
        "psfp",
    )
    events = [e["event"] for e in ok(partner.get(url))["timeline"]]
    assert {"questionnaire_answered", "credit_approved", "support_plan_confirmed"} <= set(events)


@pytest.fixture
def submitted(admin, mpn):
    return submit_direct_bill(admin, mpn.mpn_id)


def url_of(enrollment) -> str:
    return f"/api/v1/enrollments/{enrollment.pk}/"


def test_a_declined_credit_check_shows_its_reason_and_staff_may_override(
    admin, reviewer, submitted, committed
):
    enrollment = to_review(submitted, business="passed")
    with committed():
        ok(api_as(admin).post(f"{url_of(enrollment)}questionnaire/", answers(years_trading=1), format="json"))
    read = ok(api_as(admin).get(url_of(enrollment)))
    (credit,) = [c for c in read["checks"] if c["kind"] == "credit_check"]
    assert (credit["result"], credit["detail_code"]) == ("failed", "credit_declined")
    assert "traded for less than 2 years" in credit["detail"]
    assert (read["status"], read["credit_line"]) == ("in_review", None)

    override = f"/api/v1/review/enrollments/{enrollment.pk}/credit-check/"
    body = {
        "approved": True,
        "credit_line": {"amount": "50000", "currency": "EUR"},
        "note": "Parent company guarantee.",
    }
    with committed():
        reviewed = ok(api_as(reviewer).post(override, body, format="json"))
    assert reviewed["credit_line"] == {"amount": "50000.00", "currency": "EUR"}
    (credit,) = [c for c in reviewed["checks"] if c["kind"] == "credit_check"]
    assert (credit["result"], credit["decided_by"], credit["note"]) == (
        "passed",
        "reviewer",
        "Parent company guarantee.",
    )
    assert reviewed["timeline"][-1]["event"] == "credit_check_overridden"


def test_a_failing_questionnaire_ends_it_at_once_with_the_reason(admin, submitted):
    read = ok(
        api_as(admin).post(
            f"{url_of(submitted)}questionnaire/", answers(billing_infrastructure=False), format="json"
        )
    )
    assert read["status"] == "rejected"
    assert (
        "billing and provisioning" in read["decision_reason"]
        and "indirect reseller" in read["decision_reason"]
    )
    assert ok(api_as(admin).get("/api/v1/partner/"))["vetting_status"] == "rejected"


class TestRefusals:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (answers(authority_to_sign="true"), "authority_to_sign"),
            (answers(first_level_support=None), "first_level_support"),
            (answers(years_trading="6"), "years_trading"),
            (answers(annual_revenue={"amount": "-1", "currency": "EUR"}), "annual_revenue"),
            (answers(annual_revenue={"amount": "1.234", "currency": "EUR"}), "annual_revenue"),
            (answers(cloud_revenue_12m={"amount": "10", "currency": "USD"}), "cloud_revenue_12m"),
            (answers(cloud_revenue_12m="10 EUR"), "cloud_revenue_12m"),
            (
                answers(managed_services=[{"kind": "reselling", "description": "Licences"}]),
                "managed_services",
            ),
            (answers(managed_services=[{"kind": "ip_service", "description": ""}]), "managed_services"),
            (answers(managed_services="many"), "managed_services"),
        ],
    )
    def test_questionnaire_400_names_the_field(self, admin, submitted, body, field):
        response = api_as(admin).post(f"{url_of(submitted)}questionnaire/", body, format="json")
        assert response.status_code == 400 and field in response.data, response.data

    def test_questionnaire_not_an_object(self, admin, submitted):
        response = api_as(admin).post(f"{url_of(submitted)}questionnaire/", [1, 2], format="json")
        assert response.status_code == 400

    def test_questionnaire_403_404_409(self, admin, employee, outsider, submitted):
        url = f"{url_of(submitted)}questionnaire/"
        assert api_as(employee).post(url, answers(), format="json").status_code == 403
        assert api_as(outsider).post(url, answers(), format="json").status_code == 404
        ok(api_as(admin).post(url, answers(), format="json"))
        assert api_as(admin).post(url, answers(), format="json").status_code == 409

    def test_support_plan_refusals(self, admin, employee, outsider, submitted):
        url = f"{url_of(submitted)}support-plan/"
        assert api_as(employee).post(url, {"plan": "asfp"}, format="json").status_code == 403
        assert api_as(outsider).post(url, {"plan": "asfp"}, format="json").status_code == 404
        response = api_as(admin).post(url, {"plan": "gold"}, format="json")
        assert response.status_code == 400 and "plan" in response.data
        to_review(submitted)
        assert api_as(admin).post(url, {"plan": "asfp"}, format="json").status_code == 409  # no credit line

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"approved": "yes", "note": "n"}, "approved"),
            (
                {"approved": True, "credit_line": {"amount": "-5", "currency": "EUR"}, "note": "n"},
                "credit_line",
            ),
            (
                {"approved": True, "credit_line": {"amount": "0", "currency": "EUR"}, "note": "n"},
                "credit_line",
            ),
            (
                {"approved": True, "credit_line": {"amount": "5000", "currency": "USD"}, "note": "n"},
                "credit_line",
            ),
            ({"approved": True, "note": "n"}, "credit_line"),
            ({"approved": False, "note": ""}, "note"),
        ],
    )
    def test_override_400_names_the_field(self, reviewer, submitted, body, field):
        to_review(submitted)
        response = api_as(reviewer).post(
            f"/api/v1/review/enrollments/{submitted.pk}/credit-check/", body, format="json"
        )
        assert response.status_code == 400 and field in response.data, response.data

    def test_override_403_404_409(self, reviewer, staff, admin, submitted):
        url = f"/api/v1/review/enrollments/{submitted.pk}/credit-check/"
        body = {"approved": False, "note": "No."}
        assert api_as(staff).post(url, body, format="json").status_code == 403
        assert api_as(admin).post(url, body, format="json").status_code == 403
        other = "/api/v1/review/enrollments/00000000-0000-0000-0000-000000000000/credit-check/"
        assert api_as(reviewer).post(other, body, format="json").status_code == 404
        # Waiting for the email: not in review yet.
        assert api_as(reviewer).post(url, body, format="json").status_code == 409

    def test_queue_program_filter_refuses_an_unknown_program(self, reviewer):
        response = api_as(reviewer).get("/api/v1/review/enrollments/?program=gold")
        assert response.status_code == 400 and "program" in response.data


def test_the_queue_keeps_its_number_of_queries_as_direct_bill_rows_grow(reviewer, committed, settings):
    settings.GENERATIONS_CACHE = False  # the queue as computed: a kept one reads no table

    def applicant(n):
        tenant = TenantFactory(name=f"Applicant {n}", domain=f"applicant{n}.onmicrosoft.com", country="DE")
        admin = UserFactory(
            tenant=tenant, email=f"admin@applicant{n}.onmicrosoft.com", roles=["global_admin"]
        )
        mpn = MpnProfileFactory(mpn_id=f"48300{n:02d}", company_name=f"Applicant {n} GmbH", country="DE")
        enrollment = to_review(submit_direct_bill(admin, mpn.mpn_id), business="passed")
        with committed():
            services.enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=answers())
        return enrollment

    client = api_as(reviewer)
    applicant(1)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            ok(client.get("/api/v1/review/enrollments/?program=direct_bill"))
        return len(queries)

    count()  # the reviewer's permissions are read once per client
    one = count()
    for n in range(2, 5):
        applicant(n)
    assert Enrollment.objects.exclude(direct_bill__credit_line_amount=None).count() == 4
    assert count() == one
