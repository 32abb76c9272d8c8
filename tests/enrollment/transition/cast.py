"""The cast of the transition's tests: a direct-bill partner the program verified (its
direct-bill enrollment active with every check passed), its global admin, program staff."""

from django.test import TestCase

from enrollment.models import AgreementTemplate, CheckKind, Enrollment
from enrollment.services import transition as services
from enrollment.services.agreements import agreement_accept
from partnercenter.accounts.models import User
from tests.cast import make_reviewer, user_of
from tests.data import PRIMARY_CONTACT
from tests.factories import (
    AgreementTemplateFactory,
    BankAccountFactory,
    EnrollmentFactory,
    MpnProfileFactory,
    PartnerFactory,
    TenantFactory,
    VerificationCheckFactory,
)

VERIFIED = (
    CheckKind.EMAIL_OWNERSHIP,
    CheckKind.EMAIL_DOMAIN,
    CheckKind.BUSINESS_VERIFICATION,
    CheckKind.MPN_OWNERSHIP,
)


def verified_direct_bill(legal_name="Adatum Direct GmbH", mpn_id="7100001", verified=VERIFIED):
    """An active direct-bill partner whose direct-bill enrollment passed ``verified``; its
    MPN ID active in the Partner Network under its legal name."""
    tenant = TenantFactory(name=legal_name, domain="adatumdirect.onmicrosoft.com", country="DE")
    partner = PartnerFactory(
        tenant=tenant, legal_name=legal_name, mpn_id=mpn_id, contact_email="jonas@adatum.test"
    )
    BankAccountFactory(partner=partner)
    MpnProfileFactory(mpn_id=mpn_id, company_name=legal_name, country="DE")
    direct = EnrollmentFactory(partner=partner, program="direct_bill", status="active")
    for kind in verified:
        VerificationCheckFactory(enrollment=direct, kind=kind, result="passed")
    return partner


def reviewer():
    found = User.objects.filter(email="olga@partners.test").first()
    return found or make_reviewer(email="olga@partners.test", first_name="Olga", last_name="Offboard")


def flagged(partner=None, staff=None):
    partner = partner or verified_direct_bill()
    services.transition_flag(
        actor=staff or reviewer(), partner=partner, note="Below the direct-bill thresholds"
    )
    return partner, user_of(partner)


def started(partner=None):
    """Flagged and *Enroll now* selected (the checks ran eagerly: approved when they pass)."""
    partner, admin = flagged(partner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.transition_start(actor=admin, confirm=True)
    return partner, admin


def indirect_enrollment(partner) -> Enrollment:
    return Enrollment.objects.get(partner=partner, program="indirect_reseller")


def current_indirect_template():
    found = AgreementTemplate.objects.filter(
        program="indirect_reseller", language="en", is_current=True
    ).first()
    return found or AgreementTemplateFactory(program="indirect_reseller", language="en", is_current=True)


def accepted(partner, admin):
    """*Accept and continue*: the indirect reseller agreement accepted."""
    return agreement_accept(
        actor=admin, template_id=current_indirect_template().pk, primary_contact=PRIMARY_CONTACT
    )
