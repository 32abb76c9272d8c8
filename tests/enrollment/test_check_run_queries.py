"""One automated-check run costs a constant number of queries at any table size (issue 12:
it took 38, two or three per check): the enrollment, its partner, tenant and domains read
at once, the checks' rows updated in one statement and inserted in another."""

import pytest

from enrollment.models import CheckResult, Enrollment, VerificationCheck
from enrollment.services.checks import enrollment_checks_run, registered_checks
from partnercenter.audit.models import Event
from tests.factories import EnrollmentFactory, MpnProfileFactory, PartnerFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db

# The claim, the locked read (enrollment, partner, tenant), the tenant's domains, the
# registry, the duplicate check, the CSP-to-CSP restriction, the checks' rows (read, update,
# insert), the audit row, and the savepoint's pair around the run.
RUN_QUERIES = 12


def in_review(**kwargs) -> Enrollment:
    partner = PartnerFactory(**kwargs)
    MpnProfileFactory(mpn_id=partner.mpn_id, company_name=partner.legal_name, country="DE")
    enrollment = EnrollmentFactory(partner=partner, status="in_review")
    VerificationCheckFactory(enrollment=enrollment, kind="email_ownership", result=CheckResult.PASSED)
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification")
    return enrollment


@pytest.mark.parametrize("others", [1, 25])
def test_a_run_costs_the_same_queries_at_any_size(others, django_assert_num_queries):
    for _ in range(others):  # other files in review, a few with the same legal name
        other = in_review(legal_name="Contoso GmbH" if _ % 5 == 0 else f"Other {_} GmbH")
        other.checks_started_at = other.submitted_at
        other.save()
    enrollment = in_review(legal_name="Contoso GmbH")

    with django_assert_num_queries(RUN_QUERIES):
        assert enrollment_checks_run(enrollment_id=enrollment.pk) is True

    checks = {c.kind: c for c in VerificationCheck.objects.filter(enrollment=enrollment)}
    assert set(registered_checks()) <= set(checks)
    assert checks["email_ownership"].result == CheckResult.PASSED  # not an automated check: untouched
    assert checks["duplicate"].result == CheckResult.FAILED  # the same legal name, in SQL
    assert Event.objects.of(enrollment).filter(kind="checks_completed").count() == 1
    assert enrollment_checks_run(enrollment_id=enrollment.pk) is False  # once
