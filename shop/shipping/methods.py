"""Shipping methods: delivery to the address, or collect at a sales point."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F401,F403
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from shop import money
from shop.order.utils import COLLECT_PREFIX

from . import fees


class Delivery(Base):
    """Home delivery; the fee follows the zone × weight table."""

    code = "delivery"
    name = _("Giao hàng tận nơi")

    def __init__(self, zone, province_code=None):
        self.zone = zone
        self.province_code = province_code

    @property
    def description(self):
        if self.zone.free_above is not None:
            return _("Miễn phí giao hàng cho đơn từ %(amount)s đ.") % {
                "amount": money.group_digits(self.zone.free_above)
            }
        return ""

    def calculate(self, basket):
        charge = fees.fee_for(
            self.zone, fees.basket_weight_kg(basket), basket.total_incl_tax or Decimal(0)
        )
        charge = Decimal(charge or 0)
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)


class CollectAt(Base):
    """Collect at a sales point: free; the inventory allocates stock at that point."""

    def __init__(self, location, shortages=()):
        self.location = location
        self.shortages = list(shortages)
        self.code = f"{COLLECT_PREFIX}{location.code}"
        self.name = _("Nhận tại %(point)s") % {"point": location.name}
        self.description = location.address

    @property
    def can_serve(self):
        return not self.shortages

    def calculate(self, basket):
        return prices.Price(currency=basket.currency, excl_tax=Decimal(0), incl_tax=Decimal(0))


class ChosenAtCheckout(Base):
    """What the basket page shows when no way of receiving the basket can be offered yet
    (no address given, and no sales point holds all of it, e.g. a line just sold out):
    the shopper chooses in the checkout, where each option says what it lacks."""

    code = "to-choose"
    name = _("Cách nhận hàng: chọn ở bước thanh toán")

    def calculate(self, basket):
        return prices.Price(currency=basket.currency, excl_tax=Decimal(0), incl_tax=Decimal(0))
