"""The cast of the provider and reseller tests (HOUSE_STYLE 14): a provider with its global
admin, an admin agent and a sales agent; a reseller with its global admin; an outsider
(another active partner); program staff with the review permission."""

from django.contrib.auth.models import Permission

from partnercenter.notifications.models import Notification
from relationships.services.reseller_invitations import reseller_invitation_send
from tests.factories import IndirectProviderFactory, UserFactory, active_partner


def make_provider(name="Contoso Distribution GmbH", **kwargs):
    partner = active_partner(legal_name=name, **kwargs)
    IndirectProviderFactory(partner=partner)
    return partner


def user_of(partner, role="global_admin", email=None, **kwargs):
    if email is None:
        email = f"{role.replace('_', '.')}@{partner.tenant.domain}"
    return UserFactory(tenant=partner.tenant, roles=[role], email=email, **kwargs)


def make_reviewer(email="riley@partners.test"):
    user = UserFactory(tenant=None, roles=[], email=email, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_enrollment"))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def token_of(invitation) -> str:
    """The token of the invitation's current link, as the emailed link carries it (its
    last path segment)."""
    invitation.refresh_from_db()
    notification = Notification.objects.get(
        idempotency_key=f"reseller-invitation:{invitation.pk}:{invitation.token_hash}"
    )
    return notification.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]


def invite(actor, **kwargs):
    """Send an invitation; returns it with the token of its link."""
    invitation = reseller_invitation_send(actor=actor, **kwargs)
    return invitation, token_of(invitation)
