"""One enrollment for staff through the API (``/api/v1/review/enrollments/<id>/``): written
by hand (``ReviewEnrollmentSerializer.to_representation``, issue 12), it must be what the
serializer's declared fields write, key by key and in the same order, for every kind of
enrollment (indirect and direct bill, assigned or not, overdue, with documents with and
without a check, checks pending, passed by the system, decided by a reviewer with a note);
and it reads a constant, small number of queries."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from enrollment import selectors
from enrollment.api.review import ReviewEnrollmentSerializer
from enrollment.models import CheckResult, EnrollmentStatus
from enrollment.services.review import check_decide, enrollment_appeal, enrollment_claim
from tests.conftest import api_as
from tests.factories import (
    DirectBillApplicationFactory,
    EnrollmentFactory,
    PartnerFactory,
    VerificationCheckFactory,
)

pytestmark = pytest.mark.django_db


def _in_review(**extra):
    return EnrollmentFactory(status=EnrollmentStatus.IN_REVIEW, submitted_at=timezone.now(), **extra)


@pytest.fixture
def enrollments(reviewer, admin):
    now = timezone.now()
    plain = _in_review(due_at=now + timedelta(days=3))
    VerificationCheckFactory(enrollment=plain, kind="mpn_status", result=CheckResult.PASSED, checked_at=now)

    decided = _in_review(
        partner=PartnerFactory(tenant=admin.tenant, country="JP"), due_at=now - timedelta(days=1)
    )
    for kind in ("email_domain", "bank_account", "business_verification"):
        VerificationCheckFactory(
            enrollment=decided,
            kind=kind,
            evidence={"domain": "fabrikam.jp", "seen": [1, None]} if kind == "email_domain" else {},
        )
    check_decide(
        actor=reviewer, enrollment=decided, kind="bank_account", result="failed", note="Wrong <IBAN>"
    )
    enrollment_appeal(
        actor=admin,
        enrollment=decided,
        kind="email_domain",
        document_type="domain_ownership",
        comment="Our DNS record",
        document=SimpleUploadedFile("dns-proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf"),
    )
    decided.documents.create(
        document_type="other", original_name="extra.png", content_type="image/png", size=3, file="x/extra.png"
    )
    enrollment_claim(actor=reviewer, enrollment=decided)

    billed = DirectBillApplicationFactory(enrollment__status=EnrollmentStatus.IN_REVIEW).enrollment
    waiting = DirectBillApplicationFactory(
        enrollment__status=EnrollmentStatus.ACTION_NEEDED, credit_line_amount=None, support_plan=""
    ).enrollment
    return [plain, decided, billed, waiting]


def test_each_enrollment_is_what_the_declared_fields_write(reviewer, enrollments):
    client = api_as(reviewer)
    for enrollment in enrollments:
        written = client.get(f"/api/v1/review/enrollments/{enrollment.pk}/").json()
        read = selectors.review_enrollment(reviewer, enrollment.pk)
        declared = serializers.Serializer.to_representation(ReviewEnrollmentSerializer(), read)
        declared = json.loads(JSONRenderer().render(declared))
        assert list(written.items()) == list(declared.items())
    decided = client.get(f"/api/v1/review/enrollments/{enrollments[1].pk}/").json()
    assert decided["assignee"] and decided["claimed_at"] and decided["overdue"]
    assert {d["check"] for d in decided["documents"]} == {"email_domain", None}
    notes = {c["kind"]: (c["decided_by"], c["note"]) for c in decided["checks"]}
    assert notes["bank_account"] == ("reviewer", "Wrong <IBAN>")
    assert notes["business_verification"] == (None, "")
    assert next(c for c in decided["checks"] if c["kind"] == "email_domain")["evidence"]["seen"] == [1, None]
    billed = client.get(f"/api/v1/review/enrollments/{enrollments[2].pk}/").json()
    assert billed["credit_line"] and billed["support_plan"] == "asfp"


def test_few_queries_and_the_notes_and_documents_only_when_there_are_some(
    reviewer, enrollments, django_assert_num_queries
):
    plain, decided = enrollments[0], enrollments[1]
    # The enrollment with its checks, and a page of its timeline.
    with django_assert_num_queries(3):
        selectors.review_enrollment(reviewer, plain.pk)
    # And its documents, and the decisions' notes (a reviewer decided a check).
    with django_assert_num_queries(5):
        read = selectors.review_enrollment(reviewer, decided.pk)
    assert len(read.document_list) == 2
    # The page: no notes (it does not show them), but the registry and the partner's history.
    with django_assert_num_queries(5):
        selectors.review_enrollment(reviewer, plain.pk, page=True)
    with django_assert_num_queries(6):
        selectors.review_enrollment(reviewer, decided.pk, page=True)
