from django.urls import path

from . import orders

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
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
