"""Who may order, once (DOMAIN.md, "Direct-bill customers and indirect-reseller customers"):
the partner that bills the customer orders its products (a direct-bill partner for its
customers, the indirect provider for its own and its resellers' customers; never the
indirect reseller), through its users in an ordering role. Services call the ``require_*``
check (``NotPermitted``: 403); pages and the API ask ``may_order``."""

from django.utils.translation import gettext as _

from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted
from relationships.models import CustomerRelationship
from relationships.permissions import has_roles, require_roles

# Who places orders in Partner Center: the admins and the sales agents.
ORDER_ROLES = (Role.GLOBAL_ADMIN, Role.ADMIN_AGENT, Role.SALES_AGENT)


def may_order(user, relationship: CustomerRelationship | None) -> bool:
    """``user`` may order for the customer of ``relationship`` (its partner's relationship)."""
    return relationship is not None and relationship.bills_customer and has_roles(user, ORDER_ROLES)


def require_may_order(actor, relationship: CustomerRelationship) -> None:
    require_roles(actor, ORDER_ROLES)
    if not relationship.bills_customer:
        raise NotPermitted(
            _(
                "Indirect resellers do not submit orders: your indirect provider orders products for this "
                "customer and bills it. You manage the customer's users and licenses."
            )
        )
