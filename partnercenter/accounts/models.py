"""Work accounts: the directory tenant, its domains and its users with their roles."""

import re
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnercenter.core.l10n import person_name

TENANT_DOMAIN_SUFFIX = ".onmicrosoft.com"
# The initial domain's prefix: letters and digits only, at most 27 characters.
DOMAIN_PREFIX_RE = re.compile(r"^[a-z0-9]{1,27}$")


class Tenant(models.Model):
    """A work account (directory tenant). Its country is where it was created."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("organization name"), max_length=200)
    domain = models.CharField(_("initial domain"), max_length=64, unique=True)
    country = CountryField(_("country or region"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self):
        return self.domain

    def verified_domain_names(self) -> set[str]:
        return {self.domain, *(d.name for d in self.domains.all() if d.verified_at)}


class TenantDomain(models.Model):
    """A further (custom) domain of a tenant, e.g. contoso.com; verified or not yet."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(max_length=253, unique=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tenant domain")
        verbose_name_plural = _("tenant domains")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    GLOBAL_ADMIN = "global_admin", _("Global admin")
    ADMIN_AGENT = "admin_agent", _("Admin agent")
    SALES_AGENT = "sales_agent", _("Sales agent")
    HELPDESK_AGENT = "helpdesk_agent", _("Helpdesk agent")
    BILLING_ADMIN = "billing_admin", _("Billing admin")
    BUSINESS_PROFILE_ADMIN = "business_profile_admin", _("Business profile admin")
    REFERRALS_ADMIN = "referrals_admin", _("Referrals admin")
    INCENTIVES_ADMIN = "incentives_admin", _("Incentives admin")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Sign-in is by email, whatever its case.
        return self.get(email__iexact=username)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email: a partner's user (with a tenant) or program staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=50, blank=True)
    last_name = models.CharField(_("last name"), max_length=50, blank=True)
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="users")
    roles = models.JSONField(
        default=list, blank=True, help_text=_("Roles within the tenant's partner account.")
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    must_change_password = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return person_name(self.first_name, self.last_name) or self.email

    def get_short_name(self):
        return self.first_name or self.email

    def has_role(self, role: str) -> bool:
        return bool(self.tenant_id) and role in (self.roles or [])

    @property
    def is_global_admin(self) -> bool:
        return self.has_role(Role.GLOBAL_ADMIN)
