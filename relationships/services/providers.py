"""Writes for indirect providers and their resellers (DOMAIN.md, "Providers and resellers";
API.md, "Providers, resellers, customers").

- Staff authorize a partner as indirect provider (``provider_authorize``); the provider
  edits its listing in *Find a provider* (``provider_listing_update``).
- The provider invites a reseller by email or MPN ID (``reseller_invitation_send``),
  resends or revokes the invitation; the beat sweep expires it.
- The reseller's global admin or admin agent follows the link and authorizes the provider
  (``reseller_invitation_accept``): the provider-reseller relationship with administrator
  access to the reseller's tenant.
- The reseller removes that administrator access without ending the relationship
  (``relationship_remove_admin_access``).
- Granular delegated admin (GDAP): the provider proposes named roles for a limited time,
  the reseller approves, either side terminates; the sweep moves them through
  expiring, expired, extended and terminated.

Every function checks the actor's right, locks the row it changes (``select_for_update``),
re-checks the state after the lock, records a ``RelationshipEvent`` and emails after
commit. Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from enrollment import rules
from enrollment.models import Enrollment, EnrollmentStatus, Partner
from enrollment.permissions import require_reviewer
from partnercenter.accounts.models import User
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from ..models import (
    GDAP_TRANSITIONS,
    INVITATION_TRANSITIONS,
    GdapStatus,
    GranularAdminRelationship,
    IndirectProvider,
    InvitationStatus,
    Offer,
    ProviderResellerRelationship,
    RelationshipState,
    ResellerInvitation,
)
from ..permissions import acting_partner, partner_is_active, require_indirect_provider, require_roles
from .common import hash_token, invitation_expiry, link, new_token, notify, record_event

# --- The legal moves, declared once ---------------------------------------------------------------

I = InvitationStatus  # noqa: E741
# A reseller invitation: only a sent one moves; every other status is final.

G = GdapStatus
# Granular delegated admin: from the provider's proposal to its end.
GDAP_TERMINABLE = frozenset(
    s for s, targets in GDAP_TRANSITIONS.items() if G.TERMINATION_REQUESTED in targets
)

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

DESCRIPTION_MAX = 2000
MESSAGE_MAX = 1000
MPN_ID_RE = re.compile(r"^\d{1,10}$")

# Event kinds (RelationshipEvent.kind).
PROVIDER_AUTHORIZED = "provider_authorized"
PROVIDER_WITHDRAWN = "provider_withdrawn"
LISTING_UPDATED = "provider_listing_updated"
INVITATION_SENT = "reseller_invitation_sent"
INVITATION_RESENT = "reseller_invitation_resent"
INVITATION_REVOKED = "reseller_invitation_revoked"
INVITATION_EXPIRED = "reseller_invitation_expired"
INVITATION_ACCEPTED = "reseller_invitation_accepted"
RESELLER_AUTHORIZED = "reseller_authorized_provider"
ADMIN_ACCESS_REMOVED = "admin_access_removed"
GDAP_PROPOSED = "gdap_proposed"
GDAP_APPROVED = "gdap_approved"
GDAP_TERMINATION_REQUESTED = "gdap_termination_requested"
GDAP_TERMINATED = "gdap_terminated"
GDAP_EXPIRING = "gdap_expiring"
GDAP_EXPIRED = "gdap_expired"
GDAP_EXTENDED = "gdap_extended"


# --- Shared steps --------------------------------------------------------------------------------


def _acting_admin(actor) -> Partner:
    """The global admin or an admin agent of an active partner (403 otherwise)."""
    require_roles(actor)
    return acting_partner(actor)


def _acting_provider(actor) -> Partner:
    partner = _acting_admin(actor)
    require_indirect_provider(partner)
    return partner


def _invitation_conflict(invitation: ResellerInvitation):
    """The 409 for an invitation that can no longer be used, saying why."""
    messages = {
        I.ACCEPTED: _("This invitation was already accepted. Each invitation link works once."),
        I.REVOKED: _("The provider revoked this invitation. Ask them for a new one."),
        I.EXPIRED: _("This invitation has expired. Ask the provider to send it again or to send a new one."),
    }
    return InvalidTransition(invitation.status, messages.get(invitation.status))


def invitation_status_now(invitation: ResellerInvitation) -> str:
    """A sent invitation past its expiry is expired, whether or not the sweep ran yet."""
    if invitation.status == I.SENT and invitation.expires_at <= timezone.now():
        return I.EXPIRED
    return invitation.status


def _move_invitation(invitation: ResellerInvitation, to: str, *, actor, partner, kind, detail="", **fields):
    """Move a locked invitation along ``INVITATION_TRANSITIONS``, save only what changed,
    and record the event."""
    current = invitation_status_now(invitation)
    if to not in INVITATION_TRANSITIONS[current]:
        invitation.status = current
        raise _invitation_conflict(invitation)
    old = invitation.status
    invitation.status = to
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["status", *fields])
    record_event(
        kind=kind, obj=invitation, actor=actor, partner=partner, from_state=old, to_state=to, detail=detail
    )


def _move_gdap(gdap: GranularAdminRelationship, to: str, *, actor, partner, kind, detail="", **fields):
    """Move a locked GDAP relationship along ``GDAP_TRANSITIONS`` (409 otherwise)."""
    if to not in GDAP_TRANSITIONS[gdap.status]:
        raise InvalidTransition(
            gdap.status,
            _("This is not possible while the granular admin relationship is “%(status)s”.")
            % {"status": gdap.get_status_display()},
        )
    old = gdap.status
    gdap.status = to
    for name, value in fields.items():
        setattr(gdap, name, value)
    gdap.save(update_fields=["status", *fields])
    record_event(
        kind=kind, obj=gdap, actor=actor, partner=partner, from_state=old, to_state=to, detail=detail
    )


def _latest_enrollment_status(partner: Partner) -> str:
    latest = Enrollment.objects.filter(partner=partner).order_by("-submitted_at").first()
    return latest.status if latest else "none"


def _page_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Staff: authorize an indirect provider ------------------------------------------------------


def provider_authorize(*, actor, partner: Partner, authorized: bool) -> IndirectProvider | None:
    """Staff with the review permission authorize an active partner as indirect provider
    (it is then listed in *Find a provider* and may invite resellers), or withdraw the
    authorization. Setting the state it already has changes nothing.

    "A partner acts in a program only once its enrollment there is active": authorizing a
    partner without an active enrollment is a 409.
    """
    require_reviewer(actor)
    if not isinstance(authorized, bool):
        raise InvalidInput.on("authorized", _("Say true to authorize the partner, false to withdraw it."))
    with transaction.atomic():
        # Two staff members at once serialize on the partner row: the provider row may
        # not exist yet, and only one of them may create it.
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        provider = IndirectProvider.objects.filter(partner=partner).first()
        if not authorized:
            if provider is None or not provider.authorized:
                return provider
            provider.authorized = False
            provider.save(update_fields=["authorized", "updated_at"])
            record_event(
                kind=PROVIDER_WITHDRAWN,
                obj=provider,
                actor=actor,
                partner=partner,
                from_state="authorized",
                to_state="withdrawn",
            )
            notify(
                template="provider_withdrawn",
                recipient=partner.contact_email,
                partner=partner,
                context={"first_name": partner.contact_first_name, "legal_name": partner.legal_name},
                key=f"indirect-provider:{provider.pk}:withdrawn:{timezone.now().isoformat()}",
            )
            return provider
        if not partner_is_active(partner):
            raise InvalidTransition(
                _latest_enrollment_status(partner),
                _(
                    "%(name)s has no active enrollment. A partner can be authorized as indirect provider "
                    "once its enrollment is active (the agreement accepted)."
                )
                % {"name": partner.legal_name},
            )
        if provider is not None and provider.authorized:
            return provider
        now = timezone.now()
        from_state = "withdrawn" if provider is not None else ""
        if provider is None:
            provider = IndirectProvider.objects.create(
                partner=partner, authorized=True, authorized_at=now, authorized_by=actor
            )
        else:
            provider.authorized, provider.authorized_at, provider.authorized_by = True, now, actor
            provider.save(update_fields=["authorized", "authorized_at", "authorized_by", "updated_at"])
        record_event(
            kind=PROVIDER_AUTHORIZED,
            obj=provider,
            actor=actor,
            partner=partner,
            from_state=from_state,
            to_state="authorized",
        )
        notify(
            template="provider_authorized",
            recipient=partner.contact_email,
            partner=partner,
            context={
                "first_name": partner.contact_first_name,
                "legal_name": partner.legal_name,
                "listing_url": _page_url("/partner/provider-listing/"),
            },
            key=f"indirect-provider:{provider.pk}:authorized:{now.isoformat()}",
        )
    return provider


# --- The provider's listing -----------------------------------------------------------------------


def _country_codes(value) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return [], [_('Give the countries as a list of ISO codes, for example ["DE", "FR"].')]
    codes: list[str] = []
    for raw in value:
        code = raw.strip().upper()
        if not countries.alpha2(code):
            return [], [
                _("“%(code)s” is not a country code. Use ISO 3166-1 codes such as DE or FR.") % {"code": raw}
            ]
        if code not in codes:
            codes.append(code)
    return codes, []


def _offers(value) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return [], [_("Give the offers as a list.")]
    unknown = [v for v in value if v not in Offer.values]
    if unknown:
        return [], [
            _("“%(offer)s” is not an offer. Choose from: %(choices)s.")
            % {"offer": unknown[0], "choices": ", ".join(Offer.values)}
        ]
    return [o for o in Offer.values if o in value], []


def validate_listing(data) -> tuple[dict, dict]:
    """Only the fields given are checked and returned (a partial update)."""
    data = data if isinstance(data, dict) else {}
    clean: dict = {}
    errors: dict[str, list] = {}
    if "countries" in data:
        codes, messages = _country_codes(data["countries"])
        if messages:
            errors["countries"] = messages
        else:
            clean["countries"] = codes
    if "offers" in data:
        offers, messages = _offers(data["offers"])
        if messages:
            errors["offers"] = messages
        else:
            clean["offers"] = offers
    if "description" in data:
        text, messages = rules.normalize_description(
            data["description"], DESCRIPTION_MAX, _("Describe what you offer resellers in plain text.")
        )
        if messages:
            errors["description"] = messages
        else:
            clean["description"] = text
    if "website" in data:
        website, messages = rules.normalize_website(data["website"])
        if messages:
            errors["website"] = messages
        else:
            clean["website"] = website
    return clean, errors


def provider_listing_update(*, actor, data: dict) -> IndirectProvider:
    """The provider edits its listing in *Find a provider*: the countries it serves (ISO
    codes), what it offers, a description (at most 2000 characters) and its website. Only
    the fields given change."""
    partner = _acting_provider(actor)
    clean, errors = validate_listing(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        provider = IndirectProvider.objects.select_for_update().get(partner=partner)
        changed = [name for name, value in clean.items() if getattr(provider, name) != value]
        for name in changed:
            setattr(provider, name, clean[name])
        if changed:
            provider.save(update_fields=[*changed, "updated_at"])
            record_event(
                kind=LISTING_UPDATED, obj=provider, actor=actor, partner=partner, detail=", ".join(changed)
            )
    return provider


# --- Reseller invitations ---------------------------------------------------------------------------


def _partners_by_email(email: str):
    """Partners an email address belongs to: as primary contact or as one of their users."""
    users = User.objects.filter(tenant_id=OuterRef("tenant_id"), email__iexact=email)
    return Partner.objects.filter(Q(contact_email__iexact=email) | Q(Exists(users)))


def _partner_with_mpn_id(mpn_id: str) -> Partner | None:
    """The enrolled partner with this MPN ID (an active one first)."""
    active = Enrollment.objects.filter(partner=OuterRef("pk"), status=EnrollmentStatus.ACTIVE)
    return (
        Partner.objects.filter(mpn_id=mpn_id)
        .annotate(is_active=Exists(active))
        .order_by("-is_active", "created_at")
        .first()
    )


def _has_active_relationship(provider: Partner, resellers) -> bool:
    return ProviderResellerRelationship.objects.filter(
        provider=provider, reseller__in=resellers, state=RelationshipState.ACTIVE
    ).exists()


def _invitee(provider: Partner, *, email, mpn_id) -> tuple[str, str, Partner | None]:
    """Check whom the provider invites; returns (email, mpn_id, the invited partner if known).
    Exactly one of email and MPN ID; never yourself; never a reseller you already have."""
    email = email.strip() if isinstance(email, str) else ""
    mpn_id = mpn_id.strip() if isinstance(mpn_id, str) else ""
    if bool(email) == bool(mpn_id):
        raise InvalidInput(
            {
                "non_field_errors": [
                    _("Give either the reseller's email address or its MPN ID, not both.")
                    if email
                    else _("Give the reseller's email address or its MPN ID.")
                ]
            }
        )
    already = _("This reseller already authorized you: it is on your Indirect resellers page.")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            raise InvalidInput.on(
                "email", _("Enter a valid email address, for example name@reseller.com.")
            ) from exc
        email = email.lower()
        partners = _partners_by_email(email)
        if partners.filter(pk=provider.pk).exists():
            raise InvalidInput.on(
                "email", _("This address belongs to your own organization. Invite another partner.")
            )
        if _has_active_relationship(provider, partners):
            raise InvalidInput.on("email", already)
        return email, "", partners.first()
    if not MPN_ID_RE.match(mpn_id):
        raise InvalidInput.on("mpn_id", _("Enter the MPN ID: up to 10 digits, for example 4820001."))
    if mpn_id == provider.mpn_id:
        raise InvalidInput.on("mpn_id", _("This is your own MPN ID. Invite another partner."))
    reseller = _partner_with_mpn_id(mpn_id)
    if reseller is None:
        raise InvalidInput.on(
            "mpn_id",
            _("No partner with MPN ID %(mpn_id)s is enrolled. Check the ID, or invite the reseller by email.")
            % {"mpn_id": mpn_id},
        )
    if _has_active_relationship(provider, [reseller]):
        raise InvalidInput.on("mpn_id", already)
    return "", mpn_id, reseller


def _message(value) -> str:
    message = value.strip() if isinstance(value, str) else ""
    if len(message) > MESSAGE_MAX:
        raise InvalidInput.on(
            "message",
            _("Shorten the message to at most %(max)d characters (it has %(length)d).")
            % {"max": MESSAGE_MAX, "length": len(message)},
        )
    return message


def _recipient(invitation: ResellerInvitation) -> tuple[str, Partner | None]:
    """Where the invitation goes: its email, or the primary contact of the enrolled partner
    with its MPN ID (as it is now: the contact may have changed since)."""
    if invitation.email:
        return invitation.email, _partners_by_email(invitation.email).first()
    reseller = _partner_with_mpn_id(invitation.mpn_id)
    if reseller is None:
        raise InvalidInput.on(
            "mpn_id",
            _("No partner with MPN ID %(mpn_id)s is enrolled any more.") % {"mpn_id": invitation.mpn_id},
        )
    return reseller.contact_email, reseller


def _email_invitation(invitation: ResellerInvitation, token: str, provider: Partner) -> None:
    recipient, reseller = _recipient(invitation)
    notify(
        template="reseller_invitation",
        recipient=recipient,
        # The reseller's language when it is enrolled; else the provider's.
        partner=reseller or provider,
        context={
            "provider_name": provider.legal_name,
            "provider_country": provider.country.code,
            "message": invitation.message,
            "accept_url": link("/reseller-invitations/", token),
            "expires_at": invitation.expires_at.isoformat(),
        },
        key=f"reseller-invitation:{invitation.pk}:{invitation.token_hash}",
    )


def reseller_invitation_send(
    *, actor, email: str = "", mpn_id: str = "", message: str = ""
) -> ResellerInvitation:
    """An authorized, active provider's global admin or admin agent invites a reseller by
    email or by MPN ID (exactly one), with an optional message of at most 1000 characters.
    The invitee is emailed a single-use link that expires after INVITATION_TTL_DAYS."""
    provider = _acting_provider(actor)
    message = _message(message)
    email, mpn_id, _reseller = _invitee(provider, email=email, mpn_id=mpn_id)
    token, token_hash = new_token()
    now = timezone.now()
    with transaction.atomic():
        invitation = ResellerInvitation.objects.create(
            provider=provider,
            email=email,
            mpn_id=mpn_id,
            message=message,
            token_hash=token_hash,
            created_by=actor,
            created_at=now,
            sent_at=now,
            expires_at=invitation_expiry(now),
        )
        record_event(
            kind=INVITATION_SENT,
            obj=invitation,
            actor=actor,
            partner=provider,
            to_state=I.SENT,
            detail=email or f"MPN ID {mpn_id}",
        )
        _email_invitation(invitation, token, provider)
    return invitation


def _lock_invitation(invitation: ResellerInvitation) -> ResellerInvitation:
    return (
        ResellerInvitation.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=invitation.pk)
    )


def _require_sender(partner: Partner, invitation: ResellerInvitation) -> None:
    if invitation.provider_id != partner.pk:
        raise NotPermitted(_("Only the provider that sent this invitation can resend or revoke it."))


def reseller_invitation_resend(*, actor, invitation: ResellerInvitation) -> ResellerInvitation:
    """A new link with a new expiry; the old link stops working (its hash is replaced).
    Only a sent invitation can be resent (409 otherwise)."""
    partner = _acting_provider(actor)
    _require_sender(partner, invitation)
    token, token_hash = new_token()
    now = timezone.now()
    with transaction.atomic():
        invitation = _lock_invitation(invitation)
        _move_invitation(
            invitation,
            I.SENT,
            actor=actor,
            partner=partner,
            kind=INVITATION_RESENT,
            token_hash=token_hash,
            sent_at=now,
            expires_at=invitation_expiry(now),
        )
        _email_invitation(invitation, token, invitation.provider)
    return invitation


def reseller_invitation_revoke(*, actor, invitation: ResellerInvitation) -> ResellerInvitation:
    """The provider takes a sent invitation back; its link stops working."""
    partner = _acting_provider(actor)
    _require_sender(partner, invitation)
    with transaction.atomic():
        invitation = _lock_invitation(invitation)
        _move_invitation(invitation, I.REVOKED, actor=actor, partner=partner, kind=INVITATION_REVOKED)
    return invitation


def reseller_invitations_due() -> list:
    """Ids of sent invitations whose link has run out (for the sweep)."""
    return list(
        ResellerInvitation.objects.filter(status=I.SENT, expires_at__lte=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)[:500]
    )


def reseller_invitation_expire(*, invitation_id) -> bool:
    """Mark one sent invitation past its expiry ``expired``. Claimed with a conditional
    update, so a second sweep (or a resend that came first) makes it do nothing."""
    with transaction.atomic():
        claimed = ResellerInvitation.objects.filter(
            pk=invitation_id, status=I.SENT, expires_at__lte=timezone.now()
        ).update(status=I.EXPIRED)
        if claimed != 1:
            return False
        invitation = ResellerInvitation.objects.get(pk=invitation_id)
        record_event(
            kind=INVITATION_EXPIRED,
            obj=invitation,
            partner=invitation.provider,
            from_state=I.SENT,
            to_state=I.EXPIRED,
        )
    return True


# --- Accepting: the reseller authorizes the provider ------------------------------------------------


def _invitation_by_token(token) -> ResellerInvitation:
    if not isinstance(token, str) or not token.strip():
        raise InvalidInput.on("token", _("Give the token from the invitation link."))
    invitation = (
        ResellerInvitation.objects.select_related("provider")
        .filter(token_hash=hash_token(token.strip()))
        .first()
    )
    if invitation is None:
        raise InvalidInput.on(
            "token",
            _(
                "This invitation link is not valid. It may have been replaced by a newer one: use the link in "
                "the provider's latest email."
            ),
        )
    return invitation


def _require_invitee(actor, partner: Partner, invitation: ResellerInvitation) -> None:
    """The invitation is bound to the invited reseller: an MPN ID invitation to the partner
    with that MPN ID; an email invitation to the partner whose user or primary contact has
    that address. Anyone else gets 403 and nothing changes."""
    if partner.pk == invitation.provider_id:
        raise NotPermitted(_("Your organization sent this invitation. The invited reseller accepts it."))
    if invitation.mpn_id:
        if partner.mpn_id != invitation.mpn_id:
            raise NotPermitted(
                _(
                    "This invitation is for the partner with MPN ID %(mpn_id)s, not for your organization "
                    "(MPN ID %(own)s). Sign in with a work account of the invited partner."
                )
                % {"mpn_id": invitation.mpn_id, "own": partner.mpn_id}
            )
        return
    invited = invitation.email.casefold()
    if invited not in {(actor.email or "").casefold(), (partner.contact_email or "").casefold()}:
        raise NotPermitted(
            _(
                "This invitation was sent to %(email)s. Sign in as that user, or as a global admin or admin "
                "agent of the partner whose primary contact it is."
            )
            % {"email": invitation.email}
        )


def reseller_invitation_check(*, actor, token) -> ResellerInvitation:
    """What the acceptance page shows before the reseller decides: the invitation, after the
    same checks ``reseller_invitation_accept`` makes (it changes nothing)."""
    invitation = _invitation_by_token(token)
    partner = _acting_admin(actor)
    _require_invitee(actor, partner, invitation)
    status = invitation_status_now(invitation)
    if status != I.SENT:
        invitation.status = status
        raise _invitation_conflict(invitation)
    if ProviderResellerRelationship.objects.filter(
        provider=invitation.provider, reseller=partner, state=RelationshipState.ACTIVE
    ).exists():
        # Another invitation from the same provider was accepted already: say so at once.
        raise _already_your_provider(invitation.provider)
    return invitation


def _already_your_provider(provider: Partner) -> InvalidTransition:
    return InvalidTransition(
        RelationshipState.ACTIVE,
        _("%(name)s is already your indirect provider.") % {"name": provider.legal_name},
    )


def reseller_invitation_accept(*, actor, token, authorize) -> ProviderResellerRelationship:
    """The reseller's global admin or admin agent authorizes the provider: the provider gets
    administrator access to the reseller's tenant and may order for its customers.

    Creates the provider-reseller relationship (or reactivates a terminated one), marks
    the invitation accepted, records both events and emails the provider once after
    commit. Two acceptances at once serialize on the invitation row: the second finds it
    accepted and gets 409.
    """
    if authorize is not True:
        raise InvalidInput.on(
            "authorize",
            _(
                "Tick the box to authorize the indirect provider: it gets administrator access to your tenant."
            ),
        )
    invitation = _invitation_by_token(token)
    partner = _acting_admin(actor)
    _require_invitee(actor, partner, invitation)
    try:
        with transaction.atomic():
            invitation = _lock_invitation(invitation)
            provider = invitation.provider
            now = timezone.now()
            if (
                invitation_status_now(invitation) == I.SENT
                and not IndirectProvider.objects.filter(partner=provider, authorized=True).exists()
            ):
                raise InvalidTransition(
                    invitation.status,
                    _(
                        "%(name)s is no longer an authorized indirect provider; the invitation cannot be accepted."
                    )
                    % {"name": provider.legal_name},
                )
            _move_invitation(
                invitation,
                I.ACCEPTED,
                actor=actor,
                partner=partner,
                kind=INVITATION_ACCEPTED,
                accepted_at=now,
                accepted_by=actor,
                reseller=partner,
            )
            relationship = (
                ProviderResellerRelationship.objects.select_for_update()
                .filter(provider=provider, reseller=partner)
                .first()
            )
            if relationship is not None and relationship.state == RelationshipState.ACTIVE:
                raise _already_your_provider(provider)
            from_state = ""
            if relationship is None:
                relationship = ProviderResellerRelationship.objects.create(
                    provider=provider,
                    reseller=partner,
                    admin_access=True,
                    established_at=now,
                    invitation=invitation,
                )
            else:
                from_state = relationship.state
                relationship.state = RelationshipState.ACTIVE
                relationship.admin_access, relationship.admin_access_removed_at = True, None
                relationship.established_at, relationship.invitation = now, invitation
                relationship.save(
                    update_fields=[
                        "state",
                        "admin_access",
                        "admin_access_removed_at",
                        "established_at",
                        "invitation",
                    ]
                )
            record_event(
                kind=RESELLER_AUTHORIZED,
                obj=relationship,
                actor=actor,
                partner=partner,
                from_state=from_state,
                to_state=RelationshipState.ACTIVE,
                detail="admin_access=True",
            )
            _notify_provider(
                "provider_reseller_authorized",
                provider=provider,
                reseller=partner,
                key=f"relationship:{relationship.pk}:authorized:{invitation.pk}",
            )
    except IntegrityError as exc:
        # Two invitations of one provider accepted at once: the pair constraint caught it.
        raise _already_your_provider(invitation.provider) from exc
    return relationship


def _notify_provider(template: str, *, provider: Partner, reseller: Partner, key: str) -> None:
    """Tell the provider what its reseller did (authorized it, removed its admin access)."""
    notify(
        template=template,
        recipient=provider.contact_email,
        partner=provider,
        context={
            "first_name": provider.contact_first_name,
            "reseller_name": reseller.legal_name,
            "reseller_mpn_id": reseller.mpn_id,
            "resellers_url": _page_url("/indirect-resellers/"),
        },
        key=key,
    )


# --- Administrator access ------------------------------------------------------------------------------


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
    partner = _acting_admin(actor)
    if relationship.reseller_id != partner.pk:
        raise NotPermitted(_("Only the reseller can remove its provider's administrator access."))
    with transaction.atomic():
        relationship = _lock_relationship(relationship)
        if relationship.state != RelationshipState.ACTIVE:
            raise InvalidTransition(relationship.state, _("This relationship has ended."))
        if not relationship.admin_access:
            raise InvalidTransition(
                relationship.state, _("The provider's administrator access was already removed.")
            )
        now = timezone.now()
        relationship.admin_access, relationship.admin_access_removed_at = False, now
        relationship.save(update_fields=["admin_access", "admin_access_removed_at"])
        record_event(
            kind=ADMIN_ACCESS_REMOVED,
            obj=relationship,
            actor=actor,
            partner=partner,
            from_state="admin_access",
            to_state="no_admin_access",
        )
        _notify_provider(
            "provider_admin_access_removed",
            provider=relationship.provider,
            reseller=partner,
            key=f"relationship:{relationship.pk}:admin-access-removed:{now.isoformat()}",
        )
    return relationship


# --- Granular delegated admin (GDAP) --------------------------------------------------------------------


def _gdap_input(name, roles, duration_days, auto_extend) -> dict:
    errors: dict[str, list] = {}
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name:
        errors["name"] = [_("Name the relationship, for example “Helpdesk for Contoso”.")]
    elif len(name) > GDAP_NAME_MAX:
        errors["name"] = [
            _("Shorten the name to at most %(max)d characters (it has %(length)d).")
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
            _("The duration is from %(min)d day to %(max)d days (two years).")
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
    partner = _acting_admin(actor)
    if relationship.provider_id != partner.pk:
        raise NotPermitted(_("Only the provider asks for granular admin roles; the reseller approves them."))
    clean = _gdap_input(name, roles, duration_days, auto_extend)
    with transaction.atomic():
        relationship = _lock_relationship(relationship)
        if relationship.state != RelationshipState.ACTIVE:
            raise InvalidTransition(relationship.state, _("This relationship has ended."))
        gdap = GranularAdminRelationship.objects.create(relationship=relationship, status=G.CREATED, **clean)
        _move_gdap(
            gdap,
            G.APPROVAL_PENDING,
            actor=actor,
            partner=partner,
            kind=GDAP_PROPOSED,
            detail=", ".join(clean["roles"]),
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
    partner = _acting_admin(actor)
    if gdap.relationship.reseller_id != partner.pk:
        raise NotPermitted(_("Only the reseller approves granular admin roles."))
    with transaction.atomic():
        gdap = _lock_gdap(gdap)
        if gdap.relationship.state != RelationshipState.ACTIVE:
            raise InvalidTransition(gdap.status, _("This relationship has ended."))
        now = timezone.now()
        _move_gdap(
            gdap,
            G.ACTIVE,
            actor=actor,
            partner=partner,
            kind=GDAP_APPROVED,
            activated_at=now,
            ends_at=now + timedelta(days=gdap.duration_days),
        )
    return gdap


def gdap_terminate(*, actor, gdap: GranularAdminRelationship) -> GranularAdminRelationship:
    """Either side ends the granular admin relationship; the sweep completes it."""
    partner = _acting_admin(actor)
    if partner.pk not in (gdap.relationship.provider_id, gdap.relationship.reseller_id):
        raise NotPermitted(_("Only the provider or the reseller can end this relationship."))
    with transaction.atomic():
        gdap = _lock_gdap(gdap)
        _move_gdap(
            gdap, G.TERMINATION_REQUESTED, actor=actor, partner=partner, kind=GDAP_TERMINATION_REQUESTED
        )
    return gdap


def gdap_due() -> dict[str, list]:
    """Ids of the GDAP relationships the sweep moves now, by step."""
    now = timezone.now()
    running = GranularAdminRelationship.objects.filter(status__in=[G.ACTIVE, G.EXPIRING])

    def ids(queryset):
        return list(queryset.order_by("ends_at", "pk").values_list("pk", flat=True)[:500])

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
        gdap = GranularAdminRelationship.objects.select_for_update().filter(pk=gdap_id).first()
        if gdap is None:
            return False
        running = gdap.status in (G.ACTIVE, G.EXPIRING) and gdap.ends_at is not None
        if step == "terminate" and gdap.status == G.TERMINATION_REQUESTED:
            _move_gdap(gdap, G.TERMINATED, actor=None, partner=None, kind=GDAP_TERMINATED, terminated_at=now)
        elif step == "extend" and running and gdap.auto_extend and gdap.ends_at <= now:
            # Not a move: the roles stay active, only their end moves on.
            ends_at = gdap.ends_at
            while ends_at <= now:  # the sweep may have been down for a while
                ends_at += AUTO_EXTENSION
            gdap.ends_at = ends_at
            gdap.save(update_fields=["ends_at"])
            record_event(
                kind=GDAP_EXTENDED,
                obj=gdap,
                from_state=gdap.status,
                to_state=gdap.status,
                detail=ends_at.isoformat(),
            )
        elif step == "expire" and running and not gdap.auto_extend and gdap.ends_at <= now:
            _move_gdap(gdap, G.EXPIRED, actor=None, partner=None, kind=GDAP_EXPIRED)
        elif (
            step == "expiring"
            and gdap.status == G.ACTIVE
            and not gdap.auto_extend
            and gdap.ends_at is not None
            and now < gdap.ends_at <= now + EXPIRING_WITHIN
        ):
            _move_gdap(gdap, G.EXPIRING, actor=None, partner=None, kind=GDAP_EXPIRING)
        else:
            return False
    return True
