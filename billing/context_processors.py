"""What billing adds to the navigation: whether the user's roles see *Pricing and offers* and
*Orders* (no query: its roles are on the user; the template asks ``partner_nav.active`` too)."""

from relationships.context_processors import nav_key

from .permissions import Action, may, may_see_price_list


def billing_nav(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    facts = {
        "price_list": signed_in and may_see_price_list(user),
        # A role that may not see orders (the helpdesk agent, the billing admin) gets no link to a 403.
        "orders": signed_in and may(user, Action.VIEW_ORDERS),
    }
    return {"billing_nav": {**facts, "key": nav_key(facts)}}
