"""Discounts in whole đồng: VND has no minor unit (``OSCAR_OFFER_ROUNDING_FUNCTION``)."""

from decimal import ROUND_DOWN, Decimal


def round_discount(amount, currency=None):
    """Oscar's offers round a discount with this: down to a whole đồng, never a fraction."""
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_DOWN)
