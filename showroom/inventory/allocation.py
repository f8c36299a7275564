"""Online orders: allocation at placement, then fulfilment (shipped, collected) or release.

Which location serves a line is the rule in the package's docstring; a combo
line allocates each of its components; all of an order is allocated in one
transaction, all or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from showroom.inventory.combos import check_combo_sellable, combo_parts, stock_components
from showroom.inventory.errors import InsufficientStock, check_quantity
from showroom.inventory.inventory import Batch, check_location, user_or_none
from showroom.models import Allocation, StockMove

Kind = StockMove.Kind
Ref = StockMove.ReferenceType


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
            check_combo_sellable(combo, components)
            for component in stock_components(components):  # a voucher is not stock
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
        parts = combo_parts([(line.stockrecord_id, line.product) for line in lines])
        cached = set()
        for line in lines:
            if line.stockrecord_id in parts:
                cached.update(
                    c.component_id for c in stock_components(parts[line.stockrecord_id][1])
                )
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
        check_location(collect_location)
    lines = [line for line in lines if line.stockrecord_id is not None]
    parts = combo_parts([(line.stockrecord_id, line.product) for line in lines])
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
        batch = Batch(lock_ids)
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
                stock, Kind.ALLOCATION, allocated=qty, user=user_or_none(user), reason=reason[:255],
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
        batch = Batch(stock_ids)
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
                    stock, Kind.FULFILMENT, quantity=-take, allocated=-take, user=user_or_none(user),
                    reference_type=Ref.ORDER, reference=order.number, allocation=allocation,
                )
            else:
                batch.move(
                    stock, Kind.ALLOCATION_RELEASE, allocated=-take, user=user_or_none(user),
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


# --- Holds: stock kept for a livestream comment order until it is confirmed ------------------


@dataclass
class _HoldLine:
    """What :func:`_expand` needs of a line, for a hold that has no order line yet."""

    stockrecord_id: int
    product: object
    quantity: int
    pk: int = 0


def hold_stock(stockrecord, product, quantity, reference, user=None):
    """Hold ``quantity`` of an offer (a combo: each component) under ``reference``.

    The same location rule and locks as an online order; all or nothing. Raises
    :class:`InsufficientStock` (nothing written) when the units are not there.
    Idempotent per reference: a reference that already holds stock is left as is.
    """
    if Allocation.objects.filter(hold=reference).exists():
        return list(Allocation.objects.filter(hold=reference, status=Allocation.Status.OPEN))
    line = _HoldLine(stockrecord.pk, product, quantity)
    parts = combo_parts([(stockrecord.pk, product)])
    if stockrecord.pk not in parts and not _tracks_stock(line):
        return []
    needs = _expand([line], parts)
    if not needs:
        return []
    with transaction.atomic():
        batch = Batch({n.stockrecord_id for n in needs})
        taken = defaultdict(int)
        plan = []
        if needs[0].combo is not None:
            plan.extend(_pick_combo(batch, needs, None, taken))
        else:
            plan.extend(_pick(batch, needs[0], None, taken))
        allocations = Allocation.objects.bulk_create(
            Allocation(line=None, hold=reference, stock=stock, quantity=qty)
            for _need, stock, qty in plan
        )
        for (need, stock, qty), allocation in zip(plan, allocations, strict=True):
            reason = _("Combo: %(combo)s") % {"combo": need.combo} if need.combo else ""
            batch.move(
                stock, Kind.HOLD, allocated=qty, user=user_or_none(user), reason=reason[:255],
                reference_type=Ref.HOLD, reference=reference, allocation=allocation,
            )
        batch.flush()
    return allocations


def release_hold(reference, user=None, reason=""):
    """Give back what ``reference`` still holds (expired or cancelled). Idempotent."""
    qs = Allocation.objects.filter(hold=reference, line__isnull=True, status=Allocation.Status.OPEN)
    with transaction.atomic():
        stock_ids = set(qs.values_list("stock__stockrecord_id", flat=True))
        if not stock_ids:
            return []
        batch = Batch(stock_ids)
        allocations = list(qs.select_for_update(of=("self",)).order_by("pk"))
        stocks_by_pk = {s.pk: s for s in batch.stocks.values()}
        for allocation in allocations:
            allocation.status = Allocation.Status.RELEASED
            allocation.save(update_fields=["status", "updated_at"])
            batch.move(
                stocks_by_pk[allocation.stock_id], Kind.HOLD_RELEASE,
                allocated=-allocation.quantity, user=user_or_none(user), reason=reason[:255],
                reference_type=Ref.HOLD, reference=reference, allocation=allocation,
            )
        return batch.flush()


def hand_hold_to_line(reference, line):
    """The hold became order ``line``: its open allocations now belong to the line.

    The units stay allocated throughout (no move in the ledger: nothing changed on
    the shelf). Returns the number of allocations handed over; 0 when the hold had
    none left (it expired first), and the caller then allocates the line afresh.
    """
    return Allocation.objects.filter(
        hold=reference, line__isnull=True, status=Allocation.Status.OPEN
    ).update(line=line)
