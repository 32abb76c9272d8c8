"""Reads about customers and partners."""

from enrollment.models import Partner


def csp_partners_of_tenant(tenant, *, excluding: Partner | None = None) -> list[Partner]:
    """The CSP partners for whom ``tenant`` is a customer tenant (the CSP-to-CSP rule:
    a partner's CSP transaction tenant may not be another CSP partner's customer)."""
    partners = Partner.objects.filter(customer_relationships__customer__tenant=tenant).distinct()
    if excluding is not None:
        partners = partners.exclude(pk=excluding.pk)
    return list(partners.order_by("legal_name"))
