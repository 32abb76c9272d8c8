"""Reads of the provider and reseller model and of customers, scoped to the caller's
partner: another partner's object is not found (404)."""

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from enrollment.models import Enrollment, Partner
from partnercenter.core.errors import NotFound

from . import counts as kept
from .counts import Kept
from .models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    CustomerRole,
    GranularAdminRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
    RelationshipRequest,
    RelationshipState,
    ResellerInvitation,
)
from .services.common import hash_token


def csp_partners_of_tenant(tenant, *, excluding: Partner | None = None) -> list[Partner]:
    """The CSP partners for whom ``tenant`` is a customer tenant (the CSP-to-CSP rule:
    a partner's CSP transaction tenant may not be another CSP partner's customer)."""
    partners = Partner.objects.filter(
        customer_relationships__customer__tenant=tenant,
        customer_relationships__state=RelationshipState.ACTIVE,
    ).distinct()
    if excluding is not None:
        partners = partners.exclude(pk=excluding.pk)
    return list(partners.order_by("legal_name"))


# --- Providers and resellers: Find a provider, reseller invitations, relationships, GDAP ----------
# Every read is scoped to the caller's partner: another partner's object is not found (404).


# The relationship types of the API, named from the caller's side.
PROVIDER_OF = "IsIndirectCloudSolutionProviderOf"  # the caller is the provider: its resellers
RESELLER_OF = "IsIndirectResellerOf"  # the caller is the reseller: its providers
RELATIONSHIP_TYPES = (PROVIDER_OF, RESELLER_OF)


def provider_directory(*, country: str = "", offers=(), name: str = "") -> QuerySet[IndirectProvider]:
    """*Find a provider*: authorized providers whose enrollment is active, optionally serving
    ``country``, offering every one of ``offers`` and with ``name`` in their legal name."""
    providers = IndirectProvider.objects.filter(
        partner__in=Partner.objects.active(), authorized=True
    ).select_related("partner")
    # The JSON text holds each element in quotes ("DE"), so this matches a whole element,
    # on PostgreSQL and SQLite alike (SQLite has no JSON containment lookup).
    if country:
        providers = providers.filter(countries__icontains=f'"{country}"')
    for offer in offers:
        providers = providers.filter(offers__icontains=f'"{offer}"')
    if name:
        providers = providers.filter(partner__legal_name__icontains=name)
    return providers.order_by("partner__legal_name", "pk")


def provider_listing_of(partner: Partner | None) -> IndirectProvider | None:
    if partner is None:
        return None
    return IndirectProvider.objects.filter(partner=partner).select_related("partner").first()


def relationships_of(
    partner: Partner | None, relationship_type: str | None = None, *, state: str | None = None
) -> QuerySet[ProviderResellerRelationship]:
    """The partner's provider-reseller relationships, from its side: as provider
    (``PROVIDER_OF``), as reseller (``RESELLER_OF``) or both (None); newest first."""
    if partner is None:
        return ProviderResellerRelationship.objects.none()
    if relationship_type == PROVIDER_OF:
        # From the partner's side, each row's partner is ``partner`` itself: set by Django's
        # related manager, not joined and read again on every row (issue 12).
        relationships = partner.reseller_relationships.select_related("reseller")
    elif relationship_type == RESELLER_OF:
        relationships = partner.provider_relationships.select_related("provider")
    else:
        relationships = ProviderResellerRelationship.objects.filter(
            Q(provider=partner) | Q(reseller=partner)
        ).select_related("provider", "reseller")
    if state:
        relationships = relationships.filter(state=state)
    # Newest first from the index on the provider (a page of a provider's 1,000 resellers).
    relationships = relationships.order_by("-established_at", "pk")
    if relationship_type == PROVIDER_OF and state in (None, "", RelationshipState.ACTIVE):
        # A provider's count of its resellers is kept by the database (``relationships.counts``).
        kind = kept.ACTIVE_RESELLERS if state else kept.RESELLERS
        relationships = relationships.counted_by(Kept(partner, kind))
    return relationships


def relationship_of(partner: Partner | None, relationship_id) -> ProviderResellerRelationship:
    """One of the partner's relationships, on either side; 404 for anyone else's."""
    relationship = relationships_of(partner).filter(pk=relationship_id).first()
    if relationship is None:
        raise NotFound()
    return relationship


def granular_admin_of(partner: Partner | None, gdap_id) -> GranularAdminRelationship:
    """A GDAP relationship of one of the partner's relationships; 404 for anyone else's."""
    if partner is None:
        raise NotFound()
    gdap = (
        GranularAdminRelationship.objects.filter(
            Q(relationship__provider=partner) | Q(relationship__reseller=partner), pk=gdap_id
        )
        .select_related("relationship")
        .first()
    )
    if gdap is None:
        raise NotFound()
    return gdap


def _received(partner: Partner, user) -> Q:
    """Invitations addressed to the partner: by its MPN ID, to its primary contact or to the
    user, and those it accepted."""
    received = Q(reseller=partner)
    if partner.mpn_id:
        received |= Q(mpn_id=partner.mpn_id)
    for email in {partner.contact_email, getattr(user, "email", "")}:
        if email:
            received |= Q(email__iexact=email)
    return received & ~Q(provider=partner)


def reseller_invitations_of(
    partner: Partner | None, user=None, *, direction: str | None = None, status: str | None = None
) -> QuerySet[ResellerInvitation]:
    """Sent (the provider's) or received (the reseller's) invitations, or both; newest first."""
    if partner is None:
        return ResellerInvitation.objects.none()
    sides = {"sent": Q(provider=partner), "received": _received(partner, user)}
    where = sides.get(direction) or (sides["sent"] | sides["received"])
    invitations = ResellerInvitation.objects.filter(where).select_related("provider", "reseller")
    if status:
        invitations = invitations.filter(status=status)
    return invitations.order_by("-created_at", "pk")


def reseller_invitation_of(partner: Partner | None, user, invitation_id) -> ResellerInvitation:
    """One invitation the partner sent or received; 404 for anyone else's."""
    invitation = reseller_invitations_of(partner, user).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound()
    return invitation


# --- Customers: the customer list, one customer, invitations, orders (customers issue) ---------
# Also scoped to the caller's partner: another partner's customer is not found (404).


@dataclass(frozen=True)
class CustomerRow:
    """One customer as a partner sees it: its role, the relationships it may see (its own and
    its counterpart's in the indirect model, never an unrelated partner's), who bills the
    customer, and whether it manages products (orders) for it."""

    customer: Customer
    viewer_id: uuid.UUID
    role: str
    relationships: list[CustomerRelationship]
    billed_by: Partner | None
    # The counterpart in the indirect model: for a provider, the reseller it shares the
    # customer with; for a reseller, the provider that bills the customer.
    counterpart: Partner | None

    @property
    def id(self):
        return self.customer.pk

    @property
    def company_name(self) -> str:
        return self.customer.company_name

    @property
    def tenant(self):
        return self.customer.tenant

    @property
    def billed_by_id(self):
        return self.billed_by.pk if self.billed_by else None

    @property
    def can_manage_products(self) -> bool:
        """The partner bills the customer, so it orders its products (``BILLING_ROLES``): a
        direct-bill partner for its customers, a provider for its own and its resellers'
        customers; never the reseller. Who of its users may order is billing's rule."""
        return self.billed_by_id == self.viewer_id

    @property
    def own_relationship(self) -> CustomerRelationship:
        return next(r for r in self.relationships if r.partner_id == self.viewer_id)

    @property
    def role_label(self) -> str:
        return CustomerRole(self.role).label


def _customer_row(customer: Customer, partner: Partner) -> CustomerRow:
    relationships = customer.active_relationships  # prefetched, with their partners
    own = next(r for r in relationships if r.partner_id == partner.pk)
    counterpart_relationship = None
    if not own.bills_customer:
        # "Providers bill their resellers' customers": the provider that came through this reseller.
        counterpart_relationship = next(
            (
                r
                for r in relationships
                if r.role == CustomerRole.INDIRECT_PROVIDER and r.via_reseller_id == partner.pk
            ),
            None,
        )
        billed_by = counterpart_relationship.partner if counterpart_relationship else None
    else:
        if own.role == CustomerRole.INDIRECT_PROVIDER and own.via_reseller_id:
            counterpart_relationship = next(
                (r for r in relationships if r.partner_id == own.via_reseller_id), None
            )
        billed_by = partner
    visible = {own.pk, getattr(counterpart_relationship, "pk", None)}
    return CustomerRow(
        customer=customer,
        viewer_id=partner.pk,
        role=own.role,
        relationships=[r for r in relationships if r.pk in visible],
        billed_by=billed_by,
        counterpart=counterpart_relationship.partner if counterpart_relationship else None,
    )


def _active_relationships(partner_fields=None) -> Prefetch:
    """The customers' active relationships, with their partners (``partner_fields`` of them,
    or all), to a list (issue 12: a related manager's queryset built for each customer of a
    page was about a tenth of the customers API's time; the partners' every column, ~2 ms)."""
    relationships = CustomerRelationship.objects.active().select_related("partner")
    if partner_fields:
        own = [field.name for field in CustomerRelationship._meta.concrete_fields]
        relationships = relationships.only(*own, *(f"partner__{name}" for name in partner_fields))
    return Prefetch("relationships", queryset=relationships, to_attr="active_relationships")


def customers_for(
    partner: Partner, *, provider_id=None, reseller_id=None, direct_only: bool = False
) -> QuerySet[Customer]:
    """The partner's customers (those it is a reseller of record of: an active relationship;
    one the customer ended is gone from the partner's side), with what a row needs,
    in three queries whatever their number (with the list's count).

    ``provider_id`` (for a reseller): the customers it shares with that provider (the
    provider came to them through this reseller). ``reseller_id`` (for a provider): the
    customers it shares with that reseller. ``direct_only`` (for a provider): its own direct
    customers."""
    # From the partner's own relationships (an index on the partner), not from every
    # customer with an EXISTS: the list reads the partner's customers only, a page at a time
    # in name order from the relationships' index (their copy of the customer's name).
    mine = Q(relationships__partner=partner, relationships__state=RelationshipState.ACTIVE)
    if reseller_id is not None:
        mine &= Q(relationships__via_reseller_id=reseller_id)
    if direct_only:
        mine &= Q(relationships__via_reseller__isnull=True)
    customers = Customer.objects.filter(mine)
    if provider_id is not None:
        shared = CustomerRelationship.objects.active().filter(
            partner_id=provider_id, role=CustomerRole.INDIRECT_PROVIDER, via_reseller=partner
        )
        customers = customers.filter(pk__in=shared.values("customer_id"))
    customers = (
        customers.select_related("tenant")
        # A list names the customers' other partners, and reads nothing more of them.
        .prefetch_related(_active_relationships(partner_fields=("legal_name",)))
        # The same order as the customer's own name (the copy is the name).
        .order_by("relationships__customer_name", "relationships__customer_id")
    )
    if provider_id is not None:
        return customers
    # One relationship per customer and partner: the list's count is its relationships', kept
    # by the database (``relationships.counts``) or, for a narrower list, read from their index.
    if reseller_id is None and not direct_only:
        return customers.counted_by(Kept(partner, kept.CUSTOMERS))
    relationships = CustomerRelationship.objects.active().filter(partner=partner)
    if reseller_id is not None:
        relationships = relationships.filter(via_reseller_id=reseller_id)
    if direct_only:
        relationships = relationships.filter(via_reseller__isnull=True)
    return customers.counted_by(relationships)


def customer_rows(partner: Partner, customers) -> list[CustomerRow]:
    """Rows for customers fetched through ``customers_for`` (or a page of them)."""
    return [_customer_row(customer, partner) for customer in customers]


def customer_for(partner: Partner, customer_id) -> CustomerRow:
    """One of the partner's customers, or ``NotFound`` (404): another partner's customer is
    not found."""
    # With every field of its partners (a customer's pages show more of them than a list).
    customer = (
        customers_for(partner)
        .filter(pk=customer_id)
        .prefetch_related(None)
        .prefetch_related(_active_relationships())
        .first()
    )
    if customer is None:
        raise NotFound()
    return _customer_row(customer, partner)


def customer_reseller_choices(provider: Partner) -> QuerySet[Partner]:
    """The resellers a provider may name when it creates a customer: an active relationship."""
    # In name order from the relationships' index (their copy of the reseller's legal name).
    return Partner.objects.filter(
        provider_relationships__provider=provider, provider_relationships__state=RelationshipState.ACTIVE
    ).order_by("provider_relationships__reseller_name", "provider_relationships__reseller_id")


def customer_invitation_relationship(reseller: Partner, provider_id) -> ProviderResellerRelationship | None:
    """The reseller's active relationship with ``provider_id``, if that partner is one it may
    invite customers for (``customer_invitation_providers``); None otherwise."""
    try:
        pk = uuid.UUID(str(provider_id))
    except ValueError:
        return None
    if not customer_invitation_providers(reseller).filter(pk=pk).exists():
        return None
    return (
        ProviderResellerRelationship.objects.filter(
            reseller=reseller, provider_id=pk, state=RelationshipState.ACTIVE
        )
        .select_related("provider")
        .first()
    )


def customer_invitation_providers(reseller: Partner) -> QuerySet[Partner]:
    """The providers a reseller may invite customers for: authorized, with an active relationship
    (none, without a query, for a partner read knowing it resells for no provider:
    ``customer_list_selectors.customer_list_partners``)."""
    if getattr(reseller, "resells", True) is False:
        return Partner.objects.none()
    return Partner.objects.filter(
        reseller_relationships__reseller=reseller,
        reseller_relationships__state=RelationshipState.ACTIVE,
        indirect_provider__authorized=True,
    ).order_by("legal_name", "pk")


def reseller_invitation_for_token(token) -> ResellerInvitation | None:
    """The reseller invitation a link's token names (whatever its status), or None."""
    if not isinstance(token, str) or not token.strip():
        return None
    return (
        ResellerInvitation.objects.select_related("provider")
        .filter(token_hash=hash_token(token.strip()))
        .first()
    )


def customer_invitation_for_token(token) -> CustomerInvitation | None:
    """The customer invitation a link's token names (whatever its status), or None."""
    return (
        CustomerInvitation.objects.filter(token_hash=hash_token(token))
        .select_related("reseller", "provider", "customer")
        .first()
    )


def relationship_requests_of(partner: Partner) -> QuerySet[RelationshipRequest]:
    """The direct-bill partner's relationship requests, newest first, with the customer that
    accepted each; in one query whatever their number."""
    return (
        RelationshipRequest.objects.filter(partner=partner)
        .select_related("customer__tenant", "created_by")
        .order_by("-created_at", "pk")
    )


def relationship_request_for_token(token) -> RelationshipRequest | None:
    """The relationship request a link's token names (whatever its status), or None."""
    return (
        RelationshipRequest.objects.filter(token_hash=hash_token(token))
        .select_related("partner", "customer")
        .first()
    )


def csp_transaction_partner(tenant) -> Partner | None:
    """The partner whose CSP transaction tenant ``tenant`` is: a partner with an open
    enrollment (a rejected, withdrawn or expired one leaves the tenant free). Such a tenant
    "cannot become a customer of another CSP partner" (DOMAIN.md, "The CSP-to-CSP
    restriction")."""
    return (
        Partner.objects.filter(tenant=tenant)
        .filter(Exists(Enrollment.objects.open().filter(partner=OuterRef("pk"))))
        .first()
    )


def active_provider_ids(reseller: Partner) -> set:
    """The providers this reseller has authorized (active relationships), in one query."""
    return set(
        ProviderResellerRelationship.objects.filter(
            reseller=reseller, state=RelationshipState.ACTIVE
        ).values_list("provider_id", flat=True)
    )


# --- The customer's side: its partners, as its global admin sees them -------------------------------
# Scoped to the user's own tenant: another customer's (or a partner's) relationship is not found.


def customer_of_user(user) -> Customer | None:
    """The customer whose tenant the user belongs to, or None (the tenant is no customer's)."""
    tenant_id = getattr(user, "tenant_id", None)
    if not tenant_id:
        return None
    return Customer.objects.filter(tenant_id=tenant_id).select_related("tenant").first()


def customer_partners(customer: Customer | None) -> QuerySet[CustomerRelationship]:
    """The customer's resellers of record, the active ones first, then those it ended (each
    oldest first), with their partners; in one query."""
    if customer is None:
        return CustomerRelationship.objects.none()
    return (
        CustomerRelationship.objects.filter(customer=customer)
        .select_related("partner", "via_reseller", "customer__tenant")
        .order_by("state", "established_at", "pk")
    )


def customer_partner_of(user, partner_id) -> CustomerRelationship:
    """The relationship of the user's own customer with one partner (a customer has one per
    partner, so the partner's id names it); 404 for anyone else's."""
    relationship = customer_partners(customer_of_user(user)).filter(partner_id=partner_id).first()
    if relationship is None:
        raise NotFound()
    return relationship
