from django.urls import path

from . import views

urlpatterns = [
    path("markets/", views.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", views.CustomerOrdersView.as_view(), name="api-customer-orders"),
]
