from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Tenant, TenantDomain, User


class TenantDomainInline(admin.TabularInline):
    model = TenantDomain
    extra = 0


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["domain", "name", "country", "created_at"]
    search_fields = ["domain", "name"]
    list_filter = ["country"]
    inlines = [TenantDomainInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "tenant", "is_staff"]
    list_select_related = ["tenant"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "tenant", "roles", "must_change_password")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    raw_id_fields = ["tenant"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see a user's API tokens by their first characters and can revoke them
    (delete); a token is issued only by signing in to the API."""

    list_display = ["prefix", "user", "created_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "prefix"]
    readonly_fields = ["prefix", "user", "created_at", "expires_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
