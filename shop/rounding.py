"""Discounts in whole đồng (``OSCAR_OFFER_ROUNDING_FUNCTION`` names this path).

The rule lives in :mod:`shop.money` (``round_discount``: down to a whole đồng).
"""

from shop.money import round_discount  # noqa: F401
