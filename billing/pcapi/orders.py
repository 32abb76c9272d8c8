"""Partner Center's orders: ``POST /v1/customers/{id}/orders`` ("Create an order for a
customer"), ``GET /v1/customers/{id}/orders`` and ``GET /v1/customers/{id}/orders/{orderId}``.

Thin, as ``billing.api.orders``: the customer is read through
``relationships.selectors.customer_for`` (another partner's customer is 404, code 3000) and
the order is placed by ``billing.services.orders.order_place``, with every rule of it: who
orders for the customer (a reseller is 403 with the reason), the role, the price list of the
day, the credit line. ``MS-RequestId`` is the order's idempotency key, billing's own (the same
key from the partner makes one order, with another body 409), not a second mechanism.

Partner Center's body is mapped to the service's lines (``mapping``) and the service's errors
back to the names the caller sent: ``lineItems.<n>.offerId``, ``.quantity``,
``.termDuration``, ``.billingCycle``, ``.provisioningContext.scope``."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from partnercenter.core.errors import InvalidInput, NotFound
from partnercenter.pcapi import paging, shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError
from partnercenter.pcapi.idempotency import HEADER as REQUEST_ID
from partnercenter.pcapi.views import PartnerCenterView
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import selectors
from ..models import Order
from ..permissions import Action, require
from ..services import orders as services
from . import mapping

# The service's names of a line's fields -> Partner Center's.
LINE_FIELDS = {
    "offer_id": "offerId",
    "quantity": "quantity",
    "term": "termDuration",
    "billing": "billingCycle",
    "scope": "provisioningContext.scope",
    "auto_renew": "autoRenewEnabled",
}
ORDER_FIELDS = {"lines": "lineItems", "idempotency_key": "MS-RequestId"}


def _lines(body: dict):
    """Partner Center's ``lineItems`` as the service's lines (what is not a list, or a line
    that is not an object, is passed on for the service to refuse)."""
    items = body.get("lineItems")
    if not isinstance(items, list):
        return items
    order_cycle = body.get("billingCycle") or mapping.DEFAULT_BILLING_CYCLE
    lines = []
    for item in items:
        if not isinstance(item, dict):
            lines.append(item)
            continue
        context = item.get("provisioningContext")
        line = {
            "offer_id": item.get("offerId"),
            "quantity": item.get("quantity"),
            "term": mapping.term_from_duration(item.get("termDuration")),
            "billing": mapping.billing_from_cycle(item.get("billingCycle") or order_cycle),
        }
        if isinstance(context, dict) and context.get("scope"):
            line["scope"] = context["scope"]
        if "autoRenewEnabled" in item:
            line["auto_renew"] = item["autoRenewEnabled"]
        lines.append(line)
    return lines


def _renamed(errors: dict) -> dict:
    """The service's errors (``{"lines": [{}, {"quantity": [...]}]}``) under the caller's
    names (``{"lineItems.1.quantity": [...]}``)."""
    renamed: dict = {}
    for key, value in errors.items():
        name = ORDER_FIELDS.get(key, key)
        if key == "lines" and isinstance(value, list) and any(isinstance(v, dict) for v in value):
            for number, line_errors in enumerate(value):
                for field, messages in (line_errors or {}).items():
                    suffix = "" if field == "non_field_errors" else f".{LINE_FIELDS.get(field, field)}"
                    renamed[f"lineItems.{number}{suffix}"] = messages
            continue
        renamed[name] = value
    return renamed


def _reference_customer(body: dict, customer) -> None:
    given = body.get("referenceCustomerId")
    if given in (None, "") or str(given).strip().lower() == str(customer.pk):
        return
    raise PartnerCenterError(
        400,
        INVALID_INPUT,
        _("referenceCustomerId must be the customer of the address, or left out."),
        [{"field": "referenceCustomerId", "description": str(given)[:100]}],
    )


def order_resource(order: Order) -> dict:
    base = f"/customers/{order.customer_id}"
    lines = list(order.lines.all())
    items = []
    for line in lines:
        try:
            subscription_id = str(line.subscription.pk)
        except ObjectDoesNotExist:  # not completed (yet)
            subscription_id = None
        links = {}
        if subscription_id:
            links["subscription"] = shapes.link(f"{base}/subscriptions/{subscription_id}")
        items.append(
            {
                "lineItemNumber": line.line_number - 1,  # Partner Center counts lines from 0
                "offerId": line.offer.offer_id,
                "subscriptionId": subscription_id,
                "friendlyName": line.offer.name,
                "quantity": line.quantity,
                "termDuration": mapping.term_duration(line.term),
                "billingCycle": mapping.billing_cycle(line.billing),
                "links": links,
            }
        )
    data = {
        "id": str(order.pk),
        "referenceCustomerId": str(order.customer_id),
        "billingCycle": mapping.billing_cycle(lines[0].billing) if lines else mapping.DEFAULT_BILLING_CYCLE,
        "currencyCode": order.currency,
        "lineItems": items,
        "creationDate": mapping.instant(order.created_at),
        "status": mapping.order_status(order.status),
    }
    return shapes.resource("Order", data, f"{base}/orders/{order.pk}")


class CustomerOrdersView(PartnerCenterView):
    def get(self, request, customer_id):
        """Partner Center's "Get all of a customer's orders" (seek paging)."""
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, customer_id)
        require(request.user, Action.VIEW_ORDERS)
        rows, next_link, token = paging.seek(
            request,
            selectors.with_lines(selectors.customer_orders(row)),
            ordering=("-created_at", "id"),
            path=f"/customers/{row.customer.pk}/orders",
        )
        items = [order_resource(order) for order in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))

    def post(self, request, customer_id):
        """Partner Center's "Create an order for a customer": 201 with the order, pending until
        its subscriptions are made (the same ``MS-RequestId`` again: the same order)."""
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, customer_id)
        body = request.data if isinstance(request.data, dict) else {}
        _reference_customer(body, row.customer)
        try:
            order = services.order_place(
                actor=request.user,
                customer=row.customer,
                lines=_lines(body),
                # The whole key: the service refuses one longer than it keeps (never cut).
                idempotency_key=(request.headers.get(REQUEST_ID) or "").strip(),
            )
        except InvalidInput as exc:
            raise InvalidInput(_renamed(exc.errors)) from exc
        placed = selectors.order_for(partner, order.pk)
        return Response(order_resource(placed), status=status.HTTP_201_CREATED)


class CustomerOrderView(PartnerCenterView):
    def get(self, request, customer_id, order_id):
        """Partner Center's "Get an order by ID": one of the customer's orders, or 404."""
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, customer_id)
        require(request.user, Action.VIEW_ORDERS)
        order = selectors.with_lines(selectors.customer_orders(row)).filter(pk=order_id).first()
        if order is None:
            raise NotFound()
        return Response(order_resource(order))
