"""Money as Decimal amounts with a currency code."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_money(amount, currency):
    """Return an amount as text with its currency, e.g. "120.00 USD"."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f} {currency}"
