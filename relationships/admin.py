"""Staff read the provider and reseller model here, and authorize indirect providers
through an admin action. State changes go through the service functions, never by
editing a status column."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from enrollment.admin import PartnerAdmin
from enrollment.models import Partner
from partnercenter.core.errors import DomainError, NotPermitted
from partnercenter.core.pages import error_messages

from .models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    GranularAdminRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
    RelationshipRequest,
    ResellerInvitation,
)
from .services import providers as services


def _authorize(modeladmin, request, partners, *, authorized: bool) -> None:
    """Call ``provider_authorize`` for each partner; report what landed and what did not."""
    done = 0
    for partner in partners:
        try:
            services.provider_authorize(actor=request.user, partner=partner, authorized=authorized)
        except NotPermitted as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return
        except DomainError as exc:
            for message in error_messages(exc):
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            done += 1
    if done:
        message = (
            ngettext(
                "%(count)d partner is authorized as indirect provider.",
                "%(count)d partners are authorized as indirect providers.",
                done,
            )
            if authorized
            else ngettext(
                "%(count)d partner is no longer an indirect provider.",
                "%(count)d partners are no longer indirect providers.",
                done,
            )
        )
        modeladmin.message_user(request, message % {"count": done}, messages.SUCCESS)


# --- Partner: the action that authorizes indirect providers -------------------------------------------------


@admin.action(description=_("Authorize as indirect provider"))
def authorize_partners(modeladmin, request, queryset):
    _authorize(modeladmin, request, queryset, authorized=True)


@admin.action(description=_("Withdraw the indirect provider authorization"))
def withdraw_partners(modeladmin, request, queryset):
    _authorize(modeladmin, request, queryset, authorized=False)


admin.site.unregister(Partner)


@admin.register(Partner)
class PartnerWithProviderAdmin(PartnerAdmin):
    """The enrollment app's partner admin, with the indirect provider actions."""

    actions = [*PartnerAdmin.actions, authorize_partners, withdraw_partners]


# --- Indirect providers --------------------------------------------------------------------------------------


@admin.action(description=_("Authorize again"))
def authorize_providers(modeladmin, request, queryset):
    _authorize(modeladmin, request, [p.partner for p in queryset.select_related("partner")], authorized=True)


@admin.action(description=_("Withdraw the authorization"))
def withdraw_providers(modeladmin, request, queryset):
    _authorize(modeladmin, request, [p.partner for p in queryset.select_related("partner")], authorized=False)


@admin.register(IndirectProvider)
class IndirectProviderAdmin(admin.ModelAdmin):
    """Listing fields may be corrected here; authorization only through the actions (add a
    provider with the Partner action "Authorize as indirect provider")."""

    list_display = ["partner", "authorized", "authorized_at", "authorized_by", "updated_at"]
    list_filter = ["authorized"]
    list_select_related = ["partner", "authorized_by"]
    search_fields = ["partner__legal_name", "partner__mpn_id"]
    readonly_fields = ["partner", "authorized", "authorized_at", "authorized_by", "updated_at"]
    actions = [authorize_providers, withdraw_providers]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResellerInvitation)
class ResellerInvitationAdmin(ReadOnlyAdmin):
    list_display = ["provider", "email", "mpn_id", "status", "sent_at", "expires_at", "reseller"]
    list_filter = ["status"]
    list_select_related = ["provider", "reseller"]
    search_fields = ["provider__legal_name", "email", "mpn_id"]
    exclude = ["token_hash"]


class GranularAdminInline(admin.TabularInline):
    model = GranularAdminRelationship
    extra = 0
    can_delete = False
    readonly_fields = [
        "name",
        "roles",
        "duration_days",
        "auto_extend",
        "status",
        "created_at",
        "activated_at",
        "ends_at",
        "terminated_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProviderResellerRelationship)
class ProviderResellerRelationshipAdmin(ReadOnlyAdmin):
    list_display = ["provider", "reseller", "state", "admin_access", "established_at"]
    list_filter = ["state", "admin_access"]
    list_select_related = ["provider", "reseller"]
    search_fields = ["provider__legal_name", "reseller__legal_name", "reseller__mpn_id"]
    inlines = [GranularAdminInline]


@admin.register(GranularAdminRelationship)
class GranularAdminRelationshipAdmin(ReadOnlyAdmin):
    list_display = ["name", "relationship", "status", "activated_at", "ends_at", "auto_extend"]
    list_filter = ["status", "auto_extend"]
    list_select_related = ["relationship__provider", "relationship__reseller"]
    search_fields = ["name", "relationship__provider__legal_name", "relationship__reseller__legal_name"]


# --- Customers: customers with their resellers of record, customer invitations --------------------------


class CustomerRelationshipInline(admin.TabularInline):
    model = CustomerRelationship
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "partner",
        "role",
        "via_reseller",
        "established_at",
        "state",
        "ended_at",
        "admin_access",
        "admin_access_removed_at",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Read-only: customers and their resellers of record change through the services, which
    record an event for every change."""

    list_display = ("company_name", "tenant", "created_by_partner", "created_at")
    search_fields = ("company_name", "tenant__domain", "organization_registration_number")
    list_select_related = ("tenant", "created_by_partner")
    inlines = [CustomerRelationshipInline]


@admin.register(CustomerInvitation)
class CustomerInvitationAdmin(ReadOnlyAdmin):
    """Read-only: invitations change only through their services; the token's hash stays hidden."""

    list_display = ("reseller", "provider", "status", "created_at", "expires_at", "accepted_at")
    list_filter = ("status",)
    search_fields = ("reseller__legal_name", "provider__legal_name")
    list_select_related = ("reseller", "provider")
    exclude = ("token_hash",)


@admin.register(RelationshipRequest)
class RelationshipRequestAdmin(ReadOnlyAdmin):
    """Read-only: requests change only through their services; the token's hash stays hidden."""

    list_display = ("partner", "status", "created_at", "expires_at", "accepted_at", "customer")
    list_filter = ("status",)
    search_fields = ("partner__legal_name", "customer__company_name")
    list_select_related = ("partner", "customer")
    exclude = ("token_hash",)


# --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
from .customer_agreements import CustomerAgreementAcceptance, CustomerAgreementTemplate  # noqa: E402


@admin.register(CustomerAgreementTemplate)
class CustomerAgreementTemplateAdmin(ReadOnlyAdmin):
    """Read-only: a new version of the agreement ships as a data migration (its templateId is
    the contract partners' automation reads from the agreement metadata)."""

    list_display = ("template_id", "agreement_type", "version_rank", "published_on", "is_current")
    list_filter = ("agreement_type", "is_current")


@admin.register(CustomerAgreementAcceptance)
class CustomerAgreementAcceptanceAdmin(ReadOnlyAdmin):
    """Read-only: confirmations are recorded by ``customer_agreement_confirm`` only."""

    list_display = (
        "customer",
        "template",
        "date_agreed",
        "contact_email",
        "recorded_by_partner",
        "recorded_at",
    )
    search_fields = ("customer__company_name", "contact_email")
    list_select_related = ("customer", "template", "recorded_by_partner")
    date_hierarchy = "recorded_at"
