"""Relationship requests (Partner Center's ``customers/relationshiprequests``; DOMAIN.md, the
roles' table: a direct-bill partner "associates existing customers"): the partner's
single-use link and editable draft email, and the customer's global admin accepting it, so
that the customer becomes the partner's direct customer (billed by it).

Built as the customer invitations are (``customer_invitations``), with their token helpers.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403) and
``InvalidTransition`` (409).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enrollment.restrictions import require_unrestricted
from enrollment.transition import NO_NEW_DIRECT_CUSTOMERS, takes_new_direct_customers
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import events
from ..models import (
    Customer,
    CustomerRelationship,
    CustomerRole,
    InvitationStatus,
    RelationshipRequest,
    RelationshipState,
)
from ..permissions import acting_direct_bill, is_customer_admin, is_direct_bill
from ..selectors import csp_transaction_partner, relationship_request_for_token
from .common import conflict, invitation_expiry, link, new_token, notify, record

# The path of the customer's acceptance page; the token is the link's last segment.
REQUEST_PATH = "/relationship-requests/"


@dataclass(frozen=True)
class RelationshipRequestCreated:
    """The request, its link (the token exists only here; the row keeps its SHA-256) and the
    draft email the partner edits and sends itself."""

    request: RelationshipRequest
    link: str = field(repr=False)
    subject: str
    body: str = field(repr=False)


def relationship_request_draft(*, request: RelationshipRequest, url: str) -> tuple[str, str]:
    """The draft email (subject, body) in the partner's language: who asks, what accepting
    grants, and the link."""
    partner = request.partner
    context = {
        "partner": partner.legal_name,
        "link": url,
        "expires_at": request.expires_at,
        "contact_name": partner.contact_name,
    }
    with translation.override(partner.language):
        subject = render_to_string("relationships/relationship_requests/draft_email_subject.txt", context)
        body = render_to_string("relationships/relationship_requests/draft_email_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def relationship_request_create(*, actor) -> RelationshipRequestCreated:
    """*Request a reseller relationship*: an active direct-bill partner's global admin or
    admin agent gets a single-use link, expiring after ``INVITATION_TTL_DAYS``, and an
    editable draft email for one existing customer.

    Raises ``NotPermitted`` (not an admin; not an active direct-bill partner)."""
    partner = acting_direct_bill(actor)
    require_unrestricted(partner)  # the continuing obligations: no new customers
    token, token_hash = new_token()
    with transaction.atomic():
        request = RelationshipRequest.objects.create(
            partner=partner, token_hash=token_hash, created_by=actor, expires_at=invitation_expiry()
        )
        record(
            request,
            events.RELATIONSHIP_REQUEST_CREATED,
            actor=actor,
            partner=partner,
            to_state=InvitationStatus.SENT,
            partner_name=partner.legal_name,
            partner_id=str(partner.pk),
        )
    url = link(REQUEST_PATH, token)
    subject, body = relationship_request_draft(request=request, url=url)
    return RelationshipRequestCreated(request=request, link=url, subject=subject, body=body)


def relationship_request_refusal(request: RelationshipRequest, now=None) -> InvalidTransition | None:
    """Why the request can no longer be accepted (409), or None while it can."""
    name = request.partner.legal_name
    if request.status == InvitationStatus.ACCEPTED:
        return conflict(
            InvitationStatus.ACCEPTED,
            InvitationStatus.ACCEPTED.label,
            _(
                "This relationship request was already used: a link works once. Ask %(partner)s for a new link."
            )
            % {"partner": name},
        )
    if request.status != InvitationStatus.SENT or request.expires_at <= (now or timezone.now()):
        return conflict(
            InvitationStatus.EXPIRED,
            InvitationStatus.EXPIRED.label,
            _("This relationship request expired on %(date)s. Ask %(partner)s for a new link.")
            % {"date": request.expires_at.date().isoformat(), "partner": name},
        )
    return None


def _admin_refusal(actor) -> NotPermitted | None:
    if not is_customer_admin(actor):
        return NotPermitted(
            _(
                "Only a global admin of your organization's work account can accept a relationship request. "
                "Ask your global admin to open this link."
            )
        )
    return None


def relationship_request_authorization_refusal(actor, request: RelationshipRequest) -> NotPermitted | None:
    """Why this user may not accept the request for their tenant (403), or None.

    Only the tenant's global admin accepts. And "a partner's CSP transaction tenant may not
    buy online services from another CSP partner: it cannot become a customer of another
    CSP partner" (DOMAIN.md, "The CSP-to-CSP restriction"), as for customer invitations."""
    if refusal := _admin_refusal(actor):
        return refusal
    csp_partner = csp_transaction_partner(actor.tenant)
    if csp_partner is not None:
        return NotPermitted(
            _(
                "%(domain)s is the CSP transaction tenant of %(csp_partner)s, and a CSP transaction tenant cannot "
                "become a customer of another CSP partner. Sign in with a different, non-CSP tenant of your "
                "company to accept %(partner)s."
            )
            % {
                "domain": actor.tenant.domain,
                "csp_partner": csp_partner.legal_name,
                "partner": request.partner.legal_name,
            }
        )
    return None


def _existing_refusal(request: RelationshipRequest, relationship: CustomerRelationship | None):
    """A customer has one relationship per partner: an active one is not replaced (409)."""
    if relationship is None or not relationship.is_active:
        return None
    return conflict(
        request.status,
        InvitationStatus(request.status).label,
        _(
            "%(partner)s is already a partner of your organization (%(role)s). A relationship request "
            "cannot change an existing relationship."
        )
        % {"partner": request.partner.legal_name, "role": CustomerRole(relationship.role).label},
    )


def relationship_request_existing_refusal(request: RelationshipRequest, user) -> InvalidTransition | None:
    """For the acceptance page: the conflict an existing relationship of the user's tenant
    with the partner would give (see ``_existing_refusal``)."""
    relationship = (
        CustomerRelationship.objects.filter(customer__tenant_id=user.tenant_id, partner_id=request.partner_id)
        .only("role", "state")
        .first()
    )
    return _existing_refusal(request, relationship)


def relationship_request_accept(*, actor, token) -> RelationshipRequest:
    """The customer's global admin accepts the partner as its direct-bill partner: the
    actor's tenant becomes (or already is) a customer, with a ``direct_bill_partner``
    relationship to the partner and its administrator access. A relationship the customer
    ended is renewed. The link works once; the partner is emailed after commit.

    Raises ``NotPermitted`` (not the global admin; a CSP transaction tenant),
    ``InvalidInput`` (unknown token) and ``InvalidTransition`` (used, expired, the partner
    is no longer direct bill, a relationship with it exists).
    """
    if refusal := _admin_refusal(actor):
        # The role first: only an admin learns whether a link is valid.
        raise refusal
    request = relationship_request_for_token(token)
    if request is None:
        raise InvalidInput.on(
            "token",
            _(
                "This relationship request link is not valid. Copy the whole link, or ask the partner for a new one."
            ),
        )
    if refusal := relationship_request_authorization_refusal(actor, request):
        raise refusal
    partner = request.partner
    now = timezone.now()
    with transaction.atomic():
        # Two admins following the same link at once serialize on the request's row: the
        # second sees it accepted and gets 409.
        locked = RelationshipRequest.objects.select_for_update().get(pk=request.pk)
        request.status, request.expires_at = locked.status, locked.expires_at
        if refusal := relationship_request_refusal(request, now):
            raise refusal
        if not is_direct_bill(partner):
            raise conflict(
                request.status,
                InvitationStatus(request.status).label,
                _(
                    "%(partner)s is no longer an active direct-bill partner, so this request cannot be accepted."
                )
                % {"partner": partner.legal_name},
            )
        if not takes_new_direct_customers(partner):
            raise conflict(request.status, InvitationStatus(request.status).label, NO_NEW_DIRECT_CUSTOMERS)
        tenant = actor.tenant
        customer, _created = Customer.objects.get_or_create(
            tenant=tenant, defaults={"company_name": tenant.name}
        )
        # Two requests of one partner accepted at once serialize on the customer's row, so
        # the second finds the first's relationship (one per partner) and gets 409.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        relationship = (
            CustomerRelationship.objects.select_for_update()
            .filter(customer=customer, partner=partner)
            .first()
        )
        if refusal := _existing_refusal(request, relationship):
            raise refusal
        renewed = relationship is not None
        if relationship is None:
            relationship = CustomerRelationship.objects.create(
                customer=customer,
                partner=partner,
                role=CustomerRole.DIRECT_BILL_PARTNER,
                admin_access=True,
                established_at=now,
            )
        else:
            # The customer ended it before: accepting renews it, in the direct-bill role.
            relationship.role, relationship.via_reseller, relationship.state = (
                CustomerRole.DIRECT_BILL_PARTNER,
                None,
                RelationshipState.ACTIVE,
            )
            relationship.ended_at, relationship.established_at = None, now
            relationship.admin_access, relationship.admin_access_removed_at = True, None
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
        request.status, request.accepted_at, request.accepted_by, request.customer = (
            InvitationStatus.ACCEPTED,
            now,
            actor,
            customer,
        )
        request.save(update_fields=["status", "accepted_at", "accepted_by", "customer"])
        record(
            request,
            events.RELATIONSHIP_REQUEST_ACCEPTED,
            actor=actor,
            partner=partner,
            from_state=InvitationStatus.SENT,
            to_state=InvitationStatus.ACCEPTED,
            partner_name=partner.legal_name,
            customer_id=str(customer.pk),
            customer=customer.company_name,
            domain=tenant.domain,
            role=relationship.role,
            renewed=renewed,
        )
        notify(
            template="relationship_request_accepted",
            recipient=partner.contact_email,
            partner=partner,
            context={
                "first_name": partner.contact_first_name,
                "partner": partner.legal_name,
                "customer": customer.company_name,
                "domain": tenant.domain,
                "accepted_by": actor.get_full_name(),
                "customers_url": f"{settings.SITE_URL}{reverse('relationships:customers')}",
            },
            key=f"relationship-request:{request.pk}:accepted",
        )
    return request
