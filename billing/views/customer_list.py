"""What billing adds to the rows of the customer list (``relationships.panels``): for a
customer the viewer bills (a direct customer, or a provider's reseller's customer), its
subscriptions (a count and a link) beside *Add products*; for an indirect reseller's
customer, its licenses (assigned of bought) and users, which the reseller manages.

A page of rows costs at most three aggregate queries, whatever its size: subscriptions,
license assignments and users, each grouped by the page's customer ids."""

from django.db.models import Count, Q, Sum
from django.urls import reverse

from relationships.panels import Section, customer_row_summary

from ..models import CustomerUser, CustomerUserStatus, LicenseAssignment, ProductKind, Subscription
from ..models.subscriptions import LIVE_STATUSES
from ..permissions import Action, may

TEMPLATE = "billing/subscriptions/_row_summary.html"


@customer_row_summary
def subscriptions_and_licenses(request, rows) -> dict:
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
    list_url = reverse("billing:subscriptions")
    summaries = {}
    for row in billed:
        found = subscriptions.get((row.id, row.viewer_id)) or {}
        summaries[row.id] = Section(
            TEMPLATE,
            {"billed": True, "subscriptions": found.get("count", 0), "url": f"{list_url}?customer={row.id}"},
        )
    for row in indirect:
        key = (row.id, row.billed_by_id)
        summaries[row.id] = Section(
            TEMPLATE,
            {
                "billed": False,
                "assigned": assigned.get(key, 0),
                "bought": (subscriptions.get(key) or {}).get("bought") or 0,
                "users": users.get(row.id, 0),
                "url": reverse("relationships:customer-detail", args=[row.id]),
            },
        )
    return summaries
