"""The programs and whether each takes applications now (issue 9, "Staff open and close it").

Program staff open and close direct-bill applications ("the program closed them in 2018
and again from October 2020": DOMAIN.md); ``services.programs.program_set_applications_open``
is the one way to change it. A program without its row has never been changed: it is
read as the default, at call time, so ``DIRECT_BILL_APPLICATIONS_OPEN`` is only the
default of a fresh database (no data migration writes a row). Re-exported by ``models``,
which is why this module imports nothing of enrollment's.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.core.l10n import join_sentences


class Program(models.TextChoices):
    INDIRECT_RESELLER = "indirect_reseller", _("Indirect reseller")
    DIRECT_BILL = "direct_bill", _("Direct bill")


# The programs staff may close: the indirect reseller path is where a closed direct-bill
# application steers partners, so it always takes applications.
CLOSABLE = (Program.DIRECT_BILL,)


def default_applications_open(program: str) -> bool:
    """Whether a program nobody has opened or closed takes applications (read at call
    time: the settings of this process)."""
    if program == Program.DIRECT_BILL:
        return bool(settings.DIRECT_BILL_APPLICATIONS_OPEN)
    return True


class ProgramSetting(models.Model):
    """Whether a program takes applications, since when, why (as staff wrote it) and who
    changed it last. The history of every change is its audit trail."""

    program = models.CharField(_("program"), max_length=20, choices=Program.choices, primary_key=True)
    applications_open = models.BooleanField(_("applications open"))
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why applications are closed, as applicants read it.")
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["program"]
        verbose_name = _("program setting")
        verbose_name_plural = _("program settings")

    def __str__(self):
        return str(self.get_program_display())

    @property
    def state(self) -> str:
        """``open`` or ``closed``: the states of its audit rows."""
        return "open" if self.applications_open else "closed"

    @property
    def closed_since(self):
        """When applications were closed (None while open, or closed by default)."""
        return None if self.applications_open else self.changed_at

    @property
    def closable(self) -> bool:
        return self.program in CLOSABLE


def _default(program: str) -> ProgramSetting:
    return ProgramSetting(program=program, applications_open=default_applications_open(program))


def program_availability(program: str) -> ProgramSetting:
    """The program's setting; unsaved, with the default, when it was never changed."""
    return ProgramSetting.objects.filter(program=program).first() or _default(program)


def program_availabilities() -> list[ProgramSetting]:
    """Every program's setting, in the order of ``Program`` (one query)."""
    saved = {s.program: s for s in ProgramSetting.objects.select_related("changed_by")}
    return [saved.get(program) or _default(program) for program in Program.values]


def takes_applications(program: str) -> bool:
    """Whether a new application to ``program`` is accepted now. Applications already
    submitted are never asked: a closing does not touch them."""
    return program_availability(program).applications_open


def applications_closed_message(setting: ProgramSetting) -> str:
    """Why and since when a program is closed, in the reader's language ("" while open):
    the same words on the wizard and in the API's 400 on ``program``. The reason is the
    staff's own words, quoted as written."""
    if setting.applications_open:
        return ""
    if setting.closed_since:
        since = date_format(timezone.localtime(setting.closed_since), "DATE_FORMAT")
        closed = gettext("Direct-bill applications have been closed since %(date)s.") % {"date": since}
    else:
        closed = gettext("Direct-bill applications are closed.")
    # Quoted as staff wrote it, less a full stop at its end: the quote ends the sentence.
    reason = setting.reason.strip().removesuffix(".").removesuffix("。").strip()
    return join_sentences(
        closed,
        gettext("Reason: “%(reason)s”.") % {"reason": reason} if reason else "",
        gettext("Enroll as an indirect reseller and work with an indirect provider."),
    )
