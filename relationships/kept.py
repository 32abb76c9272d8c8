"""A partner's own lists (its customers, its resellers: page and API) as they read a
moment ago (``core.generations``, issue 12): of the partners and work accounts they read
their own partner's rows by its work account (``enrollment.kept.partner_rows``), and the
others only through the relationships and customers that point to them (``joined``), so
that another company's sign-up (a new partner, a new work account) keeps them."""

from enrollment import kept
from enrollment.models import Partner
from partnercenter.accounts.models import Tenant
from partnercenter.core import generations

# Read through a relationship's, a customer's or an invitation's foreign key only.
JOINED = (Partner._meta.db_table, Tenant._meta.db_table)


def rows(user) -> dict:
    """``generations.cached``'s ``owned`` and ``joined`` for ``user``'s partner's lists."""
    return {"owned": kept.partner_rows(user.tenant_id) if generations.keeping() else None, "joined": JOINED}
