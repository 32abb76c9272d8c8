from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def iso_datetime(value: str) -> str:
    """An ISO 8601 string from an email's context, as a localized date and time (UTC)."""
    parsed = parse_datetime(value or "")
    return f"{date_format(parsed, 'DATETIME_FORMAT')} UTC" if parsed else ""


@register.simple_tag
def program_label(program: str) -> str:
    return _("Direct bill") if program == "direct_bill" else _("Indirect reseller")


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """The current page's address with one page parameter changed (filters are kept)."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
