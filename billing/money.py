"""Money is ``Decimal`` with its currency, never float (HOUSE_STYLE 7)."""

from decimal import Decimal

# Currencies without minor units; every other one has two decimals.
CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0}


def currency_decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get(currency, 2)


def money(amount: Decimal, currency: str) -> dict:
    """Money as the API writes it: ``{"amount": "123.45", "currency": "EUR"}``."""
    places = currency_decimals(currency)
    return {"amount": str(amount.quantize(Decimal(1).scaleb(-places))), "currency": currency}
