"""The invariants: the ledger explains every figure, and Oscar's totals follow the locations.

``manage.py check_inventory`` and the tests read :func:`check_invariants`; an
empty list means the books are sound.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum
from oscar.core.loading import get_model

from showroom.inventory.combos import COMBO_CLASS_SLUG, combo_totals
from showroom.inventory.inventory import derived_totals
from showroom.models import Allocation, Stock, StockMove

StockRecord = get_model("partner", "StockRecord")


@dataclass
class Mismatch:
    what: str
    obj: object
    expected: int
    actual: int

    def __str__(self):
        return f"{self.what} {self.obj!r}: expected {self.expected}, found {self.actual}"


def check_invariants():
    """Every disagreement between the columns and the ledger/allocations; empty when sound.

    * on hand of each stock == Σ of its moves' quantities;
    * allocated of each stock == Σ of its open allocations == Σ of its moves' allocated;
    * each move's balance == running sum (the ledger explains every figure);
    * Oscar's StockRecord totals == the derived totals of its locations;
    * a combo's StockRecord has no stock rows and its totals == min over its
      components (see "Gift combos").
    """
    mismatches = []
    moves = defaultdict(lambda: [0, 0])
    for row in StockMove.objects.values("stock_id").annotate(
        q=Sum("quantity"), a=Sum("allocated")
    ):
        moves[row["stock_id"]] = [row["q"] or 0, row["a"] or 0]
    open_alloc = defaultdict(int)
    for row in (
        Allocation.objects.filter(status=Allocation.Status.OPEN)
        .values("stock_id")
        .annotate(q=Sum("quantity"))
    ):
        open_alloc[row["stock_id"]] = row["q"] or 0
    by_record = defaultdict(list)
    for stock in Stock.objects.select_related("location").order_by("pk"):
        by_record[stock.stockrecord_id].append(stock)
        q, a = moves[stock.pk]
        if stock.quantity != q:
            mismatches.append(Mismatch("on hand vs ledger", stock, q, stock.quantity))
        if stock.quantity_allocated != open_alloc[stock.pk]:
            mismatches.append(
                Mismatch("allocated vs open allocations", stock, open_alloc[stock.pk],
                         stock.quantity_allocated)
            )
        if stock.quantity_allocated != a:
            mismatches.append(Mismatch("allocated vs ledger", stock, a, stock.quantity_allocated))
    combo_records = {
        sr.pk: sr.product_id
        for sr in StockRecord.objects.filter(
            product__product_class__slug=COMBO_CLASS_SLUG
        ).only("pk", "product_id")
    }
    expected_combo = combo_totals(set(combo_records.values()))
    for sr_id in combo_records:
        if by_record.get(sr_id):
            mismatches.append(Mismatch("combo with stock of its own", sr_id, 0, len(by_record[sr_id])))
    for sr in StockRecord.objects.filter(
        Q(pk__in=list(by_record)) | Q(num_in_stock__gt=0) | Q(num_allocated__gt=0)
        | Q(pk__in=list(combo_records))
    ).order_by("pk"):
        if sr.pk in combo_records:
            allocated, in_stock = 0, expected_combo.get(combo_records[sr.pk], 0)
        else:
            allocated, in_stock = derived_totals(by_record.get(sr.pk, []))
        if (sr.num_in_stock or 0) != in_stock:
            mismatches.append(Mismatch("StockRecord.num_in_stock", sr, in_stock, sr.num_in_stock))
        if (sr.num_allocated or 0) != allocated:
            mismatches.append(
                Mismatch("StockRecord.num_allocated", sr, allocated, sr.num_allocated)
            )
    return mismatches


def check_ledger_balances(stock):
    """Mismatches in the running balances of one stock's ledger (oldest first)."""
    mismatches = []
    q = a = 0
    for move in stock.moves.order_by("created_at", "pk"):
        q += move.quantity
        a += move.allocated
        if move.balance != q or move.allocated_balance != a:
            mismatches.append(Mismatch("ledger balance", move, q, move.balance))
    return mismatches
