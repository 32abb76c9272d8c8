"""The price list in Django's admin, read-mostly: ``manage.py import_price_list`` loads it
(every row checked, one transaction), so the admin adds and deletes nothing; staff may
correct a product's or an offer's name, and prices are read-only. Filters by market,
currency and kind; search by name or Partner Center ID."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnercenter.core.markets import MARKET_NAMES

from .models import Offer, Price, Product


class _Loaded(admin.ModelAdmin):
    """Loaded from the price list file: nothing is added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MarketFilter(admin.SimpleListFilter):
    title = _("market")
    parameter_name = "market"
    field = "market"

    def lookups(self, request, model_admin):
        return list(MARKET_NAMES.items())

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}).distinct() if self.value() else queryset


class OfferMarketFilter(MarketFilter):
    field = "prices__market"


@admin.register(Product)
class ProductAdmin(_Loaded):
    list_display = ["name", "product_id", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "product_id"]
    readonly_fields = ["product_id", "kind"]


class PriceInline(admin.TabularInline):
    model = Price
    fields = ["market", "currency", "term", "billing", "unit_price", "effective_from"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["market", "currency", "term", "billing", "-effective_from"]


@admin.register(Offer)
class OfferAdmin(_Loaded):
    list_display = ["name", "offer_id", "product"]
    list_filter = ["product__kind", OfferMarketFilter]
    list_select_related = ["product"]
    search_fields = ["name", "offer_id", "product__name", "product__product_id"]
    readonly_fields = ["offer_id", "product"]
    inlines = [PriceInline]


@admin.register(Price)
class PriceAdmin(_Loaded):
    list_display = ["offer", "market", "currency", "term", "billing", "unit_price", "effective_from"]
    list_filter = [MarketFilter, "currency", "offer__product__kind", "term", "billing", "effective_from"]
    list_select_related = ["offer"]
    search_fields = ["offer__name", "offer__offer_id", "offer__product__name"]
    date_hierarchy = "effective_from"

    def has_change_permission(self, request, obj=None):
        return False
