"""``{% check_items checks %}``: the ``<li>`` of each verification check of the status page,
written here and not by the template once a check (issue 12: thirteen checks, each with two
choice labels looked up by the template, were a tenth of the page's rendering). Every value
is escaped, as the template's autoescape did."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnercenter.core.markup import escaped

from ..models import CheckKind, CheckResult

register = template.Library()

ITEM = (
    '<li class="check-{result}"><span class="dot" aria-hidden="true"></span>'
    '<span class="check-label">{kind}</span> <span class="badge result-{result}">{result_label}</span>{reason}</li>'
)
REASON = '<span class="reason"><span class="visually-hidden">{label}: </span>{detail}</span>'


@register.simple_tag
def check_items(checks) -> SafeString:
    """Each check: what it verifies, its result, and for a failed check what it says."""
    kinds, results = dict(CheckKind.choices), dict(CheckResult.choices)
    reason_label = escaped(_("Reason"))
    items = []
    for check in checks:
        reason = ""
        if check.result == CheckResult.FAILED and (detail := check.detail):
            reason = REASON.format(label=reason_label, detail=escaped(detail))
        items.append(
            ITEM.format(
                result=escaped(check.result),
                kind=escaped(kinds.get(check.kind, check.kind)),
                result_label=escaped(results.get(check.result, check.result)),
                reason=reason,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped
