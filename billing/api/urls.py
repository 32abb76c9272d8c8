from django.urls import path

from . import orders
from . import subscriptions as subscription_api

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
    # --- commerce: subs ---
    path("subscriptions/", subscription_api.SubscriptionListView.as_view(), name="api-subscriptions"),
    path("reservations/", subscription_api.ReservationListView.as_view(), name="api-reservations"),
    path(
        "customers/<uuid:pk>/subscriptions/",
        subscription_api.CustomerSubscriptionsView.as_view(),
        name="api-customer-subscriptions",
    ),
    path(
        "subscriptions/<uuid:pk>/",
        subscription_api.SubscriptionDetailView.as_view(),
        name="api-subscription",
    ),
    path(
        "subscriptions/<uuid:pk>/cancel/",
        subscription_api.SubscriptionCancelView.as_view(),
        name="api-subscription-cancel",
    ),
]
