from django.urls import path

from . import invoices, orders

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
]

# Invoices, the credit position, the customer's invoices and staff's payments (billing.api.invoices).
urlpatterns += invoices.urlpatterns
