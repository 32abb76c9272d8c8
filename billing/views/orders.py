"""Pages of billing: the orders section of a customer's page (registered with
``relationships.panels``) and the order form's submission.

Thin: selectors read, services write; a service's ``InvalidInput`` goes on the form that
was sent, every other domain error takes the one page mapping (``partnercenter.core.pages``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnercenter.core.forms import call_with_form
from relationships import selectors as relationship_selectors
from relationships.panels import Section, customer_section
from relationships.permissions import acting_partner
from relationships.views.customers import customer_page

from .. import selectors
from ..forms import OrderForm
from ..money import money
from ..permissions import Action, may, may_order_for
from ..services import orders as services

ORDERS_SHOWN = 50


@customer_section
def orders_section(request, row) -> Section:
    """The customer's orders the partner may see and, for a user who may order, the order
    form (bound with its errors after a submission that failed)."""
    orders = list(selectors.customer_orders(row)[:ORDERS_SHOWN])
    form = None
    if may(request.user, Action.ORDER) and may_order_for(row.own_relationship, row.relationships):
        form = getattr(request, "order_form", None) or OrderForm()
    return Section(
        "billing/_customer_orders.html",
        {
            "orders": [
                {
                    "order": o,
                    "unit_price": money(o.unit_price, o.currency),
                    "total": money(o.total, o.currency),
                }
                for o in orders
            ],
            "form": form,
        },
    )


@login_required
@require_POST
def customer_order(request, customer_id):
    row = relationship_selectors.customer_for(acting_partner(request.user), customer_id)
    form = OrderForm(request.POST)
    order = form.is_valid() and call_with_form(
        form,
        lambda: services.order_submit(actor=request.user, customer=row.customer, **form.cleaned_data),
        fields={"unit_price.amount": "unit_price", "unit_price.currency": "unit_price"},
    )
    if not order:
        # The customer's page again, with this form and its errors in the orders section.
        request.order_form = form
        return customer_page(request, customer_id, status=400)
    messages.success(
        request,
        _("Your order of %(quantity)d × %(offer)s for %(customer)s was submitted.")
        % {"quantity": order.quantity, "offer": order.offer, "customer": row.customer.company_name},
    )
    return redirect("relationships:customer-detail", customer_id=row.customer.pk)
