"""The duplicate check asks the database for the matching enrollments only (the same MPN
ID, or the same legal name in any case in the same country), in one query on indexed
columns: its cost does not grow with the number of other open enrollments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import CheckResult, EnrollmentStatus
from enrollment.services.checks import CheckRun, duplicate
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

IN_REVIEW = EnrollmentStatus.IN_REVIEW


@pytest.fixture
def applicant():
    partner = PartnerFactory(mpn_id="4820001", legal_name="Fabrikam Deutschland GmbH", country="DE")
    return EnrollmentFactory(partner=partner, status=IN_REVIEW)


def run(enrollment):
    return duplicate(CheckRun(enrollment, enrollment.partner))


def test_matches_by_mpn_id_and_by_legal_name_in_any_case_in_the_same_country(applicant):
    by_mpn = EnrollmentFactory(partner=PartnerFactory(mpn_id="4820001"), status=IN_REVIEW)
    by_name = EnrollmentFactory(
        partner=PartnerFactory(legal_name="FABRIKAM deutschland gmbh", country="DE"), status=IN_REVIEW
    )
    EnrollmentFactory(
        partner=PartnerFactory(legal_name="Fabrikam Deutschland GmbH", country="AT"), status=IN_REVIEW
    )
    EnrollmentFactory(partner=PartnerFactory(mpn_id="4820001"), status=EnrollmentStatus.WITHDRAWN)
    EnrollmentFactory(partner=PartnerFactory(mpn_id="4820001"))  # not past the email confirmation
    result, _detail, evidence = run(applicant)
    assert result == CheckResult.FAILED
    assert sorted((m["enrollment_id"], m["matched"]) for m in evidence["matches"]) == sorted(
        [(str(by_mpn.pk), "mpn_id"), (str(by_name.pk), "legal_name")]
    )


def test_one_query_that_reads_only_the_matches_whatever_the_number_of_other_enrollments(applicant):
    EnrollmentFactory.create_batch(25, status=IN_REVIEW)
    with CaptureQueriesContext(connection) as queries:
        result, _detail, evidence = run(applicant)
    assert result == CheckResult.PASSED and evidence == {"matches": []}
    assert len(queries.captured_queries) == 1
    where = queries.captured_queries[0]["sql"].split("WHERE", 1)[1]
    assert '"mpn_id" = ' in where and "UPPER(" in where  # filtered in SQL, not in Python
