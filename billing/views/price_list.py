"""*Pricing and offers*: the price list of the partner's market, in its currency, as of
today, filtered by product kind and searched by name or offer ID, a page at a time (a
constant number of queries: the count, a page of offers, their prices).

Who: users whose roles see customers' orders or order (``permissions.may_see_price_list``)
of an active partner: a provider, a direct-bill partner and a reseller alike."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..forms import PriceListFilterForm
from ..offers import offer_rows, offers_for, price_list_partner

PAGE_SIZE = 25


@login_required
@require_GET
def price_list(request):
    partner = price_list_partner(request.user)
    form = PriceListFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    offers = offers_for(partner, today, kind=filters.get("kind") or None, search=filters.get("q", ""))
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/price_list.html",
        {
            "partner": partner,
            "market": partner.market,
            "form": form,
            "filtered": bool(filters.get("kind") or filters.get("q")),
            "page": page,
            "rows": offer_rows(partner, today, page.object_list),
            "today": today,
        },
    )
