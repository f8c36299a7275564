"""One invoice for several paid online orders of one buyer in a period (hoá đơn gộp).

Rules:

* The office picks the buyer by its tax code and a period (from, to: days in Vietnam
  time, both included; at most 366 days, not in the future).
* An order can be consolidated when it is an online order (not a till sale's), placed in
  the period, whose buyer asked for a company invoice with that tax code at checkout
  (``InvoiceRequest``), and it is paid: a card or VietQR payment recorded paid (also
  when partly refunded), or cash on delivery once delivered / collected. A cancelled
  or fully refunded order is left out.
* **An order already invoiced on its own (an original invoice of its order) is never
  consolidated again**; an order is in at most one consolidated invoice (a unique row
  per order, ``ConsolidatedOrder``) and, once in it, gets no invoice of its own
  (``builder.invoice_for_order``). The orders are taken under their row locks, so two
  offices consolidating at once, or an order invoiced on its own at that moment, never
  put an order on two invoices: the second finds nothing left.
* The invoice is an ORIGINAL with no single order: the period on it, the seller of the
  online shop (``builder.online_profile``), the buyer of the latest order's request,
  the lines of every order in the order they were placed (each order's VAT rates of the
  day it was placed, ``builder.order_rows``) — a partly refunded order at what the buyer
  finally paid (the refund taken off its largest lines as a discount) — and the payment
  methods of the orders. Its totals equal the sum of what the orders were paid to the
  đồng. It is issued through the same provider path as any invoice (``tasks.queue_issue``
  → ``issuing.issue``, its idempotency key: at most once).
* A refund recorded after the consolidation gives an adjusting invoice referencing the
  consolidated one (``shop.invoicing.refunds``).
* Nothing to consolidate → :class:`ConsolidationError` with the reason; nothing written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.invoicing import builder, taxcode
from shop.invoicing.models import ConsolidatedOrder, Invoice, InvoiceRequest

MAX_DAYS = 366
DELIVERED = ("Đã giao", "Đã nhận hàng")  # shop.payment.statuses SHIPPED, COLLECTED
CANCELLED = "Đã huỷ"


class ConsolidationError(ValueError):
    """Why no consolidated invoice was made (a message for the office)."""


def check_period(start, end, today=None):
    today = today or timezone.localdate()
    if start is None or end is None:
        raise ConsolidationError(_("Hãy chọn kỳ: từ ngày và đến ngày."))
    if start > end:
        raise ConsolidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
    if end > today:
        raise ConsolidationError(_("Kỳ gộp không được ở tương lai."))
    if (end - start).days >= MAX_DAYS:
        raise ConsolidationError(_("Kỳ gộp dài nhất 366 ngày."))


def _bounds(start, end):
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=tz))


def eligible_orders(tax_code, start, end):
    """The orders of buyer ``tax_code`` placed from ``start`` to ``end`` (days) that one
    consolidated invoice may cover (the module's rules), oldest first."""
    from shop.payment.models import OrderPayment

    Order = get_model("order", "Order")
    S, M = OrderPayment.Status, OrderPayment.Method
    low, high = _bounds(start, end)
    paid = Exists(OrderPayment.objects.filter(order=OuterRef("pk")).filter(
        Q(status__in=(S.PAID, S.PARTIALLY_REFUNDED)) & ~Q(method=M.COD)
        | Q(method=M.COD, order__status__in=DELIVERED)))
    return (
        Order.objects.filter(date_placed__gte=low, date_placed__lt=high, till_sale__isnull=True)
        .filter(Exists(InvoiceRequest.objects.filter(order=OuterRef("pk"), tax_code=tax_code)))
        .filter(paid).exclude(status=CANCELLED)
        .exclude(Exists(Invoice.objects.filter(order=OuterRef("pk"), kind=Invoice.Kind.ORIGINAL)))
        .exclude(Exists(ConsolidatedOrder.objects.filter(order=OuterRef("pk"))))
        .order_by("date_placed", "pk")
    )


def _take_off(rows, amount):
    """Take ``amount`` off ``rows`` as discounts, largest rows first."""
    for row in sorted(rows, key=lambda row: row.total, reverse=True):
        if amount <= 0:
            break
        part = min(amount, row.total)
        row.discount += part
        amount -= part


def consolidate(tax_code, start, end):
    """Make the consolidated invoice of buyer ``tax_code`` for the period (PENDING, its
    issue queued after the commit); raises ConsolidationError."""
    try:
        tax_code = taxcode.normalise(tax_code)
    except taxcode.InvalidTaxCode as error:
        raise ConsolidationError(str(error)) from None
    check_period(start, end)
    profile = builder.online_profile()
    if profile is None:
        raise ConsolidationError(_("Cửa hàng trực tuyến chưa có thông tin người bán trên hoá đơn."))
    from shop.invoicing import tasks
    from shop.payment.models import OrderPayment

    with transaction.atomic():
        locked = list(eligible_orders(tax_code, start, end).select_for_update(of=("self",)))
        # what another office or the order's own invoice took meanwhile is left out
        orders = list(eligible_orders(tax_code, start, end).filter(pk__in=[o.pk for o in locked]))
        if not orders:
            raise ConsolidationError(
                _("Không có đơn nào đã thanh toán và chưa lập hoá đơn của mã số thuế %(code)s "
                  "trong kỳ này.") % {"code": tax_code})
        payments = {p.order_id: p for p in OrderPayment.objects.filter(order__in=orders)}
        rows = []
        for order in orders:
            order_rows = builder.order_rows(order)
            payment = payments.get(order.pk)
            if payment is not None and payment.amount_refunded:
                _take_off(order_rows, Decimal(payment.amount_refunded))
            rows.extend(order_rows)
        latest = InvoiceRequest.objects.filter(order=orders[-1]).first()
        buyer = builder.order_buyer(orders[-1], latest)
        invoice = builder._new_invoice(
            profile, buyer, kind=Invoice.Kind.ORIGINAL, period_start=start, period_end=end,
            payment_method=builder.payment_text(
                [payments[o.pk].method for o in orders if o.pk in payments]),
        )
        builder._write(invoice, rows)
        ConsolidatedOrder.objects.bulk_create(
            [ConsolidatedOrder(invoice=invoice, order=order) for order in orders])
        tasks.queue_issue(invoice)
    return invoice


def orders_of(invoice):
    """The orders of a consolidated invoice, oldest first."""
    Order = get_model("order", "Order")
    return Order.objects.filter(consolidated_invoice__invoice=invoice).order_by("date_placed", "pk")


def buyers_waiting(limit=50):
    """``[(tax_code, company, number of orders)]`` of the buyers with orders that asked to
    be consolidated and are in no invoice yet (a hint on the office's page)."""
    from django.db.models import Count, Max

    return list(
        InvoiceRequest.objects.filter(consolidate=True)
        .exclude(Exists(ConsolidatedOrder.objects.filter(order=OuterRef("order"))))
        .exclude(order__status=CANCELLED)
        .values("tax_code").annotate(company=Max("company"), orders=Count("pk"))
        .order_by("tax_code")[:limit]
    )
