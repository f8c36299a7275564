from oscar.apps.shipping import repository

from showroom.models import Location

from . import fees
from .address import province_code_for_name
from .methods import CollectAt, Delivery


class Repository(repository.Repository):
    """Delivery (when the shopper gave an address in a served zone) and every collect point."""

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = []
        province = getattr(shipping_addr, "state", "") if shipping_addr is not None else ""
        if province:
            code = province_code_for_name(province)
            zone = fees.zone_for(code)
            if zone is not None and zone.bands.all():
                methods.append(Delivery(zone, code))
        methods.extend(CollectAt(location) for location in collect_points())
        return methods


def collect_points():
    return list(Location.objects.filter(is_collect_point=True).order_by("priority", "code"))
