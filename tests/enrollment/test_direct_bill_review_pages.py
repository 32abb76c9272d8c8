"""The direct-bill parts of the staff review pages (issue 9): the questionnaire's answers,
the credit check's line and the override form on the review page, and the queue's credit
line column and program filter."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment import queue_ages
from enrollment.models import DirectBillApplication
from tests.factories import EnrollmentFactory, PartnerFactory

from .test_direct_bill_pages import direct_bill

pytestmark = pytest.mark.django_db

QUEUE = "/review/"


@pytest.fixture
def staff_in(client, reviewer):
    client.force_login(reviewer)
    return client


def review_url(enrollment) -> str:
    return f"/review/{enrollment.pk}/"


class TestReviewPage:
    def test_shows_the_answers_the_line_and_the_override_form(self, staff_in):
        enrollment = direct_bill(PartnerFactory(country="DE"), line=Decimal("250000.00"))
        content = staff_in.get(review_url(enrollment)).content.decode()
        assert "Qualification questionnaire" in content and "Managed Microsoft 365" in content
        assert "€8,500,000.00" in content and "€1,900,000.00" in content
        assert "Credit line: €250,000.00" in content
        assert 'id="check-credit_check"' in content and 'href="#check-credit_check"' in content
        assert f'action="/review/{enrollment.pk}/credit-check/"' in content
        assert "Approve with this credit line" in content and ">Decline<" in content

    def test_an_indirect_enrollment_has_no_direct_bill_card(self, staff_in):
        enrollment = EnrollmentFactory(status="in_review")
        assert b'id="direct-bill-review"' not in staff_in.get(review_url(enrollment)).content

    def test_override_approves_with_a_line_and_a_note(self, staff_in):
        enrollment = direct_bill(PartnerFactory(country="DE"), declined="Declared revenue is too low.")
        response = staff_in.post(
            f"/review/{enrollment.pk}/credit-check/",
            {"result": "approve", "amount": "120,000.50", "note": "Bank reference checked."},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == review_url(enrollment)
        assert b"The credit check is approved with your credit line." in response.content
        enrollment.refresh_from_db()
        assert enrollment.credit_line == (Decimal("120000.50"), "EUR")
        assert enrollment.checks.get(kind="credit_check").result == "passed"
        assert "Bank reference checked." in response.content.decode()  # the timeline

    def test_override_declines(self, staff_in):
        enrollment = direct_bill(PartnerFactory(country="DE"), line=Decimal("1000"))
        response = staff_in.post(
            f"/review/{enrollment.pk}/credit-check/", {"result": "decline", "note": "Overdue accounts."}
        )
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.credit_line is None
        assert enrollment.checks.get(kind="credit_check").result == "failed"

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"result": "approve", "amount": "250000"}, "note"),
            ({"result": "approve", "amount": "lots", "note": "Checked."}, "amount"),
            ({"result": "approve", "amount": "", "note": "Checked."}, "amount"),
            ({"result": "approve", "amount": "-5", "note": "Checked."}, "amount"),
            # more than the credit line's column holds, or more than two decimals: refused,
            # never a database error
            ({"result": "approve", "amount": "1e30", "note": "Checked."}, "amount"),
            ({"result": "approve", "amount": "100.125", "note": "Checked."}, "amount"),
        ],
    )
    def test_override_errors_are_inline(self, staff_in, data, field):
        enrollment = direct_bill(PartnerFactory(country="DE"))
        response = staff_in.post(f"/review/{enrollment.pk}/credit-check/", data)
        assert response.status_code == 200
        form = response.context["credit_override_form"]
        assert field in form.errors, form.errors
        assert f'id="id_credit_{field}_error"'.encode() in response.content
        assert b'<details class="credit-override" open>' in response.content
        assert DirectBillApplication.objects.get().credit_line is None

    def test_partner_users_may_not_override(self, client, admin):
        enrollment = direct_bill(PartnerFactory(tenant=admin.tenant))
        client.force_login(admin)
        response = client.post(
            f"/review/{enrollment.pk}/credit-check/", {"result": "approve", "amount": "9", "note": "x"}
        )
        assert response.status_code == 403
        assert DirectBillApplication.objects.get().credit_line is None


class TestQueue:
    def test_program_filter_and_the_credit_line_column(self, staff_in):
        with_line = direct_bill(PartnerFactory(country="DE", legal_name="Alpha GmbH"), line=Decimal("250000"))
        undecided = direct_bill(PartnerFactory(country="DE", legal_name="Beta GmbH"))
        indirect = EnrollmentFactory(status="in_review", partner=PartnerFactory(legal_name="Gamma GmbH"))
        response = staff_in.get(f"{QUEUE}?program=direct_bill")
        assert set(response.context["page"].object_list) == {with_line, undecided}
        content = response.content.decode()
        assert ">Credit line</th>" in content and "€250,000.00" in content and "Not decided" in content
        assert "Gamma GmbH" not in content
        assert indirect in staff_in.get(f"{QUEUE}?program=indirect_reseller").context["page"].object_list

    def test_constant_queries_with_direct_bill_rows(self, staff_in):
        direct_bill(PartnerFactory(country="DE"), line=Decimal("1000"))
        with CaptureQueriesContext(connection) as one:
            staff_in.get(QUEUE)
        for n in range(6):
            direct_bill(PartnerFactory(country="FR"), line=Decimal(1000 + n) if n % 2 else None)
            EnrollmentFactory(status="in_review")
        cache.delete(queue_ages.CACHE_KEY)  # counted again, as after QUEUE_AGE_CHART_SECONDS
        with CaptureQueriesContext(connection) as many:
            response = staff_in.get(QUEUE)
        assert len(response.context["page"].object_list) == 13
        assert len(many.captured_queries) == len(one.captured_queries)
