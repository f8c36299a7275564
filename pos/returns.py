"""Returns at the till: part or all of an earlier receipt, never more than was sold.

* The refund of a line is its share of what the customer actually paid for it
  (after line and order discounts): returning ``q`` of ``n`` units refunds
  ``round(net × (r + q) / n) − round(net × r / n)`` where ``r`` units were
  returned before, so all returns of a line add up exactly to its net total.
* The money goes back in cash (rounded to the cash unit like any cash) or by
  one of the receipt's own tenders, never more than that tender paid.
* Goods go back on the shelf of the session's location through
  ``showroom.inventory.record_till_return``, or — when marked damaged — into
  the location's damaged bin (a non-selling location ``<code>-hong``).
* Experience tickets paid in the sale and the gift vouchers of gift combos go back
  with their lines (``shop.experiences.returns``): places given back, vouchers
  cancelled; a ticket used or past, or a voucher redeemed, refuses the whole return
  (codes ``ticket_used``, ``voucher_used``).
* A return is written in one transaction with the sale row locked, so two
  returns of the same receipt cannot both take the last unit. ``client_uuid``
  makes it idempotent.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from pos.errors import TillConflict, TillError, check_text
from pos.models import Tender, TenderKind, TillReturn, TillReturnLine, TillSale
from pos.money import parse_quantity
from pos.sales import parse_uuid
from pos.sessions import check_open
from shop.experiences import returns as experience_returns
from shop.experiences.errors import ExperienceError
from shop.invoicing import hooks as invoicing_hooks
from shop.money import ZERO, dong, format_vnd, round_cash
from showroom import inventory
from showroom.models import Location

OrderNote = get_model("order", "OrderNote")

DAMAGED_SUFFIX = "-hong"


def damaged_location(location):
    """The damaged bin of ``location``: a location that never sells online."""
    bin_location, _created = Location.objects.get_or_create(
        code=f"{location.code}{DAMAGED_SUFFIX}"[:32],
        defaults={
            "name": _("%(location)s — hàng hỏng") % {"location": location.name},
            "kind": Location.Kind.WAREHOUSE,
            "sells_online": False,
            "is_collect_point": False,
            "priority": 999,
        },
    )
    return bin_location


def _share(net, quantity, before, taking):
    def part(units):
        return dong(net * units / quantity)

    return part(before + taking) - part(before)


def returned_quantities(sale):
    return defaultdict(int, {
        row["sale_line_id"]: row["total"]
        for row in TillReturnLine.objects.filter(sale_line__sale=sale)
        .values("sale_line_id").annotate(total=Sum("quantity"))
    })


def record_return(*, sale, session, user, lines, refund_kind, reason="", client_uuid=None):
    """Record a return of ``lines`` (``[{"line": id, "quantity": n, "damaged": bool}]``)."""
    if client_uuid:
        client_uuid = parse_uuid(client_uuid)
        found = TillReturn.objects.filter(client_uuid=client_uuid).first()
        if found is not None:
            if found.sale_id != sale.pk:
                raise TillConflict(_("Mã phiếu trả này đã được dùng cho hoá đơn khác."))
            return found, False
    reason = check_text(str(reason or "").strip(), "reason")
    if session.register.location_id != sale.location_id:
        raise TillError(_("Chỉ nhận trả hàng của hoá đơn bán tại điểm này."))
    if refund_kind not in TenderKind.values:
        raise TillError(_("Hãy chọn cách hoàn tiền: tiền mặt, VietQR hoặc thẻ."))
    if not isinstance(lines, list) or not lines:
        raise TillError(_("Hãy chọn hàng khách trả."), code="no_lines")
    wanted = {}
    for raw in lines:
        if not isinstance(raw, dict):
            raise TillError(_("Dòng trả hàng không hợp lệ."))
        line_id = raw.get("line")
        if isinstance(line_id, bool) or not isinstance(line_id, int):
            raise TillError(_("Dòng trả hàng không hợp lệ."))
        key = (line_id, bool(raw.get("damaged")))
        wanted[key] = wanted.get(key, 0) + parse_quantity(raw.get("quantity"), _("Số lượng trả"))
    with transaction.atomic():
        check_open(session)
        sale = TillSale.objects.select_for_update().get(pk=sale.pk)
        sale_lines = {line.pk: line for line in sale.lines.select_related(
            "product__product_class", "product__parent__product_class")}
        done = returned_quantities(sale)
        taking = defaultdict(int)
        return_lines = []
        for (line_id, damaged), quantity in sorted(wanted.items()):
            line = sale_lines.get(line_id)
            if line is None:
                raise TillError(_("Dòng #%(id)s không thuộc hoá đơn này.") % {"id": line_id})
            before = done[line_id] + taking[line_id]
            if before + quantity > line.quantity:
                raise TillError(
                    _("“%(title)s”: đã bán %(sold)s, đã trả %(returned)s — không trả thêm %(quantity)s được.")
                    % {"title": line.title, "sold": line.quantity, "returned": before, "quantity": quantity},
                    code="above_sold",
                )
            taking[line_id] += quantity
            return_lines.append(TillReturnLine(
                sale_line=line, quantity=quantity, damaged=damaged,
                amount=_share(line.net_total, line.quantity, before, quantity),
            ))
        refund = sum((rl.amount for rl in return_lines), ZERO)
        rounding = ZERO
        if refund_kind == TenderKind.CASH:
            rounding = round_cash(refund) - refund
        else:
            paid = sum((t.amount for t in sale.tenders.all() if t.kind == refund_kind), ZERO)
            refunded = TillReturn.objects.filter(sale=sale, refund_kind=refund_kind).aggregate(
                total=Sum("refund_total"))["total"] or ZERO
            if refund > paid - refunded:
                raise TillError(
                    _("Hoá đơn chỉ còn %(left)s trả bằng %(kind)s để hoàn; hãy hoàn bằng tiền mặt.")
                    % {"left": format_vnd(paid - refunded), "kind": TenderKind(refund_kind).label},
                    code="refund_above_tender",
                )
        till_return = TillReturn.objects.create(
            sale=sale, session=session, register=session.register, cashier=user,
            refund_kind=refund_kind, refund_total=refund, cash_rounding=rounding,
            reason=reason[:255],
            **({"client_uuid": client_uuid} if client_uuid else {}),
        )
        for rl in return_lines:
            rl.till_return = till_return
        TillReturnLine.objects.bulk_create(return_lines)
        invoicing_hooks.till_return_recorded(till_return)  # its adjusting invoice, after commit
        reference = f"{sale.receipt_label}/R{till_return.pk}"
        try:  # places and vouchers first: departures and bookings are locked before stock
            experience_returns.release_for_till_return(
                sale, taking, lines=sale_lines, returned=done, reference=reference, user=user)
        except ExperienceError as error:
            raise TillError(str(error), code=error.code) from None
        location = session.register.location
        for damaged in (False, True):
            moves = [(rl.sale_line.stockrecord, rl.quantity) for rl in return_lines
                     if rl.damaged == damaged]
            if moves:
                inventory.record_till_return(
                    damaged_location(location) if damaged else location, moves,
                    reference=reference, user=user,
                )
        OrderNote.objects.create(
            order_id=sale.order_id, user=user, note_type="System",
            message=_("Khách trả hàng tại quầy (%(reference)s): hoàn %(amount)s bằng %(kind)s.")
            % {"reference": reference, "amount": format_vnd(till_return.refund_paid),
               "kind": TenderKind(refund_kind).label},
        )
    return till_return, True


def refundable_kinds(sale):
    kinds = [TenderKind.CASH]
    for tender in sale.tenders.all():
        if tender.kind not in kinds:
            kinds.append(tender.kind)
    return kinds


__all__ = ["Tender", "damaged_location", "record_return", "refundable_kinds", "returned_quantities"]
