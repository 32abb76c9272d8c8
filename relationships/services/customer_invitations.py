"""Customer invitations (DOMAIN.md, "Providers and resellers", *Invite new customers*): the
reseller's personalized link and editable draft email asking a customer to authorize the
reseller and its provider at once, and the customer's authorization.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403) and
``InvalidTransition`` (409).
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enrollment.models import Partner
from enrollment.restrictions import require_unrestricted
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import events
from ..models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    CustomerRole,
    InvitationStatus,
    ProviderResellerRelationship,
    RelationshipState,
)
from ..permissions import acting_partner, is_customer_admin, require_roles
from ..selectors import (
    csp_transaction_partner,
    customer_invitation_for_token,
    customer_invitation_relationship,
)
from .common import conflict, invitation_expiry, link, new_token, notify, record

# The path of the customer's acceptance page; the token is the link's last segment.
INVITATION_PATH = "/customer-invitations/"


@dataclass(frozen=True)
class CustomerInvitationCreated:
    """The invitation, its link (the token exists only here; the row keeps its SHA-256) and
    the draft email the reseller edits and sends itself."""

    invitation: CustomerInvitation
    link: str = field(repr=False)
    subject: str
    body: str = field(repr=False)


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


def customer_invitation_create(*, actor, provider_id=None, reseller_id=None) -> CustomerInvitationCreated:
    """*Invite new customers*: the reseller gets a personalized, single-use link asking a
    customer to authorize **both** the reseller and the provider at once, and an editable
    draft email. ``provider_id`` must be one of the reseller's indirect providers, with an
    active relationship.

    Or the provider takes the same link for one of its resellers (``reseller_id``; Partner
    Center's ``customers/relationshiprequests?indirectResellerId=``): the invitation is the
    reseller's all the same, and the pair must be one the reseller could invite for."""
    require_roles(actor)
    partner = acting_partner(actor)
    require_unrestricted(partner)  # the continuing obligations: no new invitations
    if reseller_id is not None:
        reseller = _partner_or_none(reseller_id)
        relationship = customer_invitation_relationship(reseller, partner.pk) if reseller else None
        if relationship is None:
            raise InvalidInput.on(
                "reseller_id",
                _(
                    "Choose one of your indirect resellers: you need an active relationship with the reseller, "
                    "as its authorized indirect provider, to invite customers for it."
                ),
            )
    else:
        reseller = partner
        relationship = customer_invitation_relationship(reseller, provider_id)
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
        record(
            invitation,
            events.CUSTOMER_INVITATION_CREATED,
            actor=actor,
            partner=reseller,
            to_state=InvitationStatus.SENT,
            provider=relationship.provider.legal_name,
            reseller=reseller.legal_name,
        )
    url = link(INVITATION_PATH, token)
    subject, body = customer_invitation_draft(invitation=invitation, url=url)
    return CustomerInvitationCreated(invitation=invitation, link=url, subject=subject, body=body)


def _partner_or_none(partner_id) -> Partner | None:
    try:
        pk = uuid.UUID(str(partner_id))
    except ValueError:
        return None
    return Partner.objects.filter(pk=pk).first()


def customer_invitation_refusal(invitation: CustomerInvitation, now=None) -> InvalidTransition | None:
    """Why the invitation can no longer be accepted (409), or None while it can."""
    if invitation.status == InvitationStatus.ACCEPTED:
        return conflict(
            InvitationStatus.ACCEPTED,
            InvitationStatus.ACCEPTED.label,
            _("This invitation was already used: a link works once. Ask %(reseller)s for a new link.")
            % {"reseller": invitation.reseller.legal_name},
        )
    if invitation.status == InvitationStatus.REVOKED:
        return conflict(
            invitation.status,
            InvitationStatus.REVOKED.label,
            _("This invitation was withdrawn. Ask %(reseller)s for a new link.")
            % {"reseller": invitation.reseller.legal_name},
        )
    if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= (now or timezone.now()):
        return conflict(
            InvitationStatus.EXPIRED,
            InvitationStatus.EXPIRED.label,
            _("This invitation expired on %(date)s. Ask %(reseller)s for a new link.")
            % {"date": invitation.expires_at.date().isoformat(), "reseller": invitation.reseller.legal_name},
        )
    return None


def _customer_admin_refusal(actor) -> NotPermitted | None:
    if not is_customer_admin(actor):
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


def _relationship_set(
    *, customer, partner, role, via_reseller, admin_access: bool, now
) -> tuple[CustomerRelationship, str]:
    """The customer's latest authorization decides the partner's role (and, for the provider,
    the reseller it came through); it renews a relationship the customer ended, and grants
    administrator access where the authorization gives it (access the customer kept stays).
    Returns the relationship and its role before ("" if it was none or had ended)."""
    relationship = (
        CustomerRelationship.objects.select_for_update().filter(customer=customer, partner=partner).first()
    )
    if relationship is None:
        relationship = CustomerRelationship.objects.create(
            customer=customer,
            partner=partner,
            role=role,
            via_reseller=via_reseller,
            admin_access=admin_access,
            established_at=now,
        )
        return relationship, ""
    old = relationship.role if relationship.is_active else ""
    if not relationship.is_active:
        relationship.state, relationship.ended_at, relationship.established_at = (
            RelationshipState.ACTIVE,
            None,
            now,
        )
    if admin_access and not relationship.admin_access:
        relationship.admin_access, relationship.admin_access_removed_at = True, None
    relationship.role, relationship.via_reseller = role, via_reseller
    relationship.save(
        update_fields=[
            "role",
            "via_reseller",
            "state",
            "ended_at",
            "established_at",
            "admin_access",
            "admin_access_removed_at",
        ]
    )
    return relationship, old


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
            raise conflict(
                invitation.status,
                InvitationStatus(invitation.status).label,
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
        # "After the customer authorizes, the reseller has administrator permissions for that
        # customer and the provider may submit orders for it" (DOMAIN.md).
        authorized = [
            (
                partner,
                *_relationship_set(
                    customer=customer,
                    partner=partner,
                    role=role,
                    via_reseller=via,
                    admin_access=access,
                    now=now,
                ),
            )
            for partner, role, via, access in (
                (reseller, CustomerRole.INDIRECT_RESELLER, None, True),
                (provider, CustomerRole.INDIRECT_PROVIDER, reseller, False),
            )
        ]
        invitation.status, invitation.accepted_at, invitation.customer = (
            InvitationStatus.ACCEPTED,
            now,
            customer,
        )
        invitation.save(update_fields=["status", "accepted_at", "customer"])
        record(
            invitation,
            events.CUSTOMER_INVITATION_ACCEPTED,
            actor=actor,
            partner=reseller,
            from_state=InvitationStatus.SENT,
            to_state=InvitationStatus.ACCEPTED,
            customer_id=str(customer.pk),
            customer=customer.company_name,
            domain=tenant.domain,
            relationships=[
                {
                    "partner_id": str(partner.pk),
                    "partner": partner.legal_name,
                    "role": relationship.role,
                    "role_before": role_before,
                }
                for partner, relationship, role_before in authorized
            ],
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
