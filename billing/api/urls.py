from django.urls import path

from . import offers, orders

urlpatterns = [
    path("markets/", orders.markets, name="api-markets"),
    path("customers/<uuid:pk>/orders/", orders.CustomerOrdersView.as_view(), name="api-customer-orders"),
    # --- commerce: catalog ---
    path("offers/", offers.OffersView.as_view(), name="api-offers"),
    path("offers/<str:offer_id>/", offers.OfferDetailView.as_view(), name="api-offer-detail"),
]
