"""Every enrollment status, walked through every page and endpoint that shows it (issue 7,
section 2): what the overview, the navigation, the status page, the review queue, the
review page and the API offer in each status, against one table written from API.md
and DOMAIN.md. And the predicates behind them: derived from ``enrollment.states.MOVES``,
the SQL and the Python form of "overdue" agreeing.

The table below is written out by hand, not computed from ``states``: a predicate that
drifts from the program's rules fails here instead of agreeing with itself.
"""

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from enrollment import events, states
from enrollment.models import (
    DECIDABLE,
    FINAL_STATUSES,
    MOVES,
    OPEN_STATUSES,
    TRANSITIONS,
    UNDECIDED_STATUSES,
    WITHDRAWABLE,
    Enrollment,
    EnrollmentStatus,
    Move,
    overdue_q,
    statuses_for,
)
from enrollment.permissions import may_enroll
from enrollment.services.application import enrollment_submit
from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput
from tests.factories import EnrollmentFactory, PartnerFactory, UserFactory, VerificationCheckFactory

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

S = EnrollmentStatus
STATUSES = S.values


@dataclass(frozen=True)
class Offers:
    """What an enrollment in one status offers, as the program's rules say."""

    title: str  # the status page's next step
    apply_again: bool  # the partner may start a new enrollment in the program
    resend: bool  # "Send the email again"
    withdraw: bool  # "withdraw before a decision" (API.md)
    respond: bool  # answer a request for information
    appeal: bool  # send a document for a failed or questioned check
    undecided: bool  # in the review queue without a status filter
    decide: bool  # approve, reject, request information
    decide_checks: bool  # pass, fail or waive a check
    claim: bool  # a reviewer takes the file


T, F = True, False
OFFERS = {
    S.PENDING_EMAIL_VERIFICATION: Offers("Confirm the primary contact's email", F, T, T, F, F, T, F, F, T),
    S.IN_REVIEW: Offers("Verification in progress", F, F, T, F, T, T, T, T, T),
    S.ACTION_NEEDED: Offers("We need information from you", F, F, T, T, T, T, F, T, T),
    S.APPROVED: Offers("Accept the agreement", F, F, F, F, F, F, F, F, F),
    S.ACTIVE: Offers("You are enrolled", F, F, F, F, F, F, F, F, F),
    S.REJECTED: Offers("Application rejected", T, F, F, F, F, F, F, F, F),
    S.WITHDRAWN: Offers("Application withdrawn", T, F, F, F, F, F, F, F, F),
    S.EXPIRED: Offers("Application expired", T, F, F, F, F, F, F, F, F),
}
# Every title but the status's own: a page must not say another status's next step.
OTHER_TITLES = {s: {o.title for k, o in OFFERS.items() if k != s} for s in OFFERS}


def test_the_table_covers_every_status():
    assert set(OFFERS) == set(STATUSES)


# --- The cast and the builders ---------------------------------------------------------------


def enrollment_of(admin, status, **kwargs) -> Enrollment:
    """An enrollment of the admin's partner in ``status``, with one check (so that the pages
    that list checks have one to offer a decision or an appeal on)."""
    partner = PartnerFactory(tenant=admin.tenant, legal_name="Fabrikam Deutschland GmbH")
    enrollment = EnrollmentFactory(partner=partner, status=status, **kwargs)
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="pending")
    if status == S.ACTION_NEEDED:
        # How an enrollment comes to wait for the partner: the reviewer's request.
        record_event(
            enrollment,
            events.INFO_REQUESTED,
            tenant=admin.tenant,
            from_state=S.IN_REVIEW,
            to_state=S.ACTION_NEEDED,
            note="Send the business registration.",
        )
    return enrollment


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.content.decode())


def nav(content: str) -> str:
    found = re.search(r"<nav\b.*?</nav>", content, re.S)
    assert found, "the page has no navigation"
    return found.group(0)


def next_step_title(content: str) -> str:
    found = re.search(r'<section class="card next[^"]*">\s*<h2>[^<:]*: (.*?)</h2>', content, re.S)
    assert found, "the status page has no next step"
    return found.group(1).strip()


# --- The overview and the navigation --------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
class TestOverview:
    def test_start_enrollment_is_offered_exactly_when_the_partner_may_apply_again(
        self, client, admin, status
    ):
        enrollment_of(admin, status)
        content = page(client, admin, "/")
        assert ("Start enrollment" in content) is OFFERS[status].apply_again, status

    def test_the_nav_offers_enroll_exactly_when_the_partner_may_apply_again(self, client, admin, status):
        enrollment_of(admin, status)
        links = nav(page(client, admin, "/"))
        assert ('href="/enroll/"' in links) is OFFERS[status].apply_again, status

    def test_may_enroll_agrees(self, admin, status):
        enrollment_of(admin, status)
        assert may_enroll(admin) is OFFERS[status].apply_again

    def test_the_offer_matches_what_the_service_accepts(self, admin, mpn, application, status):
        """ "Start enrollment" is offered exactly when ``enrollment_submit`` takes a new one."""
        enrollment_of(admin, status)
        try:
            enrollment_submit(actor=admin, application=application)
        except InvalidInput as exc:
            accepted, errors = False, exc.errors
        else:
            accepted, errors = True, None
        assert accepted is OFFERS[status].apply_again, errors


def test_a_partner_without_enrollments_may_start_one(client, admin):
    content = page(client, admin, "/")
    assert "Start enrollment" in content and 'href="/enroll/"' in nav(content)


# --- The status page ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
class TestStatusPage:
    def test_the_next_step_is_the_statuses_own(self, client, admin, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, admin, f"/enrollments/{enrollment.pk}/")
        assert next_step_title(content) == OFFERS[status].title
        for other in OTHER_TITLES[status]:
            assert other not in content, f"the {status} page says {other!r}"

    def test_send_the_email_again_only_while_the_link_can_be_resent(self, client, admin, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, admin, f"/enrollments/{enrollment.pk}/")
        assert ("Send the email again" in content) is OFFERS[status].resend
        assert (f'action="/enrollments/{enrollment.pk}/resend/"' in content) is OFFERS[status].resend

    def test_the_withdraw_form_only_while_withdrawable(self, client, admin, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, admin, f"/enrollments/{enrollment.pk}/")
        assert (f'action="/enrollments/{enrollment.pk}/withdraw/"' in content) is OFFERS[status].withdraw

    def test_the_answer_form_only_while_information_is_requested(self, client, admin, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, admin, f"/enrollments/{enrollment.pk}/")
        assert (f'action="/enrollments/{enrollment.pk}/respond/"' in content) is OFFERS[status].respond

    def test_the_document_upload_only_while_a_check_may_be_appealed(self, client, admin, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, admin, f"/enrollments/{enrollment.pk}/")
        assert (f'action="/enrollments/{enrollment.pk}/appeals/"' in content) is OFFERS[status].appeal

    def test_an_employee_is_offered_no_action(self, client, admin, employee, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, employee, f"/enrollments/{enrollment.pk}/")
        assert next_step_title(content) == OFFERS[status].title
        assert f'action="/enrollments/{enrollment.pk}/' not in content


def test_an_expired_application_says_it_expired_not_that_it_was_withdrawn(client, admin):
    """The bug of issue 7: the expired page said "Application withdrawn"."""
    enrollment = enrollment_of(admin, S.EXPIRED)
    content = page(client, admin, f"/enrollments/{enrollment.pk}/")
    assert next_step_title(content) == "Application expired"
    assert "withdrawn" not in content.lower()


# --- The review queue, page and API --------------------------------------------------------------


def queue_row(client, reviewer, enrollment, query="") -> dict | None:
    client.force_login(reviewer)
    response = client.get(f"/api/v1/review/enrollments/{query}")
    assert response.status_code == 200
    rows = [r for r in response.json()["results"] if r["id"] == str(enrollment.pk)]
    assert len(rows) <= 1
    return rows[0] if rows else None


@pytest.mark.parametrize("status", STATUSES)
class TestReviewQueue:
    def test_the_page_lists_it_without_a_filter_exactly_when_undecided(self, client, admin, reviewer, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, reviewer, "/review/")
        assert (f'href="/review/{enrollment.pk}/"' in content) is OFFERS[status].undecided

    def test_the_api_lists_it_without_a_filter_exactly_when_undecided(self, client, admin, reviewer, status):
        enrollment = enrollment_of(admin, status)
        assert (queue_row(client, reviewer, enrollment) is not None) is OFFERS[status].undecided

    def test_the_status_filter_finds_it_whatever_its_status(self, client, admin, reviewer, status):
        enrollment = enrollment_of(admin, status)
        other = EnrollmentFactory(status=S.IN_REVIEW if status != S.IN_REVIEW else S.ACTION_NEEDED)
        assert queue_row(client, reviewer, enrollment, f"?status={status}")["status"] == status
        assert queue_row(client, reviewer, other, f"?status={status}") is None
        content = page(client, reviewer, f"/review/?status={status}")
        assert f'href="/review/{enrollment.pk}/"' in content

    @pytest.mark.parametrize(
        "due", [timedelta(hours=-1), timedelta(days=1), None], ids=["past", "future", "none"]
    )
    def test_overdue_exactly_when_decidable_and_past_due(self, client, admin, reviewer, status, due):
        enrollment = enrollment_of(admin, status, due_at=NOW + due if due is not None else None)
        expected = status == S.IN_REVIEW and due is not None and due < timedelta(0)
        assert queue_row(client, reviewer, enrollment, f"?status={status}")["overdue"] is expected
        assert (queue_row(client, reviewer, enrollment, "?overdue=true") is not None) is expected
        client.force_login(reviewer)
        assert client.get(f"/api/v1/review/enrollments/{enrollment.pk}/").json()["overdue"] is expected
        content = page(client, reviewer, f"/review/?status={status}")
        assert ('<tr class="overdue">' in content) is expected
        assert ("overdue-flag" in page(client, reviewer, f"/review/{enrollment.pk}/")) is expected

    def test_the_review_page_offers_a_decision_only_when_decidable(self, client, admin, reviewer, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, reviewer, f"/review/{enrollment.pk}/")
        for action in ("approve", "reject", "request-info"):
            assert (f'action="/review/{enrollment.pk}/{action}/"' in content) is OFFERS[status].decide, action

    def test_the_review_page_offers_check_decisions_only_when_checks_may_be_decided(
        self, client, admin, reviewer, status
    ):
        enrollment = enrollment_of(admin, status)
        content = page(client, reviewer, f"/review/{enrollment.pk}/")
        action = f'action="/review/{enrollment.pk}/checks/business_verification/"'
        assert (action in content) is OFFERS[status].decide_checks

    def test_the_review_page_offers_to_claim_only_what_can_be_claimed(self, client, admin, reviewer, status):
        enrollment = enrollment_of(admin, status)
        content = page(client, reviewer, f"/review/{enrollment.pk}/")
        assert (f'action="/review/{enrollment.pk}/claim/"' in content) is OFFERS[status].claim


# --- The partner API -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
class TestPartnerApi:
    def test_reads_the_status(self, admin, status):
        enrollment = enrollment_of(admin, status)
        client = api_as(admin)
        assert client.get(f"/api/v1/enrollments/{enrollment.pk}/").json()["status"] == status
        listed = client.get("/api/v1/enrollments/").json()["results"]
        assert [(e["id"], e["status"]) for e in listed] == [(str(enrollment.pk), status)]

    def test_withdraw_only_while_withdrawable(self, admin, status):
        enrollment = enrollment_of(admin, status)
        response = api_as(admin).post(f"/api/v1/enrollments/{enrollment.pk}/withdraw/", {"reason": "x"})
        if OFFERS[status].withdraw:
            assert response.status_code == 200 and response.json()["status"] == S.WITHDRAWN
        else:
            assert response.status_code == 409 and response.json()["status"] == status
            enrollment.refresh_from_db()
            assert enrollment.status == status

    def test_resend_only_while_the_link_can_be_resent(self, admin, status):
        enrollment = enrollment_of(admin, status)
        response = api_as(admin).post(f"/api/v1/enrollments/{enrollment.pk}/resend-verification-email/")
        assert response.status_code == (200 if OFFERS[status].resend else 409)
        assert response.json()["status"] == status

    def test_an_outsider_does_not_find_it(self, admin, outsider, status):
        enrollment = enrollment_of(admin, status)
        assert api_as(outsider).get(f"/api/v1/enrollments/{enrollment.pk}/").status_code == 404


# --- The predicates: one home, derived from MOVES ------------------------------------------------


def reachable_from(status: str) -> set[str]:
    """Every status ``status`` can still reach along MOVES (itself included)."""
    seen, frontier = {status}, {status}
    while frontier:
        frontier = {
            m.target for m in MOVES.values() for s in frontier if s in m.sources and m.target is not None
        } - seen
        seen |= frontier
    return seen


# API.md's table of statuses and their "next" column, with ``expired`` (the primary contact
# never confirmed) that the portal adds after ``pending_email_verification``, and
# ``rejected`` from any undecided status: a direct-bill questionnaire that fails ends the
# application at once.
API_MD_NEXT = {
    S.PENDING_EMAIL_VERIFICATION: {S.IN_REVIEW, S.WITHDRAWN, S.EXPIRED, S.REJECTED},
    S.IN_REVIEW: {S.ACTION_NEEDED, S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.ACTION_NEEDED: {S.IN_REVIEW, S.WITHDRAWN, S.REJECTED},
    S.APPROVED: {S.ACTIVE},
    S.ACTIVE: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.EXPIRED: set(),
}


class TestPredicatesComeFromMoves:
    def test_transitions_match_api_md_plus_expired(self):
        assert {s: set(n) for s, n in TRANSITIONS.items()} == API_MD_NEXT

    def test_open_statuses_are_those_that_can_still_become_active(self):
        assert set(OPEN_STATUSES) == {s for s in STATUSES if S.ACTIVE in reachable_from(s)}
        assert set(OPEN_STATUSES) == {s for s in STATUSES if not OFFERS[s].apply_again}

    def test_final_statuses_are_those_no_move_leaves(self):
        assert set(FINAL_STATUSES) == {s for s in STATUSES if reachable_from(s) == {s}}
        assert set(FINAL_STATUSES) == {S.ACTIVE, S.REJECTED, S.WITHDRAWN, S.EXPIRED}

    def test_undecided_statuses_are_those_that_can_still_reach_a_decision(self):
        assert set(UNDECIDED_STATUSES) == {
            s for s in STATUSES if s != S.APPROVED and S.APPROVED in reachable_from(s)
        }
        assert set(UNDECIDED_STATUSES) == {s for s in STATUSES if OFFERS[s].undecided}

    def test_withdrawable_and_decidable_are_the_sources_of_their_moves(self):
        assert statuses_for("withdraw") == WITHDRAWABLE
        assert set(WITHDRAWABLE) == {s for s in STATUSES if OFFERS[s].withdraw}
        assert statuses_for("approve") == statuses_for("reject") == statuses_for("request_info") == DECIDABLE
        assert set(DECIDABLE) == {s for s in STATUSES if OFFERS[s].decide}
        assert set(statuses_for("decide_check")) == {s for s in STATUSES if OFFERS[s].decide_checks}

    def test_statuses_for_keeps_the_declared_order(self):
        for action, move in MOVES.items():
            found = statuses_for(action)
            assert set(found) == set(move.sources)
            assert list(found) == [s for s in STATUSES if s in found]

    def test_re_exported_from_models_not_copied(self):
        import enrollment.models as models

        for name in (
            "MOVES",
            "TRANSITIONS",
            "OPEN_STATUSES",
            "UNDECIDED_STATUSES",
            "WITHDRAWABLE",
            "DECIDABLE",
        ):
            assert getattr(models, name) is getattr(states, name), name

    @pytest.mark.parametrize("status", STATUSES)
    def test_the_models_predicates(self, status):
        enrollment = Enrollment(status=status)
        offers = OFFERS[status]
        assert enrollment.is_open is (not offers.apply_again)
        assert enrollment.is_undecided is offers.undecided
        assert enrollment.can_withdraw is offers.withdraw
        assert enrollment.can_resend_email is offers.resend
        assert enrollment.can_decide is offers.decide
        assert enrollment.can_decide_checks is offers.decide_checks
        assert enrollment.can_respond is offers.respond
        assert enrollment.can_appeal is offers.appeal
        assert enrollment.can_claim is offers.claim
        assert enrollment.can_accept_agreement is (status == S.APPROVED)
        for action, move in MOVES.items():
            assert enrollment.can(action) is (status in move.sources), action

    def test_the_models_predicates_ask_moves(self, monkeypatch):
        """A predicate with a list of its own would not follow a change of the table."""
        monkeypatch.setitem(MOVES, "withdraw", Move(frozenset({S.APPROVED}), S.WITHDRAWN))
        monkeypatch.setitem(MOVES, "resend_email", Move(frozenset({S.ACTIVE})))
        monkeypatch.setitem(MOVES, "approve", Move(frozenset({S.ACTION_NEEDED}), S.APPROVED))
        assert Enrollment(status=S.APPROVED).can_withdraw and not Enrollment(status=S.IN_REVIEW).can_withdraw
        assert Enrollment(status=S.ACTIVE).can_resend_email
        assert not Enrollment(status=S.PENDING_EMAIL_VERIFICATION).can_resend_email
        assert Enrollment(status=S.ACTION_NEEDED).can_decide and not Enrollment(status=S.IN_REVIEW).can_decide

    def test_the_queryset_agrees_with_the_model(self):
        made = {status: EnrollmentFactory(status=status) for status in STATUSES}
        assert {e.status for e in Enrollment.objects.open()} == {s for s, e in made.items() if e.is_open}
        assert {e.status for e in Enrollment.objects.undecided()} == {
            s for s, e in made.items() if e.is_undecided
        }
        assert {e.status for e in Enrollment.objects.active()} == {S.ACTIVE}


DUE_TIMES = {
    "none": None,
    "a week ago": NOW - timedelta(days=7),
    "a second ago": NOW - timedelta(seconds=1),
    "now": NOW,
    "in a second": NOW + timedelta(seconds=1),
    "in a week": NOW + timedelta(days=7),
}


def test_overdue_in_sql_and_in_python_agree():
    """``overdue_q(now)`` (the queue's filter) and ``Enrollment.is_overdue_at(now)`` (a row's
    flag) say the same on every status and due time; and both say what the rule says:
    decidable and past due."""
    made = {
        (status, label): EnrollmentFactory(status=status, due_at=due)
        for status in STATUSES
        for label, due in DUE_TIMES.items()
    }
    expected = {
        key for key, e in made.items() if key[0] in DECIDABLE and e.due_at is not None and e.due_at < NOW
    }
    by_pk = {e.pk: key for key, e in made.items()}
    in_sql = {by_pk[pk] for pk in Enrollment.objects.filter(overdue_q(NOW)).values_list("pk", flat=True)}
    in_queryset = {by_pk[e.pk] for e in Enrollment.objects.overdue(NOW)}
    in_python = {key for key, e in made.items() if e.is_overdue_at(NOW)}
    assert in_sql == in_python == in_queryset == expected
    assert expected == {(S.IN_REVIEW, "a week ago"), (S.IN_REVIEW, "a second ago")}
    # ``is_overdue`` is the same for the current time.
    assert {key for key, e in made.items() if e.is_overdue} == expected


def test_the_reviewer_is_staff_with_the_permission(client, admin, reviewer):
    """The queue opens to staff with ``enrollment.review_enrollment`` only."""
    enrollment_of(admin, S.IN_REVIEW)
    client.force_login(UserFactory(tenant=None, roles=[], email="staff@partners.test", is_staff=True))
    assert client.get("/review/").status_code == 403
    assert client.get("/api/v1/review/enrollments/").status_code == 403
    client.force_login(admin)
    assert client.get("/review/").status_code == 403
    permitted_but_not_staff = UserFactory(tenant=admin.tenant, email="not.staff@fabrikamde.onmicrosoft.com")
    permitted_but_not_staff.user_permissions.add(Permission.objects.get(codename="review_enrollment"))
    client.force_login(type(admin).objects.get(pk=permitted_but_not_staff.pk))
    assert client.get("/api/v1/review/enrollments/").status_code == 403
    client.force_login(reviewer)
    assert client.get("/review/").status_code == 200
    assert client.get("/api/v1/review/enrollments/").json()["count"] == 1
