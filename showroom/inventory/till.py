"""Till moves: goods that left the shelf at the till, or came back to it.

The till never refuses goods in the cashier's hand: on hand may go negative,
and the stock is then flagged for reconciliation. A scanned combo moves each
of its components.

A till sale's own lock comes last: ``reference`` may be a callable, called
once (with no argument) after every offer and stock row of the sale is locked
— in the package's lock order — and before anything is written; it returns
the reference of the ledger rows. The till takes its register's receipt
number there, so the lock order of a sale is: offers (``StockRecord``, by
primary key, with the combos made of them), their stock rows (by offer, then
location), then the register's receipt counter. Nothing shared by all
registers is locked: two registers wait on each other only when they sell
the same offer (or two offers of one combo).

The moves are written without a savepoint of their own: called inside the
caller's transaction (the till's sale), a failure rolls the whole sale back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from showroom.inventory.combos import combo_parts, stock_components
from showroom.inventory.errors import InvalidOperation, check_quantity
from showroom.inventory.inventory import (
    Batch,
    check_location,
    flag_for_reconciliation,
    merge_lines,
    user_or_none,
)
from showroom.models import StockMove

Kind = StockMove.Kind
Ref = StockMove.ReferenceType


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
    check_location(location)
    merged = merge_lines(lines)
    parts = combo_parts([(sr_id, sr.product) for sr_id, (sr, _q) in merged.items()])
    expanded = []  # (component stockrecord id, quantity, reason)
    for sr_id, (_sr, quantity) in sorted(merged.items()):
        if sr_id in parts:
            combo, components = parts[sr_id]
            if not components:
                raise InvalidOperation(
                    _("Combo %(combo)s chưa có thành phần.") % {"combo": combo.get_title()}
                )
            for component in stock_components(components):  # a voucher is not stock
                expanded.append(
                    (component.component_id, check_quantity(quantity * component.quantity),
                     _("Combo: %(combo)s") % {"combo": combo.get_title()})
                )
        else:
            expanded.append((sr_id, quantity, ""))
    with transaction.atomic(savepoint=False):
        batch = Batch([sr_id for sr_id, _q, _r in expanded])
        if callable(reference):
            reference = reference()  # the caller's lock, after the stock rows' (see above)
        reference = str(reference or "")[:64]
        for sr_id, quantity, reason in sorted(expanded, key=lambda e: (e[0], e[2])):
            stock = batch.stock(sr_id, location)
            batch.move(
                stock, kind, quantity=sign * quantity, user=user_or_none(user),
                reason=str(reason)[:255], reference_type=Ref.TILL_SALE, reference=reference,
            )
            flag_for_reconciliation(stock)
        return batch.flush()
