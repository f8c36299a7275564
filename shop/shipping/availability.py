"""Can a sales point serve this basket for click & collect? (read only)

Rules:

* A basket line of a product that tracks stock needs its quantity at the point.
  A gift-combo line has no stock of its own: it needs line quantity × component
  quantity of each component (the composition of ``catalogue.ComboComponent``).
  Needs of several lines for the same offer add up.
* What a point has for an offer is what it holds there and has not promised to
  another online order (``Stock.free`` = max(0, on hand − allocated)).
* A point that lacks anything cannot be chosen; each shortage names the product
  (and the combo it belongs to), how many are needed and how many are left there.
* Nothing here writes stock: this is what the shopper sees when choosing. Placing
  the order allocates through ``showroom.inventory`` with the rows locked, so a
  point emptied in the meantime is still refused there, before any order number
  is taken (``shop.order.utils``).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from showroom import inventory
from showroom.models import Stock


@dataclass(frozen=True)
class Shortage:
    title: str
    needed: int
    available: int
    combo: str = ""

    def __str__(self):
        params = {"product": self.title, "needed": self.needed, "available": self.available}
        if self.combo:
            params["combo"] = self.combo
            return _("%(product)s (trong %(combo)s): cần %(needed)s, còn %(available)s") % params
        return _("%(product)s: cần %(needed)s, còn %(available)s") % params


def basket_needs(basket):
    """``{stockrecord_id: (title, units, combo title or "")}`` the basket needs from stock."""
    ComboComponent = get_model("catalogue", "ComboComponent")
    needs = {}

    def add(stockrecord_id, title, units, combo=""):
        _title, before, _combo = needs.get(stockrecord_id, (title, 0, combo))
        needs[stockrecord_id] = (title, before + units, _combo or combo)

    for line in basket.all_lines():
        product, stockrecord = line.product, line.stockrecord
        if stockrecord is None or product is None:
            continue
        if inventory.is_combo(product):
            for part in ComboComponent.objects.filter(combo=product).select_related(
                "component__product__product_class", "component__product__parent__product_class"
            ):
                if inventory.is_voucher(part.component.product):
                    continue  # an experience in a combo is a gift voucher, not stock
                add(part.component_id, part.component.product.get_title(),
                    line.quantity * part.quantity, product.get_title())
        elif product.get_product_class().track_stock:
            add(stockrecord.pk, product.get_title(), line.quantity)
    return needs


def shortages_by_location(basket, locations):
    """``{location.pk: [Shortage, ...]}`` for each of ``locations`` ([] = can serve it all)."""
    needs = basket_needs(basket)
    free = defaultdict(int)
    for stock in Stock.objects.filter(
        stockrecord_id__in=list(needs), location__in=[loc.pk for loc in locations]
    ):
        free[(stock.stockrecord_id, stock.location_id)] += stock.free
    result = {}
    for location in locations:
        result[location.pk] = [
            Shortage(title, units, free[(sr_id, location.pk)], combo)
            for sr_id, (title, units, combo) in sorted(needs.items())
            if free[(sr_id, location.pk)] < units
        ]
    return result
