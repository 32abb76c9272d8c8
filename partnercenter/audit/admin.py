from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The one audit trail, read-only: filter by kind or object type, search an object's id
    or a partner's domain."""

    list_display = [
        "at",
        "kind",
        "object_type",
        "object_id",
        "actor_label",
        "tenant",
        "from_state",
        "to_state",
    ]
    list_filter = ["kind", "object_type"]
    list_select_related = ["tenant"]
    search_fields = ["=object_id", "tenant__domain", "actor_label", "note"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in Event._meta.fields] + ["detail"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
