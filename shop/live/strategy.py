"""Oscar's pricing strategy with live prices (the rules: ``shop.live.pricing``).

``shop.partner.strategy.Selector`` (Oscar's fork point) hands it to every request.

A buyer who came through a live session's link (``shop.live.attribution``)
sees and pays the session's live prices while the session is live, and keeps
them on basket lines for the grace time after it ends. Everyone else gets
Oscar's default strategy unchanged.
"""

from oscar.apps.partner import strategy

from shop.live import attribution, placement, pricing


class LiveStrategy(strategy.Default):
    def __init__(self, request=None, visit=None):
        super().__init__(request)
        self.visit = visit if visit is not None else (
            attribution.from_request(request) if request is not None else None
        )
        self._offers = None

    def live_offers(self):
        if self._offers is None:
            self._offers = pricing.session_offers(self.visit.session_id if self.visit else None)
        return self._offers

    def _live(self, info, product, quantity=1, added_at=None):
        if self.visit is None or not self.visit.session_id or product is None:
            return info
        offer = self.live_offers().get(product.pk)
        unit = pricing.live_price_for(offer, quantity=quantity, added_at=added_at)
        if unit is None or info.stockrecord is None or not info.price.exists:
            return info
        return info._replace(price=pricing.LivePrice(
            currency=info.price.currency, excl_tax=unit, tax=info.price.tax * 0,
            offer=offer, list_price=info.price.incl_tax,
        ))

    def fetch_for_product(self, product, stockrecord=None):
        info = super().fetch_for_product(product, stockrecord)
        return self._live(info, product)

    def fetch_for_line(self, line, stockrecord=None):
        info = super().fetch_for_product(line.product, stockrecord)
        return self._live(
            info, line.product, quantity=line.quantity, added_at=line.date_created,
        )

    def on_line_placed(self, order_line, basket_line):
        """Called by the order placement, in its transaction (``shop.order.utils``)."""
        placement.line_placed(self, order_line, basket_line)
