"""Writes for the customer tenant's users and their licenses (issue 10, "Licenses and users").

The partner with administrator access to the customer's tenant manages them (the reseller
of an indirect customer, the direct-bill partner of its direct customer; never the
provider): ``billing.permissions.require_manages_tenant``. Roles from the one table:
``MANAGE_USERS`` for users, ``MANAGE_LICENSES`` for licenses.

A customer user's temporary password exists only in the result of the call that set it
(``CustomerUserPassword``): shown once, stored hashed. Never more licenses assigned than
bought: ``license_assign`` locks the subscription and counts its assignments.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403), ``NotFound`` (404:
the customer or user is not the partner's) and ``InvalidTransition`` (409: the
subscription no longer runs, or all its licenses are assigned).
"""

import re
import secrets
import string
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound
from partnercenter.core.l10n import person_name
from relationships.models import Customer, CustomerRelationship, CustomerRole
from relationships.permissions import acting_partner

from .. import events
from ..models import CustomerUser, CustomerUserStatus, LicenseAssignment, Subscription
from ..permissions import Action, require, require_manages_tenant

NAME_MAX = 64  # Microsoft 365: the part of a user name before the @
PERSON_NAME_MAX = 100
# The characters Microsoft 365 allows in the part of a user name before the @.
USERNAME_RE = re.compile(r"^[A-Za-z0-9'._!#^~-]+$")

# A temporary password as Microsoft 365 makes them: 16 characters, upper and lower case
# letters, digits and symbols (its complexity rules ask for three of the four).
PASSWORD_LENGTH = 16
PASSWORD_SYMBOLS = "!@#$%^&*-_=+?"  # noqa: S105 (the alphabet, not a password)
_PASSWORD_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, PASSWORD_SYMBOLS)


@dataclass(frozen=True)
class CustomerUserPassword:
    """A customer user with the temporary password just set: it exists only here (the API's
    answer, the page that follows), and is stored only hashed."""

    user: CustomerUser
    temporary_password: str = field(repr=False)


def _temporary_password() -> str:
    chars = [secrets.choice(kind) for kind in _PASSWORD_CLASSES]
    alphabet = "".join(_PASSWORD_CLASSES)
    chars += [secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _tenant_partner(actor, customer: Customer, action: str):
    """The actor's partner and its relationship with ``customer``, if it may ``action`` on
    the customer's tenant: 404 without a relationship, 403 for the role or the partner."""
    partner = acting_partner(actor)
    relationship = CustomerRelationship.objects.active().filter(customer=customer, partner=partner).first()
    if relationship is None:
        raise NotFound()
    require(actor, action)
    require_manages_tenant(relationship)
    return partner, relationship


def _locked_relationship(relationship: CustomerRelationship) -> CustomerRelationship:
    """The relationship again, locked: the access may have been removed meanwhile."""
    locked = CustomerRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
    if locked is None or not locked.is_active:
        raise NotFound()
    require_manages_tenant(locked)
    return locked


def _billing_partner_ids(relationship: CustomerRelationship) -> set:
    """The partners whose subscriptions of the customer this partner assigns: its own and,
    for a reseller, those of the provider that came to the customer through it."""
    ids = {relationship.partner_id}
    if relationship.role == CustomerRole.INDIRECT_RESELLER:
        ids |= set(
            CustomerRelationship.objects.active()
            .filter(
                customer_id=relationship.customer_id,
                role=CustomerRole.INDIRECT_PROVIDER,
                via_reseller_id=relationship.partner_id,
            )
            .values_list("partner_id", flat=True)
        )
    return ids


def _user_errors(*, first_name, last_name, username, domain, usage_location, tenant) -> tuple[dict, dict]:
    errors: dict = {}
    clean: dict = {}
    for key, value, missing in (
        ("first_name", first_name, _("Enter the user's first name.")),
        ("last_name", last_name, _("Enter the user's last name.")),
    ):
        value = " ".join(value.split()) if isinstance(value, str) else ""
        if not value:
            errors[key] = [missing]
        elif len(value) > PERSON_NAME_MAX:
            errors[key] = [
                ngettext(
                    "Shorten the name to at most %(max)d character.",
                    "Shorten the name to at most %(max)d characters.",
                    PERSON_NAME_MAX,
                )
                % {"max": PERSON_NAME_MAX}
            ]
        clean[key] = value
    name = username.strip() if isinstance(username, str) else ""
    if not name:
        errors["username"] = [_("Enter a user name, for example kim.akers.")]
    elif len(name) > NAME_MAX:
        errors["username"] = [
            ngettext(
                "Shorten the user name to at most %(max)d character before the @.",
                "Shorten the user name to at most %(max)d characters before the @.",
                NAME_MAX,
            )
            % {"max": NAME_MAX}
        ]
    elif not USERNAME_RE.match(name) or name.startswith(".") or name.endswith(".") or ".." in name:
        errors["username"] = [
            _(
                "Use only letters A to Z, digits and the characters ' . - _ ! # ^ ~ in the user name, "
                "without a period at the start or the end or two periods in a row."
            )
        ]
    domains = tenant.verified_domain_names()
    chosen = (domain.strip().lower() if isinstance(domain, str) else "") or tenant.domain
    if chosen not in domains:
        errors["domain"] = [
            _("Choose one of the customer's verified domains: %(domains)s.")
            % {"domains": ", ".join(sorted(domains))}
        ]
    clean["user_principal_name"] = f"{name}@{chosen}"
    location = (
        usage_location.strip().upper() if isinstance(usage_location, str) else ""
    ) or tenant.country.code
    if location not in countries:
        errors["usage_location"] = [
            _("Choose the country or region where the user works, as a two-letter code.")
        ]
    clean["usage_location"] = location
    return clean, errors


def _taken(upn: str) -> InvalidInput:
    return InvalidInput.on(
        "username", _("The user name %(upn)s is taken in this organization. Choose another.") % {"upn": upn}
    )


def customer_user_create(
    *, actor, customer: Customer, first_name, last_name, username, domain="", usage_location=""
) -> CustomerUserPassword:
    """A user of the customer's tenant: ``<username>@<domain>`` (a verified domain of the
    tenant, its initial onmicrosoft.com domain unless said), its display name in the order
    of its language, its usage location (the tenant's country unless said) and a temporary
    password it must change at its first sign-in."""
    partner, relationship = _tenant_partner(actor, customer, Action.MANAGE_USERS)
    clean, errors = _user_errors(
        first_name=first_name,
        last_name=last_name,
        username=username,
        domain=domain,
        usage_location=usage_location,
        tenant=customer.tenant,
    )
    if errors:
        raise InvalidInput(errors)
    upn = clean["user_principal_name"]
    if CustomerUser.objects.filter(
        user_principal_name__iexact=upn, status=CustomerUserStatus.ACTIVE
    ).exists():
        raise _taken(upn)
    password = _temporary_password()
    try:
        with transaction.atomic():
            _locked_relationship(relationship)
            user = CustomerUser.objects.create(
                customer=customer,
                user_principal_name=upn,
                first_name=clean["first_name"],
                last_name=clean["last_name"],
                display_name=person_name(clean["first_name"], clean["last_name"]),
                usage_location=clean["usage_location"],
                password_hash=make_password(password),
                must_change_password=True,
                created_by=actor,
            )
            record_event(
                user,
                events.CUSTOMER_USER_CREATED,
                actor=actor,
                tenant=partner.tenant_id,
                to_state=CustomerUserStatus.ACTIVE,
                customer=customer.company_name,
                customer_id=str(customer.pk),
                user_principal_name=upn,
            )
    except IntegrityError:  # the same name, created at the same moment
        raise _taken(upn) from None
    return CustomerUserPassword(user=user, temporary_password=password)


def _locked_user(user: CustomerUser) -> CustomerUser:
    locked = CustomerUser.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or locked.status != CustomerUserStatus.ACTIVE:
        raise NotFound()  # deleted users are not found
    return locked


def customer_user_reset_password(*, actor, user: CustomerUser) -> CustomerUserPassword:
    """A new temporary password for the user, shown once; the user must change it at its
    next sign-in. The helpdesk agent may."""
    partner, relationship = _tenant_partner(actor, user.customer, Action.MANAGE_USERS)
    password = _temporary_password()
    with transaction.atomic():
        _locked_relationship(relationship)
        locked = _locked_user(user)
        locked.password_hash = make_password(password)
        locked.password_set_at = timezone.now()
        locked.must_change_password = True
        locked.save(update_fields=["password_hash", "password_set_at", "must_change_password"])
        record_event(
            locked,
            events.CUSTOMER_USER_PASSWORD_RESET,
            actor=actor,
            tenant=partner.tenant_id,
            customer=locked.customer.company_name,
            user_principal_name=locked.user_principal_name,
        )
    return CustomerUserPassword(user=locked, temporary_password=password)


def customer_user_delete(*, actor, user: CustomerUser) -> CustomerUser:
    """Delete the user (it is no longer listed) and release its licenses. A deleted user
    stays deleted: deleting it again changes nothing."""
    partner, relationship = _tenant_partner(actor, user.customer, Action.MANAGE_USERS)
    with transaction.atomic():
        _locked_relationship(relationship)
        locked = CustomerUser.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None:
            raise NotFound()
        if locked.status == CustomerUserStatus.DELETED:
            return locked
        released = LicenseAssignment.objects.filter(user=locked).delete()[0]
        locked.status = CustomerUserStatus.DELETED
        locked.save(update_fields=["status"])
        record_event(
            locked,
            events.CUSTOMER_USER_DELETED,
            actor=actor,
            tenant=partner.tenant_id,
            from_state=CustomerUserStatus.ACTIVE,
            to_state=CustomerUserStatus.DELETED,
            customer=locked.customer.company_name,
            user_principal_name=locked.user_principal_name,
            licenses_released=released,
        )
    return locked


def _license_checks(actor, subscription: Subscription, user: CustomerUser):
    partner, relationship = _tenant_partner(actor, user.customer, Action.MANAGE_LICENSES)
    if subscription.customer_id != user.customer_id or subscription.partner_id not in _billing_partner_ids(
        relationship
    ):
        raise InvalidInput.on("subscription_id", _("Choose one of this customer's subscriptions."))
    return partner, relationship


def _seats_full(subscription: Subscription) -> InvalidTransition:
    return InvalidTransition(
        subscription.status,
        ngettext(
            "The %(count)d license of %(product)s is assigned. Remove it, or buy more.",
            "All %(count)d licenses of %(product)s are assigned. Remove one, or buy more.",
            subscription.quantity,
        )
        % {"count": subscription.quantity, "product": subscription.friendly_name},
    )


def license_assign(*, actor, subscription: Subscription, user: CustomerUser) -> LicenseAssignment:
    """Assign one license of ``subscription`` (the customer's, live, license-based) to
    ``user`` (active, the same customer's). Never more assigned than bought: the
    subscription is locked while its assignments are counted. Assigning twice changes
    nothing."""
    partner, relationship = _license_checks(actor, subscription, user)
    if not subscription.assigns_licenses:
        raise InvalidInput.on(
            "subscription_id",
            _("%(product)s is not license-based: it has no licenses to assign to users.")
            % {"product": subscription.friendly_name},
        )
    with transaction.atomic():
        _locked_relationship(relationship)
        locked = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
        if locked is None:
            raise NotFound()
        if not locked.is_live:
            raise InvalidTransition(
                locked.status,
                _("%(product)s is no longer active: its licenses cannot be assigned.")
                % {"product": locked.friendly_name},
                label=locked.get_status_display(),
            )
        locked_user = _locked_user(user)
        existing = LicenseAssignment.objects.filter(subscription=locked, user=locked_user).first()
        if existing is not None:
            return existing
        if locked.assignments.count() >= locked.quantity:
            raise _seats_full(locked)
        assignment = LicenseAssignment.objects.create(
            subscription=locked, user=locked_user, assigned_by=actor
        )
        record_event(
            locked_user,
            events.LICENSE_ASSIGNED,
            actor=actor,
            tenant=partner.tenant_id,
            product=locked.friendly_name,
            subscription_id=str(locked.pk),
            user_principal_name=locked_user.user_principal_name,
        )
    return assignment


def license_unassign(*, actor, subscription: Subscription, user: CustomerUser) -> None:
    """Remove the user's license of ``subscription``: the seat is free again. Removing a
    license the user does not have changes nothing."""
    partner, relationship = _license_checks(actor, subscription, user)
    with transaction.atomic():
        _locked_relationship(relationship)
        locked = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
        if locked is None:
            raise NotFound()
        removed = LicenseAssignment.objects.filter(subscription=locked, user=user).delete()[0]
        if not removed:
            return
        record_event(
            user,
            events.LICENSE_UNASSIGNED,
            actor=actor,
            tenant=partner.tenant_id,
            product=locked.friendly_name,
            subscription_id=str(locked.pk),
            user_principal_name=user.user_principal_name,
        )
