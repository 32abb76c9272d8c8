"""Pages of orders: the customer page's *Add products* section and order history
(registered with ``relationships.panels``), the review of an order before *Submit order*,
the partner's order history (``/orders/``) and one order (``/orders/<id>/``).

Thin: selectors read, services write; a service's ``InvalidInput`` goes on the line and
field that caused it, every other domain error takes the one page mapping
(``partnercenter.core.pages``)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnercenter.audit.selectors import history_of
from partnercenter.core.errors import InvalidInput
from partnercenter.core.pages import domain_errors
from relationships import selectors as relationship_selectors
from relationships.panels import Section, customer_section
from relationships.permissions import acting_partner
from relationships.views.customers import customer_page

from .. import selectors
from ..forms import LINE_FIELDS, OrderLineFormSet, OrdersFilterForm
from ..models import LINES_MAX
from ..permissions import Action, may, may_order_for, refusal, require, require_may_order_for
from ..prices import partner_prices_on
from ..services import orders as services

ORDERS_SHOWN = 10  # on the customer page; the rest on /orders/?customer=
PAGE_SIZE = 25


def _prices(partner):
    return list(partner_prices_on(partner, timezone.localdate()))


def _formset(partner, data=None):
    return OrderLineFormSet(data, prefix="lines", form_kwargs={"prices": _prices(partner)})


@customer_section
def orders_section(request, row) -> Section | None:
    """The customer's order history for users who see orders and, for users who may order
    for the customer, *Add products* (bound with its errors after a submission that failed)."""
    if not may(request.user, Action.VIEW_ORDERS):
        # A role that may not see orders (a helpdesk agent) reads why, in the table's words.
        return Section("billing/_customer_orders.html", {"refusal": str(refusal(Action.VIEW_ORDERS))})
    orders = list(selectors.customer_orders(row)[:ORDERS_SHOWN])
    formset = None
    if may(request.user, Action.ORDER) and may_order_for(row.own_relationship, row.relationships):
        formset = getattr(request, "order_formset", None) or _formset(row.billed_by)
    return Section(
        "billing/_customer_orders.html",
        {
            "orders": orders,
            "formset": formset,
            "order_errors": getattr(request, "order_errors", []),
        },
    )


def _total_forms(data) -> int:
    try:
        return max(0, int(data.get("lines-TOTAL_FORMS", 0)))
    except (TypeError, ValueError):
        return 0


def _show_errors(formset, errors: dict) -> list:
    """Put the service's errors on the line and field they name; what names no line is
    returned for the form's top."""
    top = [str(m) for m in errors.get("non_field_errors", [])]
    lines = errors.get("lines", [])
    forms = [f for f in formset.forms if not f.is_blank]
    for index, line_errors in enumerate(lines):
        if not isinstance(line_errors, dict):
            top.append(str(line_errors))
            continue
        form = forms[index] if index < len(forms) else None
        for field, field_messages in line_errors.items():
            for message in field_messages:
                if form is None:
                    top.append(str(message))
                else:
                    form.add_error(LINE_FIELDS.get(field), message)
    return top


def _again(request, customer_id, formset, top):
    request.order_formset = formset
    request.order_errors = top
    return customer_page(request, customer_id, status=400)


@login_required
@require_POST
def customer_order(request, customer_id):
    """*Review order* (the lines priced, the total) and then *Submit order*, which places
    it with the review's idempotency key: a second click makes no second order."""
    partner = acting_partner(request.user)
    row = relationship_selectors.customer_for(partner, customer_id)
    require(request.user, Action.ORDER)
    require_may_order_for(row.own_relationship, row.relationships)  # a reseller: 403 with the reason
    if request.POST.get("action") == "add":
        # One more line, without script: the same form again with a blank line at its end.
        data = request.POST.copy()
        data["lines-TOTAL_FORMS"] = str(min(_total_forms(data) + 1, LINES_MAX))
        request.order_formset = _formset(partner, data)
        return customer_page(request, customer_id)
    formset = _formset(partner, request.POST)
    if not formset.is_valid():
        return _again(request, customer_id, formset, [str(e) for e in formset.non_form_errors()])
    lines = [form.as_line() for form in formset.forms if not form.is_blank]
    try:
        if request.POST.get("action") != "submit":
            priced = services.order_lines_check(partner=partner, lines=lines)
            return render(
                request,
                "billing/orders/review.html",
                {
                    "row": row,
                    "customer": row.customer,
                    "formset": formset,
                    "priced": priced,
                    "total": sum(line.amount for line in priced),
                    "currency": partner.market.currency,
                    "idempotency_key": uuid.uuid4().hex,
                },
            )
        order = services.order_place(
            actor=request.user,
            customer=row.customer,
            lines=lines,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except InvalidInput as exc:
        return _again(request, customer_id, formset, _show_errors(formset, exc.errors))
    messages.success(
        request, _("Your order for %(customer)s was placed.") % {"customer": row.customer.company_name}
    )
    return redirect("billing:order-detail", order_id=order.pk)


@login_required
@require_GET
def orders(request):
    """*Orders*: the partner's order history (for a reseller, what its provider ordered for
    its customers), filterable by customer, status and the day it was placed."""
    require(request.user, Action.VIEW_ORDERS)
    partner = acting_partner(request.user)
    form = OrdersFilterForm(request.GET or None)
    found = selectors.orders_for(partner)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.filter_orders(
        found,
        customer_id=filters.get("customer"),
        status=filters.get("status") or "",
        created_after=filters.get("created_after"),
        created_before=filters.get("created_before"),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    customer = None
    if filters.get("customer"):
        customer = next((o.customer for o in page.object_list), None)
    return render(
        request,
        "billing/orders/list.html",
        {"page": page, "orders": page.object_list, "form": form, "partner": partner, "customer": customer},
    )


@login_required
@require_GET
def order_detail(request, order_id):
    """One order: its lines and their subscriptions, its total, status and history."""
    require(request.user, Action.VIEW_ORDERS)
    partner = acting_partner(request.user)
    order = selectors.order_for(partner, order_id)
    return render(
        request,
        "billing/orders/detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "history": list(history_of(order)),
            "can_cancel": order.can_cancel
            and order.partner_id == partner.pk
            and may(request.user, Action.ORDER),
        },
    )


@login_required
@require_POST
@domain_errors(back=lambda request, order_id: reverse("billing:order-detail", args=[order_id]))
def order_cancel(request, order_id):
    partner = acting_partner(request.user)
    order = selectors.order_for(partner, order_id)
    services.order_cancel(actor=request.user, order=order)
    messages.success(request, _("The order was cancelled."))
    return redirect("billing:order-detail", order_id=order.pk)
