"""Staff decisions and the partner's answers: rights, state, event rows, emails, races."""

import threading

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from enrollment.models import CheckKind, Enrollment
from enrollment.services.review import (
    check_decide,
    enrollment_appeal,
    enrollment_approve,
    enrollment_claim,
    enrollment_reject,
    enrollment_release,
    enrollment_request_info,
    enrollment_respond,
)
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from tests.cast import make_reviewer
from tests.factories import EnrollmentFactory, PartnerFactory, VerificationCheckFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def in_review(admin):
    enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="in_review")
    for kind in ["email_ownership", "mpn_status", "business_verification"]:
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result="passed")
    return enrollment


@pytest.mark.django_db
class TestRights:
    def test_only_reviewers(self, in_review, admin, staff):
        for actor in (admin, staff):  # a partner's admin; staff without the permission
            with pytest.raises(NotPermitted):
                enrollment_approve(actor=actor, enrollment=in_review)
            with pytest.raises(NotPermitted):
                enrollment_claim(actor=actor, enrollment=in_review)

    def test_only_the_partners_global_admin_answers(self, admin, employee):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="action_needed")
        with pytest.raises(NotPermitted):
            enrollment_respond(actor=employee, enrollment=enrollment, message="Here")


@pytest.mark.django_db
class TestClaim:
    def test_claim_release_and_409_for_another(self, in_review, reviewer, other_reviewer):
        enrollment_claim(actor=reviewer, enrollment=in_review)
        with pytest.raises(InvalidTransition) as exc:
            enrollment_claim(actor=other_reviewer, enrollment=in_review)
        assert exc.value.status == "in_review" and "holds this enrollment" in str(exc.value.message)
        with pytest.raises(InvalidTransition):
            enrollment_approve(actor=other_reviewer, enrollment=in_review)
        enrollment_release(actor=reviewer, enrollment=in_review)
        enrollment_claim(actor=other_reviewer, enrollment=in_review)
        kinds = list(in_review.events.values_list("kind", "actor__email"))
        assert kinds == [
            ("claimed", "riley@partners.test"),
            ("released", "riley@partners.test"),
            ("claimed", "sam@partners.test"),
        ]


@pytest.mark.django_db
class TestDecisions:
    def test_approve_with_a_note(self, in_review, reviewer, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = enrollment_approve(actor=reviewer, enrollment=in_review, note="All good")
        assert enrollment.status == "approved" and enrollment.decided_at
        event = enrollment.events.get(kind="approved")
        assert (event.actor, event.detail, event.from_state) == (reviewer, "All good", "in_review")
        assert len(mail.outbox) == 1 and "verified" in mail.outbox[0].subject

    def test_approve_needs_every_check_settled(self, in_review, reviewer):
        VerificationCheckFactory(enrollment=in_review, kind="email_domain", result="pending")
        with pytest.raises(InvalidInput) as exc:
            enrollment_approve(actor=reviewer, enrollment=in_review)
        assert "Email domain" in exc.value.errors["non_field_errors"][0]
        check_decide(
            actor=reviewer, enrollment=in_review, kind="email_domain", result="waived", note="Known reseller"
        )
        assert enrollment_approve(actor=reviewer, enrollment=in_review).status == "approved"

    @pytest.mark.parametrize("reason", ["", "   ", None])
    def test_reject_requires_a_reason(self, in_review, reviewer, reason):
        with pytest.raises(InvalidInput) as exc:
            enrollment_reject(actor=reviewer, enrollment=in_review, reason=reason)
        assert "reason" in exc.value.errors
        assert Enrollment.objects.get(pk=in_review.pk).status == "in_review"

    def test_reject_reaches_the_partner_with_its_reason(
        self, in_review, reviewer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = enrollment_reject(
                actor=reviewer, enrollment=in_review, reason="The company is dissolved."
            )
        assert enrollment.decision_reason == "The company is dissolved."
        assert "The company is dissolved." in mail.outbox[0].body
        assert enrollment.events.get(kind="rejected").detail == "The company is dissolved."

    def test_request_info_requires_a_message_and_emails_it(
        self, in_review, reviewer, django_capture_on_commit_callbacks
    ):
        with pytest.raises(InvalidInput):
            enrollment_request_info(actor=reviewer, enrollment=in_review, message=" ")
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = enrollment_request_info(
                actor=reviewer, enrollment=in_review, message="Send your tax ID"
            )
        assert enrollment.status == "action_needed" and enrollment.due_at is None
        assert "Send your tax ID" in mail.outbox[0].body

    def test_decisions_only_in_review(self, reviewer, admin):
        for status in [
            "pending_email_verification",
            "action_needed",
            "approved",
            "rejected",
            "withdrawn",
            "expired",
        ]:
            enrollment = EnrollmentFactory(status=status)
            with pytest.raises(InvalidTransition) as exc:
                enrollment_reject(actor=reviewer, enrollment=enrollment, reason="x")
            assert exc.value.status == status

    def test_check_fail_and_waive_need_a_note(self, in_review, reviewer):
        for result in ("failed", "waived"):
            with pytest.raises(InvalidInput) as exc:
                check_decide(actor=reviewer, enrollment=in_review, kind="mpn_status", result=result, note="")
            assert "note" in exc.value.errors
        check = check_decide(
            actor=reviewer, enrollment=in_review, kind="mpn_status", result="failed", note="Profile suspended"
        )
        assert (check.result, check.detail, check.decided_by) == ("failed", "Profile suspended", reviewer)
        assert in_review.events.get(kind="check_failed").detail.endswith("Profile suspended")

    def test_unknown_check_or_result(self, in_review, reviewer):
        with pytest.raises(InvalidInput):
            check_decide(actor=reviewer, enrollment=in_review, kind="nope", result="passed")
        with pytest.raises(InvalidInput):
            check_decide(actor=reviewer, enrollment=in_review, kind="mpn_status", result="maybe")


@pytest.mark.django_db
class TestPartnerAnswers:
    def test_respond_returns_to_review_with_a_new_due_date(self, admin):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="action_needed")
        enrollment = enrollment_respond(actor=admin, enrollment=enrollment, message="Our tax ID is DE123")
        assert enrollment.status == "in_review" and enrollment.due_at
        assert enrollment.events.get(kind="responded").detail == "Our tax ID is DE123"
        with pytest.raises(InvalidTransition):
            enrollment_respond(actor=admin, enrollment=enrollment, message="again")

    def test_appeal_puts_the_check_back_to_pending(self, admin):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="action_needed")
        VerificationCheckFactory(enrollment=enrollment, kind="email_domain", result="failed")
        document = enrollment_appeal(
            actor=admin,
            enrollment=enrollment,
            kind="email_domain",
            document_type="domain_ownership",
            comment="DNS record attached",
            document=SimpleUploadedFile("dns.pdf", PDF),
        )
        assert document.content_type == "application/pdf"
        enrollment.refresh_from_db()
        assert enrollment.status == "action_needed"  # the request still waits for the answer
        assert enrollment.checks.get(kind="email_domain").result == "pending"
        assert enrollment.events.get(kind="appeal_submitted").detail.startswith(
            str(CheckKind.EMAIL_DOMAIN.label)
        )

    def test_appeal_type_and_size_are_limited(self, admin, settings):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="in_review")
        VerificationCheckFactory(enrollment=enrollment, kind="email_domain", result="failed")
        exe = SimpleUploadedFile("dns.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(InvalidInput) as exc:
            enrollment_appeal(
                actor=admin,
                enrollment=enrollment,
                kind="email_domain",
                document_type="domain_ownership",
                comment="",
                document=exe,
            )
        assert "PDF, PNG or JPEG" in exc.value.errors["document"][0]
        settings.DOCUMENT_MAX_BYTES = 10
        with pytest.raises(InvalidInput) as exc:
            enrollment_appeal(
                actor=admin,
                enrollment=enrollment,
                kind="email_domain",
                document_type="domain_ownership",
                comment="",
                document=SimpleUploadedFile("a.pdf", PDF),
            )
        assert "too large" in exc.value.errors["document"][0]
        assert enrollment.checks.get(kind="email_domain").result == "failed"
        assert not enrollment.documents.exists()

    def test_passed_check_cannot_be_appealed(self, admin):
        enrollment = EnrollmentFactory(partner__tenant=admin.tenant, status="in_review")
        VerificationCheckFactory(enrollment=enrollment, kind="mpn_status", result="passed")
        with pytest.raises(InvalidInput):
            enrollment_appeal(
                actor=admin,
                enrollment=enrollment,
                kind="mpn_status",
                document_type="business_registration",
                comment="",
                document=SimpleUploadedFile("a.pdf", PDF),
            )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_exactly_one_decision_lands(admin):
    """Two threads, two PostgreSQL connections, one approve and one reject at the same moment."""
    assert connection.vendor == "postgresql"
    first, second = make_reviewer("a@partners.test"), make_reviewer("b@partners.test")
    partner = PartnerFactory(tenant=admin.tenant)
    for _round in range(5):
        enrollment = EnrollmentFactory(partner=partner, status="in_review")
        VerificationCheckFactory(enrollment=enrollment, kind="mpn_status", result="passed")
        barrier = threading.Barrier(2)
        outcomes = []

        def act(actor, decide, enrollment=enrollment, barrier=barrier, outcomes=outcomes):
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                decide(actor, enrollment)
                outcomes.append("landed")
            except InvalidTransition as exc:
                outcomes.append(f"409:{exc.status}")
            finally:
                thread_connection.close()

        threads = [
            threading.Thread(
                target=act, args=(first, lambda a, e: enrollment_approve(actor=a, enrollment=e))
            ),
            threading.Thread(
                target=act,
                args=(second, lambda a, e: enrollment_reject(actor=a, enrollment=e, reason="No")),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        enrollment.refresh_from_db()
        assert outcomes.count("landed") == 1, outcomes
        assert [o for o in outcomes if o != "landed"] == [f"409:{enrollment.status}"]
        assert enrollment.status in ("approved", "rejected")
        assert enrollment.events.filter(kind__in=["approved", "rejected"]).count() == 1
        enrollment.partner.enrollments.update(status="withdrawn")
