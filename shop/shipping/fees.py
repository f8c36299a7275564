"""The delivery fee rule: zone (province) × weight band, free above a threshold.

The figures are data (``DeliveryZone`` / ``DeliveryBand``, edited in the admin);
this module only applies them. Money is whole đồng (Decimal, no places).
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings

from .models import DeliveryZone


def default_weight_kg() -> Decimal:
    return Decimal(str(getattr(settings, "SHOP_DELIVERY_DEFAULT_WEIGHT_KG", "0.5")))


def basket_weight_kg(basket) -> Decimal:
    """Σ quantity × weight; products carry no weight yet, so the default per unit is used."""
    weight = Decimal(0)
    for line in basket.all_lines():
        weight += default_weight_kg() * line.quantity
    return weight


def zone_for(province_code: str | None):
    """The active zone naming ``province_code``, else the fallback zone, else None."""
    zones = list(DeliveryZone.objects.filter(is_active=True).prefetch_related("bands"))
    code = str(province_code or "")
    for zone in zones:
        if code and code in zone.codes():
            return zone
    return next((zone for zone in zones if not zone.codes()), None)


def fee_for(zone, weight_kg: Decimal, goods_total: Decimal) -> Decimal | None:
    """Fee in đồng for a parcel of ``weight_kg`` in ``zone``; None if the zone has no bands."""
    if zone.free_above is not None and goods_total >= zone.free_above:
        return Decimal(0)
    bands = sorted(zone.bands.all(), key=lambda b: b.up_to_kg)
    if not bands:
        return None
    for band in bands:
        if weight_kg <= band.up_to_kg:
            return band.fee
    last = bands[-1]
    extra_kg = math.ceil(weight_kg - last.up_to_kg)
    return last.fee + zone.extra_per_kg * extra_kg
