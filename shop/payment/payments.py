"""Payment states of online orders: the one place that moves them.

A payment moves only forward: pending → failed → paid → partially refunded →
refunded (failed may still become paid when the shopper retries; nothing goes
back). Every change happens inside a transaction with the payment row locked.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from shop import money

from . import statuses, stripe_gateway
from .models import OrderPayment, PaymentRefund

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
EventHandler = get_class("order.processing", "EventHandler")

S = OrderPayment.Status
RANK = {S.PENDING: 0, S.FAILED: 1, S.PAID: 2, S.PARTIALLY_REFUNDED: 3, S.REFUNDED: 4}

SOURCE_NAMES = {
    OrderPayment.Method.CARD: "Thẻ (Stripe)",
    OrderPayment.Method.VIETQR: "Chuyển khoản VietQR",
    OrderPayment.Method.COD: "Thanh toán khi nhận hàng",
}


class PaymentRefused(Exception):
    """A refused payment operation; ``str()`` is a message for the user."""


def initial_order_status(method: str) -> str:
    return statuses.PROCESSING if method == OrderPayment.Method.COD else statuses.AWAITING_PAYMENT


def open_payment(order, method: str) -> OrderPayment:
    """Record how ``order`` will be paid (called in the placement transaction)."""
    payment = OrderPayment.objects.create(
        order=order, method=method, amount=order.total_incl_tax, currency=order.currency
    )
    # by a fixed, unique code: two first orders at once make one row (get_or_create retries
    # the read when the other's insert wins), never two rows of the same name
    source_type, _created = SourceType.objects.get_or_create(
        code=f"online-{method}", defaults={"name": SOURCE_NAMES[method]}
    )
    Source.objects.create(
        order=order, source_type=source_type, currency=order.currency,
        amount_allocated=order.total_incl_tax,
    )
    return payment


def _locked(order_or_payment) -> OrderPayment:
    """The payment, re-read with its order row and then its own row locked (always that order)."""
    if isinstance(order_or_payment, OrderPayment):
        order_id = order_or_payment.order_id
    else:
        order_id = order_or_payment.pk
    list(Order.objects.select_for_update().filter(pk=order_id).values_list("pk", flat=True))
    return OrderPayment.objects.select_for_update().select_related("order").get(
        order_id=order_id
    )


def _advance(payment: OrderPayment, status: str) -> bool:
    if RANK[status] < RANK[payment.status]:
        return False
    changed = payment.status != status
    payment.status = status
    return changed


def _source(payment):
    return Source.objects.filter(order=payment.order).order_by("pk").first()


def _set_order_status(order, new_status, note=None):
    if order.status == new_status or new_status not in order.available_statuses():
        return False
    EventHandler().handle_order_status_change(order, new_status, note_msg=note)
    return True


def mark_paid(order, amount, reference="", currency="VND", user=None) -> tuple[bool, str]:
    """Money for ``order`` arrived. Returns ``(changed, result)``; forward only, once."""
    with transaction.atomic():
        payment = _locked(order)
        order = payment.order
        amount = Decimal(amount)
        if currency.upper() != payment.currency.upper() or amount != payment.amount:
            payment.needs_attention = _(
                "Số tiền/tiền tệ không khớp: nhận %(amount)s %(cur)s, đơn %(total)s %(ocur)s"
            ) % {"amount": amount, "cur": currency.upper(), "total": payment.amount,
                 "ocur": payment.currency}
            payment.save(update_fields=["needs_attention", "updated_at"])
            return False, "amount or currency mismatch"
        if not _advance(payment, S.PAID) or payment.amount_paid:
            return False, "already paid"
        payment.amount_paid = amount
        payment.paid_at = timezone.now()
        payment.failure_message = ""
        if order.status == statuses.CANCELLED:
            payment.needs_attention = _("Đơn đã huỷ nhưng tiền đã về: cần hoàn tiền.")
        payment.save()
        source = _source(payment)
        if source is not None:
            source.debit(amount, reference=reference)
        _set_order_status(order, statuses.PROCESSING, note=_("Đã nhận thanh toán."))
        return True, "paid"


def mark_failed(order, message="") -> tuple[bool, str]:
    with transaction.atomic():
        payment = _locked(order)
        if not _advance(payment, S.FAILED):
            return False, "ignored: already further"
        payment.failure_message = (message or "")[:255]
        payment.save(update_fields=["status", "failure_message", "updated_at"])
        return True, "failed"


def record_refund_total(payment, total_refunded, refunds=(), user=None) -> tuple[bool, str]:
    """Stripe says ``total_refunded`` of the payment is refunded (forward only).

    ``refunds`` is ``[(stripe_refund_id, amount, status), ...]``; each is recorded once.
    """
    with transaction.atomic():
        payment = _locked(payment)
        total = Decimal(total_refunded)
        for refund_id, amount, status in refunds:
            PaymentRefund.objects.get_or_create(
                stripe_refund_id=refund_id,
                defaults={"payment": payment, "amount": Decimal(amount), "status": status or ""},
            )
        if total <= payment.amount_refunded:
            return False, "refund already recorded"
        delta = total - payment.amount_refunded
        payment.amount_refunded = min(total, payment.amount_paid or payment.amount)
        _advance(payment, S.REFUNDED if payment.amount_refunded >= payment.amount else
                 S.PARTIALLY_REFUNDED)
        payment.save()
        source = _source(payment)
        if source is not None:
            source.refund(delta)
        return True, "refunded"


def refund_card(order, amount, user=None, reason="") -> PaymentRefund:
    """Refund (part of) a card payment through Stripe; recorded once."""
    with transaction.atomic():
        payment = _locked(order)
        if payment.method != OrderPayment.Method.CARD or not payment.stripe_payment_intent:
            raise PaymentRefused(_("Chỉ hoàn tiền qua Stripe cho đơn trả bằng thẻ."))
        try:
            amount = money.to_int(amount)
        except (TypeError, ValueError, ArithmeticError) as error:
            raise PaymentRefused(_("Số tiền hoàn phải là số đồng nguyên.")) from error
        if amount <= 0 or amount > payment.refundable:
            raise PaymentRefused(
                _("Số tiền hoàn phải từ 1 đến %(max)s đ.") % {"max": payment.refundable}
            )
        sequence = payment.refunds.count() + 1
        key = f"order-{payment.order.number}-refund-{sequence}-{amount}"
        try:
            refund = stripe_gateway.refund(payment.stripe_payment_intent, amount, key)
        except stripe_gateway.GatewayError as error:
            raise PaymentRefused(str(error)) from error
        record, _created = PaymentRefund.objects.get_or_create(
            stripe_refund_id=refund["id"],
            defaults={"payment": payment, "amount": amount, "status": refund["status"] or "",
                      "reason": reason[:255], "created_by": user},
        )
        record_refund_total(payment, payment.amount_refunded + amount)
        return record


def mark_disputed(payment, reason="") -> tuple[bool, str]:
    with transaction.atomic():
        payment = _locked(payment)
        if payment.disputed:
            return False, "dispute already recorded"
        payment.disputed = True
        payment.needs_attention = (_("Khách khiếu nại giao dịch thẻ: %(r)s") % {"r": reason})[:255]
        payment.save(update_fields=["disputed", "needs_attention", "updated_at"])
        return True, "disputed"


def confirm_transfer(order, amount, user=None):
    """Staff saw the VietQR transfer on the bank account (or the statement import did)."""
    payment = OrderPayment.objects.get(order=order)
    if payment.method != OrderPayment.Method.VIETQR:
        raise PaymentRefused(_("Đơn %(n)s không trả bằng chuyển khoản.") % {"n": order.number})
    changed, result = mark_paid(order, amount, reference="vietqr", currency=payment.currency,
                                user=user)
    if result == "amount or currency mismatch":
        raise PaymentRefused(
            _("Số tiền chuyển khoản không khớp đơn %(n)s.") % {"n": order.number}
        )
    return changed


def ensure_payment_intent(order) -> OrderPayment:
    """Create (once) the PaymentIntent of a card order; returns the payment with its secret."""
    payment = OrderPayment.objects.get(order=order)
    if payment.method != OrderPayment.Method.CARD:
        raise PaymentRefused(_("Đơn này không thanh toán bằng thẻ."))
    if payment.stripe_payment_intent:
        return payment
    intent = stripe_gateway.create_payment_intent(order)  # GatewayError → caller
    with transaction.atomic():
        payment = _locked(payment)
        if not payment.stripe_payment_intent:
            payment.stripe_payment_intent = intent["id"]
            payment.stripe_client_secret = intent["client_secret"] or ""
            payment.save(update_fields=["stripe_payment_intent", "stripe_client_secret",
                                        "updated_at"])
    return payment


def can_cancel(order) -> bool:
    payment = getattr(order, "ocop_payment", None)
    if order.status not in statuses.SHOPPER_CANCELLABLE:
        return False
    return payment is None or not payment.is_paid or payment.method == OrderPayment.Method.COD


def cancel_order(order, user=None, note=None):
    """Cancel an unpaid / unshipped order: the stock goes back (shop.order.processing)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        list(OrderPayment.objects.select_for_update().filter(order=order).values_list("pk"))
        if not can_cancel(order):
            raise PaymentRefused(
                _("Đơn %(n)s không huỷ được nữa (đã thanh toán hoặc đã giao). "
                  "Vui lòng liên hệ cửa hàng.") % {"n": order.number}
            )
        payment = OrderPayment.objects.filter(order=order).first()
        if payment is not None and payment.stripe_payment_intent and not payment.is_paid:
            stripe_gateway.cancel_payment_intent(payment.stripe_payment_intent)
        user = user if user is not None and user.is_authenticated else None
        EventHandler(user).handle_order_status_change(
            order, statuses.CANCELLED, note_msg=note or _("Khách huỷ đơn.")
        )
        return order


def release_unpaid(now=None, card_minutes=30, transfer_hours=48):
    """Cancel card / transfer orders left unpaid too long, releasing their stock."""
    now = now or timezone.now()
    cutoffs = {
        OrderPayment.Method.CARD: now - timezone.timedelta(minutes=card_minutes),
        OrderPayment.Method.VIETQR: now - timezone.timedelta(hours=transfer_hours),
    }
    cancelled = []
    for method, cutoff in cutoffs.items():
        stale = OrderPayment.objects.filter(
            method=method, status__in=[S.PENDING, S.FAILED],
            order__status=statuses.AWAITING_PAYMENT, order__date_placed__lt=cutoff,
        ).select_related("order")
        for payment in stale:
            try:
                cancel_order(payment.order, note=_("Quá hạn thanh toán: tự động huỷ, trả hàng về kho."))
            except PaymentRefused:
                continue
            cancelled.append(payment.order.number)
    return cancelled
