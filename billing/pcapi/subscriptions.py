"""Partner Center's subscriptions: ``GET /v1/customers/{id}/subscriptions`` ("Get all of a
customer's subscriptions") and ``GET /v1/customers/{id}/subscriptions/{subscriptionId}``.

Read through ``billing.subscription_selectors`` as ``/api/v1/`` reads them: the subscriptions
the caller's partner bills and, for a reseller, those its provider bills for their shared
customers; ``Action.VIEW_ORDERS`` (403 with the table's reason); another partner's customer
or subscription is 404 (code 3000). Seek paging (``size``, ``MS-ContinuationToken``);
``order_id`` keeps what one order made."""

import uuid

from django.utils.translation import gettext as _
from rest_framework.response import Response

from partnercenter.core.errors import NotFound
from partnercenter.pcapi import paging, shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError
from partnercenter.pcapi.views import PartnerCenterView
from relationships import selectors as relationship_selectors
from relationships.permissions import acting_partner

from .. import subscription_selectors as selectors
from ..models import Subscription
from ..permissions import Action, require
from . import mapping

# Partner Center: "For subscriptions which are not auto renewable [or have no end], this
# represents a date far away in the future."
FAR_FUTURE = "9999-12-31T00:00:00Z"


def subscription_resource(subscription: Subscription) -> dict:
    base = f"/customers/{subscription.customer_id}"
    offer = subscription.offer
    end = mapping.last_day(subscription.end_date)
    data = {
        "id": str(subscription.pk),
        "offerId": offer.offer_id,
        "offerName": offer.name,
        "friendlyName": subscription.friendly_name,
        "quantity": subscription.quantity,
        "unitType": mapping.unit_type(subscription.kind),
        "hasPurchasableAddons": False,
        "creationDate": mapping.instant(subscription.created_at),
        "effectiveStartDate": mapping.day_time(subscription.start_date),
        "commitmentEndDate": mapping.day_time(end) if end else FAR_FUTURE,
        "status": mapping.subscription_status(subscription.status),
        "autoRenewEnabled": subscription.auto_renew,
        "isTrial": False,
        "billingType": mapping.billing_type(subscription.kind),
        "billingCycle": mapping.billing_cycle(subscription.billing),
        "termDuration": mapping.term_duration(subscription.term),
        "partnerId": subscription.reseller.mpn_id if subscription.reseller_id else "",
        "contractType": "subscription",
        "orderId": str(subscription.order_line.order_id) if subscription.order_line_id else None,
    }
    return shapes.resource(
        "Subscription",
        data,
        f"{base}/subscriptions/{subscription.pk}",
        offer=shapes.link(f"/offers/{offer.offer_id}"),
    )


def _with_resource_parts(subscriptions):
    return subscriptions.select_related("offer", "order_line", "reseller")


def _order_id(request):
    """Partner Center's ``order_id`` filter ("Get a list of subscriptions by order")."""
    raw = request.query_params.get("order_id", "")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("Give the ID of an order (a UUID), or leave order_id out."),
            [{"field": "order_id", "description": raw[:100]}],
        ) from None


class CustomerSubscriptionsView(PartnerCenterView):
    def get(self, request, customer_id):
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, customer_id)
        require(request.user, Action.VIEW_ORDERS)
        found = _with_resource_parts(
            selectors.subscriptions_for(partner, customer_id=row.customer.pk, order_id=_order_id(request))
        )
        rows, next_link, token = paging.seek(
            request,
            found,
            ordering=("-start_date", "friendly_name", "id"),
            path=f"/customers/{row.customer.pk}/subscriptions",
        )
        items = [subscription_resource(subscription) for subscription in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))


class CustomerSubscriptionView(PartnerCenterView):
    def get(self, request, customer_id, subscription_id):
        """Partner Center's "Get a subscription by ID": one of the customer's, or 404."""
        partner = acting_partner(request.user)
        row = relationship_selectors.customer_for(partner, customer_id)
        require(request.user, Action.VIEW_ORDERS)
        subscription = selectors.subscription_for(partner, subscription_id)
        if subscription.customer_id != row.customer.pk:
            raise NotFound()
        return Response(subscription_resource(subscription))
