"""Work accounts: the directory tenant, its domains and its users with their roles."""

import hashlib
import re
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
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


# --- API tokens -----------------------------------------------------------------------------------


def password_fingerprint(user: User) -> str:
    """Changes whenever the user's password does (whoever changes it: the user, the admin,
    a management command): a token holds the fingerprint of its day and stops working
    with it, as a session bound to the password's hash does."""
    return salted_hmac("partnercenter.accounts.ApiToken", user.password, algorithm="sha256").hexdigest()


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    """``valid_for`` and ``stale_for`` split a user's tokens by ``ApiToken.is_valid``."""

    def valid_for(self, user: User, now=None) -> "ApiTokenQuerySet":
        return self.filter(
            user=user, expires_at__gt=now or timezone.now(), fingerprint=password_fingerprint(user)
        )

    def stale_for(self, user: User, now=None) -> "ApiTokenQuerySet":
        return self.filter(user=user).exclude(pk__in=self.valid_for(user, now).values("pk"))


class ApiToken(models.Model):
    """A key that signs a program in to the API as a user (``Authorization: Token <key>``).

    The key is shown once, when it is issued; only its SHA-256 is kept, and its first
    characters so that its owner can tell it apart. It works until ``expires_at``
    (``API_TOKEN_TTL_DAYS``), until its owner revokes it, or until the password changes."""

    PREFIX_LENGTH = 8

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token"), max_length=PREFIX_LENGTH, editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="accounts_apitoken_user_exp")]

    def __str__(self):
        return f"{self.prefix}…"

    @classmethod
    def new(cls, user: User, *, now=None) -> tuple["ApiToken", str]:
        """An unsaved token for ``user`` and its key (40 hex digits, as DRF's)."""
        key = secrets.token_hex(20)
        now = now or timezone.now()
        token = cls(
            user=user,
            digest=token_digest(key),
            prefix=key[: cls.PREFIX_LENGTH],
            fingerprint=password_fingerprint(user),
            created_at=now,
            expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        return token, key

    def is_valid(self, now=None) -> bool:
        """Unexpired, and the password is still the one it was issued under."""
        return self.expires_at > (now or timezone.now()) and constant_time_compare(
            self.fingerprint, password_fingerprint(self.user)
        )
