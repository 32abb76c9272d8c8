from django.urls import path

from .views import orders as views
from .views import price_list as price_list_views

app_name = "billing"

urlpatterns = [
    path("customers/<uuid:customer_id>/orders/", views.customer_order, name="customer-order"),
    # --- commerce: orders ---
    path("orders/", views.orders, name="orders"),
    path("orders/<uuid:order_id>/", views.order_detail, name="order-detail"),
    path("orders/<uuid:order_id>/cancel/", views.order_cancel, name="order-cancel"),
    # --- commerce: catalog ---
    path("price-list/", price_list_views.price_list, name="price-list"),
]

# --- Licenses and users ---------------------------------------------------------------------------
from .views import licenses as license_views  # noqa: E402

urlpatterns += [
    path(
        "customers/<uuid:customer_id>/users/",
        license_views.customer_user_create,
        name="customer-user-create",
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
