"""The automated check that relationships adds to the enrollment's verification: the
CSP-to-CSP restriction ("a partner's CSP transaction tenant may not buy online services
from another CSP partner: it cannot become a customer of another CSP partner", DOMAIN.md).
Registered with enrollment's check registry when the app is ready, so enrollment never
imports relationships."""

from django.utils.translation import gettext

from enrollment.check_details import register_detail
from enrollment.models import CheckKind, CheckResult
from enrollment.services.checks import CheckRun, register_check

from .selectors import csp_partners_of_tenant

CUSTOMER_OF_OTHER = register_detail(
    "csp_customer_of_other",
    lambda p: gettext(
        "This tenant is a customer tenant of another CSP partner. Enroll with a tenant that no other CSP partner "
        "sells to."
    ),
)
NOT_A_CUSTOMER = register_detail(
    "csp_not_customer", lambda p: gettext("The tenant is not a customer of another CSP partner.")
)


@register_check(CheckKind.CSP_TENANT_RESTRICTION)
def csp_tenant_restriction(run: CheckRun):
    sellers = csp_partners_of_tenant(run.partner.tenant, excluding=run.partner)
    if sellers:
        return CheckResult.FAILED, CUSTOMER_OF_OTHER(), {"partner_ids": [str(p.pk) for p in sellers]}
    return CheckResult.PASSED, NOT_A_CUSTOMER(), {}
