"""What the navigation offers a signed-in user: computed once per page, only when the
template asks, in one query (enrollment's partner facts with relationships' own added,
compiled once per process: ``CompiledQuery``), and one more for a global admin of a tenant
without a partner (whether its tenant is a customer's: *Partner relationships*). ``key``
sums the facts up for the cache of the links they show (``base.html``). Each fact
comes from its one home: ``enrollment.permissions``, ``relationships.models`` and
``relationships.permissions``."""

import uuid

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from enrollment.models import Program
from enrollment.permissions import can_edit_business_profile, is_reviewer, may_enroll, may_manage_incentives
from enrollment.selectors import partner_nav_row
from partnercenter.core.querysets import CompiledQuery

from .models import Customer, IndirectProvider
from .permissions import is_customer_admin

_NAV_ROW = CompiledQuery(
    lambda tenant_id: partner_nav_row(
        tenant_id,
        is_provider=Exists(IndirectProvider.objects.filter(partner=OuterRef("pk"), authorized=True)),
        is_customer=Exists(Customer.objects.filter(tenant_id=OuterRef("tenant_id"))),
    ),
    marker=uuid.UUID(int=0),
)


def _nav(user) -> dict:
    row = _NAV_ROW.first(user.tenant_id) if user.tenant_id else None
    open_programs = {Program.INDIRECT_RESELLER} if row and row["has_open_indirect"] else set()
    customer_admin = is_customer_admin(user)
    if customer_admin:
        customer_admin = (
            row["is_customer"] if row else Customer.objects.filter(tenant_id=user.tenant_id).exists()
        )
    facts = {
        "partner": row is not None,
        "active": bool(row and row["is_active"]),
        "provider": bool(row and row["is_provider"]),
        "may_enroll": may_enroll(user, open_programs=open_programs),
        "business_profile": row is not None and can_edit_business_profile(user),
        "incentives": row is not None and may_manage_incentives(user),
        "reviewer": is_reviewer(user),
        "customer_admin": bool(customer_admin),
    }
    # Every fact above, for ``base.html``'s cache of the links they show.
    return {**facts, "key": nav_key(facts)}


def nav_key(facts: dict) -> str:
    """The facts as a short key: ``"10010"`` (the navigation's links are rendered once a
    process for each key and language, ``{% cache ... using="fragments" %}``)."""
    return "".join("1" if facts[name] else "0" for name in sorted(facts))


def partner_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"partner_nav": {}}
    return {"partner_nav": SimpleLazyObject(lambda: _nav(user))}
