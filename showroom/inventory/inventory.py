"""The writer: the one place that changes ``Stock`` rows, the ledger and Oscar's totals.

A :class:`Batch` locks the StockRecords of some offers (and of the combos made
of them) and then their stock rows, in the package's lock order; the
operations make their moves on it and :meth:`Batch.flush` writes the stock
rows, the ledger rows and the derived totals in one go.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.core import cache as storefront_cache
from showroom.inventory.combos import ComboComponent, combo_totals, refuse_combo
from showroom.inventory.errors import InvalidOperation, check_quantity
from showroom.models import Location, Stock, StockMove

StockRecord = get_model("partner", "StockRecord")


# --- Input -----------------------------------------------------------------------------------


def merge_lines(lines, allow_zero=False):
    """``[(stockrecord, qty), ...]`` → ``{stockrecord_pk: (stockrecord, qty)}``, validated."""
    merged = {}
    for stockrecord, quantity in lines:
        if stockrecord is None or getattr(stockrecord, "pk", None) is None:
            raise InvalidOperation(_("Không rõ sản phẩm."))
        check_quantity(quantity, allow_zero=allow_zero)
        if stockrecord.pk in merged:
            if allow_zero:
                raise InvalidOperation(
                    _("Sản phẩm %(product)s được nhập hai lần.")
                    % {"product": stockrecord.product.get_title()}
                )
            quantity += merged[stockrecord.pk][1]
            check_quantity(quantity)
        merged[stockrecord.pk] = (stockrecord, quantity)
    if not merged:
        raise InvalidOperation(_("Chưa có dòng hàng nào."))
    return merged


def check_location(location):
    if not isinstance(location, Location) or location.pk is None:
        raise InvalidOperation(_("Không rõ điểm bán."))
    return location


def user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- Locking and writing ---------------------------------------------------------------------


class Batch:
    """The locked picture of some offers at all their locations, and the moves made."""

    def __init__(self, stockrecord_ids, combo_products=()):
        ids = sorted(set(stockrecord_ids))
        # 1. the offers and the combos made of them, in primary-key order (one statement).
        #    FOR NO KEY UPDATE (keys are never changed here): a basket line or an order line
        #    being inserted elsewhere checks its foreign key to an offer with FOR KEY SHARE,
        #    which this lock lets through; FOR UPDATE would make such a check wait for this
        #    transaction while it waits for that one's rows (a deadlock seen under load).
        wanted = Q(pk__in=ids) | Q(
            product_id__in=ComboComponent.objects.filter(component_id__in=ids).values("combo_id")
        )
        if combo_products:
            wanted |= Q(product_id__in=[getattr(p, "pk", p) for p in combo_products])
        self.stockrecords, self.combos = {}, {}
        for sr in (
            StockRecord.objects.select_for_update(of=("self",), no_key=True)
            .select_related("product__product_class", "product__parent__product_class")
            .filter(wanted)
            .order_by("pk")
        ):
            (self.stockrecords if sr.pk in ids else self.combos)[sr.pk] = sr
        missing = set(ids) - set(self.stockrecords)
        if missing:
            raise InvalidOperation(_("Không rõ sản phẩm."))
        for sr in self.stockrecords.values():
            refuse_combo(sr)
        # 2. all their stock rows, in (offer, location) order
        self.stocks = {}
        for stock in (
            Stock.objects.select_for_update(of=("self",), no_key=True)
            .select_related("location")
            .filter(stockrecord_id__in=ids)
            .order_by("stockrecord_id", "location_id")
        ):
            self.stocks[(stock.stockrecord_id, stock.location_id)] = stock
        self.changed = {}
        self.moves = []
        self.now = timezone.now()

    def stock(self, stockrecord_id, location):
        key = (stockrecord_id, location.pk)
        stock = self.stocks.get(key)
        if stock is None:
            stock = Stock.objects.create(
                stockrecord_id=stockrecord_id, location=location, quantity=0,
                quantity_allocated=0,
            )
            stock.location = location
            self.stocks[key] = stock
        return stock

    def stocks_of(self, stockrecord_id):
        return [s for (sr, _loc), s in self.stocks.items() if sr == stockrecord_id]

    def move(self, stock, kind, quantity=0, allocated=0, **fields):
        stock.quantity += quantity
        stock.quantity_allocated += allocated
        if stock.quantity_allocated < 0:  # pragma: no cover - guarded by callers
            raise InvalidOperation(_("Số hàng giữ không thể âm."))
        self.changed[stock.pk] = stock
        self.moves.append(
            StockMove(
                stock=stock, kind=kind, quantity=quantity, allocated=allocated,
                balance=stock.quantity, allocated_balance=stock.quantity_allocated,
                created_at=self.now, **fields,
            )
        )

    def flush(self):
        """Write the changed stock rows, the ledger rows and Oscar's totals."""
        if self.changed:
            for stock in self.changed.values():
                stock.updated_at = self.now
            Stock.objects.bulk_update(
                list(self.changed.values()),
                ["quantity", "quantity_allocated", "needs_reconciliation", "updated_at"],
            )
        if self.moves:
            StockMove.objects.bulk_create(self.moves)
        touched = {s.stockrecord_id for s in self.changed.values()}
        totals_changed = False
        changed_products = []
        rewritten = []
        for sr_id in sorted(touched):
            allocated, in_stock = derived_totals(self.stocks_of(sr_id))
            sr = self.stockrecords[sr_id]
            if (sr.num_in_stock, sr.num_allocated) != (in_stock, allocated):
                sr.num_in_stock, sr.num_allocated = in_stock, allocated
                rewritten.append(sr)
                totals_changed = True
                changed_products.append(sr.product_id)
        if rewritten:  # one UPDATE for all the offers, however many lines (their rows are locked)
            StockRecord.objects.bulk_update(rewritten, ["num_in_stock", "num_allocated"])
        # the storefront's cached cards show these totals (queryset updates send no signal)
        storefront_cache.invalidate_products(changed_products)
        if totals_changed and self.combos:
            self.refresh_combos()
        return self.moves

    def refresh_combos(self):
        """Rewrite the derived totals of the locked combos from their components' totals."""
        expected = combo_totals([sr.product_id for sr in self.combos.values()])
        changed_products = []
        for sr in self.combos.values():
            in_stock = expected.get(sr.product_id, 0)
            if (sr.num_in_stock, sr.num_allocated) != (in_stock, 0):
                StockRecord.objects.filter(pk=sr.pk).update(num_in_stock=in_stock, num_allocated=0)
                sr.num_in_stock, sr.num_allocated = in_stock, 0
                changed_products.append(sr.product_id)
        storefront_cache.invalidate_products(changed_products)


def derived_totals(stocks):
    """Oscar's ``(num_allocated, num_in_stock)`` for an offer from its stock rows."""
    allocated = 0
    free = 0
    for stock in stocks:
        if stock.location.sells_online:
            allocated += stock.quantity_allocated
            free += max(0, stock.quantity - stock.quantity_allocated)
    return allocated, allocated + free


def refresh_combo_totals(combos):
    """Recompute the derived totals of ``combos`` (after a change of composition or status)."""
    combos = [c for c in combos if getattr(c, "pk", None) is not None]
    if not combos:
        return
    with transaction.atomic():
        component_ids = ComboComponent.objects.filter(combo__in=combos).values_list(
            "component_id", flat=True
        )
        batch = Batch(list(component_ids), combo_products=combos)
        batch.refresh_combos()


def flag_for_reconciliation(stock):
    """Flag a stock for reconciliation when the shelf holds less than the books promise."""
    if stock.quantity < 0 or stock.quantity < stock.quantity_allocated:
        stock.needs_reconciliation = True
