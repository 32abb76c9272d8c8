"""The review queue through the API, as API.md "Review queue" writes it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db


def in_review(country="DE", due_in=timedelta(days=3), checks=("mpn_status",), **extra):
    enrollment = EnrollmentFactory(
        partner=PartnerFactory(country=country), status="in_review", due_at=timezone.now() + due_in, **extra
    )
    for kind in checks:
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result="passed")
    return enrollment


class TestQueue:
    def test_only_reviewers(self, admin, staff, api):
        assert api.get("/api/v1/review/enrollments/").status_code == 401
        assert api_as(admin).get("/api/v1/review/enrollments/").status_code == 403
        assert api_as(staff).get("/api/v1/review/enrollments/").status_code == 403

    def test_oldest_due_first_with_overdue_flag(self, reviewer):
        later = in_review(due_in=timedelta(days=4))
        overdue = in_review(due_in=timedelta(days=-1))
        data = api_as(reviewer).get("/api/v1/review/enrollments/").data
        assert [row["id"] for row in data["results"]] == [str(overdue.pk), str(later.pk)]
        assert [row["overdue"] for row in data["results"]] == [True, False]

    def test_filters(self, reviewer):
        de = in_review(country="DE")
        tw = in_review(country="TW", due_in=timedelta(days=-2))
        waiting = EnrollmentFactory(status="action_needed")
        client = api_as(reviewer)

        def ids(query):
            return {row["id"] for row in client.get(f"/api/v1/review/enrollments/?{query}").data["results"]}

        assert ids("country=tw") == {str(tw.pk)}
        assert ids("overdue=true") == {str(tw.pk)}
        assert ids("status=action_needed") == {str(waiting.pk)}
        assert ids("program=indirect_reseller") >= {str(de.pk), str(tw.pk)}
        client.post(f"/api/v1/review/enrollments/{de.pk}/claim/")
        assert ids("assignee=me") == {str(de.pk)}
        assert str(de.pk) not in ids("assignee=none")

    def test_constant_number_of_queries(self, reviewer, django_assert_max_num_queries):
        client = api_as(reviewer)
        in_review()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get("/api/v1/review/enrollments/")
        for _ in range(12):
            in_review(checks=("mpn_status", "address"))
        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get("/api/v1/review/enrollments/")
        assert response.data["count"] == 13


class TestActions:
    def test_claim_then_409_for_another_reviewer(self, reviewer, other_reviewer):
        enrollment = in_review()
        assert api_as(reviewer).post(f"/api/v1/review/enrollments/{enrollment.pk}/claim/").status_code == 200
        response = api_as(other_reviewer).post(f"/api/v1/review/enrollments/{enrollment.pk}/claim/")
        assert response.status_code == 409
        assert response.data["code"] == "invalid_transition" and response.data["status"] == "in_review"

    def test_approve(self, reviewer, django_capture_on_commit_callbacks):
        enrollment = in_review()
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(reviewer).post(
                f"/api/v1/review/enrollments/{enrollment.pk}/approve/", {"note": "Verified"}, format="json"
            )
        assert response.status_code == 200 and response.data["status"] == "approved"
        assert response.data["timeline"][-1]["event"] == "approved"
        assert len(mail.outbox) == 1
        again = api_as(reviewer).post(f"/api/v1/review/enrollments/{enrollment.pk}/approve/")
        assert again.status_code == 409 and again.data["status"] == "approved"

    def test_reject_requires_a_reason(self, reviewer):
        enrollment = in_review()
        client = api_as(reviewer)
        for body in ({}, {"reason": ""}, {"reason": "   "}):
            response = client.post(f"/api/v1/review/enrollments/{enrollment.pk}/reject/", body, format="json")
            assert response.status_code == 400 and "reason" in response.data
        response = client.post(
            f"/api/v1/review/enrollments/{enrollment.pk}/reject/", {"reason": "Not a company"}, format="json"
        )
        assert response.data["decision_reason"] == "Not a company"

    def test_request_info_requires_a_message(self, reviewer):
        enrollment = in_review()
        client = api_as(reviewer)
        assert (
            client.post(
                f"/api/v1/review/enrollments/{enrollment.pk}/request-info/", {}, format="json"
            ).status_code
            == 400
        )
        response = client.post(
            f"/api/v1/review/enrollments/{enrollment.pk}/request-info/",
            {"message": "Send the register extract"},
            format="json",
        )
        assert response.status_code == 200 and response.data["status"] == "action_needed"

    def test_decide_a_check(self, reviewer):
        enrollment = in_review(checks=("mpn_status", "email_domain"))
        client = api_as(reviewer)
        url = f"/api/v1/review/enrollments/{enrollment.pk}/checks/email_domain/"
        assert client.post(url, {"result": "waived"}, format="json").status_code == 400
        response = client.post(
            url, {"result": "failed", "note": "Domain belongs to someone else"}, format="json"
        )
        assert response.status_code == 200
        check = next(c for c in response.data["checks"] if c["kind"] == "email_domain")
        assert (check["result"], check["detail"]) == ("failed", "Domain belongs to someone else")
        assert (
            client.post(
                f"/api/v1/review/enrollments/{enrollment.pk}/checks/nope/",
                {"result": "passed"},
                format="json",
            ).status_code
            == 400
        )

    def test_partner_users_cannot_act_and_unknown_is_404(self, reviewer, admin):
        enrollment = in_review()
        assert api_as(admin).post(f"/api/v1/review/enrollments/{enrollment.pk}/approve/").status_code == 403
        missing = "00000000-0000-0000-0000-000000000000"
        assert api_as(reviewer).post(f"/api/v1/review/enrollments/{missing}/approve/").status_code == 404
        assert api_as(reviewer).get("/api/v1/review/enrollments/not-a-uuid/").status_code == 404
