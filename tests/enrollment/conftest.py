"""Fixtures of the enrollment tests: the admin's partner, its approved enrollment and the
current agreement (the people are the standard cast of tests/conftest.py)."""

import pytest

from enrollment.models import EnrollmentStatus
from enrollment.services.review import enrollment_request_info
from tests.cast import questioned_enrollment
from tests.factories import AgreementTemplateFactory, EnrollmentFactory, PartnerFactory


@pytest.fixture
def partner(admin):
    """The admin's partner, Fabrikam Deutschland GmbH, with Jonas as primary contact."""
    return PartnerFactory(
        tenant=admin.tenant, legal_name="Fabrikam Deutschland GmbH", contact_email="jonas@fabrikam.de"
    )


@pytest.fixture
def approved(partner):
    """The partner's indirect reseller enrollment, approved: the agreement is next."""
    return EnrollmentFactory(partner=partner, status=EnrollmentStatus.APPROVED)


@pytest.fixture
def template(db):
    """The current Microsoft Partner Agreement of the indirect reseller program, in English."""
    return AgreementTemplateFactory(version="2026-10", language="en")


@pytest.fixture
def asked(admin, reviewer):
    """An enrollment of the admin's partner waiting for it: a failed and a questioned check,
    and the reviewer's request for information."""
    enrollment = questioned_enrollment(admin)
    enrollment_request_info(
        actor=reviewer, enrollment=enrollment, message="Send proof that you own fabrikam.de."
    )
    return enrollment
