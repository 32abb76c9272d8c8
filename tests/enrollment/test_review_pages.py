"""The staff review pages: the queue (filters, order, counts, age chart, overdue flag) and
one enrollment's review (checks, evidence, documents, timeline, the decisions)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from enrollment import queue_ages, selectors
from enrollment.models import CheckResult, EnrollmentDocument
from enrollment.services.review import enrollment_appeal, enrollment_claim
from tests.factories import (
    EnrollmentFactory,
    MpnProfileFactory,
    PartnerFactory,
    VerificationCheckFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/review/"


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


def in_review(due_in_days=3, checks=(("email_domain", "passed"),), **kwargs):
    kwargs.setdefault("status", "in_review")
    enrollment = EnrollmentFactory(due_at=timezone.now() + timedelta(days=due_in_days), **kwargs)
    for kind, result in checks:
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result=result)
    return enrollment


def page_url(enrollment) -> str:
    return f"/review/{enrollment.pk}/"


def rows(response) -> list:
    return list(response.context["page"].object_list)


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client, db):
        assert client.get(QUEUE)["Location"].startswith("/sign-in/")

    def test_partner_user_gets_403(self, client, admin):
        enrollment = in_review()
        client.force_login(admin)
        assert client.get(QUEUE).status_code == 403
        assert client.get(page_url(enrollment)).status_code == 403
        assert client.post(f"{page_url(enrollment)}claim/").status_code == 403

    def test_staff_without_the_permission_gets_403(self, client, staff):
        enrollment = in_review()
        client.force_login(staff)
        response = client.get(QUEUE)
        assert response.status_code == 403
        assert b"review permission" in response.content
        assert client.get(page_url(enrollment)).status_code == 403
        assert client.post(f"{page_url(enrollment)}approve/").status_code == 403
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review" and enrollment.assignee is None

    def test_reviewer_sees_the_queue_and_the_nav_link(self, signed_in):
        response = signed_in.get(QUEUE)
        assert response.status_code == 200
        assert b'href="/review/"' in response.content

    def test_staff_home_links_to_the_queue(self, signed_in, client, staff):
        assert b'href="/review/"' in signed_in.get("/").content
        client.force_login(staff)
        assert b'href="/review/"' not in client.get("/").content

    def test_unknown_enrollment_is_404(self, signed_in):
        assert signed_in.get("/review/00000000-0000-0000-0000-000000000000/").status_code == 404


def listed(client, made, query) -> list[str]:
    """The names of the ``made`` enrollments the queue lists with ``query``: exactly these."""
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    names = {enrollment.pk: name for name, enrollment in made.items()}
    return sorted(names[e.pk] for e in rows(response))


class TestQueue:
    @pytest.fixture
    def made(self, reviewer, other_reviewer):
        """One enrollment that each filter keeps: by status, program, country, overdue, assignee."""
        return {
            "mine": in_review(due_in_days=1, assignee=reviewer),
            "theirs": in_review(due_in_days=2, assignee=other_reviewer),
            "waiting": EnrollmentFactory(status="action_needed"),
            "direct": in_review(due_in_days=3, program="direct_bill"),
            "american": in_review(due_in_days=4, partner=PartnerFactory(country="US")),
            "late": in_review(due_in_days=-1),
            "approved": EnrollmentFactory(status="approved"),
        }

    def test_open_enrollments_oldest_due_first(self, signed_in):
        later = in_review(due_in_days=4)
        sooner = in_review(due_in_days=1)
        waiting = EnrollmentFactory(status="action_needed")  # no due date: last
        email = EnrollmentFactory(status="pending_email_verification", submitted_at=timezone.now())
        EnrollmentFactory(status="approved")
        EnrollmentFactory(status="rejected")
        waiting.submitted_at = timezone.now() - timedelta(days=2)
        waiting.save()
        assert rows(signed_in.get(QUEUE)) == [sooner, later, waiting, email]

    @pytest.mark.parametrize(
        "query,expected",
        [
            ("status=action_needed", ["waiting"]),
            ("status=approved", ["approved"]),
            ("program=direct_bill", ["direct"]),
            ("country=US", ["american"]),
            ("overdue=on", ["late"]),
            ("assignee=me", ["mine"]),
            ("assignee=none", ["waiting", "direct", "american", "late"]),
        ],
    )
    def test_filters(self, signed_in, made, query, expected):
        assert listed(signed_in, made, query) == sorted(expected)

    @pytest.mark.parametrize(
        "query,expected",
        [
            # One filter's unknown value is ignored; the valid filter beside it still filters.
            ("status=nonsense&country=US", ["american"]),
            ("program=nonsense&status=action_needed", ["waiting"]),
            ("country=ZZ&program=direct_bill", ["direct"]),
            ("assignee=x&overdue=on", ["late"]),
            ("status=approved&assignee=x", ["approved"]),
            ("status=nonsense&assignee=me", ["mine"]),
            # Only unknown values: the queue as without filters (the undecided, whoever holds them).
            (
                "status=nonsense&program=x&country=ZZ&assignee=x",
                ["mine", "theirs", "waiting", "direct", "american", "late"],
            ),
        ],
    )
    def test_an_unknown_filter_value_is_ignored_and_the_valid_ones_still_filter(
        self, signed_in, made, query, expected
    ):
        assert listed(signed_in, made, query) == sorted(expected)

    def test_overdue_rows_stand_out(self, signed_in):
        late = in_review(due_in_days=-2)
        in_review(due_in_days=2)
        response = signed_in.get(QUEUE)
        content = response.content.decode()
        assert content.count('<tr class="overdue">') == 1
        assert content.count("Overdue</span>") == 1
        assert [e.is_overdue for e in rows(response)] == [True, False]
        assert rows(response)[0] == late

    def test_assignee_column(self, signed_in, reviewer, other_reviewer):
        in_review(due_in_days=1, assignee=other_reviewer)
        in_review(due_in_days=2, assignee=reviewer)
        in_review(due_in_days=3)
        content = signed_in.get(QUEUE).content.decode()
        assert "Sam Second" in content and ">You<" in content and "Unassigned" in content

    def test_counts_per_status(self, signed_in):
        in_review()
        in_review()
        EnrollmentFactory(status="action_needed")
        EnrollmentFactory(status="rejected")
        counts = selectors.queue_counts()
        assert counts["in_review"] == 2 and counts["action_needed"] == 1 and counts["rejected"] == 1
        assert counts["approved"] == 0
        response = signed_in.get(QUEUE)
        assert ("in_review", "In review", 2) in response.context["counts"]
        assert response.context["open_total"] == 3
        assert b"3 open enrollments" in response.content

    def test_fifty_a_page(self, signed_in):
        for _ in range(51):
            EnrollmentFactory(status="action_needed")
        first = signed_in.get(QUEUE)
        assert len(rows(first)) == 50
        assert b"Page 1 of 2" in first.content
        second = signed_in.get(f"{QUEUE}?status=action_needed&page=2")
        assert len(rows(second)) == 1

    def test_constant_queries_whatever_the_number_of_rows(self, signed_in, reviewer):
        in_review(assignee=reviewer)
        with CaptureQueriesContext(connection) as one:
            assert signed_in.get(QUEUE).status_code == 200
        for n in range(19):
            in_review(
                due_in_days=n, assignee=reviewer if n % 2 else None, partner=PartnerFactory(country="FR")
            )
        cache.delete(queue_ages.CACHE_KEY)  # counted again, as after QUEUE_AGE_CHART_SECONDS
        with CaptureQueriesContext(connection) as many:
            response = signed_in.get(QUEUE)
        assert len(rows(response)) == 20
        assert len(many.captured_queries) == len(one.captured_queries)


class TestAgeChart:
    # Wednesday 11 June 2025, noon; the partners are German, whose Whit Monday (9 June) is a
    # public holiday: it does not age a file.
    NOW = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)

    def test_business_days_since_submission(self, signed_in, settings):
        settings.BUSINESS_DAY_SECONDS = 0
        for submitted, status in [
            (datetime(2025, 6, 11, 6, 0, tzinfo=UTC), "pending_email_verification"),  # 0.25
            (datetime(2025, 6, 10, 0, 0, tzinfo=UTC), "in_review"),  # 1.5
            (datetime(2025, 6, 7, 10, 0, tzinfo=UTC), "in_review"),  # a Saturday: 1.5
            (datetime(2025, 6, 6, 12, 0, tzinfo=UTC), "action_needed"),  # Friday: 2.0
            (datetime(2025, 6, 5, 12, 0, tzinfo=UTC), "in_review"),  # 6 calendar days, 3 business
            (datetime(2025, 6, 2, 12, 0, tzinfo=UTC), "in_review"),  # 6
            (datetime(2025, 5, 1, 12, 0, tzinfo=UTC), "approved"),  # decided: not in the chart
        ]:
            EnrollmentFactory(status=status, submitted_at=submitted)
        with time_machine.travel(self.NOW, tick=False):
            buckets = selectors.queue_age_buckets(timezone.now())
            response = signed_in.get(QUEUE)
        assert [b.count for b in buckets] == [1, 3, 1, 1]
        assert [b.percent for b in buckets] == [33, 100, 33, 33]
        assert [b.label for b in buckets] == [
            "0–1 business days",
            "1–3 business days",
            "3–5 business days",
            "More than 5 business days",
        ]
        content = response.content.decode()
        assert '<table class="bar-chart">' in content
        assert 'data-percent="100"' in content and "More than 5 business days" in content

    def test_one_query(self, db, django_assert_num_queries):
        EnrollmentFactory(status="in_review")
        EnrollmentFactory(status="action_needed")
        with django_assert_num_queries(1):
            buckets = selectors.queue_age_buckets(timezone.now())
        assert sum(b.count for b in buckets) == 2


@pytest.fixture
def enrollment(admin):
    """An enrollment in review with one check of each kind of result and a document."""
    partner = PartnerFactory(tenant=admin.tenant, legal_name="Fabrikam Deutschland GmbH", mpn_id="4820001")
    enrollment = in_review(
        partner=partner,
        checks=[("email_domain", "failed"), ("business_verification", "pending"), ("mpn_status", "passed")],
    )
    check = enrollment.checks.get(kind="email_domain")
    check.detail = "The domain fabrikam.de is not a verified domain of the tenant."
    check.evidence = {"domain": "fabrikam.de", "verified_domains": ["fabrikamde.onmicrosoft.com"]}
    check.save()
    enrollment_appeal(
        actor=admin,
        enrollment=enrollment,
        kind="email_domain",
        document_type="domain_ownership",
        comment="Our DNS record",
        document=SimpleUploadedFile("dns-proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf"),
    )
    return enrollment


def settle_checks(enrollment, result="passed"):
    enrollment.checks.update(result=result)


def events(enrollment, kind):
    return list(enrollment.events.filter(kind=kind))


class TestEnrollmentPage:
    def test_partner_mpn_checks_evidence_documents_timeline(self, signed_in, enrollment):
        MpnProfileFactory(mpn_id="4820001", company_name="Fabrikam Deutschland GmbH", country="DE")
        response = signed_in.get(page_url(enrollment))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Fabrikam Deutschland GmbH" in content and "fabrikamde.onmicrosoft.com" in content
        assert response.context["mpn"].company_name == "Fabrikam Deutschland GmbH"
        assert "Email domain and employment" in content and "Business verification" in content
        assert "is not a verified domain of the tenant" in content
        assert '<details class="evidence">' in content and "&quot;verified_domains&quot;: [" in content
        document = EnrollmentDocument.objects.get()
        assert f'href="/review/documents/{document.pk}/"' in content and "dns-proof.pdf" in content
        assert "Our DNS record" in content and "Proof of domain ownership" in content
        assert "Document submitted" in content  # the timeline
        for label in ["Claim", "Approve", "Reject", "Request information", "Pass", "Fail", "Waive"]:
            assert f">{label}<" in content, label

    def test_unknown_mpn_id_is_said(self, signed_in, enrollment):
        response = signed_in.get(page_url(enrollment))
        assert response.context["mpn"] is None
        assert b"was not found in the Partner Network" in response.content

    def test_constant_queries_whatever_the_number_of_checks_and_documents(self, signed_in, enrollment):
        with CaptureQueriesContext(connection) as few:
            signed_in.get(page_url(enrollment))
        for kind in ["address", "bank_account", "duplicate"]:
            VerificationCheckFactory(enrollment=enrollment, kind=kind, result="failed")
        with CaptureQueriesContext(connection) as more:
            signed_in.get(page_url(enrollment))
        assert len(more.captured_queries) == len(few.captured_queries)

    def test_document_download_is_an_attachment(self, signed_in, enrollment):
        document = EnrollmentDocument.objects.get()
        response = signed_in.get(f"/review/documents/{document.pk}/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="dns-proof.pdf"' in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 proof"

    def test_document_download_is_for_reviewers_only(self, client, admin, staff, enrollment):
        url = f"/review/documents/{EnrollmentDocument.objects.get().pk}/"
        assert client.get(url)["Location"].startswith("/sign-in/")
        for user in (admin, staff):
            client.force_login(user)
            assert client.get(url).status_code == 403


class TestActions:
    def test_claim_and_release(self, signed_in, reviewer, enrollment):
        response = signed_in.post(f"{page_url(enrollment)}claim/", follow=True)
        assert b"You hold this enrollment" in response.content
        enrollment.refresh_from_db()
        assert enrollment.assignee == reviewer and enrollment.claimed_at
        assert events(enrollment, "claimed")[0].actor == reviewer
        signed_in.post(f"{page_url(enrollment)}release/")
        enrollment.refresh_from_db()
        assert enrollment.assignee is None
        assert events(enrollment, "released")[0].actor == reviewer

    def test_approve_with_a_note(self, signed_in, reviewer, enrollment, django_capture_on_commit_callbacks):
        settle_checks(enrollment)
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(
                f"{page_url(enrollment)}approve/", {"note": "All in order"}, follow=True
            )
        assert b"The enrollment is approved" in response.content
        enrollment.refresh_from_db()
        assert enrollment.status == "approved" and enrollment.decided_at
        event = events(enrollment, "approved")[0]
        assert (event.actor, event.detail, event.from_state) == (reviewer, "All in order", "in_review")
        assert "Riley Reviewer" in event.actor_label

    def test_approve_with_an_open_check_is_refused(self, signed_in, enrollment):
        response = signed_in.post(f"{page_url(enrollment)}approve/", {"note": "ok"})
        assert response.status_code == 200
        errors = response.context["approve_form"].non_field_errors()
        assert "Pass or waive every check before approving" in errors[0]
        assert "Email domain and employment" in errors[0]
        assert b"Pass or waive every check before approving" in response.content
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review" and not events(enrollment, "approved")

    def test_reject_with_a_reason(self, signed_in, reviewer, enrollment):
        signed_in.post(f"{page_url(enrollment)}reject/", {"reason": "The company is not registered."})
        enrollment.refresh_from_db()
        assert enrollment.status == "rejected"
        assert enrollment.decision_reason == "The company is not registered."
        event = events(enrollment, "rejected")[0]
        assert (event.actor, event.detail) == (reviewer, "The company is not registered.")

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_reject_without_a_reason_changes_nothing(self, signed_in, enrollment, reason):
        response = signed_in.post(f"{page_url(enrollment)}reject/", {"reason": reason})
        assert response.status_code == 200
        assert response.context["reject_form"].errors["reason"] == [
            "Give the reason for the rejection: the partner receives it."
        ]
        assert b"Give the reason for the rejection" in response.content
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review" and enrollment.assignee is None
        assert not events(enrollment, "rejected")

    def test_request_information(self, signed_in, reviewer, enrollment):
        empty = signed_in.post(f"{page_url(enrollment)}request-info/", {"message": ""})
        assert empty.context["request_info_form"].errors["message"]
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review"
        signed_in.post(f"{page_url(enrollment)}request-info/", {"message": "Send your DNS TXT record."})
        enrollment.refresh_from_db()
        assert enrollment.status == "action_needed" and enrollment.assignee == reviewer
        event = events(enrollment, "info_requested")[0]
        assert (event.actor, event.detail, event.to_state) == (
            reviewer,
            "Send your DNS TXT record.",
            "action_needed",
        )

    @pytest.mark.parametrize(
        "result,note,event_kind",
        [
            ("passed", "", "check_passed"),
            ("failed", "No DNS record", "check_failed"),
            ("waived", "Known", "check_waived"),
        ],
    )
    def test_decide_one_check(self, signed_in, reviewer, enrollment, result, note, event_kind):
        response = signed_in.post(
            f"{page_url(enrollment)}checks/business_verification/",
            {"result": result, "note": note},
            follow=True,
        )
        assert response.status_code == 200
        check = enrollment.checks.get(kind="business_verification")
        assert (check.result, check.decided_by) == (result, reviewer)
        event = events(enrollment, event_kind)[0]
        assert event.actor == reviewer and event.detail.startswith("Business verification")
        if note:
            assert check.detail == note and note in event.detail

    def test_failing_a_check_needs_a_note(self, signed_in, enrollment):
        response = signed_in.post(
            f"{page_url(enrollment)}checks/mpn_status/", {"result": "failed", "note": ""}
        )
        assert response.status_code == 200
        form = response.context["checks"][2]["form"]
        assert form.errors["note"] == ["Say why: the note is shown to the partner with the check."]
        assert enrollment.checks.get(kind="mpn_status").result == CheckResult.PASSED
        assert not events(enrollment, "check_failed")

    def test_an_unknown_check_or_result(self, signed_in, enrollment):
        response = signed_in.post(f"{page_url(enrollment)}checks/no_such/", {"result": "passed"}, follow=True)
        assert response.status_code == 200
        assert b"This enrollment has no such check." in response.content
        response = signed_in.post(f"{page_url(enrollment)}checks/mpn_status/", {"result": "maybe"})
        assert response.status_code == 200
        assert b"Choose passed, failed or waived." in response.content

    def test_second_reviewer_gets_the_409_message(self, client, reviewer, other_reviewer, enrollment):
        settle_checks(enrollment)
        enrollment_claim(actor=reviewer, enrollment=enrollment)
        client.force_login(other_reviewer)
        response = client.post(f"{page_url(enrollment)}approve/", {"note": ""}, follow=True)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Riley Reviewer holds this enrollment. Ask them to release it first." in content
        assert "Current status: In review." in content
        enrollment.refresh_from_db()
        assert enrollment.status == "in_review" and enrollment.assignee == reviewer

    def test_deciding_a_decided_enrollment_says_its_status(self, signed_in, enrollment):
        signed_in.post(f"{page_url(enrollment)}reject/", {"reason": "Not registered."})
        response = signed_in.post(f"{page_url(enrollment)}reject/", {"reason": "Again"}, follow=True)
        assert b"This enrollment is no longer in review. Current status: Rejected." in response.content
        assert len(events(enrollment, "rejected")) == 1

    def test_actions_are_post_only(self, signed_in, enrollment):
        for action in ["claim", "release", "approve", "reject", "request-info"]:
            assert signed_in.get(f"{page_url(enrollment)}{action}/").status_code == 405


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, reviewer):
    for _ in range(51):
        EnrollmentFactory(status="in_review")
    client.force_login(reviewer)
    page = client.get("/review/?status=in_review&program=indirect_reseller").content.decode()
    assert "?status=in_review&amp;program=indirect_reseller&amp;page=2" in page
    assert "Page 1 of 2" in page


def test_the_review_page_reads_few_queries(signed_in, enrollment, django_assert_num_queries):
    """The session, the user and its permissions (one), the rows kept (``enrollment.kept``),
    the enrollment with its checks, its documents, a page of its timeline, the registry's
    record and the partner's history: no decisions' notes (the page does not show them),
    no documents' query for a file that has none. Each time computed: it changes between."""
    with django_assert_num_queries(10):
        assert signed_in.get(page_url(enrollment)).status_code == 200
    enrollment.documents.all().delete()
    with django_assert_num_queries(9):
        assert signed_in.get(page_url(enrollment)).status_code == 200


def test_a_checks_kind_result_and_time_are_what_the_filters_write(signed_in, enrollment):
    checked = enrollment.checks.get(kind="mpn_status")
    checked.checked_at = datetime(2026, 3, 4, 15, 30, 40, tzinfo=UTC)
    checked.save()
    content = signed_in.get(page_url(enrollment), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    with translation.override("zh-hant"):
        written = engines["django"].from_string(
            '<strong>{{ c.get_kind_display }}</strong> <span class="badge result-{{ c.result }}">'
            '{{ c.get_result_display }}</span>|{{ c.checked_at|date:"DATETIME_FORMAT" }}</p>'
        )
        head, when = written.render({"c": checked}).split("|")
    assert "已通過" in head  # "Passed", in the reader's language
    assert head in content and f" · {when}" in content
