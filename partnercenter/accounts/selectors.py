"""Reads for work accounts, scoped to the caller's tenant: another tenant's user is
simply not found (404); and whether a domain is taken (any tenant's, by design)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken, Tenant, TenantDomain, User


def domain_taken(domain: str) -> bool:
    """The domain belongs to a tenant already: its initial domain or a custom domain it
    added. The one answer to "is this domain free?" (sign-up, customer tenants, Partner
    Center's ``checkdomainavailability`` and ``HEAD /domains/{domain}``)."""
    domain = (domain or "").strip().lower()
    return (
        Tenant.objects.filter(domain=domain).exists()
        or TenantDomain.objects.filter(name__iexact=domain).exists()
    )


def users_for(user) -> QuerySet[User]:
    """The users of the caller's tenant (none for staff without a tenant)."""
    if not (user and user.is_authenticated and user.tenant_id):
        return User.objects.none()
    return User.objects.filter(tenant_id=user.tenant_id).order_by("email")


def user_for(user, user_id) -> User:
    """One user of the caller's tenant, or 404."""
    return get_object_or_404(users_for(user), pk=user_id)


def global_admins_of(tenant_id) -> list[User]:
    """The active global admins of a tenant, by name: who may act where only they may
    (roles are a JSON list, read in Python so that SQLite and PostgreSQL agree)."""
    users = User.objects.filter(tenant_id=tenant_id, is_active=True).order_by(
        "first_name", "last_name", "email"
    )
    return [user for user in users if user.is_global_admin]


def api_tokens_for(user) -> QuerySet[ApiToken]:
    """The caller's own API tokens that still work, newest first (another user's: none)."""
    if not (user and user.is_authenticated):
        return ApiToken.objects.none()
    return ApiToken.objects.valid_for(user).order_by("-created_at")


def api_token_for(user, token_id) -> ApiToken:
    """One of the caller's own working tokens, or 404."""
    return get_object_or_404(api_tokens_for(user), pk=token_id)
