"""What the navigation offers a partner's user: computed once per page, only when the
template asks (one query)."""

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from enrollment.models import Enrollment, EnrollmentStatus, Partner

from .models import IndirectProvider


def _partner_nav(user) -> dict:
    partner = (
        Partner.objects.filter(tenant_id=user.tenant_id)
        .annotate(
            is_active=Exists(
                Enrollment.objects.filter(partner=OuterRef("pk"), status=EnrollmentStatus.ACTIVE)
            ),
            is_provider=Exists(IndirectProvider.objects.filter(partner=OuterRef("pk"), authorized=True)),
        )
        .values("is_active", "is_provider")
        .first()
    )
    return {
        "partner": partner is not None,
        "active": bool(partner and partner["is_active"]),
        "provider": bool(partner and partner["is_provider"]),
    }


def partner_nav(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.tenant_id):
        return {"partner_nav": {}}
    return {"partner_nav": SimpleLazyObject(lambda: _partner_nav(user))}
