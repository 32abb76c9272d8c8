"""What the navigation offers a signed-in user: computed once per page, only when the
template asks, in one query (enrollment's partner facts with relationships' own added), and
one more for a global admin (whether its tenant is a customer's: *Partner relationships*).
Each fact comes from its one home: ``enrollment.permissions``, ``relationships.models`` and
``relationships.permissions``."""

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from enrollment.models import Program
from enrollment.permissions import can_edit_business_profile, is_reviewer, may_enroll, may_manage_incentives
from enrollment.selectors import partner_nav_row

from .models import Customer, IndirectProvider
from .permissions import is_customer_admin


def _nav(user) -> dict:
    row = partner_nav_row(
        user, is_provider=Exists(IndirectProvider.objects.filter(partner=OuterRef("pk"), authorized=True))
    )
    open_programs = {Program.INDIRECT_RESELLER} if row and row["has_open_indirect"] else set()
    return {
        "partner": row is not None,
        "active": bool(row and row["is_active"]),
        "provider": bool(row and row["is_provider"]),
        "may_enroll": may_enroll(user, open_programs=open_programs),
        "business_profile": row is not None and can_edit_business_profile(user),
        "incentives": row is not None and may_manage_incentives(user),
        "reviewer": is_reviewer(user),
        "customer_admin": is_customer_admin(user)
        and Customer.objects.filter(tenant_id=user.tenant_id).exists(),
    }


def partner_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"partner_nav": {}}
    return {"partner_nav": SimpleLazyObject(lambda: _nav(user))}
