"""An online order's invoice when the order is refunded or cancelled.

Rules (Decree 123/2020 art. 19 as amended by Decree 70/2025; till returns are in
``builder.adjustment_for_till_return``):

* **A refund gives an adjusting invoice.** Each refund recorded for an online order
  (``payment.PaymentRefund``: a staff refund through Stripe, or one Stripe reports) gives
  one ADJUSTMENT invoice referencing the invoice the order is on — its own, or the
  consolidated one it is in when that was made before the refund (a consolidation made
  after it already counts what was paid). One per refund (``payment_refund`` is unique);
  the reason is the refund's, else "Hoàn tiền đơn hàng <number>".
* **Its lines** are the refunded amount shared over the order's lines by VAT rate, in
  proportion to what each rate made of the order (whole đồng, the remainder to the
  largest share): one line per rate "Giảm trừ do hoàn tiền đơn hàng <number>",
  quantity −1, so the VAT given back is the VAT of what was refunded. Never more than
  what the invoice (with its earlier adjustments) still declares for the order.
* **A sale undone before delivery cancels the invoice.** When a refund makes the
  payment fully refunded while the order has not been delivered or collected, or the
  order is cancelled (``Đã huỷ``) before it was delivered, and the order's own invoice
  has no adjustment yet, the invoice is cancelled instead (the seller's cancellation,
  Form 04/SS-HĐĐT): an issued one at the provider with the reason
  (``issuing.cancel``), one never issued (pending, failed) here only — it is then never
  sent. A later refund of a cancelled invoice's order gives nothing more.
  A consolidated invoice is never cancelled for one of its orders: the refund adjusts it.
* No invoice (the point does not invoice yet, or the order still waits for its
  consolidation) → nothing here.
* Both run in tasks after the commit (``hooks``): a failure is logged and retried,
  never undoes the refund; the adjusting invoice is issued like any invoice.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shop.invoicing import builder
from shop.invoicing.models import Invoice

logger = logging.getLogger(__name__)

DELIVERED = ("Đã giao", "Đã nhận hàng")  # shop.payment.statuses SHIPPED, COLLECTED
ZERO = Decimal(0)


def shares(amount, weights):
    """``amount`` (whole đồng) shared in proportion to ``weights`` ``{key: weight}``; the
    shares add up to ``amount``, the remainder to the largest weight."""
    total = sum(weights.values(), ZERO)
    if total <= 0:
        return {}
    result = {key: (amount * weight / total).to_integral_value(rounding="ROUND_FLOOR")
              for key, weight in weights.items()}
    left = amount - sum(result.values(), ZERO)
    if left:
        biggest = max(weights, key=lambda key: weights[key])
        result[biggest] += left
    return {key: value for key, value in result.items() if value}


def invoice_of(order):
    """The invoice ``order`` is on (its own original, or the consolidated one), or None."""
    return builder.original_for_order(order)


def _declared(original, order):
    """What the invoice still declares for ``order`` (its total with its adjustments; for
    a consolidated invoice the order's own total with the adjustments of its refunds)."""
    adjustments = Invoice.objects.filter(original=original, kind=Invoice.Kind.ADJUSTMENT)
    if original.consolidated:
        adjustments = adjustments.filter(order=order)
        base = sum((row.total for row in builder.order_rows(order)), ZERO)
    else:
        base = original.total
    return base + sum(adjustments.values_list("total", flat=True), ZERO)


def _undone_before_delivery(order, payment):
    return (order.status not in DELIVERED and payment is not None
            and payment.amount_refunded >= (payment.amount_paid or payment.amount))


def adjustment_for_refund(refund):
    """The adjusting invoice of ``refund`` (a PaymentRefund), the cancelled original when
    the sale is undone before delivery, or None (module rules)."""
    payment = refund.payment
    order = payment.order
    existing = Invoice.objects.filter(payment_refund=refund).first()
    if existing is not None:
        return existing
    original = invoice_of(order)
    if original is None or original.status == Invoice.Status.CANCELLED:
        return None
    if original.consolidated and original.created_at >= refund.created_at:
        return None  # consolidated after the refund: it counts what was paid
    if (not original.consolidated and _undone_before_delivery(order, payment)
            and not original.corrections.exists()):
        return cancel_original(original, refund.reason or f"Huỷ đơn hàng {order.number} "
                               "trước khi giao, đã hoàn tiền")
    amount = min(Decimal(refund.amount), _declared(original, order))
    if amount <= 0:
        return None
    weights = OrderedDict()
    for row in builder.order_rows(order):
        weights[row.rate] = weights.get(row.rate, ZERO) + row.total
    rows = [
        builder.Row(f"Giảm trừ do hoàn tiền đơn hàng {order.number}"
                    + (f" — thuế suất {rate if isinstance(rate, str) else f'{rate} %'}"
                       if len(weights) > 1 else ""),
                    "lần", -1, part, ZERO, rate)
        for rate, part in shares(amount, weights).items()
    ]
    reason = (refund.reason or f"Hoàn tiền đơn hàng {order.number}")[:255]

    def find():
        return Invoice.objects.filter(payment_refund=refund).first()

    def build():
        invoice = Invoice(
            kind=Invoice.Kind.ADJUSTMENT, original=original, order=order, payment_refund=refund,
            reason=reason, location_id=original.location_id, invoice_form=original.invoice_form,
            serial=builder.serial_for(original.serial), payment_method=original.payment_method,
            **{f: getattr(original, f) for f in (
                "seller_name", "seller_tax_code", "seller_address", "buyer_name",
                "buyer_company", "buyer_tax_code", "buyer_id_number", "buyer_address",
                "buyer_email")},
        )
        return builder._write(invoice, rows)

    return builder._create_once(find, build)


def cancel_original(original, reason):
    """Cancel ``original`` (module rules): at the provider when it is issued (its errors
    raised to the task), here only when it never was. Returns it."""
    from shop.invoicing import issuing

    with transaction.atomic():
        locked = Invoice.objects.select_for_update(of=("self",)).get(pk=original.pk)
        if locked.status == Invoice.Status.CANCELLED:
            return locked
        if locked.status != Invoice.Status.ISSUED:
            locked.status = Invoice.Status.CANCELLED
            locked.reason = reason[:255]
            locked.save(update_fields=["status", "reason", "updated_at"])
            return locked
    issuing.cancel(original, reason)
    original.refresh_from_db()
    return original


def order_cancelled(order, old_status=None):
    """``order`` was cancelled: cancel its own invoice when it was never delivered and has
    no adjustment (module rules); the invoice or None."""
    if old_status in DELIVERED:
        return None
    original = Invoice.objects.filter(order_id=order.pk, kind=Invoice.Kind.ORIGINAL).first()
    if original is None or original.status == Invoice.Status.CANCELLED:
        return None
    if original.corrections.exists():
        return None
    return cancel_original(original, f"Huỷ đơn hàng {order.number} trước khi giao "
                                     f"({timezone.localdate():%d/%m/%Y})")
