"""Who may act in the provider and reseller model. Services call these; they raise
``NotPermitted`` (403)."""

from django.utils.translation import gettext as _

from enrollment.models import EnrollmentStatus, Partner, Program
from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted

# Authorizing a provider or a customer relationship, inviting: the global admin or an admin agent.
ADMIN_ROLES = (Role.GLOBAL_ADMIN, Role.ADMIN_AGENT)


def require_roles(actor, roles=ADMIN_ROLES) -> None:
    if not (actor and actor.is_authenticated and any(actor.has_role(role) for role in roles)):
        raise NotPermitted(
            _("Only your global admin or an admin agent can do this. Ask them, or ask for the role.")
        )


def acting_partner(actor) -> Partner:
    """The actor's partner; a partner acts in the program only once its enrollment is active
    ("a partner acts in a program only once its enrollment there is active")."""
    partner = (
        Partner.objects.filter(tenant_id=getattr(actor, "tenant_id", None)).select_related("tenant").first()
    )
    if partner is None or not partner_is_active(partner):
        raise NotPermitted(
            _(
                "Your organization can do this once its enrollment is active: the agreement must be accepted first."
            )
        )
    return partner


def partner_is_active(partner: Partner, program: str | None = None) -> bool:
    enrollments = partner.enrollments.filter(status=EnrollmentStatus.ACTIVE)
    if program:
        enrollments = enrollments.filter(program=program)
    return enrollments.exists()


def is_indirect_provider(partner: Partner) -> bool:
    provider = getattr(partner, "indirect_provider", None) if hasattr(partner, "indirect_provider") else None
    return bool(provider and provider.authorized)


def require_indirect_provider(partner: Partner) -> None:
    if not is_indirect_provider(partner):
        raise NotPermitted(_("Only an indirect provider authorized by the program can do this."))


def is_direct_bill(partner: Partner) -> bool:
    return partner_is_active(partner, Program.DIRECT_BILL)
