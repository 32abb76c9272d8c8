from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "recipient", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["recipient", "idempotency_key"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "context"]
    exclude = ["context"]

    def has_add_permission(self, request):
        return False
