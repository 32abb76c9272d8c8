"""The credit check of a direct-bill application, behind one interface (issue 9: "a
pluggable credit-check provider behind one interface (a real bureau could replace it)").

``get_credit_check_provider()`` returns the provider named by the setting
``CREDIT_CHECK_PROVIDER`` (a dotted path to a ``CreditCheckProvider`` subclass); the
default, ``RulesBasedCreditCheck``, scores the financials the applicant declared. A
provider answers a ``CreditDecision``: a credit line in the partner's market currency
(``Decimal``, never float) or a decline with a reason code (``check_details.DECLINE_REASONS``
says how each reads; a code it does not know reads as a generic decline).
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class CreditDecision:
    approved: bool
    amount: Decimal | None = None
    currency: str = ""
    # Why it declined (a code), with the parameters its sentence reads.
    reason: str = ""
    params: dict = field(default_factory=dict)
    # What it was decided on, kept on the check for the reviewer.
    evidence: dict = field(default_factory=dict)

    @classmethod
    def credit_line(cls, amount: Decimal, currency: str, evidence=None) -> "CreditDecision":
        return cls(approved=True, amount=amount, currency=currency, evidence=evidence or {})

    @classmethod
    def decline(cls, reason: str, params=None, evidence=None) -> "CreditDecision":
        return cls(approved=False, reason=reason, params=params or {}, evidence=evidence or {})


class CreditCheckProvider:
    """Assess a ``DirectBillApplication`` (its declared financials, in ``currency``, the
    partner's market currency). A provider may raise on an outage: the check stays pending
    and the periodic sweep tries it again."""

    name = "provider"

    def assess(self, application) -> CreditDecision:
        raise NotImplementedError


def round_down(amount: Decimal) -> Decimal:
    """Down to two significant digits (123,456 -> 120,000; 4,567 -> 4,500): a credit line
    is a round sum in any currency, from yen to euros."""
    if amount < 1:
        return Decimal(0)
    step = Decimal(10) ** max(amount.adjusted() - 1, 0)
    return (amount / step).to_integral_value(rounding=ROUND_DOWN) * step


class RulesBasedCreditCheck(CreditCheckProvider):
    """The default scorer: a share of the declared annual revenue that grows with the years
    of trading, plus a tenth of the trailing cloud revenue, at most a quarter of the annual
    revenue; declined under ``MIN_YEARS`` of trading or without revenue."""

    name = "rules"
    MIN_YEARS = 2
    # (at least this many years, share of the annual revenue)
    SHARES = ((10, Decimal("0.15")), (5, Decimal("0.10")), (MIN_YEARS, Decimal("0.05")))
    CLOUD_SHARE = Decimal("0.10")
    CAP = Decimal("0.25")

    def assess(self, application) -> CreditDecision:
        years = application.years_trading or 0
        revenue = application.annual_revenue or Decimal(0)
        cloud = application.cloud_revenue_12m or Decimal(0)
        declared = {
            "provider": self.name,
            "years_trading": years,
            "annual_revenue": str(revenue),
            "cloud_revenue_12m": str(cloud),
            "currency": application.currency,
        }
        if years < self.MIN_YEARS:
            return CreditDecision.decline(
                "trading_history_short", {"min_years": self.MIN_YEARS, "years": years}, declared
            )
        if revenue <= 0:
            return CreditDecision.decline("no_revenue", evidence=declared)
        share = next(s for at_least, s in self.SHARES if years >= at_least)
        line = round_down(min(revenue * share + cloud * self.CLOUD_SHARE, revenue * self.CAP))
        if line <= 0:
            return CreditDecision.decline("revenue_too_low", evidence=declared)
        return CreditDecision.credit_line(line, application.currency, {**declared, "share": str(share)})


def get_credit_check_provider() -> CreditCheckProvider:
    """The provider of ``settings.CREDIT_CHECK_PROVIDER``, read at call time."""
    provider = import_string(settings.CREDIT_CHECK_PROVIDER)
    if not (isinstance(provider, type) and issubclass(provider, CreditCheckProvider)):
        raise ImproperlyConfigured(
            f"CREDIT_CHECK_PROVIDER {settings.CREDIT_CHECK_PROVIDER!r} is not a CreditCheckProvider."
        )
    return provider()
