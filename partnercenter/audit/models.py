"""The audit trail: one row of one shape for every state change of every object."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds


class EventQuerySet(models.QuerySet):
    def of(self, obj) -> "EventQuerySet":
        """The history of one object, oldest first."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "id")

    def of_tenant(self, tenant_id) -> "EventQuerySet":
        """The history of one partner (its work account): every object, newest first."""
        return self.filter(tenant_id=tenant_id).order_by("-at", "-id")


class Event(models.Model):
    """What happened (a registered ``kind``) to which object, who did it, in whose work
    account, from which state to which; the system's parameters (``data``, rendered by the
    kind in the reader's language) and people's own words (``note``, as typed)."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=300, help_text=_("Who, as shown; kept if the user is deleted."))
    # Whose history this is: the work account of the partner (or customer) concerned.
    tenant = models.ForeignKey(
        "accounts.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The object, as its model's label ("enrollment.enrollment") and primary key.
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True, help_text=_("People's own words (a reason, a request), as typed."))
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_event_object"),
            models.Index(fields=["tenant", "at"], name="audit_event_tenant"),
            # The latest event about one check of an object (enrollment.outcomes).
            models.Index(
                F("object_type"), F("object_id"), KT("data__check"), F("at"), name="audit_event_check"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type}:{self.object_id}"

    @property
    def event_kind(self) -> kinds.EventKind:
        return kinds.get(self.kind)

    @property
    def label(self) -> str:
        return str(self.event_kind.label)

    @property
    def sentence(self) -> str:
        """The system's words about the event, in the active language."""
        return self.event_kind.describe(self.data or {})

    @property
    def detail(self) -> str:
        """All that the event says: the system's sentence, then people's words ("Business
        verification: the company exists", "Passed: 5 ... 1. Looks fine")."""
        sentence, note = self.sentence, self.note
        if not (sentence and note):
            return sentence or note
        return f"{sentence} {note}" if sentence[-1] in ".!?。" else f"{sentence}: {note}"


from .counts import EventCount  # noqa: E402, F401  (the counts of each history)
