"""The automated check that relationships adds to the enrollment's verification: the
CSP-to-CSP restriction ("a partner's CSP transaction tenant may not buy online services
from another CSP partner: it cannot become a customer of another CSP partner", DOMAIN.md).
Registered with enrollment's check registry when the app is ready, so enrollment never
imports relationships."""

from enrollment.models import CheckKind, CheckResult
from enrollment.services.checks import CheckRun, register_check

from .selectors import csp_partners_of_tenant


@register_check(CheckKind.CSP_TENANT_RESTRICTION)
def csp_tenant_restriction(run: CheckRun):
    sellers = csp_partners_of_tenant(run.partner.tenant, excluding=run.partner)
    if sellers:
        return (
            CheckResult.FAILED,
            "This tenant is a customer tenant of another CSP partner. Enroll with a tenant that no other CSP partner sells to.",
            {"partner_ids": [str(p.pk) for p in sellers]},
        )
    return CheckResult.PASSED, "The tenant is not a customer of another CSP partner.", {}
