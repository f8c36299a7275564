"""Receipts: goods a producer delivers into a location."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from showroom.inventory.errors import InvalidOperation
from showroom.inventory.inventory import Batch, check_location, merge_lines, user_or_none
from showroom.models import Receipt, StockMove

Kind = StockMove.Kind
Ref = StockMove.ReferenceType


def receive(location, lines, user=None, reference="", note="", partner=None):
    """Record goods delivered by a producer into ``location``; returns the Receipt.

    ``lines`` is ``[(stockrecord, quantity), ...]`` with positive quantities.
    """
    check_location(location)
    merged = merge_lines(lines)
    if partner is not None:
        for stockrecord, _q in merged.values():
            if stockrecord.partner_id != partner.pk:
                raise InvalidOperation(
                    _("Sản phẩm %(product)s không thuộc chủ thể %(partner)s.")
                    % {"product": stockrecord.product.get_title(), "partner": partner.name}
                )
    with transaction.atomic():
        batch = Batch(merged)
        receipt = Receipt.objects.create(
            location=location, partner=partner, reference=reference[:64], note=note[:255],
            created_by=user_or_none(user),
        )
        for sr_id, (_sr, quantity) in sorted(merged.items()):
            batch.move(
                batch.stock(sr_id, location), Kind.RECEIPT, quantity=quantity,
                user=user_or_none(user), reason=note[:255], reference_type=Ref.RECEIPT,
                reference=reference[:64] or str(receipt.pk), receipt=receipt,
            )
        batch.flush()
    return receipt
