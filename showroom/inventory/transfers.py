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



def send_transfer(transfer, user=None):
    """Take the goods out of the source: they are in transit until received.

    Refused if the source does not hold the units free of online allocations.
    """
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status != Transfer.Status.DRAFT:
            raise InvalidOperation(_("Chỉ gửi được phiếu chuyển đang ở trạng thái nháp."))
        lines = list(transfer.lines.all())
        batch = Batch([line.stockrecord_id for line in lines])
        for line in sorted(lines, key=lambda x: x.stockrecord_id):
            stock = batch.stock(line.stockrecord_id, transfer.source)
            if line.quantity > stock.free:
                raise InsufficientStock(
                    batch.stockrecords[line.stockrecord_id], line.quantity, stock.free,
                    transfer.source,
                )
            batch.move(
                stock, Kind.TRANSFER_OUT, quantity=-line.quantity, user=user_or_none(user),
                reason=transfer.note, reference_type=Ref.TRANSFER, reference=str(transfer.pk),
                transfer=transfer,
            )
        batch.flush()
        transfer.status = Transfer.Status.IN_TRANSIT
        transfer.sent_at = batch.now
        transfer.sent_by = user_or_none(user)
        transfer.save(update_fields=["status", "sent_at", "sent_by"])
    return transfer



def receive_transfer(transfer, user=None):
    """Put the goods of an in-transit transfer into the destination."""
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if transfer.status != Transfer.Status.IN_TRANSIT:
            raise InvalidOperation(_("Chỉ nhận được phiếu chuyển đang trên đường."))
        lines = list(transfer.lines.all())
        batch = Batch([line.stockrecord_id for line in lines])
        for line in sorted(lines, key=lambda x: x.stockrecord_id):
            batch.move(
                batch.stock(line.stockrecord_id, transfer.destination), Kind.TRANSFER_IN,
                quantity=line.quantity, user=user_or_none(user), reason=transfer.note,
                reference_type=Ref.TRANSFER, reference=str(transfer.pk), transfer=transfer,
            )
        batch.flush()
        transfer.status = Transfer.Status.RECEIVED
        transfer.received_at = batch.now
        transfer.received_by = user_or_none(user)
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
            batch = Batch([line.stockrecord_id for line in lines])
            for line in sorted(lines, key=lambda x: x.stockrecord_id):
                batch.move(
                    batch.stock(line.stockrecord_id, transfer.source), Kind.TRANSFER_IN,
                    quantity=line.quantity, user=user_or_none(user),
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
