"""Pages of subscriptions and Azure reservations: the customer page's *Subscriptions* section
(registered with ``relationships.panels``), the partner-wide lists (``/subscriptions/``,
``/reservations/``), one subscription with its terms and history, and its buttons
(auto-renew, suspend, reactivate, cancel with its confirmation).

Seeing needs ``Action.VIEW_ORDERS``, acting ``Action.MANAGE_SUBSCRIPTIONS`` (403 with the
table's reason); another partner's subscription is 404. Thin: the selectors read, the
services write; what a row offers comes from the predicates of ``SUBSCRIPTION_MOVES``."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnercenter.audit.selectors import attach_history_page
from partnercenter.core.navigation import local_url
from partnercenter.core.pages import domain_errors
from relationships import selectors as relationship_selectors
from relationships.panels import Section, customer_section
from relationships.permissions import acting_partner

from .. import subscription_selectors as selectors
from ..models import ProductKind, Subscription, SubscriptionStatus
from ..permissions import Action, may, require
from ..services import subscriptions as services

PAGE_SIZE = 50
SECTION_SHOWN = 50
SEARCH_MAX = 100


@dataclass(frozen=True)
class Actions:
    """The buttons a viewer has on one subscription, from the move table and the rules."""

    auto_renew: bool = False
    suspend: bool = False
    reactivate: bool = False
    cancel: bool = False

    @property
    def any(self) -> bool:
        return self.auto_renew or self.suspend or self.reactivate or self.cancel


def actions_for(user, partner, subscription: Subscription, now=None) -> Actions:
    if not may(user, Action.MANAGE_SUBSCRIPTIONS):
        return Actions()
    now = now or timezone.now()

    def allowed(action: str, state_ok: bool) -> bool:
        return state_ok and services.subscription_partner_refusal(subscription, partner, action) is None

    return Actions(
        auto_renew=allowed("set_auto_renew", subscription.can_set_auto_renew),
        suspend=allowed("suspend", subscription.can_suspend),
        reactivate=allowed("reactivate", subscription.can_reactivate),
        cancel=allowed("cancel", subscription.can_cancel(now)),
    )


def _rows(user, partner, subscriptions) -> list[dict]:
    now = timezone.now()
    return [{"subscription": s, "actions": actions_for(user, partner, s, now)} for s in subscriptions]


@customer_section
def subscriptions_section(request, row) -> Section | None:
    """The customer's subscriptions the viewer may see, with the actions it may take."""
    if not may(request.user, Action.VIEW_ORDERS):
        return None
    partner = row.own_relationship.partner
    found = selectors.customer_subscriptions(partner, row.customer)
    shown = list(found[: SECTION_SHOWN + 1])
    return Section(
        "billing/subscriptions/_customer_section.html",
        {
            "rows": _rows(request.user, partner, shown[:SECTION_SHOWN]),
            "more": len(shown) > SECTION_SHOWN,
            "list_url": f"{reverse('billing:subscriptions')}?customer={row.customer.pk}",
            "next": request.get_full_path(),
        },
    )


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _listing(request, *, reservations: bool):
    require(request.user, Action.VIEW_ORDERS)
    partner = acting_partner(request.user)
    customer_id = _uuid_or_none(request.GET.get("customer"))
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_VALUES else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.KIND_VALUES else ""
    if kind == ProductKind.AZURE_RESERVATION:
        reservations = True
    search = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX]
    found = selectors.subscriptions_for(
        partner,
        customer_id=customer_id,
        customer_name=search,
        status=status,
        kind=kind,
        reservations=reservations or None,
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    # The customer a link filtered by (one of the partner's, or none): its name in the filters.
    customer = None
    if customer_id is not None:
        customer = (
            relationship_selectors.customers_for(partner)
            .select_related(None)
            .prefetch_related(None)
            .filter(pk=customer_id)
            .only("pk", "company_name")
            .first()
        )
    return render(
        request,
        "billing/subscriptions/list.html",
        {
            "reservations": reservations,
            "rows": _rows(request.user, partner, page.object_list),
            "page": page,
            "customer": customer,
            "statuses": SubscriptionStatus.choices,
            "kinds": ProductKind.choices,
            "filters": {"customer": str(customer_id or ""), "q": search, "status": status, "kind": kind},
            "next": request.get_full_path(),
        },
    )


@login_required
@require_GET
def subscription_list(request):
    """*Subscriptions*: every subscription the partner sees, filterable by customer, status
    and kind, a page at a time."""
    return _listing(request, reservations=False)


@login_required
@require_GET
def reservation_list(request):
    """*Azure reservations*: the reservations the partner sees, with their scope and term."""
    return _listing(request, reservations=True)


@login_required
@require_GET
def subscription_detail(request, subscription_id):
    """One subscription: what it is, its terms, its history and the viewer's buttons."""
    require(request.user, Action.VIEW_ORDERS)
    partner = acting_partner(request.user)
    subscription = selectors.subscription_for(partner, subscription_id)
    try:
        timeline_page = max(1, int(request.GET.get("timeline_page", 1)))
    except ValueError:
        timeline_page = 1
    attach_history_page([subscription], page=timeline_page, per_page=settings.TIMELINE_PAGE_SIZE)
    credit = selectors.cancellation_credit(subscription) if subscription.can_cancel() else None
    return render(
        request,
        "billing/subscriptions/detail.html",
        {
            "subscription": subscription,
            "terms": list(subscription.terms.all()),
            "item": {
                "subscription": subscription,
                "actions": actions_for(request.user, partner, subscription),
            },
            "credit": credit,
            "next": request.path,
        },
    )


def _back(request, subscription_id) -> str:
    return local_url(request, request.POST.get("next")) or reverse(
        "billing:subscription-detail", args=[subscription_id]
    )


def _subscription(request, subscription_id) -> Subscription:
    return selectors.subscription_for(acting_partner(request.user), subscription_id)


@login_required
@require_POST
@domain_errors(back=_back)
def subscription_auto_renew(request, subscription_id):
    value = request.POST.get("auto_renew")
    subscription = _subscription(request, subscription_id)
    services.subscription_set_auto_renew(
        actor=request.user,
        subscription=subscription,
        auto_renew={"on": True, "off": False}.get(value, value),
    )
    if value == "on":
        messages.success(
            request,
            _("Auto-renew is on: %(name)s renews at the end of its term.")
            % {"name": subscription.friendly_name},
        )
    else:
        messages.success(
            request,
            _("Auto-renew is off: %(name)s ends at the end of its term.")
            % {"name": subscription.friendly_name},
        )
    return redirect(_back(request, subscription_id))


@login_required
@require_POST
@domain_errors(back=_back)
def subscription_suspend(request, subscription_id):
    subscription = services.subscription_suspend(
        actor=request.user, subscription=_subscription(request, subscription_id)
    )
    messages.success(request, _("%(name)s is suspended.") % {"name": subscription.friendly_name})
    return redirect(_back(request, subscription_id))


@login_required
@require_POST
@domain_errors(back=_back)
def subscription_reactivate(request, subscription_id):
    subscription = services.subscription_reactivate(
        actor=request.user, subscription=_subscription(request, subscription_id)
    )
    messages.success(request, _("%(name)s is active again.") % {"name": subscription.friendly_name})
    return redirect(_back(request, subscription_id))


@login_required
@domain_errors(back="billing:subscription-detail", redirect_back=False)
def subscription_cancel(request, subscription_id):
    """The confirmation (GET: what ends and the prorated credit it gets) and the cancellation
    (POST). Outside the window both say why, and to turn off auto-renew instead."""
    partner = acting_partner(request.user)
    subscription = selectors.subscription_for(partner, subscription_id)
    require(request.user, Action.MANAGE_SUBSCRIPTIONS)
    if refusal := services.subscription_partner_refusal(subscription, partner, "cancel"):
        raise refusal
    if request.method == "POST":
        services.subscription_cancel(actor=request.user, subscription=subscription)
        messages.success(request, _("%(name)s is cancelled.") % {"name": subscription.friendly_name})
        return redirect(_back(request, subscription_id))
    if refusal := services.subscription_move_refusal(subscription, "cancel"):
        raise refusal
    return render(
        request,
        "billing/subscriptions/cancel.html",
        {
            "subscription": subscription,
            "credit": selectors.cancellation_credit(subscription),
            "next": local_url(request, request.GET.get("next")) or "",
        },
    )
