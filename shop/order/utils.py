"""Order placement: Oscar's OrderCreator with stock allocated by the one inventory."""

from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderCreator as CoreOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401

from shop.experiences import places as experience_places
from shop.experiences import purchase as experiences
from shop.experiences.errors import ExperienceError
from showroom import inventory
from showroom.models import Location
from vendors import settlement

COLLECT_PREFIX = "collect-"


class InsufficientStockToPlaceOrder(UnableToPlaceOrder):
    """Oscar's checkout shows ``str(error)`` to the shopper and restores the basket."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error

    def __str__(self):
        return str(self.error)


def collect_location_for(order, collect_location=None):
    """The seam for click & collect: the location the shopper chose, if any.

    The checkout may pass ``collect_location`` to ``place_order``; otherwise a
    shipping method whose code is ``collect-<location code>`` names it.
    """
    if collect_location is not None:
        return collect_location
    code = order.shipping_code or ""
    if code.startswith(COLLECT_PREFIX):
        return Location.objects.filter(code=code[len(COLLECT_PREFIX):]).first()
    return None


class OrderCreator(CoreOrderCreator):
    """Places the order; allocation locks the stock rows in the same transaction.

    Oscar calls ``update_stock_records`` once per basket line, sorted by stock
    record, inside the atomic block that writes the order: each call allocates
    the matching order line through ``showroom.inventory`` (never Oscar's
    ``StockRecord.allocate``). If a line cannot be served the exception undoes
    the whole order — nothing half-written — and the checkout shows the message.
    """

    def place_order(self, basket, *args, collect_location=None, **kwargs):
        self._collect_location = collect_location
        self._order_lines = {}
        self._basket = basket
        return super().place_order(basket, *args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        # who earns what from this line is fixed now, in the order's transaction
        settlement.record_shares([line])
        # the pricing strategy's own follow-up (a live price's cap, who brought the buyer:
        # shop.live.strategy); it may refuse, and then nothing of the order is written
        on_line_placed = getattr(getattr(self, "_basket", None) and self._basket.strategy,
                                 "on_line_placed", None)
        if on_line_placed is not None:
            on_line_placed(line, basket_line)
        # an experience line takes its departure's places and writes its booking, here in
        # the order's transaction and before any stock lock (shop.experiences.purchase)
        try:
            experiences.place_line(line, basket_line, basket=getattr(self, "_basket", None))
            # a gift combo holding an experience: its gift vouchers, in this transaction too
            experiences.place_combo_vouchers(line, product=basket_line.product)
        except ExperienceError as error:
            raise InsufficientStockToPlaceOrder(error) from error
        self._order_lines = getattr(self, "_order_lines", {})
        self._order_lines[basket_line.pk] = line
        return line

    def update_stock_records(self, line):
        order_line = self._order_lines.get(line.pk)
        if order_line is None or order_line.stockrecord_id is None:
            return
        if experience_places.is_experience(line.product):
            return  # not a stock item: its places were taken in create_line_models
        location = collect_location_for(
            order_line.order, getattr(self, "_collect_location", None)
        )
        try:
            inventory.allocate_order_lines(
                [order_line], order=order_line.order, collect_location=location,
                user=order_line.order.user,
            )
        except inventory.InventoryError as error:
            raise InsufficientStockToPlaceOrder(error) from error
