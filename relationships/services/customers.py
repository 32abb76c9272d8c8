"""Writes for customers: creating a customer tenant, the reseller's customer invitation
(a personalized link and a draft email) and the customer's authorization of the reseller
and its provider at once.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403) and
``InvalidTransition`` (409).
"""

import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from enrollment.models import Partner
from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.accounts.services import TEMPORARY_PASSWORD_BYTES, domain_for_prefix, domain_prefix_errors
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.core.markets import market_for_country

from ..models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    CustomerRole,
    InvitationStatus,
    ProviderResellerRelationship,
    RelationshipState,
)
from ..permissions import acting_partner, is_direct_bill, is_indirect_provider, require_roles
from ..selectors import csp_transaction_partner, customer_invitation_for_token
from .common import invitation_expiry, link, new_token, notify, record_event

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
# The path of the customer's acceptance page; the token is the link's last segment.
INVITATION_PATH = "/customer-invitations/"


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
    if is_indirect_provider(partner):
        return partner, CustomerRole.INDIRECT_PROVIDER
    if is_direct_bill(partner):
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
            _("Shorten the company name to at most %(max)d characters.") % {"max": COMPANY_NAME_MAX}
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
            _("Shorten the organization registration number to at most %(max)d characters.")
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
                if locked.state != RelationshipState.ACTIVE:
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
            relationships = [
                CustomerRelationship.objects.create(
                    customer=customer, partner=partner, role=role, via_reseller=reseller
                )
            ]
            if reseller is not None:
                relationships.append(
                    CustomerRelationship.objects.create(
                        customer=customer, partner=reseller, role=CustomerRole.INDIRECT_RESELLER
                    )
                )
            record_event(
                kind="customer_created",
                obj=customer,
                actor=actor,
                partner=partner,
                to_state=role,
                detail=f"tenant {domain}"
                + (f"; for reseller {reseller.legal_name} ({reseller.pk})" if reseller else ""),
            )
            for relationship in relationships:
                record_event(
                    kind="customer_relationship_created",
                    obj=relationship,
                    actor=actor,
                    partner=relationship.partner,
                    to_state=relationship.role,
                    detail=f"customer {customer.pk} ({domain}), created by {partner.legal_name}",
                )
    except IntegrityError as exc:
        # Two partners raced for the same domain: the unique constraint decides, nothing half-made.
        raise InvalidInput(
            {"domain_prefix": [_("%(domain)s was just taken. Choose another prefix.") % {"domain": domain}]}
        ) from exc
    return CustomerCreated(customer=customer, admin=admin, temporary_password=password)


# --- Customer invitations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerInvitationCreated:
    """The invitation, its link (the token exists only here; the row keeps its SHA-256) and
    the draft email the reseller edits and sends itself."""

    invitation: CustomerInvitation
    link: str = field(repr=False)
    subject: str
    body: str = field(repr=False)


def _provider_relationship(reseller: Partner, provider_id) -> ProviderResellerRelationship | None:
    try:
        pk = uuid.UUID(str(provider_id))
    except ValueError:
        return None
    relationship = (
        ProviderResellerRelationship.objects.filter(
            reseller=reseller, provider_id=pk, state=RelationshipState.ACTIVE
        )
        .select_related("provider")
        .first()
    )
    if relationship is None or not is_indirect_provider(relationship.provider):
        return None
    return relationship


def customer_invitation_draft(*, invitation: CustomerInvitation, url: str) -> tuple[str, str]:
    """The draft email (subject, body) in the reseller's language: it names the reseller and
    the provider and says what authorizing them means."""
    reseller, provider = invitation.reseller, invitation.provider
    context = {
        "reseller": reseller.legal_name,
        "provider": provider.legal_name,
        "link": url,
        "expires_at": invitation.expires_at,
        "signup_url": f"{settings.SITE_URL}{reverse('signup')}",
        "contact_name": reseller.contact_name,
    }
    with translation.override(reseller.language):
        subject = render_to_string("relationships/customers/draft_email_subject.txt", context)
        body = render_to_string("relationships/customers/draft_email_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def customer_invitation_create(*, actor, provider_id) -> CustomerInvitationCreated:
    """*Invite new customers*: the reseller gets a personalized, single-use link asking a
    customer to authorize **both** the reseller and the provider at once, and an editable
    draft email. ``provider_id`` must be one of the reseller's indirect providers, with an
    active relationship."""
    require_roles(actor)
    reseller = acting_partner(actor)
    relationship = _provider_relationship(reseller, provider_id)
    if relationship is None:
        raise InvalidInput.on(
            "provider_id",
            _(
                "Choose one of your indirect providers: you need an active relationship with the provider "
                "to invite customers for it."
            ),
        )
    token, token_hash = new_token()
    with transaction.atomic():
        invitation = CustomerInvitation.objects.create(
            reseller=reseller,
            provider=relationship.provider,
            token_hash=token_hash,
            created_by=actor,
            expires_at=invitation_expiry(),
        )
        record_event(
            kind="customer_invitation_created",
            obj=invitation,
            actor=actor,
            partner=reseller,
            to_state=InvitationStatus.SENT,
            detail=f"provider {relationship.provider.legal_name} ({relationship.provider_id})",
        )
    url = link(INVITATION_PATH, token)
    subject, body = customer_invitation_draft(invitation=invitation, url=url)
    return CustomerInvitationCreated(invitation=invitation, link=url, subject=subject, body=body)


def customer_invitation_refusal(invitation: CustomerInvitation, now=None) -> InvalidTransition | None:
    """Why the invitation can no longer be accepted (409), or None while it can."""
    if invitation.status == InvitationStatus.ACCEPTED:
        return InvalidTransition(
            InvitationStatus.ACCEPTED,
            _("This invitation was already used: a link works once. Ask %(reseller)s for a new link.")
            % {"reseller": invitation.reseller.legal_name},
        )
    if invitation.status == InvitationStatus.REVOKED:
        return InvalidTransition(
            invitation.status,
            _("This invitation was withdrawn. Ask %(reseller)s for a new link.")
            % {"reseller": invitation.reseller.legal_name},
        )
    if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= (now or timezone.now()):
        return InvalidTransition(
            InvitationStatus.EXPIRED,
            _("This invitation expired on %(date)s. Ask %(reseller)s for a new link.")
            % {"date": invitation.expires_at.date().isoformat(), "reseller": invitation.reseller.legal_name},
        )
    return None


def _customer_admin_refusal(actor) -> NotPermitted | None:
    if not (actor and actor.is_authenticated and actor.tenant_id and actor.is_global_admin):
        return NotPermitted(
            _(
                "Only a global admin of your organization's work account can authorize resellers. "
                "Ask your global admin to open this link."
            )
        )
    return None


def customer_authorization_refusal(actor, invitation: CustomerInvitation) -> NotPermitted | None:
    """Why this user may not authorize the invitation's reseller and provider as resellers
    of record of their tenant (403), or None.

    Only the tenant's global admin authorizes. And "a partner's CSP transaction tenant may
    not buy online services from another CSP partner: it cannot become a customer of
    another CSP partner" (DOMAIN.md, "The CSP-to-CSP restriction"); the company may use a
    different, non-CSP tenant instead.
    """
    if refusal := _customer_admin_refusal(actor):
        return refusal
    partner = csp_transaction_partner(actor.tenant)
    if partner is not None:
        return NotPermitted(
            _(
                "%(domain)s is the CSP transaction tenant of %(partner)s, and a CSP transaction tenant cannot "
                "become a customer of another CSP partner. Sign in with a different, non-CSP tenant of your "
                "company to authorize %(reseller)s and %(provider)s."
            )
            % {
                "domain": actor.tenant.domain,
                "partner": partner.legal_name,
                "reseller": invitation.reseller.legal_name,
                "provider": invitation.provider.legal_name,
            }
        )
    return None


def _relationship_set(*, customer, partner, role, via_reseller, actor, invitation) -> CustomerRelationship:
    """The customer's latest authorization decides the partner's role (and, for the provider,
    the reseller it came through); a change is recorded with the old role."""
    relationship = (
        CustomerRelationship.objects.select_for_update().filter(customer=customer, partner=partner).first()
    )
    old = ""
    if relationship is None:
        relationship = CustomerRelationship.objects.create(
            customer=customer, partner=partner, role=role, via_reseller=via_reseller
        )
    else:
        old = relationship.role
        relationship.role, relationship.via_reseller = role, via_reseller
        relationship.save(update_fields=["role", "via_reseller"])
    record_event(
        kind="customer_authorized",
        obj=relationship,
        actor=actor,
        partner=partner,
        from_state=old,
        to_state=role,
        detail=f"customer {customer.pk} ({customer.tenant.domain}) by invitation {invitation.pk}",
    )
    return relationship


def customer_invitation_accept(*, actor, token) -> CustomerInvitation:
    """The customer's global admin authorizes the reseller (``indirect_reseller``) and its
    provider (``indirect_provider``, via the reseller) as resellers of record of the
    actor's tenant, in one step. The link works once; the reseller is emailed after commit.

    Raises ``NotPermitted`` (not the global admin; a CSP transaction tenant),
    ``InvalidInput`` (unknown token) and ``InvalidTransition`` (used, withdrawn, expired).
    """
    if refusal := _customer_admin_refusal(actor):
        # The role first: only an admin learns whether a link is valid.
        raise refusal
    invitation = customer_invitation_for_token(token)
    if invitation is None:
        raise InvalidInput.on(
            "token",
            _("This invitation link is not valid. Copy the whole link, or ask the reseller for a new one."),
        )
    if refusal := customer_authorization_refusal(actor, invitation):
        raise refusal
    now = timezone.now()
    with transaction.atomic():
        # Two admins following the same link at once serialize on the invitation row: the
        # second sees it accepted and gets 409, so one set of relationships is made.
        locked = CustomerInvitation.objects.select_for_update().get(pk=invitation.pk)
        invitation.status, invitation.expires_at = locked.status, locked.expires_at
        if refusal := customer_invitation_refusal(invitation, now):
            raise refusal
        reseller, provider = invitation.reseller, invitation.provider
        if not ProviderResellerRelationship.objects.filter(
            provider=provider, reseller=reseller, state=RelationshipState.ACTIVE
        ).exists():
            raise InvalidTransition(
                invitation.status,
                _(
                    "%(reseller)s no longer works with %(provider)s, so this invitation cannot be accepted. "
                    "Ask %(reseller)s for a new link."
                )
                % {"reseller": reseller.legal_name, "provider": provider.legal_name},
            )
        tenant = actor.tenant
        customer, _created = Customer.objects.get_or_create(
            tenant=tenant, defaults={"company_name": tenant.name}
        )
        for partner, role, via in (
            (reseller, CustomerRole.INDIRECT_RESELLER, None),
            (provider, CustomerRole.INDIRECT_PROVIDER, reseller),
        ):
            _relationship_set(
                customer=customer,
                partner=partner,
                role=role,
                via_reseller=via,
                actor=actor,
                invitation=invitation,
            )
        invitation.status, invitation.accepted_at, invitation.customer = (
            InvitationStatus.ACCEPTED,
            now,
            customer,
        )
        invitation.save(update_fields=["status", "accepted_at", "customer"])
        record_event(
            kind="customer_invitation_accepted",
            obj=invitation,
            actor=actor,
            partner=reseller,
            from_state=InvitationStatus.SENT,
            to_state=InvitationStatus.ACCEPTED,
            detail=f"customer {customer.pk} ({tenant.domain})",
        )
        notify(
            template="customer_invitation_accepted",
            recipient=reseller.contact_email,
            partner=reseller,
            context={
                "first_name": reseller.contact_first_name,
                "reseller": reseller.legal_name,
                "provider": provider.legal_name,
                "customer": customer.company_name,
                "domain": tenant.domain,
                "accepted_by": actor.get_full_name(),
                "customers_url": f"{settings.SITE_URL}{reverse('relationships:customers')}",
            },
            key=f"customer-invitation:{invitation.pk}:accepted",
        )
    return invitation
