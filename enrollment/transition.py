"""From direct bill to indirect reseller (DOMAIN.md, "Direct bill to indirect reseller
transition"): staff identify a direct-bill partner for offboarding; its global admin enrolls
as an indirect reseller on the same tenant (*Become an indirect reseller*, *Enroll now*);
once that enrollment is active the partner holds both programs, for good (**there is no
rollback**), and within 30 days it is invited, once, to indirect-reseller incentives.

One row per partner holds the journey's facts; the services in
``enrollment.services.transition`` move it, and ``enrollment.incentives`` sends the
invitation from ``incentives_due_at`` (a beat sweep, never a countdown)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndirectTransition(models.Model):
    partner = models.OneToOneField(
        "enrollment.Partner", on_delete=models.CASCADE, related_name="indirect_transition"
    )
    # Identified for offboarding by program staff, with their note.
    flagged_at = models.DateTimeField(_("identified for offboarding"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_note = models.TextField(_("note"), blank=True)
    # *Enroll now*: the indirect-reseller enrollment it made on the same tenant.
    enrollment = models.OneToOneField(
        "enrollment.Enrollment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indirect_transition",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The indirect reseller agreement accepted (*Accept and continue*): both programs now.
    completed_at = models.DateTimeField(null=True, blank=True)
    # The invitation to indirect-reseller incentives: due within 30 days of the completion,
    # sent once by the sweep.
    incentives_due_at = models.DateTimeField(null=True, blank=True)
    incentives_invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transition to indirect reseller")
        verbose_name_plural = _("transitions to indirect reseller")
        indexes = [
            models.Index(
                fields=["incentives_due_at"],
                condition=Q(incentives_due_at__isnull=False, incentives_invited_at__isnull=True),
                name="transition_incentives_due",
            )
        ]

    def __str__(self):
        return f"{self.partner_id} → indirect reseller"


# The incentives enrollments' model lives beside the invitation it follows (``models`` is full).
from .incentives import IncentiveEnrollment  # noqa: E402, F401
