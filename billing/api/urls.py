"""Billing's API, by part of commerce (API.md's conventions; every endpoint in the schema)."""

from django.urls import path

from . import invoices, licenses, offers, orders
from . import subscriptions as subscription_api

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    # The price list of the caller's market.
    path("offers/", offers.OffersView.as_view(), name="api-offers"),
    path("offers/<str:offer_id>/", offers.OfferDetailView.as_view(), name="api-offer-detail"),
    # Orders.
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
    path("orders/", orders.OrdersView.as_view(), name="api-orders"),
    path("orders/<uuid:pk>/", orders.OrderView.as_view(), name="api-order"),
    path("orders/<uuid:pk>/cancel/", orders.OrderCancelView.as_view(), name="api-order-cancel"),
    # Subscriptions and Azure reservations.
    path("subscriptions/", subscription_api.SubscriptionListView.as_view(), name="api-subscriptions"),
    path("reservations/", subscription_api.ReservationListView.as_view(), name="api-reservations"),
    path(
        "customers/<uuid:pk>/subscriptions/",
        subscription_api.CustomerSubscriptionsView.as_view(),
        name="api-customer-subscriptions",
    ),
    path(
        "subscriptions/<uuid:pk>/", subscription_api.SubscriptionDetailView.as_view(), name="api-subscription"
    ),
    path(
        "subscriptions/<uuid:pk>/cancel/",
        subscription_api.SubscriptionCancelView.as_view(),
        name="api-subscription-cancel",
    ),
    # The customer tenant's users and their licenses.
    path("customers/<uuid:pk>/users/", licenses.CustomerUsersView.as_view(), name="api-customer-users"),
    path(
        "customers/<uuid:pk>/users/<uuid:user_id>/",
        licenses.CustomerUserView.as_view(),
        name="api-customer-user",
    ),
    path(
        "customers/<uuid:pk>/users/<uuid:user_id>/reset-password/",
        licenses.CustomerUserResetPasswordView.as_view(),
        name="api-customer-user-reset-password",
    ),
    path(
        "customers/<uuid:pk>/users/<uuid:user_id>/licenses/",
        licenses.CustomerUserLicensesView.as_view(),
        name="api-customer-user-licenses",
    ),
    path(
        "customers/<uuid:pk>/users/<uuid:user_id>/licenses/<uuid:subscription_id>/",
        licenses.CustomerUserLicenseView.as_view(),
        name="api-customer-user-license",
    ),
    path(
        "customers/<uuid:pk>/licenses/", licenses.CustomerLicensesView.as_view(), name="api-customer-licenses"
    ),
]

# Invoices, the credit position, the customer's invoices and staff's payments (billing.api.invoices).
urlpatterns += invoices.urlpatterns
