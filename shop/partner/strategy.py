"""Oscar's strategy selector: every request is priced by ``shop.live.strategy.LiveStrategy``,
with experience products (``shop.experiences.purchase``) booked by departure, never from stock."""

from shop.experiences import purchase as experiences
from shop.live.strategy import LiveStrategy


class Strategy(LiveStrategy):
    """Live prices; an experience is sold by departure (its places, its child price)."""

    def fetch_for_product(self, product, stockrecord=None):
        return experiences.for_product(super().fetch_for_product(product, stockrecord), product)

    def fetch_for_line(self, line, stockrecord=None):
        return experiences.for_line(super().fetch_for_line(line, stockrecord), line)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Strategy(request)


__all__ = ["LiveStrategy", "Selector", "Strategy"]
