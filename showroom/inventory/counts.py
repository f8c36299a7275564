"""Counts: what was found on the shelf; each difference becomes an adjustment move."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from showroom.inventory.errors import InvalidOperation
from showroom.inventory.inventory import Batch, check_location, merge_lines, user_or_none
from showroom.models import StockCount, StockCountLine, StockMove

Kind = StockMove.Kind
Ref = StockMove.ReferenceType


def apply_count(location, counted, reason, user=None):
    """Record a count of ``location``: ``counted`` is ``[(stockrecord, counted_qty), ...]``.

    Each difference from the books becomes an adjustment move with ``reason``.
    A stock counted at or above what online orders hold is reconciled.
    """
    check_location(location)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidOperation(_("Hãy ghi lý do điều chỉnh."))
    merged = merge_lines(counted, allow_zero=True)
    with transaction.atomic():
        batch = Batch(merged)
        count = StockCount.objects.create(
            location=location, reason=reason[:255], created_by=user_or_none(user)
        )
        count_lines = []
        for sr_id, (_sr, quantity) in sorted(merged.items()):
            stock = batch.stock(sr_id, location)
            count_lines.append(
                StockCountLine(
                    count=count, stockrecord_id=sr_id, expected=stock.quantity, counted=quantity
                )
            )
            difference = quantity - stock.quantity
            if difference:
                batch.move(
                    stock, Kind.ADJUSTMENT, quantity=difference, user=user_or_none(user),
                    reason=reason[:255], reference_type=Ref.COUNT, reference=str(count.pk),
                    count=count,
                )
            reconciled = stock.quantity >= stock.quantity_allocated
            if stock.needs_reconciliation == reconciled:
                stock.needs_reconciliation = not reconciled
                batch.changed[stock.pk] = stock
        StockCountLine.objects.bulk_create(count_lines)
        batch.flush()
    return count
