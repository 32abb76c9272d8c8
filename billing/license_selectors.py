"""Reads of the customer tenant's users and licenses, scoped to the caller's partner (a
``relationships.selectors.CustomerRow``): another customer's user or subscription is not
found. Who may read them: the partner that manages the tenant, for a role that manages its
users or licenses (``require_reads_tenant``)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet

from partnercenter.core.errors import NotFound, NotPermitted
from relationships.models import CustomerRole

from .models import CustomerUser, CustomerUserStatus, LicenseAssignment, ProductKind, Subscription
from .permissions import Action, manages_tenant, may, require, require_manages_tenant

# How many license-based subscriptions a customer's page and a user's form list.
SUBSCRIPTIONS_SHOWN = 50


def may_read_tenant(user, row) -> bool:
    return manages_tenant(row.own_relationship) and (
        may(user, Action.MANAGE_USERS) or may(user, Action.MANAGE_LICENSES)
    )


def require_reads_tenant(user, row) -> None:
    """403 with the reason: the partner does not manage the tenant, or the role may not."""
    require_manages_tenant(row.own_relationship)
    if not may(user, Action.MANAGE_LICENSES):
        require(user, Action.MANAGE_USERS)


def _billing_partner_ids(row) -> list:
    """The partners whose subscriptions of the customer the viewer assigns: its own and, for
    a reseller, its provider's (the one that came to the customer through it)."""
    ids = [row.viewer_id]
    if row.role == CustomerRole.INDIRECT_RESELLER and row.counterpart is not None:
        ids.append(row.counterpart.pk)
    return ids


def customer_users(row) -> QuerySet[CustomerUser]:
    """The customer's users (not the deleted ones), each with its licenses (one more query
    for a page of them, with their subscriptions)."""
    return (
        CustomerUser.objects.filter(customer=row.customer, status=CustomerUserStatus.ACTIVE)
        .select_related("customer__tenant")
        .prefetch_related(
            Prefetch(
                "licenses",
                queryset=LicenseAssignment.objects.select_related("subscription").order_by(
                    "subscription__friendly_name", "pk"
                ),
            )
        )
        .order_by("display_name", "pk")
    )


def customer_user(row, user_id) -> CustomerUser:
    """One of the customer's users; 404 for a deleted one or another customer's."""
    try:
        return customer_users(row).get(pk=user_id)
    except (CustomerUser.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


def license_subscriptions(row) -> QuerySet[Subscription]:
    """The customer's live license-based subscriptions the viewer assigns, with the count of
    their assigned licenses."""
    return (
        Subscription.objects.live()
        .filter(customer=row.customer, kind=ProductKind.LICENSE, partner_id__in=_billing_partner_ids(row))
        .annotate(assigned=Count("assignments"))
        .order_by("friendly_name", "pk")
    )


def license_subscription(row, subscription_id) -> Subscription | None:
    """One of the customer's subscriptions the viewer assigns from (any status or kind: the
    service says why it is refused), or None."""
    try:
        return (
            Subscription.objects.filter(
                customer=row.customer, partner_id__in=_billing_partner_ids(row), pk=subscription_id
            )
            .select_related("customer")
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        return None


def tenant_refusal(user, row, action: str | None = None) -> str:
    """Why the viewer may not read the tenant's users and licenses (or, with ``action``,
    may not ``action``), in the table's words; '' when it may. For a page that says why
    instead of offering a button."""
    try:
        if action is None:
            require_reads_tenant(user, row)
        else:
            require(user, action)
    except NotPermitted as exc:
        return str(exc.message)
    return ""
