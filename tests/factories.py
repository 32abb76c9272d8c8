"""factory-boy factories for every model, and the standard cast."""

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from enrollment.models import (
    AgreementAcceptance,
    AgreementTemplate,
    BankAccount,
    BusinessProfile,
    DirectBillApplication,
    Enrollment,
    EnrollmentStatus,
    MpnProfile,
    Partner,
    PmcAccount,
    PmcSignIn,
    Program,
    VerificationCheck,
)
from partnercenter.accounts.models import Role, Tenant, TenantDomain, User
from partnercenter.notifications.models import Notification

PASSWORD = "Correct-Horse-42"


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Company {n}")
    domain = factory.Sequence(lambda n: f"company{n}.onmicrosoft.com")
    country = "DE"


class TenantDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenantDomain

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"company{n}.example.de")
    verified_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@company.test")
    first_name = "Alex"
    last_name = "Meyer"
    tenant = factory.SubFactory(TenantFactory)
    roles = factory.LazyFunction(lambda: [Role.GLOBAL_ADMIN.value])
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class PmcAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PmcAccount

    username = factory.Sequence(lambda n: f"pmc{n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class MpnProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MpnProfile

    mpn_id = factory.Sequence(lambda n: str(5000000 + n))
    company_name = factory.Sequence(lambda n: f"Company {n} GmbH")
    country = "DE"
    status = MpnProfile.Status.ACTIVE


class PmcSignInFactory(factory.django.DjangoModelFactory):
    """A recorded Partner Membership Center sign-in that listed one profile."""

    class Meta:
        model = PmcSignIn

    user = factory.SubFactory(UserFactory)
    pmc_username = "fabrikam"
    profiles = factory.LazyFunction(
        lambda: [
            {
                "mpn_id": "4820001",
                "company_name": "Fabrikam Deutschland GmbH",
                "country": "DE",
                "status": "active",
            }
        ]
    )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    tenant = factory.SubFactory(TenantFactory)
    mpn_id = factory.Sequence(lambda n: str(6000000 + n))
    legal_name = factory.Sequence(lambda n: f"Partner {n} GmbH")
    address_line1 = "Hauptstraße 1"
    city = "Berlin"
    postal_code = "10115"
    country = "DE"
    contact_first_name = "Jonas"
    contact_last_name = "Becker"
    contact_email = factory.Sequence(lambda n: f"contact{n}@partner{n}.de")
    contact_phone = "+49301234567"
    support_email = "support@partner.de"
    support_phone = "+49301234568"
    language = "en"


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    partner = factory.SubFactory(PartnerFactory)
    holder_name = "Partner GmbH"
    iban = "DE89370400440532013000"
    bic = "COBADEFFXXX"
    last4 = "3000"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    partner = factory.SubFactory(PartnerFactory)
    program = Program.INDIRECT_RESELLER
    status = EnrollmentStatus.PENDING_EMAIL_VERIFICATION


class DirectBillApplicationFactory(factory.django.DjangoModelFactory):
    """A direct-bill application, answered, with a credit line of EUR 250,000 and ASfP
    (``credit_line_amount=None`` for one still waiting for its credit check)."""

    class Meta:
        model = DirectBillApplication

    enrollment = factory.SubFactory(
        EnrollmentFactory, program=Program.DIRECT_BILL, status=EnrollmentStatus.ACTIVE
    )
    authority_to_sign = first_level_support = billing_infrastructure = True
    managed_services = factory.LazyFunction(
        lambda: [{"kind": "managed_service", "description": "Managed M365"}]
    )
    years_trading = 6
    annual_revenue = 2000000
    cloud_revenue_12m = 500000
    currency = factory.LazyAttribute(lambda o: o.enrollment.partner.market.currency)
    answered_at = factory.LazyFunction(timezone.now)
    credit_check_started_at = factory.LazyFunction(timezone.now)
    credit_line_amount = 250000
    credit_line_currency = factory.SelfAttribute("currency")
    credit_decided_at = factory.LazyFunction(timezone.now)
    support_plan = "asfp"
    support_plan_confirmed_at = factory.LazyFunction(timezone.now)


class VerificationCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationCheck

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = "email_ownership"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    template = "enrollment_withdrawn"
    recipient = "someone@partner.de"
    language = "en"
    context = factory.LazyFunction(
        lambda: {
            "first_name": "Jonas",
            "legal_name": "Partner GmbH",
            "program": "indirect_reseller",
            "status_url": "http://testserver/x/",
        }
    )


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementTemplate

    program = Program.INDIRECT_RESELLER
    name = "Microsoft Partner Agreement"
    version = factory.Sequence(lambda n: f"2026-{n:04d}")
    language = "en"
    body = "1. Parties and scope. This agreement is between Microsoft and the partner."
    is_current = True


class AgreementAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementAcceptance

    partner = factory.SubFactory(PartnerFactory)
    template = factory.SubFactory(AgreementTemplateFactory)
    program = factory.SelfAttribute("template.program")
    region = factory.LazyAttribute(lambda o: o.partner.market.code)
    accepted_by = None
    contact_first_name = "Jonas"
    contact_last_name = "Becker"
    contact_email = factory.LazyAttribute(lambda o: o.partner.contact_email)
    contact_phone = "+49301234567"


class BusinessProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessProfile

    partner = factory.SubFactory(PartnerFactory)
    description = "Cloud migration and managed services for retailers in Germany."
    website = "https://partner.example.de"
    industries = factory.LazyFunction(lambda: ["Retail"])
    services = factory.LazyFunction(lambda: ["Migration", "Managed services"])


# --- Providers, resellers and customers ----------------------------------------------------


def active_partner(**kwargs):
    """A partner whose indirect reseller enrollment is active (it may act in the program)."""
    partner = PartnerFactory(**kwargs)
    EnrollmentFactory(partner=partner, status="active")
    return partner


class IndirectProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.IndirectProvider"

    partner = factory.LazyFunction(active_partner)
    countries = factory.LazyFunction(lambda: ["DE", "FR"])
    offers = factory.LazyFunction(lambda: ["technical_training"])
    description = "Distribution for Europe"
    website = "https://provider.example"


class ProviderResellerRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.ProviderResellerRelationship"

    provider = factory.LazyFunction(lambda: IndirectProviderFactory().partner)
    reseller = factory.LazyFunction(active_partner)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.Customer"

    tenant = factory.SubFactory(TenantFactory)
    company_name = factory.Sequence(lambda n: f"Customer {n} GmbH")


class CustomerRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.CustomerRelationship"

    customer = factory.SubFactory(CustomerFactory)
    partner = factory.LazyFunction(active_partner)
    role = "indirect_reseller"
    # As an authorization gives it: the reseller administers, the provider orders and bills.
    admin_access = factory.LazyAttribute(lambda o: o.role != "indirect_provider")


# --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
import datetime  # noqa: E402


class CustomerAgreementTemplateFactory(factory.django.DjangoModelFactory):
    """A template of the Microsoft Customer Agreement (not the shipped one: its own id)."""

    class Meta:
        model = "relationships.CustomerAgreementTemplate"

    agreement_link = "https://www.microsoft.com/licensing/docs/customeragreement"
    version_rank = factory.Sequence(lambda n: n + 2)
    published_on = datetime.date(2020, 2, 1)


class CustomerAgreementAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.CustomerAgreementAcceptance"

    customer = factory.SubFactory(CustomerFactory)
    template = factory.SubFactory(CustomerAgreementTemplateFactory)
    contact_first_name = "Lena"
    contact_last_name = "Wagner"
    contact_email = "lena.wagner@contoso.de"
    date_agreed = datetime.date(2026, 2, 27)
