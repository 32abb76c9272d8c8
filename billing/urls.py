from django.urls import path

from .views import orders as views
from .views import subscriptions as subscription_views

app_name = "billing"

urlpatterns = [
    path("customers/<uuid:customer_id>/orders/", views.customer_order, name="customer-order"),
    # --- commerce: subs ---
    path("subscriptions/", subscription_views.subscription_list, name="subscriptions"),
    path("reservations/", subscription_views.reservation_list, name="reservations"),
    path(
        "subscriptions/<uuid:subscription_id>/",
        subscription_views.subscription_detail,
        name="subscription-detail",
    ),
    path(
        "subscriptions/<uuid:subscription_id>/auto-renew/",
        subscription_views.subscription_auto_renew,
        name="subscription-auto-renew",
    ),
    path(
        "subscriptions/<uuid:subscription_id>/suspend/",
        subscription_views.subscription_suspend,
        name="subscription-suspend",
    ),
    path(
        "subscriptions/<uuid:subscription_id>/reactivate/",
        subscription_views.subscription_reactivate,
        name="subscription-reactivate",
    ),
    path(
        "subscriptions/<uuid:subscription_id>/cancel/",
        subscription_views.subscription_cancel,
        name="subscription-cancel",
    ),
]
