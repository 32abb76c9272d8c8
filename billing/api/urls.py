from django.urls import path

from . import offers, orders

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
    # --- commerce: orders ---
    path("orders/", orders.OrdersView.as_view(), name="api-orders"),
    path("orders/<uuid:pk>/", orders.OrderView.as_view(), name="api-order"),
    path("orders/<uuid:pk>/cancel/", orders.OrderCancelView.as_view(), name="api-order-cancel"),
    # --- commerce: catalog ---
    path("offers/", offers.OffersView.as_view(), name="api-offers"),
    path("offers/<str:offer_id>/", offers.OfferDetailView.as_view(), name="api-offer-detail"),
]

# --- Licenses and users ---------------------------------------------------------------------------
from . import licenses  # noqa: E402

urlpatterns += [
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
