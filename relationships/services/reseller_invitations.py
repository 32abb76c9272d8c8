"""Reseller invitations (DOMAIN.md, "Providers and resellers"; API.md, "Providers, resellers,
customers"): the provider invites a reseller by email or MPN ID (``reseller_invitation_send``),
resends or revokes the invitation; the beat sweep expires it. The reseller's global admin
or admin agent follows the link and authorizes the provider (``reseller_invitation_accept``):
the provider-reseller relationship, with administrator access to the reseller's tenant.

Every function checks the actor's right, locks the row it changes (``select_for_update``),
re-checks the state after the lock, writes one audit row and emails after commit. Domain
errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403), ``InvalidTransition`` (409).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enrollment.models import Partner
from enrollment.restrictions import require_unrestricted
from partnercenter.accounts.models import User
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted

from .. import events
from ..models import (
    INVITATION_TRANSITIONS,
    IndirectProvider,
    InvitationStatus,
    ProviderResellerRelationship,
    RelationshipState,
    ResellerInvitation,
)
from ..permissions import acting_admin, acting_provider
from ..selectors import reseller_invitation_for_token
from .common import conflict, invitation_expiry, link, new_token, notify, notify_provider, record

I = InvitationStatus  # noqa: E741
MESSAGE_MAX = 1000
MPN_ID_RE = re.compile(r"^\d{1,10}$")
SWEEP_BATCH = 500
UNKNOWN_LINK = gettext_lazy(
    "This invitation link is not valid. It may have been replaced by a newer one: use the link in "
    "the provider's latest email."
)


def _invitation_conflict(status: str) -> InvalidTransition:
    """The 409 for an invitation that can no longer be used, saying why."""
    messages = {
        I.ACCEPTED: _("This invitation was already accepted. Each invitation link works once."),
        I.REVOKED: _("The provider revoked this invitation. Ask them for a new one."),
        I.EXPIRED: _("This invitation has expired. Ask the provider to send it again or to send a new one."),
    }
    return conflict(status, InvitationStatus(status).label, messages.get(status))


def _move_invitation(
    invitation: ResellerInvitation, to: str, *, actor, partner, kind, record_it=True, **fields
):
    """Move a locked invitation along ``INVITATION_TRANSITIONS`` (409 otherwise), save only
    what changed, and write the audit row (unless the caller writes its own)."""
    current = invitation.status_now
    if to not in INVITATION_TRANSITIONS[current]:
        raise _invitation_conflict(current)
    old = invitation.status
    invitation.status = to
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["status", *fields])
    if record_it:
        record(invitation, kind, actor=actor, partner=partner, from_state=old, to_state=to)


# --- Sending, resending, revoking, expiring ----------------------------------------------------


def _partners_by_email(email: str):
    """Partners an email address belongs to: as primary contact or as one of their users."""
    users = User.objects.filter(tenant_id=OuterRef("tenant_id"), email__iexact=email)
    return Partner.objects.filter(Q(contact_email__iexact=email) | Q(Exists(users)))


def _partner_with_mpn_id(mpn_id: str) -> Partner | None:
    """The enrolled partner with this MPN ID (an active one first)."""
    return Partner.objects.filter(mpn_id=mpn_id).with_is_active().order_by("-is_active", "created_at").first()


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
            ngettext(
                "Shorten the message to at most %(max)d character (it has %(length)d).",
                "Shorten the message to at most %(max)d characters (it has %(length)d).",
                MESSAGE_MAX,
            )
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
    provider = acting_provider(actor)
    require_unrestricted(provider)  # the continuing obligations: no new invitations
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
        record(
            invitation,
            events.INVITATION_SENT,
            actor=actor,
            partner=provider,
            to_state=I.SENT,
            email=email,
            mpn_id=mpn_id,
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
    partner = acting_provider(actor)
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
            kind=events.INVITATION_RESENT,
            token_hash=token_hash,
            sent_at=now,
            expires_at=invitation_expiry(now),
        )
        _email_invitation(invitation, token, invitation.provider)
    return invitation


def reseller_invitation_revoke(*, actor, invitation: ResellerInvitation) -> ResellerInvitation:
    """The provider takes a sent invitation back; its link stops working."""
    partner = acting_provider(actor)
    _require_sender(partner, invitation)
    with transaction.atomic():
        invitation = _lock_invitation(invitation)
        _move_invitation(invitation, I.REVOKED, actor=actor, partner=partner, kind=events.INVITATION_REVOKED)
    return invitation


def reseller_invitations_due() -> list:
    """Ids of sent invitations whose link has run out (for the sweep)."""
    return list(
        ResellerInvitation.objects.filter(status=I.SENT, expires_at__lte=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
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
        invitation = ResellerInvitation.objects.select_related("provider").get(pk=invitation_id)
        record(
            invitation,
            events.INVITATION_EXPIRED,
            partner=invitation.provider,
            from_state=I.SENT,
            to_state=I.EXPIRED,
        )
    return True


# --- Accepting: the reseller authorizes the provider ------------------------------------------------


def _invitation_by_token(token) -> ResellerInvitation:
    if not isinstance(token, str) or not token.strip():
        raise InvalidInput.on("token", _("Give the token from the invitation link."))
    invitation = reseller_invitation_for_token(token)
    if invitation is None:
        raise InvalidInput.on("token", UNKNOWN_LINK)
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
    partner = acting_admin(actor)
    _require_invitee(actor, partner, invitation)
    if not invitation.is_open:
        raise _invitation_conflict(invitation.status_now)
    if ProviderResellerRelationship.objects.filter(
        provider=invitation.provider, reseller=partner, state=RelationshipState.ACTIVE
    ).exists():
        # Another invitation from the same provider was accepted already: say so at once.
        raise _already_your_provider(invitation.provider)
    return invitation


def _already_your_provider(provider: Partner) -> InvalidTransition:
    return conflict(
        RelationshipState.ACTIVE,
        RelationshipState.ACTIVE.label,
        _("%(name)s is already your indirect provider.") % {"name": provider.legal_name},
    )


def reseller_invitation_accept(*, actor, token, authorize) -> ProviderResellerRelationship:
    """The reseller's global admin or admin agent authorizes the provider: the provider gets
    administrator access to the reseller's tenant and may order for its customers.

    Creates the provider-reseller relationship (or reactivates a terminated one), marks
    the invitation accepted, writes one audit row (on the relationship, naming the
    invitation) and emails the provider once after commit. Two acceptances at once
    serialize on the invitation row: the second finds it accepted and gets 409.
    """
    if authorize is not True:
        raise InvalidInput.on(
            "authorize",
            _(
                "Tick the box to authorize the indirect provider: it gets administrator access to your tenant."
            ),
        )
    invitation = _invitation_by_token(token)
    partner = acting_admin(actor)
    _require_invitee(actor, partner, invitation)
    try:
        with transaction.atomic():
            invitation = _lock_invitation(invitation)
            provider = invitation.provider
            now = timezone.now()
            if (
                invitation.is_open
                and not IndirectProvider.objects.filter(partner=provider, authorized=True).exists()
            ):
                raise conflict(
                    invitation.status,
                    InvitationStatus(invitation.status).label,
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
                kind=None,
                record_it=False,
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
            record(
                relationship,
                events.RESELLER_AUTHORIZED,
                actor=actor,
                partner=partner,
                from_state=from_state,
                to_state=RelationshipState.ACTIVE,
                invitation_id=str(invitation.pk),
                provider=provider.legal_name,
                reseller=partner.legal_name,
            )
            notify_provider(
                "provider_reseller_authorized",
                provider=provider,
                reseller=partner,
                key=f"relationship:{relationship.pk}:authorized:{invitation.pk}",
            )
    except IntegrityError as exc:
        # Two invitations of one provider accepted at once: the pair constraint caught it.
        raise _already_your_provider(invitation.provider) from exc
    return relationship
