"""The customer's side (DOMAIN.md, "Customers, tenants and admin access"): after authorizing,
the customer's global admin manages its partners. It removes a partner's administrator
access to its tenant and keeps the relationship (``customer_relationship_remove_admin_access``),
or ends the relationship (``customer_relationship_end``): the partner is no longer a reseller
of record (it no longer sees the customer, and no longer orders for it or bills it); a new
authorization renews it.

Each checks the actor's right (only the customer's own global admin), takes the customer's
confirmation, locks the relationship, re-checks its state after the lock, writes one audit
row (in the customer's history) and emails the partner after commit. Domain errors raised:
``InvalidInput`` (400), ``NotPermitted`` (403), ``InvalidTransition`` (409).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events
from ..models import CustomerRelationship, RelationshipState
from ..permissions import require_customer_admin
from .common import conflict, notify, page_url


def _lock(relationship: CustomerRelationship) -> CustomerRelationship:
    return (
        CustomerRelationship.objects.select_for_update(of=("self",))
        .select_related("customer__tenant", "partner")
        .get(pk=relationship.pk)
    )


def _ended(relationship: CustomerRelationship) -> InvalidTransition:
    return conflict(
        relationship.state,
        relationship.get_state_display(),
        _("Your organization already ended its relationship with %(partner)s.")
        % {"partner": relationship.partner.legal_name},
    )


def _require_confirmation(confirm, message) -> None:
    if confirm is not True:
        raise InvalidInput.on("confirm", message)


def _facts(relationship: CustomerRelationship) -> dict:
    """The audit row's parameters (its sentence is rendered from them at read time)."""
    customer = relationship.customer
    return {
        "customer": customer.company_name,
        "domain": customer.tenant.domain,
        "partner_id": str(relationship.partner_id),
        "partner": relationship.partner.legal_name,
        "role": relationship.role,
    }


def _notify_partner(template: str, relationship: CustomerRelationship, actor, key: str) -> None:
    partner, customer = relationship.partner, relationship.customer
    notify(
        template=template,
        recipient=partner.contact_email,
        partner=partner,
        context={
            "first_name": partner.contact_first_name,
            "partner": partner.legal_name,
            "customer": customer.company_name,
            "domain": customer.tenant.domain,
            "changed_by": actor.get_full_name(),
            "customers_url": page_url(reverse("relationships:customers")),
        },
        key=key,
    )


def customer_relationship_remove_admin_access(
    *, actor, relationship: CustomerRelationship, confirm=False
) -> CustomerRelationship:
    """The customer's global admin removes the partner's administrator access (delegated
    admin) to the customer's tenant; the partner stays a reseller of record in its role.
    The partner is emailed after commit."""
    require_customer_admin(actor, relationship.customer)
    _require_confirmation(
        confirm, _("Confirm that you remove this partner's administrator access to your organization.")
    )
    with transaction.atomic():
        relationship = _lock(relationship)
        if not relationship.is_active:
            raise _ended(relationship)
        if not relationship.admin_access:
            raise conflict(
                relationship.state,
                relationship.get_state_display(),
                _("%(partner)s has no administrator access to your organization any more.")
                % {"partner": relationship.partner.legal_name},
            )
        now = timezone.now()
        relationship.admin_access, relationship.admin_access_removed_at = False, now
        relationship.save(update_fields=["admin_access", "admin_access_removed_at"])
        record_event(
            relationship,
            events.CUSTOMER_ADMIN_ACCESS_REMOVED,
            actor=actor,
            tenant=relationship.customer.tenant_id,
            from_state="admin_access",
            to_state="no_admin_access",
            **_facts(relationship),
        )
        _notify_partner(
            "customer_admin_access_removed",
            relationship,
            actor,
            key=f"customer-relationship:{relationship.pk}:admin-access-removed:{now.isoformat()}",
        )
    return relationship


def customer_relationship_end(
    *, actor, relationship: CustomerRelationship, confirm=False
) -> CustomerRelationship:
    """The customer's global admin ends the relationship: the partner is no longer a reseller
    of record of the customer and loses any administrator access with it. Only a new
    authorization (an invitation) renews it. The partner is emailed after commit."""
    require_customer_admin(actor, relationship.customer)
    _require_confirmation(
        confirm, _("Confirm that you end your organization's relationship with this partner.")
    )
    with transaction.atomic():
        relationship = _lock(relationship)
        if not relationship.is_active:
            raise _ended(relationship)
        now = timezone.now()
        had_access = relationship.admin_access
        relationship.state, relationship.ended_at = RelationshipState.TERMINATED, now
        relationship.admin_access = False
        if had_access:
            relationship.admin_access_removed_at = now
        relationship.save(update_fields=["state", "ended_at", "admin_access", "admin_access_removed_at"])
        record_event(
            relationship,
            events.CUSTOMER_RELATIONSHIP_ENDED,
            actor=actor,
            tenant=relationship.customer.tenant_id,
            from_state=RelationshipState.ACTIVE,
            to_state=RelationshipState.TERMINATED,
            admin_access_removed=had_access,
            **_facts(relationship),
        )
        _notify_partner(
            "customer_relationship_ended",
            relationship,
            actor,
            key=f"customer-relationship:{relationship.pk}:ended:{now.isoformat()}",
        )
    return relationship
