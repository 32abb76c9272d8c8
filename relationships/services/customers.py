"""Customer tenants (DOMAIN.md, "Customers, tenants and admin access"): a provider creates
one for itself or names one of its resellers; a direct-bill partner creates its own; an
indirect reseller cannot.

Domain errors raised: ``InvalidInput`` (400) and ``NotPermitted`` (403).
"""

import secrets
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from enrollment.models import Partner
from enrollment.restrictions import require_unrestricted
from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.accounts.services import TEMPORARY_PASSWORD_BYTES, domain_for_prefix, domain_prefix_errors
from partnercenter.core.errors import InvalidInput, NotPermitted
from partnercenter.core.markets import market_for_country

from .. import events
from ..models import (
    Customer,
    CustomerRelationship,
    CustomerRole,
    ProviderResellerRelationship,
    RelationshipState,
)
from ..permissions import (
    acting_partner,
    is_direct_bill,
    is_indirect_provider,
    require_roles,
    require_takes_new_direct_customers,
)
from .common import record

# "In some countries the company's organization registration number is required" (DOMAIN.md,
# "Customers, tenants and admin access"). The one place that lists them.
REGISTRATION_NUMBER_COUNTRIES = frozenset(
    {
        "AM",
        "AZ",
        "BY",
        "HU",
        "KZ",
        "KG",
        "MD",
        "RU",
        "TJ",
        "UZ",
        "UA",
        "IN",
        "BR",
        "ZA",
        "PL",
        "AE",
        "SA",
        "TR",
        "TH",
        "VN",
    }
)
COMPANY_NAME_MAX = 200
REGISTRATION_NUMBER_MAX = 50


def registration_number_required(country: str) -> bool:
    return (country or "").strip().upper() in REGISTRATION_NUMBER_COUNTRIES


# --- Creating a customer tenant ------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerCreated:
    """The new customer and its global admin. The temporary password exists only here: it
    is shown once (the API's 201, the page's answer to the POST) and stored only hashed."""

    customer: Customer
    admin: User
    temporary_password: str = field(repr=False)


def customer_create_role(actor) -> tuple[Partner, str]:
    """The actor's partner and the role it takes in a customer it creates, or
    ``NotPermitted``: only the global admin or an admin agent of an active partner acts,
    and "indirect resellers cannot create customer tenants: the provider creates the
    tenant and names the reseller" (DOMAIN.md, "Providers and resellers")."""
    require_roles(actor)
    partner = acting_partner(actor)
    require_unrestricted(partner)  # the continuing obligations: no new customers
    if is_indirect_provider(partner):
        return partner, CustomerRole.INDIRECT_PROVIDER
    if is_direct_bill(partner):
        require_takes_new_direct_customers(partner)  # not while becoming an indirect reseller
        return partner, CustomerRole.DIRECT_BILL_PARTNER
    raise NotPermitted(
        _(
            "Indirect resellers cannot create customer tenants: your indirect provider creates the tenant "
            "and names you. Or invite an existing customer from Indirect providers, Invite new customers."
        )
    )


def _reseller_relationship(provider: Partner, reseller_id) -> ProviderResellerRelationship | None:
    try:
        pk = uuid.UUID(str(reseller_id))
    except ValueError:
        return None
    return (
        ProviderResellerRelationship.objects.filter(
            provider=provider, reseller_id=pk, state=RelationshipState.ACTIVE
        )
        .select_related("reseller")
        .first()
    )


def _not_your_reseller() -> str:
    return _(
        "Choose one of your authorized indirect resellers (an active relationship), or none to make the "
        "customer your own direct customer."
    )


def _customer_create_errors(
    *, partner: Partner, company_name, domain_prefix, country, organization_registration_number
) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    clean = {
        "company_name": " ".join((company_name or "").split()),
        "domain_prefix": (domain_prefix or "").strip().lower(),
        "country": (country or "").strip().upper(),
        "organization_registration_number": (organization_registration_number or "").strip(),
    }
    if not clean["company_name"]:
        errors["company_name"] = [_("Enter the customer's company name.")]
    elif len(clean["company_name"]) > COMPANY_NAME_MAX:
        errors["company_name"] = [
            ngettext(
                "Shorten the company name to at most %(max)d character.",
                "Shorten the company name to at most %(max)d characters.",
                COMPANY_NAME_MAX,
            )
            % {"max": COMPANY_NAME_MAX}
        ]
    if messages := domain_prefix_errors(clean["domain_prefix"]):
        errors["domain_prefix"] = messages
    elif User.objects.filter(email__iexact=f"admin@{domain_for_prefix(clean['domain_prefix'])}").exists():
        errors["domain_prefix"] = [
            _("%(domain)s cannot be used: its admin address is already taken. Choose another prefix.")
            % {"domain": domain_for_prefix(clean["domain_prefix"])}
        ]
    country = clean["country"]
    if country not in countries:
        errors["country"] = [_("Choose a country or region by its two-letter ISO code, for example “DE”.")]
    else:
        # "A partner serves customers whose tenant country is in its region" (DOMAIN.md).
        market = partner.market
        if market_for_country(country).code != market.code:
            errors["country"] = [
                _(
                    "%(country)s is outside your market. You can create customers only in countries of "
                    "your market, %(market)s."
                )
                % {"country": countries.name(country), "market": market.name}
            ]
    number = clean["organization_registration_number"]
    if country in REGISTRATION_NUMBER_COUNTRIES and not number:
        errors["organization_registration_number"] = [
            _("In %(country)s the company's organization registration number is required. Enter it.")
            % {"country": countries.name(country)}
        ]
    elif len(number) > REGISTRATION_NUMBER_MAX:
        errors["organization_registration_number"] = [
            ngettext(
                "Shorten the organization registration number to at most %(max)d character.",
                "Shorten the organization registration number to at most %(max)d characters.",
                REGISTRATION_NUMBER_MAX,
            )
            % {"max": REGISTRATION_NUMBER_MAX}
        ]
    return clean, errors


def customer_create(
    *,
    actor,
    company_name: str,
    domain_prefix: str,
    country: str,
    organization_registration_number: str = "",
    indirect_reseller_id=None,
) -> CustomerCreated:
    """Create a customer: its tenant ``<prefix>.onmicrosoft.com``, the tenant's global admin
    ``admin@<domain>`` with a temporary password it must change at first sign-in, and the
    creator's customer relationship.

    - An indirect provider naming one of its resellers (``indirect_reseller_id``): the provider
      (role ``indirect_provider``, ``via_reseller``) and the reseller (``indirect_reseller``), so
      "the customer appears in the reseller's list"; without a reseller the customer is the
      provider's own direct customer.
    - A direct-bill partner: role ``direct_bill_partner``; it names no reseller.
    - An indirect reseller: ``NotPermitted``.

    All or nothing: a failure leaves no tenant, no user and no customer.
    """
    partner, role = customer_create_role(actor)
    clean, errors = _customer_create_errors(
        partner=partner,
        company_name=company_name,
        domain_prefix=domain_prefix,
        country=country,
        organization_registration_number=organization_registration_number,
    )
    reseller_relationship = None
    if indirect_reseller_id:
        if role != CustomerRole.INDIRECT_PROVIDER:
            errors["indirect_reseller_id"] = [
                _("Only an indirect provider names a reseller. Leave the reseller out.")
            ]
        elif (reseller_relationship := _reseller_relationship(partner, indirect_reseller_id)) is None:
            errors["indirect_reseller_id"] = [_not_your_reseller()]
    if errors:
        raise InvalidInput(errors)

    domain = domain_for_prefix(clean["domain_prefix"])
    password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    try:
        with transaction.atomic():
            reseller = None
            if reseller_relationship is not None:
                # The reseller may end the relationship at this moment: lock it and check again,
                # so no customer is created for a reseller that just left.
                locked = ProviderResellerRelationship.objects.select_for_update().get(
                    pk=reseller_relationship.pk
                )
                if not locked.is_active:
                    raise InvalidInput({"indirect_reseller_id": [_not_your_reseller()]})
                reseller = reseller_relationship.reseller
            tenant = Tenant.objects.create(
                name=clean["company_name"], domain=domain, country=clean["country"]
            )
            admin = User.objects.create_user(
                f"admin@{domain}",
                password,
                tenant=tenant,
                roles=[Role.GLOBAL_ADMIN.value],
                must_change_password=True,
            )
            customer = Customer.objects.create(
                tenant=tenant,
                company_name=clean["company_name"],
                organization_registration_number=clean["organization_registration_number"],
                created_by_partner=partner,
            )
            # The partner that creates the tenant administers it, and so does the reseller it
            # names (it manages the customer's users and licenses).
            relationships = [
                CustomerRelationship.objects.create(
                    customer=customer, partner=partner, role=role, via_reseller=reseller, admin_access=True
                )
            ]
            if reseller is not None:
                relationships.append(
                    CustomerRelationship.objects.create(
                        customer=customer,
                        partner=reseller,
                        role=CustomerRole.INDIRECT_RESELLER,
                        admin_access=True,
                    )
                )
            record(
                customer,
                events.CUSTOMER_CREATED,
                actor=actor,
                partner=partner,
                to_state=role,
                domain=domain,
                relationships=[
                    {"partner_id": str(r.partner_id), "partner": r.partner.legal_name, "role": r.role}
                    for r in relationships
                ],
            )
    except IntegrityError as exc:
        # Two partners raced for the same domain: the unique constraint decides, nothing half-made.
        raise InvalidInput(
            {"domain_prefix": [_("%(domain)s was just taken. Choose another prefix.") % {"domain": domain}]}
        ) from exc
    return CustomerCreated(customer=customer, admin=admin, temporary_password=password)
