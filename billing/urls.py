from django.urls import path

from .views import orders as views

app_name = "billing"

urlpatterns = [
    path("customers/<uuid:customer_id>/orders/", views.customer_order, name="customer-order"),
]
