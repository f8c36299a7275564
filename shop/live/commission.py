"""Sellers' commissions: earned on attributed order lines once paid or collected, in whole đồng.

The rules
---------
1. An attributed order line (:class:`~shop.live.models.Attribution`) **earns**
   commission once its order is paid (card, VietQR transfer) or collected /
   delivered (cash on delivery): ``rate × what the buyer paid for the line``.
2. The **rate** is the session's own rate if the office set one, else the
   seller's; it is fixed by the first accrual, so a later change of rate never
   rewrites what a seller already earned.
3. **Cancellation** takes all of it back; a **refund** takes back the line's part
   of the refunded goods (the refund split over the order's lines by their
   amounts with :func:`shop.money.split`; shipping is refunded last).
4. Every change is a :class:`~shop.live.models.CommissionEntry` (accrual +,
   reversal −) dated when it happened; :func:`sync_order` brings the entries of
   an order in line with rules 1–3 and writes only the difference, so running
   it twice changes nothing. It runs on every status change, payment and refund.
5. What the office pays a seller for a period is the sum of the entries dated in
   it (:func:`seller_totals`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import post_save
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from shop import money
from shop.live import placement
from shop.live.models import Attribution, CommissionEntry, Seller
from shop.payment import statuses

ZERO = Decimal(0)
EARNED_STATUSES = (statuses.SHIPPED, statuses.COLLECTED)


def _is_earned(order, payment):
    if order.status == statuses.CANCELLED:
        return False
    if order.status in EARNED_STATUSES:
        return True
    return payment is not None and payment.amount_paid > 0


def _refunded_goods(order, payment, lines):
    """Each line's part of the refunded goods (whole đồng), ``{line_id: amount}``."""
    refunded = ZERO if payment is None else Decimal(payment.amount_refunded or 0)
    goods = sum((money.dong(line.line_price_incl_tax) for line in lines), ZERO)
    refunded = min(refunded, goods)
    if refunded <= 0 or not lines:
        return {}
    parts = money.split(refunded, [money.dong(line.line_price_incl_tax) for line in lines])
    return {line.pk: part for line, part in zip(lines, parts, strict=True)}


def targets(order):
    """``{attribution: (base, rate, commission)}`` of the order as the rules say it is now."""
    attributions = list(
        Attribution.objects.filter(line__order=order)
        .select_related("line", "seller", "session")
        .order_by("line_id")
    )
    if not attributions:
        return {}
    payment = get_model("payment", "OrderPayment").objects.filter(order=order).first()
    lines = list(order.lines.order_by("pk"))
    refunded = _refunded_goods(order, payment, lines)
    earned = _is_earned(order, payment)
    first_rates = dict(
        CommissionEntry.objects.filter(attribution__in=attributions, kind="accrual")
        .order_by("attribution_id", "pk").values_list("attribution_id", "rate")
    )
    result = {}
    for row in attributions:
        rate = first_rates.get(row.pk)
        if rate is None:
            rate = row.session.rate() if row.session_id else row.seller.commission_rate
        base = ZERO
        if earned:
            base = max(ZERO, money.dong(row.line.line_price_incl_tax) - refunded.get(row.line_id, ZERO))
        result[row] = (base, rate, money.dong(base * rate / 100))
    return result


def sync_order(order, reason=""):
    """Write the commission entries that bring ``order`` in line with the rules; returns them."""
    written = []
    with transaction.atomic():
        wanted = targets(order)
        if not wanted:
            return written
        ids = [row.pk for row in wanted]
        # one writer per order at a time: lock its attributions
        list(Attribution.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        so_far = dict(
            CommissionEntry.objects.filter(attribution_id__in=ids)
            .values("attribution_id").annotate(total=Sum("amount"))
            .values_list("attribution_id", "total")
        )
        for row, (base, rate, amount) in wanted.items():
            delta = amount - (so_far.get(row.pk) or ZERO)
            if not delta:
                continue
            written.append(CommissionEntry.objects.create(
                seller_id=row.seller_id, attribution=row, session_id=row.session_id,
                kind=CommissionEntry.Kind.ACCRUAL if delta > 0 else CommissionEntry.Kind.REVERSAL,
                base=base, rate=rate, amount=delta, reason=reason[:255],
            ))
    return written


# --- Reading ---------------------------------------------------------------------------------


def entries_for(seller, period=None):
    queryset = CommissionEntry.objects.filter(seller=seller)
    if period is not None:
        queryset = queryset.filter(created_at__gte=period.since, created_at__lt=period.until)
    return queryset.select_related("attribution__line__order", "session")


def seller_totals(period):
    """Per seller, the commission earned and taken back in ``period``, and the net to pay."""
    rows = (
        CommissionEntry.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .values("seller_id")
        .annotate(
            earned=Sum("amount", filter=Q(amount__gt=0)),
            reversed=Sum("amount", filter=Q(amount__lt=0)),
            net=Sum("amount"),
            lines=Count("attribution", distinct=True),
        )
        .order_by()
    )
    sellers = Seller.objects.in_bulk([row["seller_id"] for row in rows])
    totals = []
    for row in rows:
        totals.append({
            "seller": sellers[row["seller_id"]],
            "earned": row["earned"] or ZERO,
            "reversed": -(row["reversed"] or ZERO),
            "net": row["net"] or ZERO,
            "lines": row["lines"],
        })
    return sorted(totals, key=lambda t: (-t["net"], t["seller"].display_name))


def totals_by_session(seller):
    """``{session_id: net commission}`` of a seller (one query)."""
    result = defaultdict(lambda: ZERO)
    for session_id, total in (
        CommissionEntry.objects.filter(seller=seller).values("session_id")
        .annotate(total=Sum("amount")).values_list("session_id", "total")
    ):
        result[session_id] = total or ZERO
    return result


# --- When it runs ----------------------------------------------------------------------------


def _on_status_changed(sender, order, old_status, new_status, **kwargs):
    if new_status == statuses.CANCELLED and old_status != statuses.CANCELLED:
        placement.give_back_caps(order)
    sync_order(order, reason=new_status)


def _on_payment_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.order_id:
        sync_order(instance.order, reason=instance.get_status_display())


def _on_refund_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_order(instance.payment.order, reason="refund")


def connect_signals():
    order_status_changed.connect(_on_status_changed, dispatch_uid="live_commission_status")
    post_save.connect(
        _on_payment_saved, sender=get_model("payment", "OrderPayment"),
        dispatch_uid="live_commission_payment",
    )
    post_save.connect(
        _on_refund_saved, sender=get_model("payment", "PaymentRefund"),
        dispatch_uid="live_commission_refund",
    )
