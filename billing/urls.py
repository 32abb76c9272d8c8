"""Billing's pages, by part of commerce."""

from django.urls import path

from .views import invoices
from .views import licenses as license_views
from .views import orders as views
from .views import price_list as price_list_views
from .views import subscriptions as subscription_views

app_name = "billing"

urlpatterns = [
    # The price list of the partner's market.
    path("price-list/", price_list_views.price_list, name="price-list"),
    # Orders.
    path("customers/<uuid:customer_id>/orders/", views.customer_order, name="customer-order"),
    path("orders/", views.orders, name="orders"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order-detail"),
    path("orders/<uuid:order_id>/cancel/", views.order_cancel, name="order-cancel"),
    # Subscriptions and Azure reservations.
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
    # The customer tenant's users and their licenses.
    path(
        "customers/<uuid:customer_id>/users/", license_views.customer_user_create, name="customer-user-create"
    ),
    path(
        "customers/<uuid:customer_id>/users/<uuid:user_id>/reset-password/",
        license_views.customer_user_reset_password,
        name="customer-user-reset-password",
    ),
    path(
        "customers/<uuid:customer_id>/users/<uuid:user_id>/delete/",
        license_views.customer_user_delete,
        name="customer-user-delete",
    ),
    path(
        "customers/<uuid:customer_id>/users/<uuid:user_id>/licenses/",
        license_views.license_assign,
        name="license-assign",
    ),
    path(
        "customers/<uuid:customer_id>/users/<uuid:user_id>/licenses/<uuid:subscription_id>/remove/",
        license_views.license_unassign,
        name="license-unassign",
    ),
]

# Invoices, *Billing* and the customer's invoices (billing.views.invoices).
urlpatterns += invoices.urlpatterns
