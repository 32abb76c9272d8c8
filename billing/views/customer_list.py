"""What billing adds to the rows of the customer list (``relationships.panels``): for a
customer the viewer bills (a direct customer, or a provider's reseller's customer), its
subscriptions (a count and a link) beside *Add products*; for an indirect reseller's
customer, its licenses (assigned of bought) and users, which the reseller manages.

A page of rows costs at most three aggregate queries, whatever its size: subscriptions,
license assignments and users, each grouped by the page's customer ids. Each row's HTML is
written here, not by a template included per row (issue 12), escaped as autoescape did and
with the words of ``blocktranslate count``: ``test_subscriptions_customer_list`` holds it
equal to what the template wrote."""

from uuid import UUID

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from partnercenter.core.markup import address_of_each, escaped
from relationships.panels import customer_row_summary

from ..models import CustomerUser, CustomerUserStatus, LicenseAssignment, ProductKind, Subscription
from ..models.subscriptions import LIVE_STATUSES
from ..permissions import Action, may


def _number(n) -> str:
    return escaped(formats.localize(n))  # what ``{{ counter }}`` wrote in ``blocktranslate``


def billed_html(url: str, subscriptions: int) -> SafeString:
    """A billed customer's summary: its subscriptions, linked to their list."""
    words = ngettext("%(counter)s subscription", "%(counter)s subscriptions", subscriptions) % {
        "counter": _number(subscriptions)
    }
    return mark_safe(f'\n<div class="detail muted"><a href="{escaped(url)}">{words}</a>\n</div>\n')  # noqa: S308


def indirect_html(url: str, *, assigned: int, bought: int, users: int) -> SafeString:
    """An indirect customer's summary for its reseller: licenses assigned of bought, users."""
    licenses = ngettext(
        "%(assigned)s of %(counter)s license assigned",
        "%(assigned)s of %(counter)s licenses assigned",
        bought,
    ) % {"assigned": _number(assigned), "counter": _number(bought)}
    people = ngettext("%(counter)s user", "%(counter)s users", users) % {"counter": _number(users)}
    return mark_safe(  # noqa: S308 - every value escaped
        f'\n<div class="detail muted"><a href="{escaped(url)}">{licenses}</a> · {people}</div>\n'
    )


@customer_row_summary
def subscriptions_and_licenses(request, rows) -> dict[UUID, SafeString]:
    user = request.user
    sees_orders = may(user, Action.VIEW_ORDERS)
    sees_tenant = sees_orders or may(user, Action.MANAGE_LICENSES) or may(user, Action.MANAGE_USERS)
    billed = [row for row in rows if row.can_manage_products] if sees_orders else []
    # The reseller's side: the customers its provider bills (it manages licenses and users).
    indirect = (
        [row for row in rows if not row.can_manage_products and row.billed_by_id] if sees_tenant else []
    )
    if not (billed or indirect):
        return {}
    ids = [row.id for row in billed + indirect]
    subscriptions = {
        (found["customer_id"], found["partner_id"]): found
        for found in Subscription.objects.filter(customer_id__in=ids)
        .values("customer_id", "partner_id")
        .annotate(
            count=Count("pk"),
            bought=Sum("quantity", filter=Q(kind=ProductKind.LICENSE, status__in=LIVE_STATUSES)),
        )
        .order_by()
    }
    assigned, users = {}, {}
    if indirect:
        indirect_ids = [row.id for row in indirect]
        assigned = {
            (found["subscription__customer_id"], found["subscription__partner_id"]): found["count"]
            for found in LicenseAssignment.objects.filter(
                subscription__customer_id__in=indirect_ids,
                subscription__kind=ProductKind.LICENSE,
                subscription__status__in=LIVE_STATUSES,
            )
            .values("subscription__customer_id", "subscription__partner_id")
            .annotate(count=Count("pk"))
            .order_by()
        }
        users = {
            found["customer_id"]: found["count"]
            for found in CustomerUser.objects.filter(
                customer_id__in=indirect_ids, status=CustomerUserStatus.ACTIVE
            )
            .values("customer_id")
            .annotate(count=Count("pk"))
            .order_by()
        }
    list_url, detail = reverse("billing:subscriptions"), address_of_each("relationships:customer-detail")
    summaries = {}
    for row in billed:
        found = subscriptions.get((row.id, row.viewer_id)) or {}
        summaries[row.id] = billed_html(f"{list_url}?customer={row.id}", found.get("count", 0))
    for row in indirect:
        key = (row.id, row.billed_by_id)
        summaries[row.id] = indirect_html(
            detail(row.id),
            assigned=assigned.get(key, 0),
            bought=(subscriptions.get(key) or {}).get("bought") or 0,
            users=users.get(row.id, 0),
        )
    return summaries
