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
