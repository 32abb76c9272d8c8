"""Who may act in the provider and reseller model, each rule once. Services call the
``require_*`` and ``acting_*`` checks (they raise ``NotPermitted``: 403); views, templates
and the API ask the predicates."""

from django.utils.translation import gettext as _

from enrollment.models import Partner, Program
from enrollment.transition import NO_NEW_DIRECT_CUSTOMERS, takes_new_direct_customers
from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted

# Authorizing a provider or a customer relationship, inviting: the global admin or an admin agent.
ADMIN_ROLES = (Role.GLOBAL_ADMIN, Role.ADMIN_AGENT)


def has_roles(user, roles=ADMIN_ROLES) -> bool:
    return bool(user and user.is_authenticated and any(user.has_role(role) for role in roles))


def require_roles(actor, roles=ADMIN_ROLES) -> None:
    if not has_roles(actor, roles):
        raise NotPermitted(
            _("Only your global admin or an admin agent can do this. Ask them, or ask for the role.")
        )


def acting_partner(actor, partners=None, *, related: tuple[str, ...] = ()) -> Partner:
    """The actor's partner; a partner acts in the program only once its enrollment is active
    ("a partner acts in a program only once its enrollment there is active"). ``partners``:
    a queryset of partners with what the caller reads of it too; ``related``: what else to
    read in the same query (``indirect_provider`` for a provider's pages)."""
    partner = (
        (Partner.objects.all() if partners is None else partners)
        .filter(tenant_id=getattr(actor, "tenant_id", None))
        .with_is_active()
        .select_related("tenant", *related)
        .first()
    )
    if partner is None or not partner.is_active:
        raise NotPermitted(
            _(
                "Your organization can do this once its enrollment is active: the agreement must be accepted first."
            )
        )
    return partner


def acting_admin(actor, *, related: tuple[str, ...] = ()) -> Partner:
    """The global admin or an admin agent of an active partner (403 otherwise)."""
    require_roles(actor)
    return acting_partner(actor, related=related)


def is_indirect_provider(partner: Partner) -> bool:
    provider = getattr(partner, "indirect_provider", None) if hasattr(partner, "indirect_provider") else None
    return bool(provider and provider.authorized)


def require_indirect_provider(partner: Partner) -> None:
    if not is_indirect_provider(partner):
        raise NotPermitted(_("Only an indirect provider authorized by the program can do this."))


def acting_provider(actor) -> Partner:
    """The global admin or an admin agent of an active, authorized indirect provider."""
    partner = acting_admin(actor, related=("indirect_provider",))
    require_indirect_provider(partner)
    return partner


def is_direct_bill(partner: Partner) -> bool:
    # Read with the partner where the page asks it (``customer_list_selectors.customer_list_partners``).
    known = partner.__dict__.get("direct_bill_active")
    return partner.is_active_in(Program.DIRECT_BILL) if known is None else known


def require_takes_new_direct_customers(partner: Partner) -> None:
    """A direct-bill partner becoming an indirect reseller adds no new direct customers
    (``enrollment.transition.takes_new_direct_customers``): 403 with the reason."""
    if not takes_new_direct_customers(partner):
        raise NotPermitted(NO_NEW_DIRECT_CUSTOMERS)


def acting_direct_bill(actor) -> Partner:
    """The global admin or an admin agent of a partner whose direct-bill enrollment is active:
    only a direct-bill partner "associates existing customers" as their direct partner
    (DOMAIN.md, the roles' table); an indirect reseller or provider is refused (403)."""
    partner = acting_admin(actor)
    if not is_direct_bill(partner):
        raise NotPermitted(
            _(
                "Only a direct-bill partner can request a relationship with a customer, and your "
                "organization's direct-bill enrollment is not active."
            )
        )
    require_takes_new_direct_customers(partner)
    return partner


# --- The customer's side: its global admin manages its partners ---------------------------------


def is_customer_admin(user) -> bool:
    """A global admin of a work account (tenant): the one who authorizes partners for it and
    manages them afterwards (a customer's admin agents act for partners, not for the customer)."""
    return bool(user and user.is_authenticated and user.tenant_id and user.is_global_admin)


def require_customer_admin(actor, customer=None) -> None:
    """Only a global admin sees its organization's partners, and only the global admin of the
    customer's own tenant changes them (403)."""
    if not is_customer_admin(actor) or (customer is not None and actor.tenant_id != customer.tenant_id):
        raise NotPermitted(
            _("Only your organization's global admin can change its partners' access. Ask your global admin.")
        )
