from django.urls import path

from .views import invoices
from .views import orders as views

app_name = "billing"

urlpatterns = [
    path("customers/<uuid:customer_id>/orders/", views.customer_order, name="customer-order"),
]

# Invoices, *Billing* and the customer's invoices (billing.views.invoices).
urlpatterns += invoices.urlpatterns
