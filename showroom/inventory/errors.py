"""The inventory's refusals, and the one check of a quantity.

Every refused operation raises an :class:`InventoryError` whose ``str()`` is a
message for the user, before anything is written.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from showroom.models import MAX_QUANTITY


class InventoryError(Exception):
    """A refused inventory operation; ``str(error)`` is a message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class InvalidQuantity(InventoryError):
    pass


class InsufficientStock(InventoryError):
    """Not enough units to allocate or send; names the product (and location)."""

    def __init__(self, stockrecord, requested, available, location=None, combo=None):
        self.stockrecord = stockrecord
        self.requested = requested
        self.available = available
        self.location = location
        self.combo = combo
        params = {
            "product": stockrecord.product.get_title(),
            "requested": requested,
            "available": available,
        }
        if combo is not None:
            params["combo"] = combo
            params["where"] = f" ({location.name})" if location is not None else ""
            message = _(
                "Không đủ hàng cho %(combo)s: thiếu thành phần %(product)s%(where)s (cần "
                "%(requested)s, chỉ còn %(available)s)."
            ) % params
        elif location is not None:
            params["location"] = location.name
            message = _(
                "Không đủ hàng: %(product)s tại %(location)s (cần %(requested)s, "
                "chỉ còn %(available)s)."
            ) % params
        else:
            message = _(
                "Không đủ hàng: %(product)s (cần %(requested)s, chỉ còn %(available)s)."
            ) % params
        super().__init__(message)


class InvalidOperation(InventoryError):
    pass


def max_quantity():
    return getattr(settings, "SHOWROOM_MAX_QUANTITY", MAX_QUANTITY)


def check_quantity(value, allow_zero=False):
    """Return ``value`` if it is an integer in 1..MAX (0..MAX with allow_zero), else refuse."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuantity(_("Số lượng phải là số nguyên."))
    low = 0 if allow_zero else 1
    if value < low:
        if allow_zero:
            raise InvalidQuantity(_("Số lượng không được âm."))
        raise InvalidQuantity(_("Số lượng phải lớn hơn 0."))
    if value > max_quantity():
        raise InvalidQuantity(
            _("Số lượng quá lớn (tối đa %(max)s).") % {"max": max_quantity()}
        )
    return value
