"""Staff manage the Partner Network registry here and read enrollments. State changes
go through the service functions, never by editing the status column."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.selectors import history_of
from partnercenter.core.errors import DomainError
from partnercenter.core.pages import error_messages

from .models import (
    AgreementAcceptance,
    AgreementTemplate,
    EmailVerification,
    Enrollment,
    MpnProfile,
    Partner,
    PmcAccount,
    PmcSignIn,
    VerificationCheck,
)
from .services.agreements import agreement_template_make_current


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


@admin.register(PmcSignIn)
class PmcSignInAdmin(admin.ModelAdmin):
    """The record of each Partner Membership Center sign-in: the proof of an MPN ID."""

    list_display = ["pmc_username", "user", "signed_in_at"]
    list_select_related = ["user"]
    search_fields = ["pmc_username", "user__email"]
    readonly_fields = ["user", "pmc_username", "profiles", "signed_in_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "mpn_id", "mpn_linked_via", "country", "tenant", "contact_email"]
    list_select_related = ["tenant"]
    search_fields = ["legal_name", "mpn_id", "contact_email"]
    list_filter = ["country", "mpn_linked_via"]
    readonly_fields = ["tenant", "mpn_linked_via", "mpn_evidence", "created_at", "updated_at"]


class CheckInline(admin.TabularInline):
    model = VerificationCheck
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "result", "detail", "evidence", "checked_at", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "program", "status", "submitted_at", "due_at"]
    list_filter = ["status", "program"]
    list_select_related = ["partner"]
    search_fields = ["partner__legal_name", "partner__mpn_id"]
    readonly_fields = [f.name for f in Enrollment._meta.fields] + ["timeline"]
    inlines = [CheckInline]

    @admin.display(description=_("Timeline"))
    def timeline(self, obj):
        """The enrollment's latest events (the one trail: ``partnercenter.audit``), newest
        first; the review page and the API page through the rest."""
        latest = history_of(obj).order_by("-at", "-id")[: settings.TIMELINE_PAGE_SIZE]
        return format_html_join(
            "\n",
            "<div>{} · {} · {} {}</div>",
            ((e.at.isoformat(timespec="minutes"), e.label, e.actor_label, e.detail) for e in latest),
        )

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


# --- Agreements ------------------------------------------------------------------------------


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Staff publish each version of an agreement in every language. Once a template has
    been accepted its text is what partners agreed to, so it can no longer be edited:
    publish a new version instead."""

    list_display = ["name", "program", "version", "language", "is_current", "published_at"]
    list_filter = ["program", "language", "is_current"]
    search_fields = ["name", "version"]
    ordering = ["program", "-published_at", "language"]
    actions = ["make_current"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.acceptances.exists():
            return ["program", "name", "version", "language", "body", "published_at"]
        return []

    @admin.action(description=_("Make current (retire the other versions of the same program and language)"))
    def make_current(self, request, queryset):
        """Through the service, which records who made which version current."""
        for template in queryset.order_by("pk"):
            try:
                agreement_template_make_current(actor=request.user, template=template)
            except DomainError as exc:
                for message in error_messages(exc):
                    self.message_user(request, message, messages.ERROR)
                return


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    """The record of who accepted which version, when: read-only evidence."""

    list_display = ["partner", "program", "region", "template", "accepted_by", "accepted_at"]
    list_filter = ["program", "region"]
    list_select_related = ["partner", "template", "accepted_by"]
    search_fields = ["partner__legal_name", "partner__mpn_id", "contact_email"]
    readonly_fields = [f.name for f in AgreementAcceptance._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
