"""The direct-bill pieces of the pages: the partner's status page (the questionnaire's
outcome, the credit check, the support plan) and Program info."""

from django import template

from ..direct_bill import ServiceKind
from ..forms.direct_bill import SupportPlanForm
from ..models import CheckKind, CheckResult

register = template.Library()


@register.inclusion_tag("enrollment/_direct_bill_status.html", takes_context=True)
def direct_bill_status(context):
    """For a direct-bill enrollment: a questionnaire that did not qualify (its reason and
    the indirect-reseller path), the credit check's line or decline, and the support plan
    form for the global admin once a line is approved. After a POST that failed, the view
    leaves the bound form on the request (``partner_action_forms``)."""
    enrollment = context["enrollment"]
    if not enrollment.is_direct_bill:
        return {"shown": False}
    request = context.get("request")
    bound = getattr(request, "partner_action_forms", {})
    checks = {check.kind: check for check in enrollment.checks.all()}
    questionnaire = checks.get(CheckKind.QUESTIONNAIRE)
    can_act = bool(context.get("can_act"))
    return {
        "shown": True,
        "enrollment": enrollment,
        "application": enrollment.direct_bill_application,
        "refusal": enrollment.questionnaire_refusal,
        "can_act": can_act,
        "questionnaire_failed": questionnaire is not None and questionnaire.result == CheckResult.FAILED,
        "questionnaire": questionnaire,
        "credit_check": checks.get(CheckKind.CREDIT_CHECK),
        "credit_line": enrollment.credit_line,
        "support_plan_form": bound.get("support_plan_form") or SupportPlanForm(auto_id="id_support_plan_%s")
        if can_act and enrollment.can_confirm_support_plan
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def service_kind(value: str) -> str:
    """A managed service's kind as people read it (``ip_service`` → "IP service")."""
    return dict(ServiceKind.choices).get(value, value)
