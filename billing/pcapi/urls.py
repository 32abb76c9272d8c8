"""``/v1/`` addresses of billing's resources (no trailing slashes, as Partner Center has them)."""

from django.urls import path

from . import invoices, offers, orders, subscriptions

urlpatterns: list = [
    path("offers", offers.OffersView.as_view(), name="pc-offers"),
    path("offers/<str:offer_id>", offers.OfferView.as_view(), name="pc-offer"),
    path(
        "customers/<uuid:customer_id>/orders", orders.CustomerOrdersView.as_view(), name="pc-customer-orders"
    ),
    path(
        "customers/<uuid:customer_id>/orders/<uuid:order_id>",
        orders.CustomerOrderView.as_view(),
        name="pc-customer-order",
    ),
    path(
        "customers/<uuid:customer_id>/subscriptions",
        subscriptions.CustomerSubscriptionsView.as_view(),
        name="pc-customer-subscriptions",
    ),
    path(
        "customers/<uuid:customer_id>/subscriptions/<uuid:subscription_id>",
        subscriptions.CustomerSubscriptionView.as_view(),
        name="pc-customer-subscription",
    ),
    path("invoices", invoices.InvoicesView.as_view(), name="pc-invoices"),
    path("invoices/<uuid:invoice_id>", invoices.InvoiceView.as_view(), name="pc-invoice"),
    path(
        "invoices/<uuid:invoice_id>/lineitems",
        invoices.InvoiceLineItemsView.as_view(),
        name="pc-invoice-line-items-query",
    ),
    path(
        "invoices/<uuid:invoice_id>/lineitems/<str:provider>/<str:invoicelineitemtype>",
        invoices.InvoiceLineItemsView.as_view(),
        name="pc-invoice-line-items",
    ),
]
