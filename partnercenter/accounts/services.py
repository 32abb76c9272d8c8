"""Writes for work accounts."""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, NotPermitted
from partnercenter.core.text_fields import FIRST_NAME, LAST_NAME
from partnercenter.notifications.services import notification_queue

from . import events
from .models import (
    DOMAIN_PREFIX_RE,
    TENANT_DOMAIN_SUFFIX,
    ApiToken,
    Role,
    Tenant,
    User,
    password_fingerprint,
)
from .permissions import require_global_admin
from .selectors import domain_taken


def domain_for_prefix(prefix: str) -> str:
    return f"{prefix.strip().lower()}{TENANT_DOMAIN_SUFFIX}"


def domain_prefix_errors(prefix: str) -> list[str]:
    prefix = (prefix or "").strip().lower()
    if not DOMAIN_PREFIX_RE.match(prefix):
        return [_("Use 1 to 27 letters or digits, without spaces, dots or hyphens (for example “contoso”).")]
    if domain_taken(domain_for_prefix(prefix)):
        return [
            _("%(domain)s is already taken. Choose another prefix.") % {"domain": domain_for_prefix(prefix)}
        ]
    return []


def email_domain_errors(email: str, domains) -> list[str]:
    """A work account's user signs in with a name on one of its verified domains: the
    global admin of a new tenant on ``<prefix>.onmicrosoft.com``, an employee on that or a
    custom domain the tenant verified."""
    domain = email.rpartition("@")[2].lower()
    if domain in domains:
        return []
    allowed = sorted(domains)
    return [
        _(
            "Use a sign-in name on your work account's domain, for example %(example)s (%(domain)s is not "
            "a verified domain of your work account; yours: %(domains)s)."
        )
        % {
            "example": f"{email.partition('@')[0] or 'admin'}@{allowed[0]}",
            "domain": domain or "–",
            "domains": ", ".join(allowed),
        }
    ]


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
    if not country:
        errors["country"] = [_("Choose the country or region where your organization is located.")]
    elif country not in countries:
        errors["country"] = [_("Choose a country or region by its two-letter ISO code, for example “DE”.")]
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this email already exists. Sign in instead.")]
    elif DOMAIN_PREFIX_RE.match((domain_prefix or "").strip().lower()) and (
        messages := email_domain_errors(email, {domain_for_prefix(domain_prefix)})
    ):
        errors["email"] = messages
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
            _event(events.TENANT_CREATED, tenant_id=tenant.pk, actor=user, subject=user, after=user.roles)
    except IntegrityError as exc:
        # Two sign-ups raced for the same domain or email: the loser is told, nothing half-made.
        raise InvalidInput(
            {"domain_prefix": [_("This domain or email was just taken. Choose another and try again.")]}
        ) from exc
    return tenant, user


# --- The partner's users: employees, roles, the admin agent group, passwords ---------------------
#
# Domain errors raised: ``InvalidInput`` (400) and ``NotPermitted`` (403).

# 16 characters from secrets.token_urlsafe: about 96 bits, unguessable and typable.
TEMPORARY_PASSWORD_BYTES = 12


def roles_errors(roles) -> tuple[list[str], list[str]]:
    """At least one role, each one of ``Role``; returned without duplicates, in ``Role`` order."""
    if not isinstance(roles, (list, tuple)) or not roles:
        return [], [_("Choose at least one role.")]
    unknown = sorted({str(r) for r in roles if r not in Role.values})
    if unknown:
        return [], [
            _("Unknown role: %(roles)s. Choose among %(valid)s.")
            % {"roles": ", ".join(unknown), "valid": ", ".join(Role.values)}
        ]
    return [r for r in Role.values if r in roles], []


def _email_taken_message() -> str:
    return _("A user with this email already exists. Use another address, or edit that user's roles.")


def _partner_language(tenant) -> str:
    """Emails go out in the partner's language; English before the partner enrolled."""
    try:
        return tenant.partner.language
    except ObjectDoesNotExist:
        return "en"


def _event(kind, *, tenant_id, actor, subject: User, before=(), after=(), **data) -> None:
    """The account's audit row: its object is the user concerned."""
    record_event(
        subject,
        kind,
        actor=actor,
        tenant=tenant_id,
        email=subject.email,
        before=list(before),
        after=list(after),
        **data,
    )


def user_add(*, actor, email, first_name, last_name, roles) -> User:
    """The global admin adds an employee with roles. The employee is emailed a temporary
    password and must change it at first sign-in (``must_change_password``)."""
    require_global_admin(actor)
    errors: dict[str, list[str]] = {}
    email = (email or "").strip().lower() if isinstance(email, str) else ""
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address, for example name@yourcompany.com.")]
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_email_taken_message()]
        elif messages := email_domain_errors(email, actor.tenant.verified_domain_names()):
            errors["email"] = messages
    for key, value, text_field in (
        ("first_name", first_name, FIRST_NAME),
        ("last_name", last_name, LAST_NAME),
    ):
        if messages := text_field.errors(value):
            errors[key] = messages
    clean_roles, messages = roles_errors(roles)
    if messages:
        errors["roles"] = messages
    if errors:
        raise InvalidInput(errors)
    password = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    tenant = actor.tenant
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                tenant=tenant,
                roles=clean_roles,
                must_change_password=True,
            )
            _event(
                events.USER_ADDED,
                tenant_id=tenant.pk,
                actor=actor,
                subject=user,
                after=clean_roles,
            )
            # The context is encrypted at rest (Notification.context); the password is
            # never shown on a page or stored in clear.
            notification_queue(
                template="user_welcome",
                recipient=user.email,
                language=_partner_language(tenant),
                context={
                    "first_name": user.first_name,
                    "organization": tenant.name,
                    "domain": tenant.domain,
                    "email": user.email,
                    "temporary_password": password,
                    "sign_in_url": f"{settings.SITE_URL}{reverse('login')}",
                    "invited_by": actor.get_full_name(),
                },
                key=f"user-welcome:{user.pk}",
            )
    except IntegrityError as exc:
        # Two admins added the same address at once: the unique constraint decides.
        raise InvalidInput({"email": [_email_taken_message()]}) from exc
    return user


def _lock_tenant_users(tenant_id) -> list[User]:
    # Lock every user of the tenant in primary-key order: two admins demoting each other
    # at once must not both see the other as the remaining global admin.
    return list(User.objects.select_for_update().filter(tenant_id=tenant_id).order_by("pk"))


def user_roles_update(*, actor, user: User, roles) -> User:
    """The global admin changes a user's roles. The last global admin of a tenant cannot
    lose the role: someone must remain who may enroll, accept agreements and add users."""
    require_global_admin(actor)
    if user.tenant_id != actor.tenant_id:
        raise NotPermitted()  # views find users through users_for, so this is a 404 there
    clean_roles, messages = roles_errors(roles)
    if messages:
        raise InvalidInput({"roles": messages})
    with transaction.atomic():
        users = _lock_tenant_users(actor.tenant_id)
        user = next(u for u in users if u.pk == user.pk)
        others = [
            u for u in users if u.pk != user.pk and u.is_active and Role.GLOBAL_ADMIN in (u.roles or [])
        ]
        if Role.GLOBAL_ADMIN not in clean_roles and Role.GLOBAL_ADMIN in (user.roles or []) and not others:
            raise InvalidInput(
                {
                    "roles": [
                        _(
                            "%(email)s is the only global admin. Make another user global admin first, "
                            "then remove the role here."
                        )
                        % {"email": user.email}
                    ]
                }
            )
        before = list(user.roles or [])
        if before == clean_roles:
            return user  # nothing changes: no save, no audit row
        user.roles = clean_roles
        user.save(update_fields=["roles"])
        _event(
            events.ROLES_CHANGED,
            tenant_id=user.tenant_id,
            actor=actor,
            subject=user,
            before=before,
            after=clean_roles,
        )
    return user


def admin_agent_join(*, actor) -> User:
    """The global admin adds themselves to the admin agent group (step 7 of the indirect
    reseller journey); doing it twice changes nothing."""
    require_global_admin(actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if Role.ADMIN_AGENT not in (user.roles or []):
            before = list(user.roles or [])
            user.roles = [r for r in Role.values if r in {*user.roles, Role.ADMIN_AGENT}]
            user.save(update_fields=["roles"])
            _event(
                events.ROLES_CHANGED,
                tenant_id=user.tenant_id,
                actor=actor,
                subject=user,
                before=before,
                after=user.roles,
            )
    actor.roles = user.roles
    return user


def password_change(*, user: User, old_password: str, new_password: str, keep_token=None) -> User:
    """Change one's password; a temporary one stops being forced on the user. Every API
    token of the user stops working (they are bound to the password), except ``keep_token``,
    the one this change was made with, as the session it is made in stays signed in."""
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = [_("Your current password is wrong. Type it again.")]
    elif new_password == old_password:
        errors["new_password"] = [_("Choose a new password that differs from the current one.")]
    else:
        try:
            validate_password(new_password, user=user)
        except ValidationError as exc:
            errors["new_password"] = list(exc.messages)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        kept = ApiToken.objects.filter(user=user, pk=getattr(keep_token, "pk", None))
        kept.update(fingerprint=password_fingerprint(user))
        ApiToken.objects.filter(user=user).exclude(pk__in=kept.values("pk")).delete()
        if user.tenant_id:
            _event(events.PASSWORD_CHANGED, tenant_id=user.tenant_id, actor=user, subject=user)
    return user


# --- API tokens ----------------------------------------------------------------------------------------
#
# A token works until it expires (API_TOKEN_TTL_DAYS), until its owner revokes it, or until
# the password changes, whoever changes it (``ApiToken.is_valid``).


def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new API token for ``user``, who just proved their password; its key is returned
    once and never stored. Expired and revoked tokens of the user are purged meanwhile."""
    with transaction.atomic():
        ApiToken.objects.stale_for(user).delete()
        token, key = ApiToken.new(user)
        token.save()
        _event(
            events.API_TOKEN_ISSUED, tenant_id=user.tenant_id, actor=user, subject=user, prefix=token.prefix
        )
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of one's own tokens (views find them through ``selectors.api_tokens_for``,
    so another user's is a 404). Revoking a token twice changes nothing.

    Raises ``NotPermitted`` for another user's token."""
    if token.user_id != actor.pk:
        raise NotPermitted()
    with transaction.atomic():
        deleted, _rows = ApiToken.objects.filter(pk=token.pk).delete()
        if deleted:
            _event(
                events.API_TOKEN_REVOKED,
                tenant_id=actor.tenant_id,
                actor=actor,
                subject=actor,
                prefix=token.prefix,
            )
