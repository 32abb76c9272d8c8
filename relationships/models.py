"""Customers and their resellers of record; indirect providers, their listing, reseller
invitations, provider-reseller relationships with their administrator access (DAP, GDAP)
and customer invitations."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Partner
from partnercenter.accounts.models import Tenant
from partnercenter.core.querysets import CountedQuerySet


class CustomerRole(models.TextChoices):
    DIRECT_BILL_PARTNER = "direct_bill_partner", _("Direct-bill partner")
    INDIRECT_RESELLER = "indirect_reseller", _("Indirect reseller")
    INDIRECT_PROVIDER = "indirect_provider", _("Indirect provider")


class RelationshipState(models.TextChoices):
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")


# The roles whose partner bills the customer (and so orders its products): "a direct-bill
# partner ... bills its customers"; "for an indirect reseller's customers the provider orders
# products and bills" (DOMAIN.md). The reseller never does.
BILLING_ROLES = frozenset({CustomerRole.DIRECT_BILL_PARTNER, CustomerRole.INDIRECT_PROVIDER})


class Customer(models.Model):
    """A company with its own tenant that buys through CSP partners."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="customer")
    company_name = models.CharField(max_length=200)
    organization_registration_number = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The partner that created the tenant (None when the customer came by invitation).
    created_by_partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A partner's list counts its relationships (``selectors.customers_for``).
    objects = CountedQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["company_name"]
        # Customer lists are read in this order a page at a time (issue 12).
        indexes = [models.Index(fields=["company_name", "id"], name="customer_name")]

    def __str__(self):
        return self.company_name


class CustomerRelationshipQuerySet(models.QuerySet):
    def active(self):
        """The relationships that make the partner a reseller of record now (not ended)."""
        return self.filter(state=RelationshipState.ACTIVE)


class CustomerRelationship(models.Model):
    """A partner is a reseller of record of a customer, in one role. The customer's global
    admin may remove the partner's administrator access (delegated admin) and keep the
    relationship, or end the relationship (``services.customers``)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="relationships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="customer_relationships")
    role = models.CharField(max_length=30, choices=CustomerRole.choices)
    established_at = models.DateTimeField(default=timezone.now)
    # The reseller of record that brought the customer to this provider (indirect model).
    via_reseller = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=RelationshipState.choices, default=RelationshipState.ACTIVE
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    # Delegated administrator access to the customer's tenant: granted by the authorization
    # (the reseller's, not the provider's, in the indirect model) or by creating the tenant.
    admin_access = models.BooleanField(default=False)
    admin_access_removed_at = models.DateTimeField(null=True, blank=True)
    # The customer's company name, copied here by the database (``relationships.names``): a
    # partner's customers are read in name order from one index on its relationships.
    customer_name = models.CharField(max_length=200, default="", editable=False)

    objects = CustomerRelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer relationship")
        verbose_name_plural = _("customer relationships")
        ordering = ["established_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "partner"], name="one_relationship_per_partner")
        ]
        # A partner's customers (``selectors.customers_for``): its active relationships, read
        # from the index alone (issue 12), a page at a time in name order.
        indexes = [
            models.Index(fields=["partner", "state", "customer"], name="customer_rel_partner"),
            models.Index(
                fields=["partner", "state", "customer_name", "customer"], name="customer_rel_partner_name"
            ),
        ]

    def __str__(self):
        return f"{self.partner} → {self.customer} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.state == RelationshipState.ACTIVE

    @property
    def bills_customer(self) -> bool:
        """The partner bills the customer in this role (``BILLING_ROLES``), while the
        relationship lasts."""
        return self.is_active and self.role in BILLING_ROLES

    @property
    def can_remove_admin_access(self) -> bool:
        """The customer's global admin may still remove the partner's administrator access."""
        return self.is_active and self.admin_access


# --- Indirect providers and their resellers ------------------------------------------------


class Offer(models.TextChoices):
    TECHNICAL_TRAINING = "technical_training", _("Technical training")
    MARKETING_HELP = "marketing_help", _("Marketing help")
    FINANCING = "financing", _("Financing and credit terms")


class IndirectProvider(models.Model):
    """A partner that staff authorized as an indirect provider, and its listing in
    *Find a provider*."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="indirect_provider")
    authorized = models.BooleanField(default=True)
    authorized_at = models.DateTimeField(default=timezone.now)
    authorized_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    countries = models.JSONField(default=list, blank=True, help_text=_("ISO codes of the countries served."))
    offers = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True, max_length=2000)
    website = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indirect provider")
        verbose_name_plural = _("indirect providers")
        ordering = ["partner__legal_name"]

    def __str__(self):
        return f"Indirect provider {self.partner}"


class InvitationStatus(models.TextChoices):
    SENT = "sent", _("Sent")  # waiting for the invitee
    ACCEPTED = "accepted", _("Accepted")  # final
    REVOKED = "revoked", _("Revoked")  # by the sender (final)
    EXPIRED = "expired", _("Expired")  # its link ran out (final)


# The legal moves of an invitation, declared once (services move only along these).
INVITATION_TRANSITIONS: dict[str, frozenset[str]] = {
    InvitationStatus.SENT: frozenset(
        {InvitationStatus.SENT, InvitationStatus.ACCEPTED, InvitationStatus.REVOKED, InvitationStatus.EXPIRED}
    ),  # SENT -> SENT: a resend (new token)
    InvitationStatus.ACCEPTED: frozenset(),
    InvitationStatus.REVOKED: frozenset(),
    InvitationStatus.EXPIRED: frozenset(),
}


class ResellerInvitation(models.Model):
    """A provider invites a reseller, by email or MPN ID, with an emailed link.
    Only the token's SHA-256 is stored; a resend replaces the token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sent_reseller_invitations")
    email = models.EmailField(blank=True)
    mpn_id = models.CharField(max_length=10, blank=True)
    message = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reseller = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_reseller_invitations",
    )

    class Meta:
        verbose_name = _("reseller invitation")
        verbose_name_plural = _("reseller invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.provider} invites {self.email or self.mpn_id} ({self.status})"

    @property
    def status_now(self) -> str:
        """A sent invitation past its expiry is expired, whether or not the sweep ran yet."""
        return invitation_status_now(self.status, self.expires_at)

    @property
    def is_open(self) -> bool:
        """Still usable: it may be accepted, resent or revoked."""
        return self.status_now == InvitationStatus.SENT


def invitation_status_now(status: str, expires_at) -> str:
    """An invitation's status as of now (reseller and customer invitations alike)."""
    if status == InvitationStatus.SENT and expires_at <= timezone.now():
        return InvitationStatus.EXPIRED
    return status


class ProviderResellerRelationship(models.Model):
    """The reseller authorized the provider: orders for its customers, and (until the
    reseller removes it) delegated administrator access to its tenant."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="reseller_relationships")
    reseller = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="provider_relationships")
    state = models.CharField(
        max_length=12, choices=RelationshipState.choices, default=RelationshipState.ACTIVE
    )
    admin_access = models.BooleanField(default=True)
    admin_access_removed_at = models.DateTimeField(null=True, blank=True)
    established_at = models.DateTimeField(default=timezone.now)
    invitation = models.OneToOneField(
        ResellerInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="relationship"
    )
    # The reseller's legal name, copied here by the database (``relationships.names``).
    reseller_name = models.CharField(max_length=200, default="", editable=False)

    # A provider's list counts from the database's count (``selectors.relationships_of``).
    objects = CountedQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider-reseller relationship")
        verbose_name_plural = _("provider-reseller relationships")
        ordering = ["-established_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "reseller"], name="one_relationship_per_pair")
        ]
        # A provider's resellers a page at a time: newest first (*Indirect resellers*), and
        # the active ones by name (the customers page's filter) (issue 12).
        indexes = [
            models.Index(fields=["provider", "-established_at", "id"], name="provider_rel_established"),
            models.Index(fields=["provider", "state", "reseller_name", "reseller"], name="provider_rel_name"),
        ]

    def __str__(self):
        return f"{self.provider} ⇄ {self.reseller}"

    @property
    def is_active(self) -> bool:
        """The provider still serves the reseller (not terminated)."""
        return self.state == RelationshipState.ACTIVE


class GdapStatus(models.TextChoices):
    CREATED = "created", _("Created")
    APPROVAL_PENDING = "approval_pending", _("Approval pending")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    TERMINATION_REQUESTED = "termination_requested", _("Termination requested")
    TERMINATED = "terminated", _("Terminated")


# The legal moves of granular delegated admin (GDAP), declared once.
GDAP_TRANSITIONS: dict[str, frozenset[str]] = {
    # drafted by the provider; sent to the reseller at once
    GdapStatus.CREATED: frozenset({GdapStatus.APPROVAL_PENDING}),
    # waiting for the reseller: it approves, or either side withdraws it
    GdapStatus.APPROVAL_PENDING: frozenset({GdapStatus.ACTIVE, GdapStatus.TERMINATION_REQUESTED}),
    # roles granted until ends_at (an automatic extension moves ends_at, not the status)
    GdapStatus.ACTIVE: frozenset({GdapStatus.EXPIRING, GdapStatus.EXPIRED, GdapStatus.TERMINATION_REQUESTED}),
    # within EXPIRING_WITHIN of ends_at, without auto-extension
    GdapStatus.EXPIRING: frozenset({GdapStatus.EXPIRED, GdapStatus.TERMINATION_REQUESTED}),
    # ran out (final)
    GdapStatus.EXPIRED: frozenset(),
    # either side ended it; the sweep completes the termination
    GdapStatus.TERMINATION_REQUESTED: frozenset({GdapStatus.TERMINATED}),
    # (final)
    GdapStatus.TERMINATED: frozenset(),
}
# Either side may end it from these (a termination request is a move of the table).
GDAP_TERMINABLE = frozenset(
    s for s, nexts in GDAP_TRANSITIONS.items() if GdapStatus.TERMINATION_REQUESTED in nexts
)


class GranularAdminRelationship(models.Model):
    """Granular delegated admin (GDAP): named roles for a limited time (1 day to 2 years)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    relationship = models.ForeignKey(
        ProviderResellerRelationship, on_delete=models.CASCADE, related_name="granular_admin"
    )
    name = models.CharField(max_length=50)
    roles = models.JSONField(default=list)
    duration_days = models.PositiveSmallIntegerField()
    auto_extend = models.BooleanField(default=False)
    status = models.CharField(max_length=25, choices=GdapStatus.choices, default=GdapStatus.CREATED)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True, db_index=True)
    terminated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("granular admin relationship")
        verbose_name_plural = _("granular admin relationships")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.status})"

    @property
    def can_approve(self) -> bool:
        return GdapStatus.ACTIVE in GDAP_TRANSITIONS[self.status]

    @property
    def can_terminate(self) -> bool:
        return self.status in GDAP_TERMINABLE


class CustomerInvitation(models.Model):
    """A reseller's personalized link asking a customer to authorize the reseller and its
    provider as resellers of record at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reseller = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="customer_invitations")
    provider = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("customer invitation")
        verbose_name_plural = _("customer invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reseller} + {self.provider} ({self.status})"

    @property
    def status_now(self) -> str:
        return invitation_status_now(self.status, self.expires_at)


class RelationshipRequest(models.Model):
    """A direct-bill partner's link asking an existing customer to accept it as its direct
    partner (Partner Center's *Request a reseller relationship*,
    ``customers/relationshiprequests``). Only the token's SHA-256 is stored; it works once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="relationship_requests")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.SENT)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("relationship request")
        verbose_name_plural = _("relationship requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.partner} ({self.status})"

    @property
    def status_now(self) -> str:
        """A sent request past its expiry is expired (no sweep needed to read it so)."""
        return invitation_status_now(self.status, self.expires_at)

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status_now).label


# --- What the database keeps for the lists: counts (names: ``relationships.names``) --------------
from . import names  # noqa: E402, F401 (its triggers declared in every process: core.generations)
from .counts import CustomerCount, ResellerCount  # noqa: E402, F401

# --- Customers' acceptance of the Microsoft Customer Agreement (its own module) -------------------
from .customer_agreements import (  # noqa: E402, F401
    AgreementType,
    CustomerAgreementAcceptance,
    CustomerAgreementTemplate,
)
