"""Incentives (DOMAIN.md, "Direct bill to indirect reseller transition"): within 30 days of
the transition the partner is invited, once, to enroll in indirect-reseller incentives;
direct-bill incentives stay a separate enrollment, and the incentives admin sees both.

The invitation goes to **the email of the MPN account linked to the tenant**. The Partner
Membership Center account (``PmcAccount``) has no email field: its one contact datum is its
sign-in name. So the email is, in order: the PMC account's username when it is an email
address (a Partner Membership Center account signs in with one); otherwise the primary
contact the partner recorded with its MPN ID (``Partner.contact_email``, the contact on the
company profile it linked). ``mpn_account_email`` is that rule, once.

What each program is offered on (``incentive_programs_for``): direct-bill incentives while
the partner is an active direct-bill partner; indirect-reseller incentives once the
invitation went out after the transition. ``services.incentives`` moves them."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from .partner_network import MpnProfile
from .programs import Program

# "Within 30 days": the invitation's delay after the transition is capped there.
INVITATION_WITHIN_DAYS = 30


class IncentiveProgram(models.TextChoices):
    DIRECT_BILL = "direct_bill", _("Direct-bill incentives")
    INDIRECT_RESELLER = "indirect_reseller", _("Indirect-reseller incentives")


class IncentiveEnrollment(models.Model):
    """The partner enrolled in one incentive program (one row per partner and program)."""

    partner = models.ForeignKey(
        "enrollment.Partner", on_delete=models.CASCADE, related_name="incentive_enrollments"
    )
    program = models.CharField(_("incentive program"), max_length=20, choices=IncentiveProgram.choices)
    enrolled_at = models.DateTimeField(_("enrolled"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("incentives enrollment")
        verbose_name_plural = _("incentives enrollments")
        ordering = ["program"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "program"], name="one_incentive_enrollment_per_program"
            )
        ]

    def __str__(self):
        return f"{self.partner_id} {self.program}"


def invitation_delay() -> timedelta:
    """``INCENTIVES_INVITATION_DELAY_DAYS`` after the transition, at most 30 days."""
    days = max(0, min(int(settings.INCENTIVES_INVITATION_DELAY_DAYS), INVITATION_WITHIN_DAYS))
    return timedelta(days=days)


def incentives_due_at_for(completed_at):
    """When the invitation is due for a transition completed at ``completed_at`` (the
    transition's completion sets ``IndirectTransition.incentives_due_at`` to this)."""
    return completed_at + invitation_delay()


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def mpn_account_email(partner) -> str:
    """The email of the MPN account linked to the partner's tenant (see the module's
    docstring): the PMC account's username if it is an email address, else the primary
    contact's email."""
    profile = MpnProfile.objects.filter(mpn_id=partner.mpn_id).select_related("pmc_account").first()
    username = (partner.mpn_evidence or {}).get("pmc_username", "")
    if profile is not None and profile.pmc_account is not None:
        username = profile.pmc_account.username
    return username if username and _is_email(username) else partner.contact_email


def incentive_programs_for(partner) -> list[dict]:
    """The incentive programs the partner may enroll in, each with its enrollment (or None):
    ``[{"program": IncentiveProgram, "enrollment": IncentiveEnrollment | None}]``."""
    if partner is None:
        return []
    offered = []
    if partner.is_active_in(Program.DIRECT_BILL):
        offered.append(IncentiveProgram.DIRECT_BILL)
    invited = type(partner).objects.filter(
        pk=partner.pk, indirect_transition__incentives_invited_at__isnull=False
    )
    if invited.exists():
        offered.append(IncentiveProgram.INDIRECT_RESELLER)
    enrolled = {e.program: e for e in IncentiveEnrollment.objects.filter(partner=partner)}
    return [{"program": program, "enrollment": enrolled.get(program)} for program in offered]
