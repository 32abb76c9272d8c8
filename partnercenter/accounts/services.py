"""Writes for work accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_countries import countries

from partnercenter.core.errors import InvalidInput

from .models import DOMAIN_PREFIX_RE, TENANT_DOMAIN_SUFFIX, Role, Tenant, User


def domain_for_prefix(prefix: str) -> str:
    return f"{prefix.strip().lower()}{TENANT_DOMAIN_SUFFIX}"


def domain_prefix_errors(prefix: str) -> list[str]:
    prefix = (prefix or "").strip().lower()
    if not DOMAIN_PREFIX_RE.match(prefix):
        return [_("Use 1 to 27 letters or digits, without spaces, dots or hyphens (for example “contoso”).")]
    if Tenant.objects.filter(domain=domain_for_prefix(prefix)).exists():
        return [
            _("%(domain)s is already taken. Choose another prefix.") % {"domain": domain_for_prefix(prefix)}
        ]
    return []


def tenant_signup(
    *,
    company_name: str,
    domain_prefix: str,
    country: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
) -> tuple[Tenant, User]:
    """Create a work account: the tenant ``<prefix>.onmicrosoft.com`` and its global admin.

    Raises ``InvalidInput`` (taken domain or email, unknown country, weak password).
    """
    errors: dict[str, list[str]] = {}
    if prefix_errors := domain_prefix_errors(domain_prefix):
        errors["domain_prefix"] = prefix_errors
    country = (country or "").strip().upper()
    if country not in countries:
        errors["country"] = [_("Choose a country or region by its two-letter ISO code, for example “DE”.")]
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email already exists. Sign in instead.")]
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(
                name=company_name.strip(), domain=domain_for_prefix(domain_prefix), country=country
            )
            user = User.objects.create_user(
                email,
                password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                tenant=tenant,
                roles=[Role.GLOBAL_ADMIN.value],
            )
    except IntegrityError as exc:
        # Two sign-ups raced for the same domain or email: the loser is told, nothing half-made.
        raise InvalidInput(
            {"domain_prefix": [_("This domain or email was just taken. Choose another and try again.")]}
        ) from exc
    return tenant, user
