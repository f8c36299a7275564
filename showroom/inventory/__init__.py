"""The one inventory: the only code that changes stock quantities.

Every change of a quantity goes through a function of this package, which in
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

Lock order
----------
An operation first locks the ``StockRecord`` rows it touches
(``select_for_update``, ordered by primary key), then all ``Stock`` rows of
those offers (ordered by offer, then location). Every operation takes the
locks in that same order, so two operations cannot deadlock, and the totals of
an offer are always computed from a consistent picture of all its locations.

Gift combos
-----------
A combo (``catalogue.combos``; its stock rules are ``combos`` below) has no
stock of its own. Its one StockRecord
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
offer's lock, so the StockRecord order is the one global order). Order
placement calls the allocator once per basket line inside one transaction, so
each call locks the offers of the *whole order* (combos expanded) — a
transaction always takes its locks in one global order.

Which location serves an online order (the rule)
-------------------------------------------------
* If the shopper chose a collect point, every line is served from that
  location only; if it lacks the units the line is out of stock there.
* Otherwise, per line: the sellable location with the smallest ``priority``
  (then code) that can serve the whole quantity alone; if none can, the line is
  split across sellable locations in priority order, each giving what it has.
* A location's contribution is never more than ``max(0, on hand − allocated)``:
  negative or already-promised stock is never sold online.

The package
-----------
``showroom.inventory`` is the one public entry: callers import the package and
call the functions below by these names; the modules are how it is kept, one
responsibility each (lowest first — a module imports only those above it in
this list):

* ``errors``      — the refusals (:class:`InventoryError` …) and :func:`check_quantity`;
* ``combos``      — gift combos as the stock sees them (kinds, sellability,
  units); ``catalogue.combos`` builds on it, never the other way round;
* ``inventory``   — the writer: a ``Batch`` locks in the order above and writes
  ``Stock`` quantities, ledger rows and Oscar's totals; the only module of the
  project that assigns those columns (``tests/showroom/test_inventory.py``
  recognises the writer by this file name, as it did the old single module);
* ``receipts``, ``transfers``, ``counts``, ``till``, ``allocation`` — the
  operations: goods in from producers; moves between locations; counts and
  adjustments; the till's sales and returns; online orders' allocation,
  fulfilment and release, and livestream holds (stock kept for a comment
  order before it is an order);
* ``levels``      — reading: online availability, low stock;
* ``invariants``  — :func:`check_invariants`: the ledger and the totals agree.

The inventory is the ground floor: it imports no rules of the catalogue,
vendors, the till or the shop (``tests/test_architecture.py`` holds it to that).
"""

from showroom.inventory.allocation import (
    allocate_order,
    allocate_order_lines,
    fulfil_order,
    hand_hold_to_line,
    hold_stock,
    release_hold,
    release_order,
)
from showroom.inventory.combos import (
    COMBO_CLASS_SLUG,
    PACKAGING_CLASS_SLUG,
    combo_availability,
    combo_problems,
    combo_totals,
    component_ok,
    component_problem,
    is_combo,
    is_packaging,
    is_voucher,
    stock_components,
    units_from,
)
from showroom.inventory.counts import apply_count
from showroom.inventory.errors import (
    InsufficientStock,
    InvalidOperation,
    InvalidQuantity,
    InventoryError,
    check_quantity,
    max_quantity,
)
from showroom.inventory.invariants import Mismatch, check_invariants, check_ledger_balances
from showroom.inventory.inventory import derived_totals, refresh_combo_totals
from showroom.inventory.levels import (
    DEFAULT_LOW_STOCK_THRESHOLD,
    low_stock,
    low_stock_default,
    online_availability,
    set_low_stock_threshold,
)
from showroom.inventory.receipts import receive
from showroom.inventory.till import record_till_return, record_till_sale
from showroom.inventory.transfers import (
    cancel_transfer,
    create_transfer,
    in_transit,
    receive_transfer,
    send_transfer,
)

__all__ = [
    "COMBO_CLASS_SLUG",
    "DEFAULT_LOW_STOCK_THRESHOLD",
    "PACKAGING_CLASS_SLUG",
    "InsufficientStock",
    "InvalidOperation",
    "InvalidQuantity",
    "InventoryError",
    "Mismatch",
    "allocate_order",
    "allocate_order_lines",
    "apply_count",
    "cancel_transfer",
    "check_invariants",
    "check_ledger_balances",
    "check_quantity",
    "combo_availability",
    "combo_problems",
    "combo_totals",
    "component_ok",
    "component_problem",
    "create_transfer",
    "derived_totals",
    "fulfil_order",
    "hand_hold_to_line",
    "hold_stock",
    "in_transit",
    "is_combo",
    "is_packaging",
    "is_voucher",
    "stock_components",
    "low_stock",
    "low_stock_default",
    "max_quantity",
    "online_availability",
    "receive",
    "receive_transfer",
    "record_till_return",
    "record_till_sale",
    "refresh_combo_totals",
    "release_hold",
    "release_order",
    "send_transfer",
    "set_low_stock_threshold",
    "units_from",
]
