"""Staff manage the Partner Network registry here and read enrollments. State changes
go through the service functions, never by editing the status column."""

from django.contrib import admin

from .models import (
    EmailVerification,
    Enrollment,
    EnrollmentEvent,
    MpnProfile,
    Partner,
    PmcAccount,
    VerificationCheck,
)


class MpnProfileInline(admin.TabularInline):
    model = MpnProfile
    extra = 0
    fields = ["mpn_id", "company_name", "country", "status"]


@admin.register(PmcAccount)
class PmcAccountAdmin(admin.ModelAdmin):
    list_display = ["username"]
    search_fields = ["username"]
    inlines = [MpnProfileInline]
    readonly_fields = ["password"]


@admin.register(MpnProfile)
class MpnProfileAdmin(admin.ModelAdmin):
    list_display = ["mpn_id", "company_name", "country", "status", "pmc_account"]
    list_filter = ["status", "country"]
    list_select_related = ["pmc_account"]
    search_fields = ["mpn_id", "company_name"]
    list_editable = ["status"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "mpn_id", "country", "tenant", "contact_email"]
    list_select_related = ["tenant"]
    search_fields = ["legal_name", "mpn_id", "contact_email"]
    list_filter = ["country"]
    readonly_fields = ["tenant", "created_at", "updated_at"]


class CheckInline(admin.TabularInline):
    model = VerificationCheck
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "result", "detail", "evidence", "checked_at", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = EnrollmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "actor_label", "from_status", "to_status", "detail"]
    exclude = ["actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "program", "status", "submitted_at", "due_at"]
    list_filter = ["status", "program"]
    list_select_related = ["partner"]
    search_fields = ["partner__legal_name", "partner__mpn_id"]
    readonly_fields = [f.name for f in Enrollment._meta.fields]
    inlines = [CheckInline, EventInline]

    def has_add_permission(self, request):
        return False


@admin.register(EmailVerification)
class EmailVerificationAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "email", "created_at", "expires_at", "used_at", "superseded_at"]
    list_select_related = ["enrollment__partner"]
    readonly_fields = [
        "enrollment",
        "email",
        "token_hash",
        "created_at",
        "expires_at",
        "used_at",
        "superseded_at",
    ]

    def has_add_permission(self, request):
        return False
