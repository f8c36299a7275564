"""Livestream reports: a session's figures, a seller's earnings, the office's settlement.

Every figure is an SQL aggregate (``annotate`` / ``aggregate``, ``TruncMinute``
for the chart), so a report costs the same few queries for ten orders or ten
thousand. The views, the CSV exports and the tests read these functions;
nothing else adds livestream figures up.

What each figure of a session means
-----------------------------------
* **Clicks**: counted visits through the session's links
  (:class:`~shop.live.models.Click` rows naming the session — bots and a
  visitor's repeats within a minute already left out by
  :mod:`shop.live.attribution`); per item, those of the links to that item.
* **Visitors**: distinct visitor ids among those clicks (a person following
  two items' links is one visitor of the session, and one of each item).
* **Baskets**: distinct visitors who, carrying the session's attribution, put
  an item in their basket (:class:`~shop.live.models.BasketAddition`, written
  on Oscar's ``basket_addition`` signal), whether or not they then ordered;
  per item, those who put that item in.
* **Holds**: comment holds of the session, by status (open, confirmed,
  expired, cancelled).
* **Orders**, **units**, **revenue**: distinct orders, units and what the buyers
  paid (``line_price_incl_tax``) of the order lines attributed to the session
  (:class:`~shop.live.models.Attribution`), cancelled orders left out.
* **Conversion**: orders ÷ visitors (None without visitors). A comment order
  (from a hold) has no click, so conversion may pass 100 %.
* **Commission**: the net of the seller's commission entries for the session
  (accruals minus reversals, :mod:`shop.live.commission`).

Items are the session's featured offers; a product bought or clicked through
the session without being featured gets a row of its own (``featured=False``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import money
from shop.core import charts
from shop.live import commission, pricing
from shop.live.models import (
    Attribution,
    BasketAddition,
    Click,
    CommissionEntry,
    Hold,
    LiveOffer,
    LiveSession,
)
from shop.payment import statuses

ZERO = Decimal(0)
MAX_BUCKETS = 120
BUCKET_MINUTES = (1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440)
HOLD_STATUSES = [value for value, _label in Hold.Status.choices]
NOT_CANCELLED = ~Q(line__order__status=statuses.CANCELLED)


@dataclass
class ItemFigures:
    """One row of a session report (an item, or the session's total)."""

    product_id: int | None
    title: str
    code: str = ""
    featured: bool = True
    live_price: Decimal | None = None
    clicks: int = 0
    visitors: int = 0
    baskets: int = 0
    holds: dict = field(default_factory=lambda: dict.fromkeys(HOLD_STATUSES, 0))
    orders: int = 0
    units: int = 0
    revenue: Decimal = ZERO
    commission: Decimal = ZERO

    @property
    def holds_total(self):
        return sum(self.holds.values())

    @property
    def hold_list(self):
        """``[(status label, count), ...]`` in the model's order, for templates."""
        return [(label, self.holds[value]) for value, label in Hold.Status.choices]

    @property
    def conversion(self):
        """Orders per visitor, in percent with one decimal; None without visitors."""
        if not self.visitors:
            return None
        return (Decimal(self.orders) * 100 / self.visitors).quantize(Decimal("0.1"))


@dataclass
class MinuteBucket:
    start: datetime.datetime
    clicks: int = 0
    holds: int = 0
    orders: int = 0


@dataclass
class SessionReport:
    session: LiveSession
    items: list
    total: ItemFigures
    window_start: datetime.datetime
    window_end: datetime.datetime
    bucket_minutes: int
    buckets: list
    outside: dict  # clicks / holds / orders that fell outside the charted window


# --- The session report ----------------------------------------------------------------------


def window(session, now=None):
    """The minutes a session's chart covers: from its start to its end plus the price grace time.

    Scheduled sessions cover their planned hours; a live one runs up to now;
    an ended one up to its end plus the checkout grace time (when live prices
    still hold in baskets), never past now.
    """
    now = now or timezone.now()
    start = session.started_at or session.scheduled_start
    if session.status == LiveSession.Status.LIVE:
        end = now
    elif session.status == LiveSession.Status.ENDED and session.ended_at:
        end = min(session.ended_at + pricing.grace(), max(now, session.ended_at))
    else:
        end = session.scheduled_end
    start = start.replace(second=0, microsecond=0)
    end = max(end, start + datetime.timedelta(minutes=1))
    return start, end


def bucket_size(minutes):
    """The smallest bucket (in minutes) of :data:`BUCKET_MINUTES` giving ≤ ``MAX_BUCKETS`` bars."""
    for size in BUCKET_MINUTES:
        if -(-minutes // size) <= MAX_BUCKETS:
            return size
    return -(-minutes // MAX_BUCKETS)


def _minute_counts(queryset, field_name, count):
    """``{aware minute: n}`` of ``queryset`` grouped by the minute of ``field_name`` (one query)."""
    rows = (
        queryset.annotate(minute=TruncMinute(field_name)).values("minute")
        .annotate(n=count).order_by().values_list("minute", "n")
    )
    return {minute: n for minute, n in rows if minute is not None}


def minutes(session, now=None):
    """``(start, end, size, [MinuteBucket], outside)``: the chart's buckets (three queries)."""
    start, end = window(session, now)
    span = int((end - start).total_seconds() // 60) + 1
    size = bucket_size(span)
    count = -(-span // size)
    buckets = [
        MinuteBucket(start + datetime.timedelta(minutes=i * size)) for i in range(count)
    ]
    outside = {"clicks": 0, "holds": 0, "orders": 0}
    series = {
        "clicks": _minute_counts(Click.objects.filter(session=session), "at", Count("pk")),
        "holds": _minute_counts(Hold.objects.filter(session=session), "created_at", Count("pk")),
        "orders": _minute_counts(
            Attribution.objects.filter(NOT_CANCELLED, session=session),
            "line__order__date_placed", Count("line__order", distinct=True),
        ),
    }
    for name, counts in series.items():
        for minute, n in counts.items():
            index = int((minute - start).total_seconds() // 60) // size
            if 0 <= index < count:
                setattr(buckets[index], name, getattr(buckets[index], name) + n)
            else:
                outside[name] += n
    return start, end, size, buckets, outside


def _row(rows, product_id, title=""):
    if product_id not in rows:
        rows[product_id] = ItemFigures(product_id=product_id, title=title, featured=False)
    return rows[product_id]


def session_report(session, now=None):
    """The :class:`SessionReport` of ``session`` (a fixed number of queries, ten)."""
    rows = {}
    offers = list(
        LiveOffer.objects.filter(session=session).select_related("product").order_by("position", "pk")
    )
    product_of_offer = {}
    for offer in offers:
        product_of_offer[offer.pk] = offer.product_id
        rows[offer.product_id] = ItemFigures(
            product_id=offer.product_id, title=offer.product.get_title(), code=offer.code,
            live_price=offer.live_price,
        )

    clicks = Click.objects.filter(session=session)
    for row in (
        clicks.values("link__product_id")
        .annotate(clicks=Count("pk"), visitors=Count("visitor", distinct=True),
                  title=Max("link__product__title"))
        .order_by()
    ):
        item = _row(rows, row["link__product_id"], row["title"] or "")
        item.clicks, item.visitors = row["clicks"], row["visitors"]

    for row in (
        Hold.objects.filter(session=session).values("offer_id", "status")
        .annotate(n=Count("pk")).order_by()
    ):
        _row(rows, product_of_offer.get(row["offer_id"])).holds[row["status"]] += row["n"]

    attributed = Attribution.objects.filter(session=session)
    figures = dict(
        orders=Count("line__order", distinct=True, filter=NOT_CANCELLED),
        units=Sum("line__quantity", filter=NOT_CANCELLED),
        revenue=Sum("line__line_price_incl_tax", filter=NOT_CANCELLED),
    )
    for row in (
        attributed.values("line__product_id").annotate(title=Max("line__title"), **figures)
        .order_by()
    ):
        item = _row(rows, row["line__product_id"], row["title"] or "")
        item.orders = row["orders"]
        item.units, item.revenue = row["units"] or 0, money.dong(row["revenue"] or ZERO)

    entries = CommissionEntry.objects.filter(session=session)
    for row in (
        entries.values("attribution__line__product_id").annotate(total=Sum("amount")).order_by()
    ):
        _row(rows, row["attribution__line__product_id"]).commission = row["total"] or ZERO

    total = ItemFigures(product_id=None, title=_("Cả phiên"))
    session_clicks = clicks.aggregate(clicks=Count("pk"), visitors=Count("visitor", distinct=True))
    total.clicks, total.visitors = session_clicks["clicks"], session_clicks["visitors"]
    session_orders = attributed.aggregate(**figures)
    total.orders = session_orders["orders"]
    additions = BasketAddition.objects.filter(session=session)
    for row in additions.values("product_id").annotate(n=Count("visitor", distinct=True)).order_by():
        _row(rows, row["product_id"]).baskets = row["n"]
    total.baskets = additions.aggregate(n=Count("visitor", distinct=True))["n"]
    total.units = session_orders["units"] or 0
    total.revenue = money.dong(session_orders["revenue"] or ZERO)
    total.commission = entries.aggregate(total=Sum("amount"))["total"] or ZERO
    for item in rows.values():
        for status, n in item.holds.items():
            total.holds[status] += n

    items = [rows[offer.product_id] for offer in offers]
    items += sorted(
        (item for item in rows.values() if not item.featured),
        key=lambda item: (item.product_id is None, item.title),
    )
    for item in items:
        if not item.title:
            item.title = _("Sản phẩm đã xoá")
    start, end, size, buckets, outside = minutes(session, now)
    return SessionReport(session, items, total, start, end, size, buckets, outside)


def minute_label(bucket):
    return timezone.localtime(bucket.start).strftime("%H:%M")


def session_charts(report):
    """Two charts over the session's minutes: clicks; holds and orders."""

    def describe(bucket):
        return _("%(time)s: %(clicks)s lượt bấm, %(holds)s giữ hàng, %(orders)s đơn") % {
            "time": minute_label(bucket), "clicks": bucket.clicks, "holds": bucket.holds,
            "orders": bucket.orders,
        }

    clicks = charts.stacked_bars(
        report.buckets, positive=[(lambda b: b.clicks, "bar-live-clicks", _("Lượt bấm"))],
        label=minute_label, describe=describe,
    )
    actions = charts.stacked_bars(
        report.buckets,
        positive=[
            (lambda b: b.orders, "bar-live-orders", _("Đơn hàng")),
            (lambda b: b.holds, "bar-live-holds", _("Giữ hàng theo bình luận")),
        ],
        label=minute_label, describe=describe,
    )
    return clicks, actions


# --- Earnings and settlement -----------------------------------------------------------------


def _in(queryset, period):
    if period is None:
        return queryset
    return queryset.filter(created_at__gte=period.since, created_at__lt=period.until)


SPLIT = dict(
    earned=Sum("amount", filter=Q(amount__gt=0)),
    reversed=Sum("amount", filter=Q(amount__lt=0)),
    net=Sum("amount"),
)


def _money(row):
    return {
        "earned": row["earned"] or ZERO,
        "reversed": -(row["reversed"] or ZERO),
        "net": row["net"] or ZERO,
    }


def earnings_totals(seller, period=None):
    """``{earned, reversed, net, entries}`` of a seller's commission in ``period`` (one query)."""
    row = _in(CommissionEntry.objects.filter(seller=seller), period).aggregate(
        entries=Count("pk"), **SPLIT
    )
    return {**_money(row), "entries": row["entries"]}


def earnings_by_session(seller, period=None):
    """Per session (None: links outside a session), the seller's commission in ``period``."""
    rows = (
        _in(CommissionEntry.objects.filter(seller=seller), period)
        .values("session_id", "session__title", "session__scheduled_start")
        .annotate(lines=Count("attribution", distinct=True), **SPLIT)
        .order_by("-session__scheduled_start", "session_id")
    )
    return [
        {
            "session_id": row["session_id"], "title": row["session__title"],
            "start": row["session__scheduled_start"], "lines": row["lines"], **_money(row),
        }
        for row in rows
    ]


def earnings_entries(seller, period=None):
    """The seller's commission entries in ``period``, newest first, with order and product."""
    return commission.entries_for(seller, period).order_by("-created_at", "-pk")


def settlement_rows(period):
    """Per seller with commission in ``period``: earned, reversed, net, and the bank account."""
    return commission.seller_totals(period)


def settlement_totals(rows):
    return {
        "earned": sum((row["earned"] for row in rows), ZERO),
        "reversed": sum((row["reversed"] for row in rows), ZERO),
        "net": sum((row["net"] for row in rows), ZERO),
    }
