"""What billing adds to the navigation: whether the user's roles see *Pricing and offers*
(no query: its roles are on the user; the template asks ``partner_nav.active`` too)."""

from .permissions import may_see_price_list


def billing_nav(request):
    user = getattr(request, "user", None)
    return {"billing_nav": {"price_list": bool(user and user.is_authenticated and may_see_price_list(user))}}
