"""Keep Oscar's stock totals read-only for everything but showroom.inventory.

``showroom.inventory`` writes ``StockRecord.num_in_stock`` / ``num_allocated``
with queryset updates (no signals). Any ``save()`` of an existing StockRecord —
the dashboard, the admin, an import — keeps the stored totals, whatever the
instance carries, so they cannot drift from the locations.
"""

from django.db.models.signals import pre_save
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


def keep_stock_totals(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = (
        StockRecord.objects.filter(pk=instance.pk).values("num_in_stock", "num_allocated").first()
    )
    if stored is not None:
        instance.num_in_stock = stored["num_in_stock"]
        instance.num_allocated = stored["num_allocated"]


def connect():
    pre_save.connect(keep_stock_totals, sender=StockRecord, dispatch_uid="showroom_keep_totals")
