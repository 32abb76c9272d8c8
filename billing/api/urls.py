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
