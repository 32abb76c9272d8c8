"""The transition to indirect reseller in the Django admin: staff identify partners for
offboarding (and take it back before the start) through the services; the transition's
row and its enrollment are read-only and never deleted (there is no rollback)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnercenter.core.errors import DomainError
from partnercenter.core.pages import error_messages

from .services.transition import transition_flag, transition_unflag
from .transition import IndirectTransition, started_q


def _run(modeladmin, request, queryset, service) -> None:
    """The service for each partner chosen, in primary-key order, each refusal shown."""
    done = 0
    for partner in queryset.order_by("pk"):
        try:
            service(actor=request.user, partner=partner)
        except DomainError as exc:
            for message in error_messages(exc):
                modeladmin.message_user(request, f"{partner}: {message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("Done for %(count)d partner.", "Done for %(count)d partners.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.action(description=_("Identify for offboarding (offer the transition to indirect reseller)"))
def identify_for_offboarding(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda actor, partner: transition_flag(actor=actor, partner=partner))


@admin.action(description=_("No longer identify for offboarding (only before the partner started)"))
def unidentify_for_offboarding(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, transition_unflag)


def refuses_rollback(obj) -> bool:
    """The partner or enrollment belongs to a started transition: nothing deletes it."""
    if obj is None:
        return False
    if isinstance(obj, IndirectTransition):
        return True
    field = "enrollment" if obj._meta.model_name == "enrollment" else "partner"
    return IndirectTransition.objects.filter(started_q(), **{field: obj}).exists()


@admin.register(IndirectTransition)
class IndirectTransitionAdmin(admin.ModelAdmin):
    """Read-only: the services write it (flag from Partners, the start from the partner)."""

    list_display = [
        "partner",
        "flagged_at",
        "started_at",
        "completed_at",
        "incentives_due_at",
        "incentives_invited_at",
    ]
    list_select_related = ["partner"]
    readonly_fields = [f.name for f in IndirectTransition._meta.fields]
    search_fields = ["partner__legal_name", "partner__mpn_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


__all__ = ["identify_for_offboarding", "refuses_rollback", "unidentify_for_offboarding"]
