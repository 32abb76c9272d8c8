"""Administrator access of a provider to its reseller's tenant (DOMAIN.md, "Customers,
tenants and admin access"): the reseller removes the delegated admin access (DAP) without
ending the relationship (``relationship_remove_admin_access``); granular delegated admin
(GDAP): the provider proposes named roles for a limited time, the reseller approves, either
side terminates; the beat sweep moves them through expiring, expired, extended and
terminated (``gdap_due``, ``gdap_sweep_step``).

Every function checks the actor's right, locks the row it changes, re-checks the state
after the lock, writes one audit row and emails after commit. Domain errors raised:
``InvalidInput`` (400), ``NotPermitted`` (403), ``InvalidTransition`` (409).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import events
from ..models import (
    GDAP_TRANSITIONS,
    GdapStatus,
    GranularAdminRelationship,
    ProviderResellerRelationship,
)
from ..permissions import acting_admin
from .common import conflict, notify_provider, record

G = GdapStatus
SWEEP_BATCH = 500

# GDAP grants roles "for a limited time (1 day to 2 years)" (DOMAIN.md).
GDAP_MIN_DAYS, GDAP_MAX_DAYS = 1, 730
GDAP_NAME_MAX = 50
EXPIRING_WITHIN = timedelta(days=30)
AUTO_EXTENSION = timedelta(days=180)
# The directory roles a provider may ask for: least privilege, never Global Administrator.
# (value: the directory role name the API takes; label: as the pages show it)
GDAP_ROLES: dict[str, str] = {
    "Directory Readers": gettext_lazy("Directory Readers"),
    "Global Reader": gettext_lazy("Global Reader"),
    "Helpdesk Administrator": gettext_lazy("Helpdesk Administrator"),
    "User Administrator": gettext_lazy("User Administrator"),
    "License Administrator": gettext_lazy("License Administrator"),
    "Billing Administrator": gettext_lazy("Billing Administrator"),
    "Service Support Administrator": gettext_lazy("Service Support Administrator"),
    "Security Reader": gettext_lazy("Security Reader"),
    "Exchange Administrator": gettext_lazy("Exchange Administrator"),
    "SharePoint Administrator": gettext_lazy("SharePoint Administrator"),
    "Teams Administrator": gettext_lazy("Teams Administrator"),
    "Intune Administrator": gettext_lazy("Intune Administrator"),
}


def _move_gdap(gdap: GranularAdminRelationship, to: str, *, actor, partner, kind, data=None, **fields):
    """Move a locked GDAP relationship along ``GDAP_TRANSITIONS`` (409 otherwise), save only
    what changed, and write the audit row."""
    if to not in GDAP_TRANSITIONS[gdap.status]:
        raise conflict(
            gdap.status,
            gdap.get_status_display(),
            _("This is not possible while the granular admin relationship is “%(status)s”.")
            % {"status": gdap.get_status_display()},
        )
    old = gdap.status
    gdap.status = to
    for name, value in fields.items():
        setattr(gdap, name, value)
    gdap.save(update_fields=["status", *fields])
    record(gdap, kind, actor=actor, partner=partner, from_state=old, to_state=to, **(data or {}))


# --- Delegated admin access (DAP) ----------------------------------------------------------------


def _lock_relationship(relationship: ProviderResellerRelationship) -> ProviderResellerRelationship:
    return (
        ProviderResellerRelationship.objects.select_for_update(of=("self",))
        .select_related("provider", "reseller")
        .get(pk=relationship.pk)
    )


def relationship_remove_admin_access(*, actor, relationship: ProviderResellerRelationship):
    """The reseller removes the provider's administrator access to its tenant; the
    relationship stays active ("the reseller may later remove that administrator access
    without ending the relationship"). The provider cannot do it (403)."""
    partner = acting_admin(actor)
    if relationship.reseller_id != partner.pk:
        raise NotPermitted(_("Only the reseller can remove its provider's administrator access."))
    with transaction.atomic():
        relationship = _lock_relationship(relationship)
        if not relationship.is_active:
            raise _ended(relationship)
        if not relationship.admin_access:
            raise conflict(
                relationship.state,
                relationship.get_state_display(),
                _("The provider's administrator access was already removed."),
            )
        now = timezone.now()
        relationship.admin_access, relationship.admin_access_removed_at = False, now
        relationship.save(update_fields=["admin_access", "admin_access_removed_at"])
        record(
            relationship,
            events.ADMIN_ACCESS_REMOVED,
            actor=actor,
            partner=partner,
            from_state="admin_access",
            to_state="no_admin_access",
            provider=relationship.provider.legal_name,
            reseller=partner.legal_name,
        )
        notify_provider(
            "provider_admin_access_removed",
            provider=relationship.provider,
            reseller=partner,
            key=f"relationship:{relationship.pk}:admin-access-removed:{now.isoformat()}",
        )
    return relationship


def _ended(relationship: ProviderResellerRelationship) -> InvalidTransition:
    return conflict(relationship.state, relationship.get_state_display(), _("This relationship has ended."))


# --- Granular delegated admin (GDAP) ------------------------------------------------------------


def _gdap_input(name, roles, duration_days, auto_extend) -> dict:
    errors: dict[str, list] = {}
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name:
        errors["name"] = [_("Name the relationship, for example “Helpdesk for Contoso”.")]
    elif len(name) > GDAP_NAME_MAX:
        errors["name"] = [
            ngettext(
                "Shorten the name to at most %(max)d character (it has %(length)d).",
                "Shorten the name to at most %(max)d characters (it has %(length)d).",
                GDAP_NAME_MAX,
            )
            % {"max": GDAP_NAME_MAX, "length": len(name)}
        ]
    if not isinstance(roles, (list, tuple)) or not roles or not all(isinstance(r, str) for r in roles):
        errors["roles"] = [_("Choose at least one role.")]
    else:
        unknown = [r for r in roles if r not in GDAP_ROLES]
        if unknown:
            errors["roles"] = [
                _("“%(role)s” is not a role you can ask for. Choose from: %(choices)s.")
                % {"role": unknown[0], "choices": ", ".join(GDAP_ROLES)}
            ]
    if isinstance(duration_days, bool) or not isinstance(duration_days, int):
        errors["duration_days"] = [_("Give the duration in days, from 1 to 730.")]
    elif not GDAP_MIN_DAYS <= duration_days <= GDAP_MAX_DAYS:
        errors["duration_days"] = [
            ngettext(
                "The duration is from %(min)d day to %(max)d day (two years).",
                "The duration is from %(min)d day to %(max)d days (two years).",
                GDAP_MAX_DAYS,
            )
            % {"min": GDAP_MIN_DAYS, "max": GDAP_MAX_DAYS}
        ]
    if not isinstance(auto_extend, bool):
        errors["auto_extend"] = [_("Say true or false.")]
    if errors:
        raise InvalidInput(errors)
    return {
        "name": name,
        "roles": [r for r in GDAP_ROLES if r in roles],
        "duration_days": duration_days,
        "auto_extend": auto_extend,
    }


def gdap_propose(
    *, actor, relationship: ProviderResellerRelationship, name, roles, duration_days, auto_extend=False
) -> GranularAdminRelationship:
    """The provider asks the reseller for named directory roles for 1 to 730 days, optionally
    extended automatically by 180 days at a time; it waits for the reseller's approval."""
    partner = acting_admin(actor)
    if relationship.provider_id != partner.pk:
        raise NotPermitted(_("Only the provider asks for granular admin roles; the reseller approves them."))
    clean = _gdap_input(name, roles, duration_days, auto_extend)
    with transaction.atomic():
        relationship = _lock_relationship(relationship)
        if not relationship.is_active:
            raise _ended(relationship)
        gdap = GranularAdminRelationship.objects.create(relationship=relationship, status=G.CREATED, **clean)
        _move_gdap(
            gdap, G.APPROVAL_PENDING, actor=actor, partner=partner, kind=events.GDAP_PROPOSED, data=clean
        )
    return gdap


def _lock_gdap(gdap: GranularAdminRelationship) -> GranularAdminRelationship:
    return (
        GranularAdminRelationship.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .get(pk=gdap.pk)
    )


def gdap_approve(*, actor, gdap: GranularAdminRelationship) -> GranularAdminRelationship:
    """The reseller grants the roles: active from now for its duration. The provider
    cannot approve its own request (403)."""
    partner = acting_admin(actor)
    if gdap.relationship.reseller_id != partner.pk:
        raise NotPermitted(_("Only the reseller approves granular admin roles."))
    with transaction.atomic():
        gdap = _lock_gdap(gdap)
        if not gdap.relationship.is_active:
            raise conflict(gdap.status, gdap.get_status_display(), _("This relationship has ended."))
        now = timezone.now()
        _move_gdap(
            gdap,
            G.ACTIVE,
            actor=actor,
            partner=partner,
            kind=events.GDAP_APPROVED,
            activated_at=now,
            ends_at=now + timedelta(days=gdap.duration_days),
        )
    return gdap


def gdap_terminate(*, actor, gdap: GranularAdminRelationship) -> GranularAdminRelationship:
    """Either side ends the granular admin relationship; the sweep completes it."""
    partner = acting_admin(actor)
    if partner.pk not in (gdap.relationship.provider_id, gdap.relationship.reseller_id):
        raise NotPermitted(_("Only the provider or the reseller can end this relationship."))
    with transaction.atomic():
        gdap = _lock_gdap(gdap)
        _move_gdap(
            gdap,
            G.TERMINATION_REQUESTED,
            actor=actor,
            partner=partner,
            kind=events.GDAP_TERMINATION_REQUESTED,
        )
    return gdap


def gdap_due() -> dict[str, list]:
    """Ids of the GDAP relationships the sweep moves now, by step."""
    now = timezone.now()
    running = GranularAdminRelationship.objects.filter(status__in=[G.ACTIVE, G.EXPIRING])

    def ids(queryset):
        return list(queryset.order_by("ends_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH])

    return {
        "terminate": ids(GranularAdminRelationship.objects.filter(status=G.TERMINATION_REQUESTED)),
        "extend": ids(running.filter(auto_extend=True, ends_at__lte=now)),
        "expire": ids(running.filter(auto_extend=False, ends_at__lte=now)),
        "expiring": ids(
            running.filter(
                status=G.ACTIVE, auto_extend=False, ends_at__gt=now, ends_at__lte=now + EXPIRING_WITHIN
            )
        ),
    }


def gdap_sweep_step(*, gdap_id, step: str) -> bool:
    """One move of the sweep, on one row: lock it, re-check that the step is still due
    (a second sweep, or a termination that came first, finds nothing to do), move it."""
    now = timezone.now()
    with transaction.atomic():
        gdap = (
            GranularAdminRelationship.objects.select_for_update(of=("self",))
            .select_related("relationship__provider")
            .filter(pk=gdap_id)
            .first()
        )
        if gdap is None:
            return False
        # The sweep's moves are filed in the provider's history (it holds the roles).
        owner = gdap.relationship.provider
        running = gdap.status in (G.ACTIVE, G.EXPIRING) and gdap.ends_at is not None
        if step == "terminate" and gdap.status == G.TERMINATION_REQUESTED:
            _move_gdap(
                gdap, G.TERMINATED, actor=None, partner=owner, kind=events.GDAP_TERMINATED, terminated_at=now
            )
        elif step == "extend" and running and gdap.auto_extend and gdap.ends_at <= now:
            # Not a move: the roles stay active, only their end moves on.
            ends_at = gdap.ends_at
            while ends_at <= now:  # the sweep may have been down for a while
                ends_at += AUTO_EXTENSION
            gdap.ends_at = ends_at
            gdap.save(update_fields=["ends_at"])
            record(
                gdap,
                events.GDAP_EXTENDED,
                partner=owner,
                from_state=gdap.status,
                to_state=gdap.status,
                ends_at=ends_at.isoformat(),
            )
        elif step == "expire" and running and not gdap.auto_extend and gdap.ends_at <= now:
            _move_gdap(gdap, G.EXPIRED, actor=None, partner=owner, kind=events.GDAP_EXPIRED)
        elif (
            step == "expiring"
            and gdap.status == G.ACTIVE
            and not gdap.auto_extend
            and gdap.ends_at is not None
            and now < gdap.ends_at <= now + EXPIRING_WITHIN
        ):
            _move_gdap(gdap, G.EXPIRING, actor=None, partner=owner, kind=events.GDAP_EXPIRING)
        else:
            return False
    return True
