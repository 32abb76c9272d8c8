"""What the direct-bill tests share: a qualifying questionnaire, a submitted direct-bill
application, and the file brought to review with the shared steps as a test needs them."""

import copy

from django.utils import timezone

from enrollment.models import Enrollment, VerificationCheck
from enrollment.services.application import enrollment_submit
from tests.data import valid_application

# A German applicant (EUR): six years of trading, EUR 2,000,000 a year, 500,000 in cloud.
# The rules-based scorer gives 10 % of the revenue plus 10 % of the cloud revenue:
# EUR 250,000.
ANSWERS = {
    "authority_to_sign": True,
    "first_level_support": True,
    "managed_services": [{"kind": "managed_service", "description": "24/7 managed Microsoft 365 tenants"}],
    "billing_infrastructure": True,
    "years_trading": 6,
    "annual_revenue": {"amount": "2000000.00", "currency": "EUR"},
    "cloud_revenue_12m": {"amount": "500000.00", "currency": "EUR"},
}
CREDIT_LINE = "250000.00"


def answers(**changes) -> dict:
    body = copy.deepcopy(ANSWERS)
    body.update(changes)
    return body


def submit_direct_bill(admin, mpn_id: str) -> Enrollment:
    """A direct-bill application of ``admin``'s company, waiting for the email (open
    direct bill first: ``settings.DIRECT_BILL_APPLICATIONS_OPEN = True``)."""
    return enrollment_submit(actor=admin, application={**valid_application(mpn_id), "program": "direct_bill"})


def to_review(enrollment: Enrollment, *, business="pending", status="in_review") -> Enrollment:
    """The file in review after its automated run: email ownership and domain passed,
    business verification as given (a reviewer's step)."""
    Enrollment.objects.filter(pk=enrollment.pk).update(status=status, checks_started_at=timezone.now())
    for kind, result in (
        ("email_ownership", "passed"),
        ("email_domain", "passed"),
        ("business_verification", business),
    ):
        VerificationCheck.objects.update_or_create(
            enrollment=enrollment, kind=kind, defaults={"result": result}
        )
    return Enrollment.objects.get(pk=enrollment.pk)


def check_of(enrollment: Enrollment, kind: str) -> VerificationCheck:
    return VerificationCheck.objects.get(enrollment=enrollment, kind=kind)
