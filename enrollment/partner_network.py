"""The Partner Network tables of the portal's built-in registry (``registry.LocalRegistry``)
and the proof of a Partner Membership Center sign-in. Re-exported by ``models``."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# --- The Partner Network registry (the portal's built-in one) ---------------------------


class PmcAccount(models.Model):
    """A sign-in to the Partner Membership Center; it may use several company profiles."""

    username = models.CharField(max_length=150, unique=True)
    password = models.CharField(max_length=128, help_text=_("Hashed; set through import_mpn_profiles."))

    class Meta:
        verbose_name = _("Partner Membership Center account")
        verbose_name_plural = _("Partner Membership Center accounts")

    def __str__(self):
        return self.username

    def check_password(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password)


class MpnProfile(models.Model):
    """A company profile in the Partner Network (MPN ID)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    mpn_id = models.CharField(_("MPN ID"), max_length=10, unique=True)
    company_name = models.CharField(max_length=200)
    country = CountryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    pmc_account = models.ForeignKey(
        PmcAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )

    class Meta:
        ordering = ["mpn_id"]
        verbose_name = _("Partner Network profile")
        verbose_name_plural = _("Partner Network profiles")

    def __str__(self):
        return f"{self.mpn_id} {self.company_name}"


class PmcSignIn(models.Model):
    """A user of the portal signed in to the Partner Membership Center, which listed these
    company profiles: the proof that an MPN ID chosen from them is the company's, for
    ``PMC_PROOF_MAX_AGE`` seconds (``services.mpn``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pmc_username = models.CharField(max_length=150)
    profiles = models.JSONField(default=list)  # [{"mpn_id", "company_name", "country", "status"}]
    signed_in_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-signed_in_at"]
        verbose_name = _("Partner Membership Center sign-in")
        verbose_name_plural = _("Partner Membership Center sign-ins")

    def __str__(self):
        return f"{self.pmc_username} ({self.signed_in_at:%Y-%m-%d %H:%M})"


class MpnLinkedVia(models.TextChoices):
    PMC = "pmc", _("Partner Membership Center sign-in")
    TYPED = "typed", _("Typed")
