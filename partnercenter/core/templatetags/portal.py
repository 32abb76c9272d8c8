from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnercenter.core import l10n
from partnercenter.core.form_html import form_fields as write_form_fields

register = template.Library()


@register.filter
def iso_datetime(value: str) -> str:
    """An ISO 8601 string from an email's context, as a localized date and time (the format
    says its zone)."""
    parsed = parse_datetime(value or "")
    return date_format(parsed, "DATETIME_FORMAT") if parsed else ""


@register.simple_tag
def program_label(program: str) -> str:
    return _("Direct bill") if program == "direct_bill" else _("Indirect reseller")


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """The current page's address with one page parameter changed (filters are kept)."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"


@register.filter
def money(value, currency: str = "") -> str:
    """Money for the reader's locale (``l10n.format_money``): ``{{ price|money }}`` for the
    API's ``{"amount", "currency"}``, or ``{{ amount|money:currency }}``."""
    if isinstance(value, dict):
        value, currency = value["amount"], value["currency"]
    return l10n.format_money(value, currency)


@register.simple_tag
def person_name(first_name: str, last_name: str) -> str:
    """A full name in the order of its own language (``l10n.person_name``)."""
    return l10n.person_name(first_name, last_name)


@register.filter
def as_list(items) -> str:
    """``{{ labels|as_list }}``: values as the reader's language lists them in a table cell,
    "A, B, C" or "A、B、C" (``l10n.format_list``)."""
    return l10n.format_list(items or [], conjunction=False)


@register.simple_tag
def form_fields(form):
    """``{% form_fields form %}``: what ``{% include "partials/form.html" %}`` writes for the
    form, written in Python (``form_html.form_fields``) for a page of many forms."""
    return write_form_fields(form)
