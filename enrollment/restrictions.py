"""Continuing obligations of direct-bill partners (DOMAIN.md, "Continuing obligations"; off
by default): an active direct-bill partner that falls short of the thresholds is
*restricted*: no new purchases, customers or invitations. ``direct_bill_restriction`` is the
one predicate; the services that would add a purchase, a customer or an invitation call
``require_unrestricted`` (``NotPermitted``: 403 with the reason, on the page and in the API).

The thresholds (``DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS``, 0 = off;
``DIRECT_BILL_CONTINUING_MIN_REVENUE`` per currency, none listed = off) read:

- months as an active indirect reseller: whole months since the partner first accepted the
  indirect reseller agreement, while its indirect-reseller enrollment is active;
- revenue over the trailing 12 months: what the partner invoiced in its market's currency.
  Invoices are billing's, and enrollment may not import billing (the layer rule): billing
  registers the source at start (``register_revenue_source``, in ``billing.apps``); without
  one the revenue is unknown and the revenue threshold is not applied.
"""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.core.errors import NotPermitted
from partnercenter.core.l10n import format_money

from .models import AgreementAcceptance, Program
from .questionnaire import months_between

# (partner, start, end) -> the amount invoiced from ``start`` (included) to ``end``
# (excluded) in ``currency``.
RevenueSource = Callable[..., Decimal]
_revenue_source: RevenueSource | None = None


def register_revenue_source(source: RevenueSource) -> None:
    """Billing says how much a partner invoiced: ``source(partner, currency, start, end)``."""
    global _revenue_source
    _revenue_source = source


def trailing_year(today: date) -> tuple[date, date]:
    """The trailing 12 months up to ``today`` (included): [start, end)."""
    end = today + timedelta(days=1)
    try:
        start = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    return start, end


def indirect_months(partner, today: date) -> int:
    """Whole months the partner has been an active indirect reseller (0 if it is not)."""
    if not partner.is_active_in(Program.INDIRECT_RESELLER):
        return 0
    first = (
        AgreementAcceptance.objects.filter(partner=partner, program=Program.INDIRECT_RESELLER)
        .order_by("accepted_at")
        .values_list("accepted_at", flat=True)
        .first()
    )
    if first is None:
        return 0
    return max(months_between(timezone.localdate(first), today), 0)


def direct_bill_restriction(partner, today: date | None = None) -> str | None:
    """Why the partner is restricted, in the reader's language, or None when it is not (not
    an active direct-bill partner, thresholds off, or met)."""
    months_min = settings.DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS
    currency = partner.market.currency
    revenue_min = settings.DIRECT_BILL_CONTINUING_MIN_REVENUE.get(currency)
    if months_min <= 0 and revenue_min is None:
        return None
    if not partner.is_active_in(Program.DIRECT_BILL):
        return None
    today = today or timezone.localdate()
    short = []
    if months_min > 0:
        months = indirect_months(partner, today)
        if months < months_min:
            short.append(
                ngettext(
                    "Direct-bill partners must have been an active indirect reseller for at least "
                    "%(min)d month; yours has been one for %(months)d.",
                    "Direct-bill partners must have been an active indirect reseller for at least "
                    "%(min)d months; yours has been one for %(months)d.",
                    months_min,
                )
                % {"min": months_min, "months": months}
            )
    if revenue_min is not None and _revenue_source is not None:
        start, end = trailing_year(today)
        revenue = _revenue_source(partner, currency, start, end)
        if revenue < revenue_min:
            short.append(
                _(
                    "Direct-bill partners must invoice at least %(min)s over the last 12 months; "
                    "yours invoiced %(revenue)s."
                )
                % {"min": format_money(revenue_min, currency), "revenue": format_money(revenue, currency)}
            )
    if not short:
        return None
    return " ".join(
        [
            _(
                "Your organization is a restricted direct-bill partner: it cannot make new purchases, "
                "add customers or send invitations."
            ),
            *short,
        ]
    )


def require_unrestricted(partner, today: date | None = None) -> None:
    """``NotPermitted`` with the reason when the partner is restricted."""
    reason = direct_bill_restriction(partner, today)
    if reason is not None:
        raise NotPermitted(reason)
