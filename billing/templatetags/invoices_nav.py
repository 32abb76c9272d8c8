"""The navigation's invoice links, each from its one rule: ``{% load invoices_nav %}`` and
``{% if user|sees_invoices %}`` (the role table's ``VIEW_INVOICES``)."""

from django import template

from billing.periods import month_label
from billing.permissions import Action, may

register = template.Library()


@register.filter
def sees_invoices(user) -> bool:
    return may(user, Action.VIEW_INVOICES)


@register.filter
def billing_month(day) -> str:
    """``{{ invoice.period_start|billing_month }}``: the month in the reader's language."""
    return month_label(day)
