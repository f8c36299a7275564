from oscar.apps.shipping import repository

from showroom.models import Location

from . import fees
from .address import province_code_for_name
from .availability import shortages_by_location
from .methods import ChosenAtCheckout, CollectAt, Delivery


class Repository(repository.Repository):
    """Delivery (when the shopper gave an address in a served zone) and every collect point
    that can serve the whole basket (the others are shown disabled: ``collect_options``)."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = []
        province = getattr(shipping_addr, "state", "") if shipping_addr is not None else ""
        if province:
            code = province_code_for_name(province)
            zone = fees.zone_for(code)
            if zone is not None and zone.bands.all():
                methods.append(Delivery(zone, code))
        methods.extend(option for option in collect_options(basket) if option.can_serve)
        return methods

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        """The basket page's estimate: the first method, or "choose at checkout" when none
        can be offered yet (Oscar would raise ImproperlyConfigured: a 500 for the shopper)."""
        methods = self.get_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)
        return methods[0] if methods else ChosenAtCheckout()


def collect_options(basket):
    """Every collect point as a ``CollectAt`` knowing what it lacks for ``basket``."""
    points = collect_points()
    shortages = shortages_by_location(basket, points)
    return [CollectAt(location, shortages[location.pk]) for location in points]


def collect_points():
    return list(Location.objects.filter(is_collect_point=True).order_by("priority", "code"))
