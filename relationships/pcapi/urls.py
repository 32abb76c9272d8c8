"""``/v1/`` addresses of relationships's resources (no trailing slashes, as Partner Center has them)."""

urlpatterns: list = []

# --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
from django.urls import path  # noqa: E402

from .agreements import CustomerAgreements  # noqa: E402

urlpatterns += [
    path(
        "customers/<uuid:customer_id>/agreements", CustomerAgreements.as_view(), name="pc-customer-agreements"
    ),
]
