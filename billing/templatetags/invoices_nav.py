"""The navigation's invoice links, each from its one rule: ``{% load invoices_nav %}`` and
``{% if user|sees_invoices %}`` (the role table's ``VIEW_INVOICES``)."""

from django import template

from billing.permissions import Action, may

register = template.Library()


@register.filter
def sees_invoices(user) -> bool:
    return may(user, Action.VIEW_INVOICES)
