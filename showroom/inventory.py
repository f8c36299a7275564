"""The one inventory: the only code that changes stock quantities.

Every change of a quantity goes through a function of this module, which in
one transaction locks the rows it touches, writes the new quantities, appends
one ledger row (:class:`showroom.models.StockMove`) per stock row changed and
rewrites Oscar's totals. Nothing else writes ``Stock.quantity``,
``Stock.quantity_allocated``, ``StockRecord.num_in_stock`` or
``StockRecord.num_allocated``.

Vocabulary (Saleor's warehouse model): a *location* is a warehouse, a *stock*
is one product offer (Oscar ``StockRecord``) at one location, an *allocation*
holds units of a stock for one online order line until it is shipped/collected
(consumed) or cancelled (released).

Oscar's ``StockRecord`` totals — the choice and why
---------------------------------------------------
``StockRecord.num_in_stock`` and ``num_allocated`` are **derived totals**,
rewritten here inside the same transaction as every move::

    num_allocated = Σ quantity_allocated        over sellable locations
    num_in_stock  = num_allocated + Σ max(0, quantity − quantity_allocated)
                                                 over sellable locations

so Oscar's net stock level ``num_in_stock − num_allocated`` is exactly the
online availability ``Σ over sellable locations of max(0, on hand − allocated)``.
We chose derived totals over a custom Strategy reading the locations because
Oscar's default Strategy, product pages, basket checks, search index and
dashboard then show the right figure with no extra query per product and no
forked Strategy to keep in step with Oscar; the price is one ``UPDATE`` of the
StockRecord per operation, done while its row is locked, so the totals can
never drift from the locations (``check_invariants`` proves it). Oscar's own
``StockRecord.allocate / consume_allocation / cancel_allocation`` are never
used: ``shop.order`` routes order placement, shipping and cancelling here, the
dashboard form shows the totals read-only and a ``pre_save`` guard keeps any
other ``save()`` from changing them.

Locking
-------
An operation first locks the ``StockRecord`` rows it touches
(``select_for_update``, ordered by primary key), then all ``Stock`` rows of
those offers (ordered by offer, then location). Every operation takes the
locks in that same order, so two operations cannot deadlock, and the totals of
an offer are always computed from a consistent picture of all its locations.

Gift combos
-----------
A combo (``catalogue.combos``) has no stock of its own. The rules the stock
needs — which products are combos or packaging, when a component is sellable,
the units a combo allows — live here (the inventory is the ground floor and
imports none of the catalogue's rules); ``catalogue.combos`` builds on them. Its one StockRecord
carries derived totals too — ``num_allocated = 0``, ``num_in_stock = min over
components of ⌊(component num_in_stock − num_allocated) / quantity⌋`` (0 when
the combo or a component is not sellable) — rewritten in the same transaction
whenever a component's totals change. Receipts, transfers and counts of a combo
are refused. An online combo line is expanded into one need per component
(line quantity × component quantity), all allocated in the same transaction
(one ``Allocation`` per component stock, linked to the combo's order line, so
``allocated == Σ open allocations`` still holds per stock); the first short
component refuses the whole order, naming it. The till passes a scanned
combo's StockRecord to ``record_till_sale`` / ``record_till_return`` and each
component moves. Fulfilling and cancelling move the components' allocations.

Lock order, with combos: the StockRecords of the offers *and* of the combos
containing any of them are locked in one statement, by primary key, before
the offers' stock rows (a stock row is only ever locked by a holder of its
offer's lock, so the StockRecord order is the one global order). Order placement calls the allocator once per basket line inside one
transaction, so each call locks the offers of the *whole order* (combos
expanded) — a transaction always takes its locks in one global order.

Which location serves an online order (the rule)
-------------------------------------------------
* If the shopper chose a collect point, every line is served from that
  location only; if it lacks the units the line is out of stock there.
* Otherwise, per line: the sellable location with the smallest ``priority``
  (then code) that can serve the whole quantity alone; if none can, the line is
  split across sellable locations in priority order, each giving what it has.
* A location's contribution is never more than ``max(0, on hand − allocated)``:
  negative or already-promised stock is never sold online.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from showroom.models import (
    MAX_QUANTITY,
    Allocation,
    Location,
    Receipt,
    Stock,
    StockCount,
    StockCountLine,
    StockMove,
    Transfer,
    TransferLine,
)

StockRecord = get_model("partner", "StockRecord")
ComboComponent = get_model("catalogue", "ComboComponent")

COMBO_CLASS_SLUG = "gift-combo"
PACKAGING_CLASS_SLUG = "gift-packaging"

Kind = StockMove.Kind
Ref = StockMove.ReferenceType

DEFAULT_LOW_STOCK_THRESHOLD = 3


# --- Errors -------------------------------------------------------------------


class InventoryError(Exception):
    """A refused inventory operation; ``str(error)`` is a message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class InvalidQuantity(InventoryError):
    pass


class InsufficientStock(InventoryError):
    """Not enough units to allocate or send; names the product (and location)."""

    def __init__(self, stockrecord, requested, available, location=None, combo=None):
        self.stockrecord = stockrecord
        self.requested = requested
        self.available = available
        self.location = location
        self.combo = combo
        params = {
            "product": stockrecord.product.get_title(),
            "requested": requested,
            "available": available,
        }
        if combo is not None:
            params["combo"] = combo
            params["where"] = f" ({location.name})" if location is not None else ""
            message = _(
                "Không đủ hàng cho %(combo)s: thiếu thành phần %(product)s%(where)s (cần "
                "%(requested)s, chỉ còn %(available)s)."
            ) % params
        elif location is not None:
            params["location"] = location.name
            message = _(
                "Không đủ hàng: %(product)s tại %(location)s (cần %(requested)s, "
                "chỉ còn %(available)s)."
            ) % params
        else:
            message = _(
                "Không đủ hàng: %(product)s (cần %(requested)s, chỉ còn %(available)s)."
            ) % params
        super().__init__(message)


class InvalidOperation(InventoryError):
    pass


# --- Validation -------------------------------------------------------------------


def max_quantity():
    return getattr(settings, "SHOWROOM_MAX_QUANTITY", MAX_QUANTITY)


def check_quantity(value, allow_zero=False):
    """Return ``value`` if it is an integer in 1..MAX (0..MAX with allow_zero), else refuse."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuantity(_("Số lượng phải là số nguyên."))
    low = 0 if allow_zero else 1
    if value < low:
        if allow_zero:
            raise InvalidQuantity(_("Số lượng không được âm."))
        raise InvalidQuantity(_("Số lượng phải lớn hơn 0."))
    if value > max_quantity():
        raise InvalidQuantity(
            _("Số lượng quá lớn (tối đa %(max)s).") % {"max": max_quantity()}
        )
    return value


def _merge_lines(lines, allow_zero=False):
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


def _check_location(location):
    if not isinstance(location, Location) or location.pk is None:
        raise InvalidOperation(_("Không rõ điểm bán."))
    return location


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- Gift combos as the stock sees them (see "Gift combos") ----------------------------


def _class_slug(product):
    product_class = product.get_product_class()
    return product_class.slug if product_class is not None else None


def is_combo(product):
    return product is not None and _class_slug(product) == COMBO_CLASS_SLUG


def is_packaging(product):
    return product is not None and _class_slug(product) == PACKAGING_CLASS_SLUG


# --- Sellability -----------------------------------------------------------------------------


def component_ok(is_public, ocop_stars, class_slug):
    """The one rule for a component offer to be sold inside a combo (see the module doc).

    ``ocop_stars`` is the product's badge, which ``catalogue.certification`` keeps
    equal to its current certificate (None when it has none).
    """
    if class_slug == COMBO_CLASS_SLUG:
        return False
    if class_slug == PACKAGING_CLASS_SLUG:
        return True
    return bool(is_public) and ocop_stars is not None


def component_problem(product):
    """Why ``product`` cannot be (or stay) a combo component, as a message; None if it can."""
    title = product.get_title()
    if is_combo(product):
        return _("%(product)s là một combo: combo không thể chứa combo khác.") % {
            "product": title
        }
    if is_packaging(product):
        return None
    if not product.is_public:
        return _("%(product)s chưa được duyệt hoặc đã ngừng bán.") % {"product": title}
    if product.ocop_stars is None:
        return _("%(product)s không có giấy chứng nhận OCOP còn hiệu lực.") % {
            "product": title
        }
    return None


def combo_problems(combo, products):
    """Why ``combo`` made of ``products`` cannot be sold now (messages); [] when sellable."""
    found = []
    if not combo.is_public:
        found.append(_("Combo %(combo)s đã ngừng bán.") % {"combo": combo.get_title()})
    if not products:
        found.append(_("Combo chưa có thành phần nào."))
    for product in products:
        problem = component_problem(product)
        if problem:
            found.append(problem)
    return found


def units_from(parts, combo_public=True):
    """Combos that ``parts`` allow: min over ⌊free / quantity⌋; 0 if none or not sellable.

    ``parts`` is ``[(free_units, quantity, sellable), ...]`` (free never below 0).
    """
    if not combo_public or not parts:
        return 0
    units = None
    for free, quantity, ok in parts:
        if not ok or quantity < 1:
            return 0
        n = max(0, free) // quantity
        units = n if units is None else min(units, n)
    return units


# --- Gift combos: availability at the locations ------------------------------------------


def combo_availability(combo, components):
    """``(online_units, [(location, units), ...])`` of ``combo``, read from the locations.

    ``components`` is ``[(stockrecord, quantity), ...]``. Per location: min over
    components of ⌊max(0, on hand − allocated) / qty⌋. Online: the same over the
    sum across online-selling locations (never negative stock, never units
    promised to another order); 0 everywhere when the combo is not sellable.
    """
    if not components:
        return 0, []
    ids = [stockrecord.pk for stockrecord, _quantity in components]
    free = defaultdict(int)  # (sr, location) -> units
    online = defaultdict(int)
    locations = {}
    for stock in Stock.objects.filter(stockrecord_id__in=ids).select_related("location"):
        free[(stock.stockrecord_id, stock.location_id)] = stock.free
        locations[stock.location_id] = stock.location
        if stock.location.sells_online:
            online[stock.stockrecord_id] += stock.free
    ok = not combo_problems(combo, [stockrecord.product for stockrecord, _q in components])
    per_location = []
    for location in sorted(locations.values(), key=lambda loc: (loc.priority, loc.code)):
        units = units_from(
            [(free[(sr.pk, location.pk)], quantity, ok) for sr, quantity in components]
        )
        per_location.append((location, units))
    online_units = units_from([(online[sr.pk], quantity, ok) for sr, quantity in components])
    return online_units, per_location


# --- Locking and writing ----------------------------------------------------------


class _Batch:
    """The locked picture of some offers at all their locations, and the moves made."""

    def __init__(self, stockrecord_ids, combo_products=()):
        ids = sorted(set(stockrecord_ids))
        # 1. the offers and the combos made of them, in primary-key order (one statement)
        wanted = Q(pk__in=ids) | Q(
            product_id__in=ComboComponent.objects.filter(component_id__in=ids).values("combo_id")
        )
        if combo_products:
            wanted |= Q(product_id__in=[getattr(p, "pk", p) for p in combo_products])
        self.stockrecords, self.combos = {}, {}
        for sr in (
            StockRecord.objects.select_for_update(of=("self",))
            .select_related("product__product_class", "product__parent__product_class")
            .filter(wanted)
            .order_by("pk")
        ):
            (self.stockrecords if sr.pk in ids else self.combos)[sr.pk] = sr
        missing = set(ids) - set(self.stockrecords)
        if missing:
            raise InvalidOperation(_("Không rõ sản phẩm."))
        for sr in self.stockrecords.values():
            _refuse_combo(sr)
        # 2. all their stock rows, in (offer, location) order
        self.stocks = {}
        for stock in (
            Stock.objects.select_for_update(of=("self",))
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
        for sr_id in sorted(touched):
            allocated, in_stock = derived_totals(self.stocks_of(sr_id))
            sr = self.stockrecords[sr_id]
            if (sr.num_in_stock, sr.num_allocated) != (in_stock, allocated):
                StockRecord.objects.filter(pk=sr_id).update(
                    num_in_stock=in_stock, num_allocated=allocated
                )
                sr.num_in_stock, sr.num_allocated = in_stock, allocated
                totals_changed = True
        if totals_changed and self.combos:
            self.refresh_combos()
        return self.moves

    def refresh_combos(self):
        """Rewrite the derived totals of the locked combos from their components' totals."""
        expected = combo_totals([sr.product_id for sr in self.combos.values()])
        for sr in self.combos.values():
            in_stock = expected.get(sr.product_id, 0)
            if (sr.num_in_stock, sr.num_allocated) != (in_stock, 0):
                StockRecord.objects.filter(pk=sr.pk).update(num_in_stock=in_stock, num_allocated=0)
                sr.num_in_stock, sr.num_allocated = in_stock, 0


def derived_totals(stocks):
    """Oscar's ``(num_allocated, num_in_stock)`` for an offer from its stock rows."""
    allocated = 0
    free = 0
    for stock in stocks:
        if stock.location.sells_online:
            allocated += stock.quantity_allocated
            free += max(0, stock.quantity - stock.quantity_allocated)
    return allocated, allocated + free


def combo_totals(combo_product_ids):
    """``{combo_product_id: units}``: each combo's ``num_in_stock`` from its components' totals.

    Reads the components' StockRecord totals as they are now (callers hold the
    combo rows locked, so no concurrent change of a component can be missed).
    """
    ids = list(combo_product_ids)
    if not ids:
        return {}
    parts = defaultdict(list)
    public = {}
    for row in ComboComponent.objects.filter(combo_id__in=ids).values(
        "combo_id", "combo__is_public", "quantity", "component__num_in_stock",
        "component__num_allocated", "component__product__is_public",
        "component__product__ocop_stars", "component__product__product_class__slug",
        "component__product__parent__product_class__slug",
    ):
        free = (row["component__num_in_stock"] or 0) - (row["component__num_allocated"] or 0)
        slug = (
            row["component__product__product_class__slug"]
            or row["component__product__parent__product_class__slug"]
        )
        ok = component_ok(
            row["component__product__is_public"], row["component__product__ocop_stars"], slug
        )
        parts[row["combo_id"]].append((max(0, free), row["quantity"], ok))
        public[row["combo_id"]] = row["combo__is_public"]
    return {pid: units_from(parts[pid], public.get(pid, False)) for pid in ids}


def refresh_combo_totals(combos):
    """Recompute the derived totals of ``combos`` (after a change of composition or status)."""
    combos = [c for c in combos if getattr(c, "pk", None) is not None]
    if not combos:
        return
    with transaction.atomic():
        component_ids = ComboComponent.objects.filter(combo__in=combos).values_list(
            "component_id", flat=True
        )
        batch = _Batch(list(component_ids), combo_products=combos)
        batch.refresh_combos()


def _refuse_combo(stockrecord):
    if is_combo(stockrecord.product):
        raise InvalidOperation(
            _(
                "%(product)s là combo, không có tồn kho riêng: hãy nhập, chuyển, kiểm kê "
                "từng thành phần."
            )
            % {"product": stockrecord.product.get_title()}
        )


def _combo_parts(offers):
    """``{combo_stockrecord_id: (combo_product, [ComboComponent, ...])}`` among ``offers``.

    ``offers`` is ``[(stockrecord_id, product), ...]``; a combo is recognised by its
    product's class, so nothing is queried unless there is a combo.
    """
    combo_records = {
        sr_id: product
        for sr_id, product in offers
        if sr_id is not None and product is not None and is_combo(product)
    }
    if not combo_records:
        return {}
    rows = defaultdict(list)
    for component in (
        ComboComponent.objects.filter(combo_id__in={p.pk for p in combo_records.values()})
        .select_related(
            "component__product__product_class", "component__product__parent__product_class"
        )
        .order_by("display_order", "pk")
    ):
        rows[component.combo_id].append(component)
    return {sr_id: (product, rows.get(product.pk, [])) for sr_id, product in combo_records.items()}


def _check_combo_sellable(combo, components):
    found = combo_problems(combo, [c.component.product for c in components])
    if found:
        raise InvalidOperation(
            _("Không bán được %(combo)s: %(reason)s")
            % {"combo": combo.get_title(), "reason": " ".join(str(f) for f in found)}
        )


def _flag(stock):
    """Flag a stock for reconciliation when the shelf holds less than the books promise."""
    if stock.quantity < 0 or stock.quantity < stock.quantity_allocated:
        stock.needs_reconciliation = True


# --- Receipts, transfers, counts ------------------------------------------------------


def receive(location, lines, user=None, reference="", note="", partner=None):
    """Record goods delivered by a producer into ``location``; returns the Receipt.

    ``lines`` is ``[(stockrecord, quantity), ...]`` with positive quantities.
    """
    _check_location(location)
    merged = _merge_lines(lines)
    if partner is not None:
        for stockrecord, _q in merged.values():
            if stockrecord.partner_id != partner.pk:
                raise InvalidOperation(
                    _("Sản phẩm %(product)s không thuộc chủ thể %(partner)s.")
                    % {"product": stockrecord.product.get_title(), "partner": partner.name}
                )
    with transaction.atomic():
        batch = _Batch(merged)
        receipt = Receipt.objects.create(
            location=location, partner=partner, reference=reference[:64], note=note[:255],
            created_by=_user(user),
        )
        for sr_id, (_sr, quantity) in sorted(merged.items()):
            batch.move(
                batch.stock(sr_id, location), Kind.RECEIPT, quantity=quantity,
                user=_user(user), reason=note[:255], reference_type=Ref.RECEIPT,
                reference=reference[:64] or str(receipt.pk), receipt=receipt,
            )
        batch.flush()
    return receipt


def create_transfer(source, destination, lines, user=None, note=""):
    """A draft transfer of ``lines`` from ``source`` to ``destination`` (no stock moves yet)."""
    _check_location(source)
    _check_location(destination)
    if source.pk == destination.pk:
        raise InvalidOperation(_("Điểm chuyển đi và điểm nhận phải khác nhau."))
    merged = _merge_lines(lines)
    for stockrecord, _q in merged.values():
        _refuse_combo(stockrecord)
    with transaction.atomic():
        transfer = Transfer.objects.create(
            source=source, destination=destination, note=note[:255], created_by=_user(user),
        )
        TransferLine.objects.bulk_create(
            TransferLine(transfer=transfer, stockrecord_id=sr_id, quantity=quantity)
            for sr_id, (_sr, quantity) in sorted(merged.items())
        )
    return transfer


def _lock_transfer(transfer):
    return Transfer.objects.select_for_update().select_related("source", "destination").get(
        pk=transfer.pk
    )


def send_transfer(transfer, user=None):
    """Take the goods out of the source: they are in transit until received.

    Refused if the source does not hold the units free of online allocations.
    """
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InvalidOperation(_("Chỉ gửi được phiếu chuyển đang ở trạng thái nháp."))
        lines = list(transfer.lines.all())
        batch = _Batch([line.stockrecord_id for line in lines])
        for line in sorted(lines, key=lambda x: x.stockrecord_id):
            stock = batch.stock(line.stockrecord_id, transfer.source)
            if line.quantity > stock.free:
                raise InsufficientStock(
                    batch.stockrecords[line.stockrecord_id], line.quantity, stock.free,
                    transfer.source,
                )
            batch.move(
                stock, Kind.TRANSFER_OUT, quantity=-line.quantity, user=_user(user),
                reason=transfer.note, reference_type=Ref.TRANSFER, reference=str(transfer.pk),
                transfer=transfer,
            )
        batch.flush()
        transfer.status = Transfer.Status.IN_TRANSIT
        transfer.sent_at = batch.now
        transfer.sent_by = _user(user)
        transfer.save(update_fields=["status", "sent_at", "sent_by"])
    return transfer


def receive_transfer(transfer, user=None):
    """Put the goods of an in-transit transfer into the destination."""
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status != Transfer.Status.IN_TRANSIT:
            raise InvalidOperation(_("Chỉ nhận được phiếu chuyển đang trên đường."))
        lines = list(transfer.lines.all())
        batch = _Batch([line.stockrecord_id for line in lines])
        for line in sorted(lines, key=lambda x: x.stockrecord_id):
            batch.move(
                batch.stock(line.stockrecord_id, transfer.destination), Kind.TRANSFER_IN,
                quantity=line.quantity, user=_user(user), reason=transfer.note,
                reference_type=Ref.TRANSFER, reference=str(transfer.pk), transfer=transfer,
            )
        batch.flush()
        transfer.status = Transfer.Status.RECEIVED
        transfer.received_at = batch.now
        transfer.received_by = _user(user)
        transfer.save(update_fields=["status", "received_at", "received_by"])
    return transfer


def cancel_transfer(transfer, user=None):
    """Cancel a draft (no moves) or an in-transit transfer (goods go back to the source)."""
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status == Transfer.Status.DRAFT:
            pass
        elif transfer.status == Transfer.Status.IN_TRANSIT:
            lines = list(transfer.lines.all())
            batch = _Batch([line.stockrecord_id for line in lines])
            for line in sorted(lines, key=lambda x: x.stockrecord_id):
                batch.move(
                    batch.stock(line.stockrecord_id, transfer.source), Kind.TRANSFER_IN,
                    quantity=line.quantity, user=_user(user),
                    reason=_("Huỷ phiếu chuyển, hàng về lại điểm gửi"),
                    reference_type=Ref.TRANSFER, reference=str(transfer.pk), transfer=transfer,
                )
            batch.flush()
        else:
            raise InvalidOperation(_("Phiếu chuyển này đã kết thúc, không huỷ được."))
        transfer.status = Transfer.Status.CANCELLED
        transfer.save(update_fields=["status"])
    return transfer


def in_transit(stockrecord_ids=None):
    """``{(stockrecord_id, destination_id): quantity}`` of transfers on the way."""
    qs = TransferLine.objects.filter(transfer__status=Transfer.Status.IN_TRANSIT)
    if stockrecord_ids is not None:
        qs = qs.filter(stockrecord_id__in=stockrecord_ids)
    return {
        (row["stockrecord_id"], row["transfer__destination_id"]): row["total"]
        for row in qs.values("stockrecord_id", "transfer__destination_id").annotate(
            total=Sum("quantity")
        )
    }


def apply_count(location, counted, reason, user=None):
    """Record a count of ``location``: ``counted`` is ``[(stockrecord, counted_qty), ...]``.

    Each difference from the books becomes an adjustment move with ``reason``.
    A stock counted at or above what online orders hold is reconciled.
    """
    _check_location(location)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidOperation(_("Hãy ghi lý do điều chỉnh."))
    merged = _merge_lines(counted, allow_zero=True)
    with transaction.atomic():
        batch = _Batch(merged)
        count = StockCount.objects.create(
            location=location, reason=reason[:255], created_by=_user(user)
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
                    stock, Kind.ADJUSTMENT, quantity=difference, user=_user(user),
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


# --- The till -------------------------------------------------------------------


def record_till_sale(location, lines, reference, user=None):
    """Goods that left the shelf at the till. Never refused for lack of stock.

    On hand may go negative; the stock is then flagged for reconciliation, and
    online availability never counts it.
    """
    return _till(location, lines, reference, user, Kind.POS_SALE, -1)


def record_till_return(location, lines, reference, user=None):
    """Goods a customer brought back to the till: on hand goes up."""
    return _till(location, lines, reference, user, Kind.POS_RETURN, 1)


def _till(location, lines, reference, user, kind, sign):
    """A combo's StockRecord is expanded: each component moves (line qty × its quantity)."""
    _check_location(location)
    merged = _merge_lines(lines)
    reference = str(reference or "")[:64]
    parts = _combo_parts([(sr_id, sr.product) for sr_id, (sr, _q) in merged.items()])
    expanded = []  # (component stockrecord id, quantity, reason)
    for sr_id, (_sr, quantity) in sorted(merged.items()):
        if sr_id in parts:
            combo, components = parts[sr_id]
            if not components:
                raise InvalidOperation(
                    _("Combo %(combo)s chưa có thành phần.") % {"combo": combo.get_title()}
                )
            for component in components:
                expanded.append(
                    (component.component_id, check_quantity(quantity * component.quantity),
                     _("Combo: %(combo)s") % {"combo": combo.get_title()})
                )
        else:
            expanded.append((sr_id, quantity, ""))
    with transaction.atomic():
        batch = _Batch([sr_id for sr_id, _q, _r in expanded])
        for sr_id, quantity, reason in sorted(expanded, key=lambda e: (e[0], e[2])):
            stock = batch.stock(sr_id, location)
            batch.move(
                stock, kind, quantity=sign * quantity, user=_user(user),
                reason=str(reason)[:255], reference_type=Ref.TILL_SALE, reference=reference,
            )
            _flag(stock)
        return batch.flush()


# --- Online orders ---------------------------------------------------------------


@dataclass
class _Need:
    line: object
    stockrecord_id: int
    quantity: int
    combo: str | None = None  # the combo's title when this is one of its components


def allocate_order(order, collect_location=None, user=None):
    """Allocate every stock-tracked line of ``order``; see :func:`allocate_order_lines`."""
    return allocate_order_lines(
        list(order.lines.select_related("product__product_class").all()),
        order=order, collect_location=collect_location, user=user, _whole_order=True,
    )


def _tracks_stock(line):
    if line.stockrecord_id is None:
        return False
    product = line.product
    if product is None:
        return True
    return product.get_product_class().track_stock


def _expand(lines, parts):
    """The stock needs of order ``lines``: a combo line needs each of its components."""
    needs = []
    for line in lines:
        quantity = check_quantity(line.quantity)
        if line.stockrecord_id in parts:
            combo, components = parts[line.stockrecord_id]
            _check_combo_sellable(combo, components)
            for component in components:
                needs.append(
                    _Need(line, component.component_id,
                          check_quantity(quantity * component.quantity), combo.get_title())
                )
        else:
            needs.append(_Need(line, line.stockrecord_id, quantity))
    return needs


def _order_lock_ids(order):
    """The offers every stock-tracked line of ``order`` touches (combos expanded); cached."""
    cached = getattr(order, "_inventory_lock_ids", None)
    if cached is None:
        lines = [
            line for line in order.lines.select_related("product__product_class").all()
            if line.stockrecord_id is not None
        ]
        parts = _combo_parts([(line.stockrecord_id, line.product) for line in lines])
        cached = set()
        for line in lines:
            if line.stockrecord_id in parts:
                cached.update(c.component_id for c in parts[line.stockrecord_id][1])
            elif _tracks_stock(line):
                cached.add(line.stockrecord_id)
        order._inventory_lock_ids = cached
    return cached


def allocate_order_lines(lines, order=None, collect_location=None, user=None, _whole_order=False):
    """Hold stock for online order lines, all or nothing (the location rule is in the docstring).

    Lines that already have allocations are skipped (idempotent). A combo line
    allocates each component (see "Gift combos"). Raises
    :class:`InsufficientStock` naming the first product (or combo component)
    that cannot be served, or :class:`InvalidOperation` for a combo that cannot
    be sold; then nothing is written.
    """
    if collect_location is not None:
        _check_location(collect_location)
    lines = [line for line in lines if line.stockrecord_id is not None]
    parts = _combo_parts([(line.stockrecord_id, line.product) for line in lines])
    lines = [line for line in lines if line.stockrecord_id in parts or _tracks_stock(line)]
    if not lines:
        return []
    done = set(
        Allocation.objects.filter(line__in=lines)
        .order_by()
        .values_list("line_id", flat=True)
        .distinct()
    )
    needs = _expand([line for line in lines if line.pk not in done], parts)
    if not needs:
        return []
    lock_ids = {n.stockrecord_id for n in needs}
    if order is not None and not _whole_order:
        # Lock the whole order's offers now, in order, even if this call serves one line.
        lock_ids |= _order_lock_ids(order)
    with transaction.atomic():
        batch = _Batch(lock_ids)
        plan, taken = [], defaultdict(int)
        by_line = defaultdict(list)
        for need in needs:
            by_line[need.line.pk].append(need)
        ordered = sorted(by_line.values(), key=lambda ns: (ns[0].line.stockrecord_id, ns[0].line.pk))
        for line_needs in ordered:
            if line_needs[0].combo is not None:
                plan.extend(_pick_combo(batch, line_needs, collect_location, taken))
            else:
                for need in line_needs:
                    plan.extend(_pick(batch, need, collect_location, taken))
        allocations = Allocation.objects.bulk_create(
            Allocation(line=need.line, stock=stock, quantity=qty) for need, stock, qty in plan
        )
        number = order.number if order is not None else str(needs[0].line.order.number)
        for (need, stock, qty), allocation in zip(plan, allocations, strict=True):
            reason = _("Combo: %(combo)s") % {"combo": need.combo} if need.combo else ""
            batch.move(
                stock, Kind.ALLOCATION, allocated=qty, user=_user(user), reason=reason[:255],
                reference_type=Ref.ORDER, reference=number, allocation=allocation,
            )
        batch.flush()
    return allocations


def _pick_combo(batch, needs, collect_location, taken):
    """Serve every component of one combo line: from one location if one can, else per component."""
    if collect_location is None:
        locations = {}
        for need in needs:
            for stock in batch.stocks_of(need.stockrecord_id):
                if stock.location.sells_online:
                    locations[stock.location_id] = stock.location
        for location in sorted(locations.values(), key=lambda loc: (loc.priority, loc.code)):
            stocks = [batch.stocks.get((n.stockrecord_id, location.pk)) for n in needs]
            if all(
                s is not None and max(0, s.free - taken[s.pk]) >= n.quantity
                for s, n in zip(stocks, needs, strict=True)
            ):
                for stock, need in zip(stocks, needs, strict=True):
                    taken[stock.pk] += need.quantity
                return [(n, s, n.quantity) for s, n in zip(stocks, needs, strict=True)]
    plan = []
    for need in needs:
        plan.extend(_pick(batch, need, collect_location, taken))
    return plan


def _pick(batch, need, collect_location, taken):
    """``[(need, stock, qty), ...]`` serving ``need`` from the locked stocks, or refuse.

    ``taken`` counts, per stock, what earlier lines of the same operation took.
    """
    stockrecord = batch.stockrecords[need.stockrecord_id]
    stocks = batch.stocks_of(need.stockrecord_id)

    def free(stock):
        return max(0, stock.free - taken[stock.pk])

    if collect_location is not None:
        stock = next((s for s in stocks if s.location_id == collect_location.pk), None)
        available = free(stock) if stock is not None else 0
        if available < need.quantity:
            raise InsufficientStock(
                stockrecord, need.quantity, available, collect_location, combo=need.combo
            )
        taken[stock.pk] += need.quantity
        return [(need, stock, need.quantity)]
    sellable = sorted(
        (s for s in stocks if s.location.sells_online),
        key=lambda s: (s.location.priority, s.location.code),
    )
    whole = next((s for s in sellable if free(s) >= need.quantity), None)
    if whole is not None:
        taken[whole.pk] += need.quantity
        return [(need, whole, need.quantity)]
    available = sum(free(s) for s in sellable)
    if available < need.quantity:
        raise InsufficientStock(stockrecord, need.quantity, available, combo=need.combo)
    plan, remaining = [], need.quantity
    for stock in sellable:
        take = min(free(stock), remaining)
        if take:
            taken[stock.pk] += take
            plan.append((need, stock, take))
            remaining -= take
        if not remaining:
            break
    return plan


def _settle(order, lines, quantities, user, consume):
    """Consume (ship/collect) or release (cancel) open allocations of an order."""
    qs = Allocation.objects.filter(line__order=order, status=Allocation.Status.OPEN)
    wanted = None
    if lines:
        ids = [line.pk for line in lines]
        qs = qs.filter(line_id__in=ids)
        if quantities:
            wanted = _wanted_units(lines, quantities)
    with transaction.atomic():
        stock_ids = set(qs.values_list("stock__stockrecord_id", flat=True))
        if not stock_ids:
            return []
        batch = _Batch(stock_ids)
        # Re-read the open allocations now that their stocks are locked.
        allocations = list(qs.select_for_update(of=("self",)).order_by("pk"))
        new_status = Allocation.Status.CONSUMED if consume else Allocation.Status.RELEASED
        stocks_by_pk = {s.pk: s for s in batch.stocks.values()}
        for allocation in allocations:
            take = allocation.quantity
            stock = stocks_by_pk[allocation.stock_id]
            if wanted is not None:
                key = (allocation.line_id, stock.stockrecord_id)
                take = min(take, wanted.get(key, 0))
                if not take:
                    continue
                wanted[key] -= take

            if take < allocation.quantity:
                allocation.quantity -= take
                allocation.save(update_fields=["quantity", "updated_at"])
                allocation = Allocation.objects.create(
                    line_id=allocation.line_id, stock=stock, quantity=take, status=new_status
                )
            else:
                allocation.status = new_status
                allocation.save(update_fields=["status", "updated_at"])
            if consume:
                batch.move(
                    stock, Kind.FULFILMENT, quantity=-take, allocated=-take, user=_user(user),
                    reference_type=Ref.ORDER, reference=order.number, allocation=allocation,
                )
            else:
                batch.move(
                    stock, Kind.ALLOCATION_RELEASE, allocated=-take, user=_user(user),
                    reference_type=Ref.ORDER, reference=order.number, allocation=allocation,
                )
        return batch.flush()


def _wanted_units(lines, quantities):
    """``{(line_id, stockrecord_id): units}`` for ``quantities`` given in order-line units.

    A combo line's allocations hold ``line quantity × component quantity`` of each
    component; the ratio is read from the allocations themselves (all statuses),
    so a later change of the combo's composition does not change old orders.
    """
    wanted = {}
    ordered = {line.pk: line.quantity for line in lines}
    units = {line.pk: check_quantity(q) for line, q in zip(lines, quantities, strict=True)}
    for row in (
        Allocation.objects.filter(line_id__in=list(units))
        .values("line_id", "stock__stockrecord_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        per_unit = max(1, row["total"] // max(1, ordered[row["line_id"]]))
        wanted[(row["line_id"], row["stock__stockrecord_id"])] = units[row["line_id"]] * per_unit
    return wanted


def fulfil_order(order, lines=None, quantities=None, user=None):
    """The order (or these lines) left with the shopper: on hand and allocated go down.

    Idempotent: only open allocations are consumed, so doing it twice changes nothing.
    """
    return _settle(order, lines, quantities, user, consume=True)


def release_order(order, lines=None, quantities=None, user=None):
    """The order (or these lines) was cancelled: its allocations are released. Idempotent."""
    return _settle(order, lines, quantities, user, consume=False)


# --- Reading ----------------------------------------------------------------------


def online_availability(stockrecords):
    """``{stockrecord_id: units sellable online}`` = Σ sellable max(0, on hand − allocated)."""
    ids = [getattr(sr, "pk", sr) for sr in stockrecords]
    result = dict.fromkeys(ids, 0)
    combos = _combo_parts(
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
