"""Settlement: what each seller (producer, or the district partner) earned, and when.

The rules, written for the producers and the district office
------------------------------------------------------------
1. **Shares are fixed when a line is sold.** :func:`record_shares` runs in the
   transaction that writes the order lines (online checkout and till alike) and
   stores one :class:`vendors.models.RevenueShare` per seller of the line:

   * a single product's line gives the seller of the offer what the buyer paid
     for the line (``line_price_incl_tax``: after line and order discounts);
   * a **combo** line is shared among its components' sellers by
     :func:`catalogue.combos.revenue_split` (each component weighs its own list
     price × quantity; whole đồng, the parts sum exactly to the line amount),
     with the composition and list prices of that moment.

2. **Counted sales** are the shares of orders that are neither waiting for
   payment nor cancelled, dated by the day the order was placed (Vietnam time).

3. **Deductions** lower what a seller earned on the day they happen:

   * a till return refunds part of a sale line: the refunded amount is split
     over that line's shares (weights = the shares, the same rule:
     :func:`shop.money.split`);
   * an online refund (card) of an order is split over the whole order's
     shares the same way; refunds of an order never take back more than its
     goods (the rest was shipping), counted in the order they were made.
     Failed or cancelled refunds are not counted;
   * splits are **cumulative**: the n-th return (or refund) of a line (order)
     takes ``split(all so far) − split(all before)``, so however a line is
     returned piece by piece, each seller gives back exactly its share and
     never a đồng more;
   * only orders whose sales are counted (rule 2) have deductions: a cancelled
     order was never counted, so refunding it takes nothing from anybody.

4. **Net** = counted sales − deductions. The office pays each producer its net
   for a period; the report lists the producer's bank account for that.

Views, the CSV exports and the tests read these functions; nothing else adds
money up.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue import combos
from shop import money
from shop.payment import statuses
from vendors.models import RevenueShare

ZERO = Decimal(0)
NOT_SOLD_STATUSES = (statuses.AWAITING_PAYMENT, statuses.CANCELLED)
UNCOUNTED_REFUND_STATUSES = ("failed", "canceled")
MAX_DAILY_BUCKETS = 62


# --- Recording -------------------------------------------------------------------------------


def _earned(amount):
    """``amount`` in whole đồng (half up: discounts may leave fractions of a đồng), never below 0."""
    return max(ZERO, money.dong(amount or 0))


def shares_for_line(line, parts_cache=None):
    """Unsaved :class:`RevenueShare` rows for one order line (see rule 1)."""
    amount = _earned(line.line_price_incl_tax)
    product = line.product
    if product is not None and combos.is_combo(product):
        cache = parts_cache if parts_cache is not None else {}
        if product.pk not in cache:
            cache[product.pk] = combos.parts_of(product)
        parts = cache[product.pk]
        if parts:
            split = combos.revenue_split(amount, parts)
            return [
                RevenueShare(
                    line=line, partner_id=part.stockrecord.partner_id,
                    stockrecord=part.stockrecord, product=part.product,
                    title=part.product.get_title()[:255],
                    quantity=line.quantity * part.quantity,
                    list_price=_earned(part.unit_price), amount=share,
                    combo_title=(line.title or product.get_title())[:255],
                )
                for part, share in zip(parts, split, strict=True)
            ]
    if line.partner_id is None:
        return []
    quantity = max(1, line.quantity or 0)
    return [
        RevenueShare(
            line=line, partner_id=line.partner_id, stockrecord_id=line.stockrecord_id,
            product=product, title=(line.title or "")[:255], quantity=line.quantity,
            list_price=_earned(
                line.unit_price_incl_tax if line.unit_price_incl_tax is not None
                else amount / quantity
            ),
            amount=amount,
        )
    ]


def record_shares(lines):
    """Write the shares of freshly written order ``lines`` (one insert); returns them."""
    cache = {}
    rows = [share for line in lines for share in shares_for_line(line, cache)]
    return RevenueShare.objects.bulk_create(rows)


def lines_without_shares():
    """Order lines sold before shares were recorded (for ``record_revenue_shares``)."""
    Line = get_model("order", "Line")
    return Line.objects.filter(revenue_shares__isnull=True).select_related(
        "product__product_class", "partner"
    ).order_by("pk")


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (both included), in the shop's time zone."""

    start: datetime.date
    end: datetime.date

    @property
    def since(self):
        return _local_midnight(self.start)

    @property
    def until(self):
        return _local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def monthly(self):
        """Long periods are charted by month, short ones by day."""
        return self.days > MAX_DAILY_BUCKETS

    def buckets(self):
        if not self.monthly:
            return [self.start + datetime.timedelta(days=i) for i in range(self.days)]
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months

    def bucket_of(self, day):
        return day.replace(day=1) if self.monthly else day


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_of(day):
    first = day.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period(first, last)


PRESETS = {
    "this-month": gettext_lazy("Tháng này"),
    "last-month": gettext_lazy("Tháng trước"),
    "this-quarter": gettext_lazy("Quý này"),
    "this-year": gettext_lazy("Năm nay"),
}


def preset_period(name, today=None):
    """The period a quick link names (``PRESETS``); None for an unknown name."""
    today = today or timezone.localdate()
    if name == "this-month":
        return Period(today.replace(day=1), today)
    if name == "last-month":
        return month_of(today.replace(day=1) - datetime.timedelta(days=1))
    if name == "this-quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        return Period(today.replace(month=first_month, day=1), today)
    if name == "this-year":
        return Period(today.replace(month=1, day=1), today)
    return None


# --- Reading --------------------------------------------------------------------------------


def counted_shares(period, partner_ids=None):
    """Shares of sold orders placed within ``period`` (rule 2), optionally of some sellers."""
    queryset = RevenueShare.objects.filter(
        line__order__date_placed__gte=period.since, line__order__date_placed__lt=period.until,
    ).exclude(line__order__status__in=NOT_SOLD_STATUSES)
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    return queryset


@dataclass
class Deduction:
    partner_id: int
    day: datetime.date
    amount: Decimal
    reference: str
    title: str


def _split_over(amount, shares):
    """``amount`` split over ``shares`` (weights = their amounts) by :func:`shop.money.split`."""
    if not shares or amount <= 0:
        return [ZERO] * len(shares)
    return money.split(amount, [share.amount for share in shares])


def _cumulative(before, now, shares):
    """Each share's part of the amount taken between ``before`` and ``now`` (cumulative split)."""
    after_parts = _split_over(now, shares)
    before_parts = _split_over(before, shares)
    return [
        (share, a - b) for share, a, b in zip(shares, after_parts, before_parts, strict=True)
    ]


def deductions(period, partner_ids=None):
    """Till returns and online refunds within ``period``, split per seller (rule 3)."""
    TillReturnLine = get_model("pos", "TillReturnLine")
    PaymentRefund = get_model("payment", "PaymentRefund")
    wanted = None if partner_ids is None else set(partner_ids)
    found = []

    def emit(pairs, day, reference, label):
        for share, part in pairs:
            if part and (wanted is None or share.partner_id in wanted):
                found.append(Deduction(
                    share.partner_id, day, part, reference, label % {"title": share.title}
                ))

    counted = ~Q(till_return__sale__order__status__in=NOT_SOLD_STATUSES)
    in_period = Q(till_return__created_at__gte=period.since, till_return__created_at__lt=period.until)
    mine = Q() if wanted is None else Q(
        sale_line__order_line__revenue_shares__partner_id__in=wanted
    )
    line_ids = set(
        TillReturnLine.objects.filter(in_period & counted & mine)
        .values_list("sale_line_id", flat=True)
    )
    returns = list(
        TillReturnLine.objects.filter(
            sale_line_id__in=line_ids, till_return__created_at__lt=period.until
        ).select_related("till_return__sale__order", "sale_line")
        .order_by("till_return__created_at", "pk")
    ) if line_ids else []
    refunded_orders = set(
        PaymentRefund.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .exclude(status__in=UNCOUNTED_REFUND_STATUSES)
        .exclude(payment__order__status__in=NOT_SOLD_STATUSES)
        .filter(Q() if wanted is None else Q(
            payment__order__lines__revenue_shares__partner_id__in=wanted
        ))
        .values_list("payment__order_id", flat=True)
    )
    refunds = list(
        PaymentRefund.objects.filter(
            payment__order_id__in=refunded_orders, created_at__lt=period.until
        ).exclude(status__in=UNCOUNTED_REFUND_STATUSES)
        .select_related("payment__order").order_by("created_at", "pk")
    ) if refunded_orders else []
    order_line_ids = {r.sale_line.order_line_id for r in returns}
    if not order_line_ids and not refunded_orders:
        return found
    by_line, by_order = defaultdict(list), defaultdict(list)
    for share in RevenueShare.objects.filter(
        Q(line_id__in=order_line_ids) | Q(line__order_id__in=refunded_orders)
    ).select_related("line").order_by("line_id", "pk"):
        by_line[share.line_id].append(share)
        by_order[share.line.order_id].append(share)

    taken = defaultdict(lambda: ZERO)  # order line -> returned so far
    for row in returns:
        key = row.sale_line.order_line_id
        before, taken[key] = taken[key], taken[key] + row.amount
        if row.till_return.created_at >= period.since:
            emit(_cumulative(before, taken[key], by_line[key]),
                 timezone.localdate(row.till_return.created_at),
                 row.till_return.sale.order.number, _("Trả hàng: %(title)s"))

    refunded = defaultdict(lambda: ZERO)  # order -> goods refunded so far
    for refund in refunds:
        order_id = refund.payment.order_id
        shares = by_order[order_id]
        goods = sum((s.amount for s in shares), ZERO)
        before = refunded[order_id]
        refunded[order_id] = min(goods, before + Decimal(refund.amount))
        if refund.created_at >= period.since:
            emit(_cumulative(before, refunded[order_id], shares),
                 timezone.localdate(refund.created_at),
                 refund.payment.order.number, _("Hoàn tiền: %(title)s"))
    return found


# --- Reports --------------------------------------------------------------------------------


@dataclass
class SellerTotals:
    partner_id: int
    name: str = ""
    own: Decimal = ZERO
    in_combos: Decimal = ZERO
    deducted: Decimal = ZERO
    units: int = 0
    vendor: object = None

    @property
    def gross(self):
        return self.own + self.in_combos

    @property
    def net(self):
        return self.gross - self.deducted


def seller_totals(period, partner_ids=None):
    """``[SellerTotals, ...]`` for every seller with sales or deductions in ``period``, by net."""
    Partner = get_model("partner", "Partner")
    totals = {}

    def of(partner_id):
        return totals.setdefault(partner_id, SellerTotals(partner_id))

    rows = (
        counted_shares(period, partner_ids)
        .values("partner_id", "combo_title")
        .annotate(amount=Sum("amount"), units=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        seller = of(row["partner_id"])
        if row["combo_title"]:
            seller.in_combos += row["amount"] or ZERO
        else:
            seller.own += row["amount"] or ZERO
        seller.units += row["units"] or 0
    for deduction in deductions(period, partner_ids):
        of(deduction.partner_id).deducted += deduction.amount
    partners = Partner.objects.filter(pk__in=list(totals)).select_related("vendor")
    for partner in partners:
        totals[partner.pk].name = partner.name
        totals[partner.pk].vendor = getattr(partner, "vendor", None)
    return sorted(totals.values(), key=lambda t: (-t.net, t.name))


@dataclass
class Bucket:
    day: datetime.date
    own: Decimal = ZERO
    in_combos: Decimal = ZERO
    deducted: Decimal = ZERO

    @property
    def net(self):
        return self.own + self.in_combos - self.deducted


@dataclass
class ProductRow:
    title: str
    combo_title: str
    units: int
    amount: Decimal


@dataclass
class SellerReport:
    """One seller's period: totals, a series for the chart, what sold, what was taken back."""

    period: Period
    totals: SellerTotals
    buckets: list = field(default_factory=list)
    products: list = field(default_factory=list)
    deductions: list = field(default_factory=list)


def seller_report(partner, period):
    """Everything the producer's sales page (and the office's view of it) shows."""
    shares = counted_shares(period, [partner.pk])
    trunc = TruncMonth if period.monthly else TruncDate
    buckets = {day: Bucket(day) for day in period.buckets()}
    totals = SellerTotals(partner.pk, partner.name, vendor=getattr(partner, "vendor", None))
    rows = (
        shares.annotate(bucket=trunc("line__order__date_placed"))
        .values("bucket", "combo_title")
        .annotate(amount=Sum("amount"), units=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        day = row["bucket"]
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
        bucket = buckets.setdefault(period.bucket_of(day), Bucket(period.bucket_of(day)))
        amount = row["amount"] or ZERO
        if row["combo_title"]:
            bucket.in_combos += amount
            totals.in_combos += amount
        else:
            bucket.own += amount
            totals.own += amount
        totals.units += row["units"] or 0
    taken = deductions(period, [partner.pk])
    for deduction in taken:
        key = period.bucket_of(deduction.day)
        buckets.setdefault(key, Bucket(key)).deducted += deduction.amount
        totals.deducted += deduction.amount
    products = [
        ProductRow(row["title"], row["combo_title"], row["units"] or 0, row["amount"] or ZERO)
        for row in shares.values("title", "combo_title")
        .annotate(units=Sum("quantity"), amount=Sum("amount"))
        .order_by("-amount", "title", "combo_title")
    ]
    return SellerReport(
        period=period, totals=totals, buckets=[buckets[k] for k in sorted(buckets)],
        products=products, deductions=taken,
    )


def share_lines(period, partner):
    """The seller's shares, newest first, with their order (the report's line list and CSV)."""
    return counted_shares(period, [partner.pk]).select_related("line__order").order_by(
        "-line__order__date_placed", "-line_id", "pk"
    )
