"""Staff read invoices and credits here and record a payment through an admin action (the
service ``invoice_record_payment``); invoices are never edited by hand."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnercenter.core.errors import DomainError, NotPermitted
from partnercenter.core.pages import error_messages

from .models import Credit, Invoice, InvoiceLine
from .services import invoices as services


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
