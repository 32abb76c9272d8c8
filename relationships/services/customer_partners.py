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

from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput

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


def customer_relationship_refusal(relationship: CustomerRelationship, *, removing_access: bool = False):
    """Why the customer cannot change this relationship now (``InvalidTransition``, 409), or
    None: an ended relationship changes no more, and access that is gone cannot be removed.
    The services ask it after their lock; the confirmation page before it offers a button."""
    name = relationship.partner.legal_name
    if not relationship.is_active:
        return conflict(
            relationship.state,
            relationship.get_state_display(),
            _(
                "Your organization already ended its relationship with %(partner)s. To work with it again, "
                "accept a new invitation from it."
            )
            % {"partner": name},
        )
    if removing_access and not relationship.admin_access:
        return conflict(
            relationship.state,
            relationship.get_state_display(),
            _("%(partner)s has no administrator access to your organization any more.") % {"partner": name},
        )
    return None


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


@contextmanager
def _changing(
    *, actor, relationship: CustomerRelationship, confirm, confirmation: str, removing_access: bool = False
):
    """What both changes do first: check the actor's right and the confirmation, lock the
    relationship and re-check, after the lock, that the change is still possible."""
    require_customer_admin(actor, relationship.customer)
    if confirm is not True:
        raise InvalidInput.on("confirm", confirmation)
    with transaction.atomic():
        locked = _lock(relationship)
        if refusal := customer_relationship_refusal(locked, removing_access=removing_access):
            raise refusal
        yield locked


def _changed(
    relationship: CustomerRelationship, kind, *, actor, from_state, to_state, template, **data
) -> None:
    """What both changes do last, in their transaction: the one audit row (in the customer's
    history) and the email to the partner, sent after commit."""
    record_event(
        relationship,
        kind,
        actor=actor,
        tenant=relationship.customer.tenant_id,
        from_state=from_state,
        to_state=to_state,
        **_facts(relationship),
        **data,
    )
    _notify_partner(
        template,
        relationship,
        actor,
        key=f"customer-relationship:{relationship.pk}:{kind.code}:{timezone.now().isoformat()}",
    )


def customer_relationship_remove_admin_access(
    *, actor, relationship: CustomerRelationship, confirm=False
) -> CustomerRelationship:
    """The customer's global admin removes the partner's administrator access (delegated
    admin) to the customer's tenant; the partner stays a reseller of record in its role.
    The partner is emailed after commit."""
    confirmation = _("Confirm that you remove this partner's administrator access to your organization.")
    with _changing(
        actor=actor,
        relationship=relationship,
        confirm=confirm,
        confirmation=confirmation,
        removing_access=True,
    ) as locked:
        locked.admin_access, locked.admin_access_removed_at = False, timezone.now()
        locked.save(update_fields=["admin_access", "admin_access_removed_at"])
        _changed(
            locked,
            events.CUSTOMER_ADMIN_ACCESS_REMOVED,
            actor=actor,
            from_state="admin_access",
            to_state="no_admin_access",
            template="customer_admin_access_removed",
        )
    return locked


def customer_relationship_end(
    *, actor, relationship: CustomerRelationship, confirm=False
) -> CustomerRelationship:
    """The customer's global admin ends the relationship: the partner is no longer a reseller
    of record of the customer and loses any administrator access with it. Only a new
    authorization (an invitation) renews it. The partner is emailed after commit."""
    confirmation = _("Confirm that you end your organization's relationship with this partner.")
    with _changing(
        actor=actor, relationship=relationship, confirm=confirm, confirmation=confirmation
    ) as locked:
        now, had_access = timezone.now(), locked.admin_access
        locked.state, locked.ended_at, locked.admin_access = RelationshipState.TERMINATED, now, False
        if had_access:
            locked.admin_access_removed_at = now
        locked.save(update_fields=["state", "ended_at", "admin_access", "admin_access_removed_at"])
        _changed(
            locked,
            events.CUSTOMER_RELATIONSHIP_ENDED,
            actor=actor,
            from_state=RelationshipState.ACTIVE,
            to_state=RelationshipState.TERMINATED,
            template="customer_relationship_ended",
            admin_access_removed=had_access,
        )
    return locked
