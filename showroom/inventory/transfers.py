"""Transfers between locations: draft, sent (in transit), received or cancelled.

Sending takes the goods out of the source, refused unless the source holds
them free of online allocations; receiving puts them into the destination;
cancelling an in-transit transfer puts them back into the source.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from showroom.inventory.combos import refuse_combo
from showroom.inventory.errors import InsufficientStock, InvalidOperation
from showroom.inventory.inventory import Batch, check_location, merge_lines, user_or_none
from showroom.models import StockMove, Transfer, TransferLine

Kind = StockMove.Kind
Ref = StockMove.ReferenceType


def create_transfer(source, destination, lines, user=None, note=""):
    """A draft transfer of ``lines`` from ``source`` to ``destination`` (no stock moves yet)."""
    check_location(source)
    check_location(destination)
    if source.pk == destination.pk:
        raise InvalidOperation(_("Điểm chuyển đi và điểm nhận phải khác nhau."))
    merged = merge_lines(lines)
    for stockrecord, _q in merged.values():
        refuse_combo(stockrecord)
    with transaction.atomic():
        transfer = Transfer.objects.create(
            source=source, destination=destination, note=note[:255], created_by=user_or_none(user),
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


def _move_lines(transfer, location, kind, user, reason, only_free=False):
    """Every line of ``transfer`` out of (``TRANSFER_OUT``) or into ``location``, in one batch.

    ``only_free`` refuses a line the location does not hold free of online
    allocations. Returns the time of the moves.
    """
    sign = -1 if kind == Kind.TRANSFER_OUT else 1
    lines = list(transfer.lines.all())
    batch = Batch([line.stockrecord_id for line in lines])
    for line in sorted(lines, key=lambda x: x.stockrecord_id):
        stock = batch.stock(line.stockrecord_id, location)
        if only_free and line.quantity > stock.free:
            raise InsufficientStock(
                batch.stockrecords[line.stockrecord_id], line.quantity, stock.free, location
            )
        batch.move(
            stock, kind, quantity=sign * line.quantity, user=user_or_none(user), reason=reason,
            reference_type=Ref.TRANSFER, reference=str(transfer.pk), transfer=transfer,
        )
    batch.flush()
    return batch.now


def _advance(transfer, user, *, expected, refusal, side, kind, status, stamp, only_free=False):
    """Lock ``transfer``, refuse it unless ``expected``, move its lines at its ``side``.

    Then it takes ``status`` and records when and by whom (``<stamp>_at``,
    ``<stamp>_by``).
    """
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status != expected:
            raise InvalidOperation(refusal)
        now = _move_lines(transfer, getattr(transfer, side), kind, user, transfer.note,
                          only_free=only_free)
        transfer.status = status
        setattr(transfer, f"{stamp}_at", now)
        setattr(transfer, f"{stamp}_by", user_or_none(user))
        transfer.save(update_fields=["status", f"{stamp}_at", f"{stamp}_by"])
    return transfer


def send_transfer(transfer, user=None):
    """Take the goods out of the source: they are in transit until received.

    Refused if the source does not hold the units free of online allocations.
    """
    return _advance(
        transfer, user, expected=Transfer.Status.DRAFT,
        refusal=_("Chỉ gửi được phiếu chuyển đang ở trạng thái nháp."), side="source",
        kind=Kind.TRANSFER_OUT, status=Transfer.Status.IN_TRANSIT, stamp="sent", only_free=True,
    )


def receive_transfer(transfer, user=None):
    """Put the goods of an in-transit transfer into the destination."""
    return _advance(
        transfer, user, expected=Transfer.Status.IN_TRANSIT,
        refusal=_("Chỉ nhận được phiếu chuyển đang trên đường."), side="destination",
        kind=Kind.TRANSFER_IN, status=Transfer.Status.RECEIVED, stamp="received",
    )


def cancel_transfer(transfer, user=None):
    """Cancel a draft (no moves) or an in-transit transfer (goods go back to the source)."""
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status == Transfer.Status.DRAFT:
            pass
        elif transfer.status == Transfer.Status.IN_TRANSIT:
            _move_lines(transfer, transfer.source, Kind.TRANSFER_IN, user,
                        _("Huỷ phiếu chuyển, hàng về lại điểm gửi"))
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
