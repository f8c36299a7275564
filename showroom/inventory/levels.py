"""Reading stock levels: what sells online, and what runs low."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Q
from oscar.core.loading import get_model

from showroom.inventory.combos import combo_availability, combo_parts
from showroom.inventory.errors import check_quantity
from showroom.models import Stock

StockRecord = get_model("partner", "StockRecord")

DEFAULT_LOW_STOCK_THRESHOLD = 3


def online_availability(stockrecords):
    """``{stockrecord_id: units sellable online}`` = Σ sellable max(0, on hand − allocated)."""
    ids = [getattr(sr, "pk", sr) for sr in stockrecords]
    result = dict.fromkeys(ids, 0)
    combos = combo_parts(
        [(sr.pk, sr.product) for sr in StockRecord.objects.filter(pk__in=ids).select_related(
            "product__product_class", "product__parent__product_class")]
    )
    for sr_id, (combo, components) in combos.items():
        parts = [(c.component, c.quantity) for c in components]
        result[sr_id] = combo_availability(combo, parts)[0]
    ids = [i for i in ids if i not in combos]
    for stock in Stock.objects.filter(
        stockrecord_id__in=ids, location__sells_online=True
    ).select_related("location"):
        result[stock.stockrecord_id] += stock.free
    return result


def low_stock_default():
    return getattr(settings, "SHOWROOM_LOW_STOCK_THRESHOLD", DEFAULT_LOW_STOCK_THRESHOLD)


def set_low_stock_threshold(stock, threshold):
    """Set one stock's threshold (None = the default) without touching its quantities."""
    if threshold is not None:
        check_quantity(threshold, allow_zero=True)
    Stock.objects.filter(pk=stock.pk).update(low_stock_threshold=threshold)
    stock.low_stock_threshold = threshold


def low_stock(default_threshold=None):
    """Stocks whose free quantity is at or under their threshold (or the default one)."""
    if default_threshold is None:
        default_threshold = low_stock_default()
    free = F("quantity") - F("quantity_allocated")
    return (
        Stock.objects.filter(
            Q(low_stock_threshold__isnull=False, low_stock_threshold__gte=free)
            | Q(low_stock_threshold__isnull=True) & Q(quantity__lte=F("quantity_allocated") + default_threshold)
        )
        .select_related("location", "stockrecord__product", "stockrecord__partner")
        .order_by("location__priority", "location__code", "stockrecord__product__title", "pk")
    )
