"""Who may do what in commerce, each rule once.

**Roles** (``ROLE_ACTIONS``: one table, role × action; tested as a matrix): the billing
admin sees invoices, credits and the credit line and downloads them; the admin agent
orders and manages subscriptions, licenses and users for customers; the helpdesk agent
manages customers' users (create, reset a password) but cannot order or see invoices; the
sales agent sees customers and orders, read-only. The global admin may do everything.

**Partners** (``may_order_for``): an active direct-bill partner orders for its direct
customers; an indirect provider for customers that have a relationship with it and with
one of its resellers; never an indirect reseller (it sees its provider's orders). Who
manages a customer's users and licenses: the partner with administrator access to the
customer's tenant (the reseller, or the direct-bill partner).

Services call the ``require_*`` checks (``NotPermitted``: 403 with the reason); pages and
the API ask the predicates."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from enrollment.models import Program
from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted
from relationships.models import CustomerRelationship, CustomerRole


class Action(models.TextChoices):
    VIEW_ORDERS = "view_orders", _("See customers' orders and subscriptions")
    ORDER = "order", _("Order products")
    MANAGE_SUBSCRIPTIONS = "manage_subscriptions", _("Manage subscriptions and reservations")
    MANAGE_LICENSES = "manage_licenses", _("Assign licenses")
    MANAGE_USERS = "manage_users", _("Manage customers' users")
    VIEW_INVOICES = "view_invoices", _("See and download invoices, credits and the credit line")


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.GLOBAL_ADMIN: frozenset(Action),
    Role.ADMIN_AGENT: frozenset(
        {
            Action.VIEW_ORDERS,
            Action.ORDER,
            Action.MANAGE_SUBSCRIPTIONS,
            Action.MANAGE_LICENSES,
            Action.MANAGE_USERS,
        }
    ),
    Role.HELPDESK_AGENT: frozenset({Action.MANAGE_USERS}),
    Role.SALES_AGENT: frozenset({Action.VIEW_ORDERS}),
    Role.BILLING_ADMIN: frozenset({Action.VIEW_INVOICES}),
    Role.BUSINESS_PROFILE_ADMIN: frozenset(),
    Role.REFERRALS_ADMIN: frozenset(),
    Role.INCENTIVES_ADMIN: frozenset(),
}

# Why a role may not act, per action: the 403's reason names who may.
_REFUSALS = {
    Action.VIEW_ORDERS: _(
        "Only your global admin, an admin agent or a sales agent can see customers' orders and subscriptions."
    ),
    Action.ORDER: _("Only your global admin or an admin agent can order products for customers."),
    Action.MANAGE_SUBSCRIPTIONS: _(
        "Only your global admin or an admin agent can change subscriptions and reservations."
    ),
    Action.MANAGE_LICENSES: _("Only your global admin or an admin agent can assign licenses."),
    Action.MANAGE_USERS: _(
        "Only your global admin, an admin agent or a helpdesk agent can manage customers' users."
    ),
    Action.VIEW_INVOICES: _(
        "Only your global admin or a billing admin can see invoices, credits and the credit line."
    ),
}


def roles_allow(roles, action: str) -> bool:
    return any(action in ROLE_ACTIONS.get(role, ()) for role in roles)


def may(user, action: str) -> bool:
    """The user's roles allow ``action`` (a partner's user; staff are not partners)."""
    return bool(user and user.is_authenticated and roles_allow(user.roles or (), action))


def refusal(action: str):
    """Why a role may not take ``action``: who may, and whom to ask (the 403's reason, and
    what a page shows instead of the action)."""
    return format_lazy("{} {}", _REFUSALS[action], _("Ask your global admin for the role."))


def require(actor, action: str) -> None:
    if not may(actor, action):
        raise NotPermitted(refusal(action))


# --- Partners: who orders for a customer, who manages its tenant --------------------------------


def _reseller_relationship_active(relationship: CustomerRelationship, relationships) -> bool:
    return any(
        other.partner_id == relationship.via_reseller_id
        and other.is_active
        and other.role == CustomerRole.INDIRECT_RESELLER
        for other in relationships
    )


def may_order_for(relationship: CustomerRelationship | None, relationships=None) -> bool:
    """The partner of ``relationship`` orders for its customer: an active direct-bill
    partner in the direct-bill role, or an indirect provider whose customer came through
    one of its resellers and still has that reseller (``relationships``: the customer's
    active relationships, to see the reseller's; read from the customer if not given)."""
    if relationship is None or not relationship.is_active:
        return False
    if relationship.role == CustomerRole.DIRECT_BILL_PARTNER:
        return relationship.partner.is_active_in(Program.DIRECT_BILL)
    if relationship.role == CustomerRole.INDIRECT_PROVIDER and relationship.via_reseller_id:
        if relationships is None:
            relationships = CustomerRelationship.objects.active().filter(customer_id=relationship.customer_id)
        return _reseller_relationship_active(relationship, relationships)
    return False


def require_may_order_for(relationship: CustomerRelationship, relationships=None) -> None:
    if may_order_for(relationship, relationships):
        return
    if relationship.role == CustomerRole.INDIRECT_RESELLER:
        raise NotPermitted(
            _(
                "Indirect resellers do not submit orders: your indirect provider orders products for this "
                "customer and bills it. You manage the customer's users and licenses."
            )
        )
    if relationship.role == CustomerRole.DIRECT_BILL_PARTNER:
        raise NotPermitted(
            _("Your organization orders for its direct customers once its direct-bill enrollment is active.")
        )
    raise NotPermitted(
        _(
            "You order for a customer that came to you through one of your resellers while that reseller "
            "is still its partner."
        )
    )


def manages_tenant(relationship: CustomerRelationship | None) -> bool:
    """The partner of ``relationship`` manages the customer tenant's users and licenses: it
    has administrator access (a reseller, or a direct-bill partner)."""
    return bool(
        relationship is not None
        and relationship.is_active
        and relationship.admin_access
        and relationship.role in (CustomerRole.INDIRECT_RESELLER, CustomerRole.DIRECT_BILL_PARTNER)
    )


def require_manages_tenant(relationship: CustomerRelationship) -> None:
    if not manages_tenant(relationship):
        raise NotPermitted(
            _(
                "Only the partner with administrator access to this customer's tenant manages its users and "
                "licenses: its reseller, or its direct-bill partner."
            )
        )


# --- The price list ----------------------------------------------------------------------------


def may_see_price_list(user) -> bool:
    """*Pricing and offers*: whoever sees customers' orders or orders sees the price list
    of its market (a reseller's users too: it does not order, but it sells)."""
    return may(user, Action.VIEW_ORDERS) or may(user, Action.ORDER)


def require_may_see_price_list(user) -> None:
    if not may_see_price_list(user):
        raise NotPermitted(
            format_lazy(
                "{} {}",
                _("Only your global admin, an admin agent or a sales agent can see the price list."),
                _("Ask your global admin for the role."),
            )
        )


# --- Invoices: who records a payment (program staff) -------------------------------------------

INVOICE_PAYMENT_PERMISSION = "billing.change_invoice"


def may_record_payment(user) -> bool:
    """Program staff with the permission to change invoices record that one was paid."""
    return bool(
        user and user.is_authenticated and user.is_staff and user.has_perm(INVOICE_PAYMENT_PERMISSION)
    )


def require_may_record_payment(actor) -> None:
    if not may_record_payment(actor):
        raise NotPermitted(
            _("Only program staff with the permission to change invoices can record a payment.")
        )
