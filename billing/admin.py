"""Commerce in Django's admin.

- The price list, read-mostly: ``manage.py import_price_list`` loads it (every row checked,
  one transaction), so the admin adds and deletes nothing; staff may correct a product's or
  an offer's name, and prices are read-only. Filters by market, currency and kind; search
  by name or Partner Center ID.
- Invoices and credits: staff read them and record a payment through an admin action (the
  service ``invoice_record_payment``); invoices are never edited by hand."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnercenter.core.errors import DomainError, NotPermitted
from partnercenter.core.markets import MARKET_NAMES
from partnercenter.core.pages import error_messages

from .models import Credit, Invoice, InvoiceLine, Offer, Price, Product
from .services import invoices as services


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


# --- Invoices and credits ---


@admin.action(description=_("Record the payment"), permissions=["change"])
def record_payment(modeladmin, request, queryset):
    done = 0
    for invoice in queryset.order_by("pk"):
        try:
            services.invoice_record_payment(actor=request.user, invoice=invoice)
        except NotPermitted as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return
        except DomainError as exc:
            for message in error_messages(exc):
                modeladmin.message_user(request, f"{invoice.number}: {message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d invoice is recorded as paid.", "%(count)d invoices are recorded as paid.", done
            )
            % {"count": done},
            messages.SUCCESS,
        )


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = [
        "line_number",
        "kind",
        "description",
        "offer_id",
        "quantity",
        "unit_price",
        "charge_start",
        "charge_end",
        "amount",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "partner",
        "customer",
        "period_start",
        "total",
        "currency",
        "issued_at",
        "paid_at",
    ]
    list_filter = ["period_start", "currency"]
    list_select_related = ["partner", "customer"]
    search_fields = ["number", "partner__legal_name", "customer__company_name"]
    readonly_fields = [f.name for f in Invoice._meta.fields]
    inlines = [InvoiceLineInline]
    actions = [record_payment]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["subscription", "partner", "customer", "amount", "currency", "created_at", "invoice"]
    list_select_related = ["subscription", "partner", "customer", "invoice"]
    readonly_fields = [f.name for f in Credit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
