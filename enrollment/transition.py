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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import check_details
from .states import REAPPLICABLE

# The transition's enrollment ended without becoming active (rejected, expired; withdrawn
# is refused for it, but would count the same): the partner did not transition, so it is
# "identified for offboarding" again. An approved or active one is for good (no rollback).
ENDED_UNTRANSITIONED = REAPPLICABLE


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

    # --- What the journey allows now (asked by the services, the pages and the API) ----------

    @property
    def ended_untransitioned(self) -> bool:
        """*Enroll now* was selected, but its enrollment ended without becoming active
        (rejected, expired): the partner did not transition and may start again."""
        return self.enrollment_id is not None and self.enrollment.status in ENDED_UNTRANSITIONED

    @property
    def is_started(self) -> bool:
        """Under way or done: *Enroll now* selected and its enrollment still open or active."""
        return self.started_at is not None and not self.ended_untransitioned

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def offers_enrollment(self) -> bool:
        """*Become an indirect reseller* is offered: flagged, and no enrollment made yet or
        the last one ended without becoming active (a new enrollment; the old one stays in
        the partner's history)."""
        return not self.is_started


# --- The predicates other apps ask (relationships asks these, never restates them) -------------

NO_NEW_DIRECT_CUSTOMERS = _(
    "Your organization is becoming an indirect reseller, so it cannot add new direct customers. "
    "It keeps managing and billing its current direct customers; take new customers through your "
    "indirect provider."
)
NO_ROLLBACK = _(
    "There is no rollback: the transition to indirect reseller cannot be undone, and the indirect "
    "reseller enrollment it made cannot be withdrawn, changed or ended."
)
NOT_IDENTIFIED = _(
    "Only direct-bill partners that the program has identified for offboarding can become indirect "
    "resellers this way. To enroll as an indirect reseller, use Enroll."
)


def transition_of(partner) -> IndirectTransition | None:
    if partner is None:
        return None
    return IndirectTransition.objects.filter(partner=partner).select_related("enrollment").first()


def started_q(prefix: str = "") -> Q:
    """``IndirectTransition.is_started`` as a filter: *Enroll now* selected and its
    enrollment not ended without becoming active."""
    return Q(**{f"{prefix}started_at__isnull": False}) & ~Q(
        **{f"{prefix}enrollment__status__in": ENDED_UNTRANSITIONED}
    )


def takes_new_direct_customers(partner) -> bool:
    """False from *Enroll now* on (the transition's enrollment made): the partner keeps its
    direct customers but adds no new ones (DOMAIN.md: "cannot add new direct customers").
    True again when that enrollment ended without becoming active (rejected, expired),
    until the next *Enroll now*."""
    return not IndirectTransition.objects.filter(started_q(), partner=partner).exists()


def is_transition_enrollment(enrollment) -> bool:
    """The enrollment was made by a transition: there is no rollback of it."""
    return IndirectTransition.objects.filter(enrollment_id=enrollment.pk).exists()


# A check the transition's enrollment takes over from the partner's active direct-bill
# enrollment (the same company, tenant and MPN ID, verified already).
CARRIED_FROM_DIRECT_BILL = check_details.register_detail(
    "carried_from_direct_bill",
    lambda p: gettext("Verified in the direct-bill enrollment of the same partner."),
)

# The incentives enrollments' model lives beside the invitation it follows (``models`` is full).
from .incentives import IncentiveEnrollment  # noqa: E402, F401
