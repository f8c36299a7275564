"""The programme dashboard's figures: one JSON-serialisable dict (THE CONTRACT).

:func:`dashboard` is read by the dashboard page, the periodic reports (their
snapshot) and the exports; they use its keys only. Amounts are ``int`` đồng,
dates ``"YYYY-MM-DD"``, percents ``float`` rounded to one decimal.

Where the figures come from
---------------------------
* **Products** (``products``, ``expiring``, ``registry``): the products holding a
  current OCOP certificate on the day measured — the period's end, or today if
  the period ends later (``targets.current_certificates``). A product's group is
  the top-level category of its first category; its commune and subject type
  are its producer's.
* **Sales** (``sales``, ``top_*``): the settlement's rules
  (``vendors.settlement``), so the programme and the producers' pay read one
  figure: counted sales are the revenue shares (``vendors.RevenueShare``: what
  the buyer paid for a line, a combo split among its producers) of orders
  placed within the period that are neither awaiting payment nor cancelled;
  till returns and online refunds made within the period are deducted, split
  over the shares with the settlement's cumulative rule. ``amount`` is the net.
  A share's **channel**: the till of a sales point when its order is a till
  sale (``pos.TillSale``), else ``livestream`` when its line came through a
  livestream (``shop.live`` attribution), else ``online``. Its group, commune
  and subject type are those of the product and of the seller (packaging of a
  combo, sold by the district, has none). ``last_year`` is the same period one
  year earlier (29 February → 28 February).
* **Top products and combos** are gross counted sales (units and amount sold,
  before returns): products sold on their own, and combo lines.

Every aggregate runs in SQL: the number of queries does not grow with orders.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.certification import EXPIRY_WARNING_DAYS
from shop.programme import targets
from vendors import settlement
from vendors.models import RevenueShare, Vendor

ZERO = Decimal(0)
TOP = 10
ONLINE, LIVESTREAM, TILL = "online", "livestream", "till"


def _iso(day):
    return day.isoformat() if day else None


def _int(amount):
    return int(amount or 0)


def _unit(commune):
    if commune is None or hasattr(commune, "pk"):
        return commune
    return get_model("vendors", "AdministrativeUnit").objects.get(pk=commune)


def year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def group_root(product_path):
    """SQL: the path of the top-level category of the product at ``product_path`` (its first one)."""
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    first = ProductCategory.objects.filter(product_id=OuterRef(product_path)).order_by("pk")
    return Substr(Subquery(first.values("category__path")[:1]), 1, Category.steplen)


def _group_names(paths):
    Category = get_model("catalogue", "Category")
    paths = {p for p in paths if p}
    if not paths:
        return {}
    return dict(Category.objects.filter(path__in=paths).values_list("path", "name"))


def _commune_names(ids):
    AdministrativeUnit = get_model("vendors", "AdministrativeUnit")
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(AdministrativeUnit.objects.filter(pk__in=ids).values_list("pk", "name"))


SUBJECT_TYPES = dict(Vendor.SubjectType.choices)


def _labels():
    return {
        "group": _("Chưa phân nhóm"),
        "commune": _("Chưa rõ xã"),
        "subject_type": _("Không phải chủ thể OCOP (bao bì, hàng của huyện)"),
    }


# --- Products --------------------------------------------------------------------------------


def _registry(on, commune):
    """Current certificates with what the registry shows (one query)."""
    return list(
        targets.current_certificates(on, commune)
        .annotate(group_path=group_root("product_id"))
        .select_related("product", "product__producer__partner", "product__producer__commune")
        .order_by("product__title", "product_id")
    )


def _products(certificates, groups, communes):
    labels = _labels()
    by_stars, by_group, by_commune, by_type = (defaultdict(int) for _i in range(4))
    for cert in certificates:
        producer = cert.product.producer
        by_stars[cert.stars] += 1
        by_group[groups.get(cert.group_path) or labels["group"]] += 1
        by_commune[communes.get(producer.commune_id if producer else None) or labels["commune"]] += 1
        by_type[
            str(SUBJECT_TYPES.get(producer.subject_type)) if producer else labels["subject_type"]
        ] += 1

    def named(counts):
        return [
            {"name": name, "count": n}
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    return {
        "total": len(certificates),
        "by_stars": [{"stars": s, "count": by_stars.get(s, 0)} for s in (3, 4, 5)],
        "by_group": named(by_group),
        "by_commune": named(by_commune),
        "by_subject_type": named(by_type),
    }


def _registry_rows(certificates, groups, communes):
    rows = []
    for cert in certificates:
        producer = cert.product.producer
        rows.append({
            "product": cert.product.get_title(),
            "producer": producer.name if producer else "",
            "subject_type": str(SUBJECT_TYPES.get(producer.subject_type, "")) if producer else "",
            "address": producer.address if producer else "",
            "commune": communes.get(producer.commune_id, "") if producer else "",
            "group": groups.get(cert.group_path, ""),
            "stars": cert.stars,
            "score": cert.score,
            "certificate": cert.decision_number,
            "decision_date": _iso(cert.decision_date),
            "valid_until": _iso(cert.valid_until),
            "certifying_body": cert.certifying_body,
        })
    return rows


def _expiring(certificates, on):
    horizon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    soon = sorted(
        (c for c in certificates if c.valid_until <= horizon),
        key=lambda c: (c.valid_until, c.product.get_title()),
    )
    return [
        {
            "product": c.product.get_title(),
            "producer": c.product.producer.name if c.product.producer else "",
            "number": c.decision_number,
            "valid_until": _iso(c.valid_until),
        }
        for c in soon
    ]


# --- Sales -----------------------------------------------------------------------------------


def _dimensions(queryset, prefix=""):
    """Annotate shares (reached through ``prefix``) with what the sales are broken down by."""
    Attribution = get_model("live", "Attribution")
    return queryset.annotate(
        d_till=Coalesce(F(f"{prefix}line__order__till_sale__location_id"), Value(0),
                        output_field=IntegerField()),
        d_live=Exists(Attribution.objects.filter(line_id=OuterRef(f"{prefix}line_id"))),
        d_group=group_root(f"{prefix}product_id"),
        d_commune=F(f"{prefix}partner__vendor__commune_id"),
        d_type=F(f"{prefix}partner__vendor__subject_type"),
    )


def _channel(row):
    if row["d_till"]:
        return (TILL, row["d_till"])
    if row["d_live"]:
        return (LIVESTREAM, None)
    return (ONLINE, None)


def _product_groups(product_ids):
    """``{product_id: top-level category path}`` (one query over the products sold)."""
    Product = get_model("catalogue", "Product")
    ids = {i for i in product_ids if i}
    if not ids:
        return {}
    return dict(
        Product.objects.filter(pk__in=ids).annotate(d_group=group_root("pk"))
        .values_list("pk", "d_group")
    )


def _sold(period, commune):
    """``{(channel, group, commune, type): amount}`` of counted shares.

    One grouped query by product (the livestream flag a join, not a sub-query per
    share: at 100,000 orders the per-share sub-queries cost seconds), then one small
    query for the products' groups.
    """
    queryset = settlement.counted_shares(period)
    if commune is not None:
        queryset = queryset.filter(targets.in_commune(commune, "partner__vendor__"))
    rows = list(
        queryset.annotate(
            d_till=Coalesce(F("line__order__till_sale__location_id"), Value(0),
                            output_field=IntegerField()),
            d_live=Case(When(line__live_attribution__isnull=False, then=Value(True)),
                        default=Value(False), output_field=BooleanField()),
            d_commune=F("partner__vendor__commune_id"),
            d_type=F("partner__vendor__subject_type"),
        )
        .values("d_till", "d_live", "product_id", "d_commune", "d_type")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    groups = _product_groups(row["product_id"] for row in rows)
    sold = defaultdict(lambda: ZERO)
    for row in rows:
        group = groups.get(row["product_id"])
        sold[(_channel(row), group, row["d_commune"], row["d_type"])] += row["amount"]
    return sold


def _deducted(period, commune):
    """``{(channel, group, commune, type): amount}`` taken back within ``period``.

    The rules of ``vendors.settlement.deductions`` (rule 3), kept per share so each
    deduction lands in its share's channel, group, commune and subject type: till
    returns split over the returned line's shares, online refunds over the order's
    shares (never more than its goods), both cumulative; only counted orders.
    """
    TillReturnLine = get_model("pos", "TillReturnLine")
    PaymentRefund = get_model("payment", "PaymentRefund")
    not_sold = settlement.NOT_SOLD_STATUSES
    skipped = settlement.UNCOUNTED_REFUND_STATUSES
    line_ids = set(
        TillReturnLine.objects.filter(
            till_return__created_at__gte=period.since, till_return__created_at__lt=period.until,
        ).exclude(till_return__sale__order__status__in=not_sold)
        .values_list("sale_line__order_line_id", flat=True)
    )
    returns = list(
        TillReturnLine.objects.filter(
            sale_line__order_line_id__in=line_ids, till_return__created_at__lt=period.until,
        ).values("sale_line__order_line_id", "amount", "till_return__created_at")
        .order_by("till_return__created_at", "pk")
    ) if line_ids else []
    order_ids = set(
        PaymentRefund.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .exclude(status__in=skipped).exclude(payment__order__status__in=not_sold)
        .values_list("payment__order_id", flat=True)
    )
    refunds = list(
        PaymentRefund.objects.filter(payment__order_id__in=order_ids, created_at__lt=period.until)
        .exclude(status__in=skipped)
        .values("payment__order_id", "amount", "created_at").order_by("created_at", "pk")
    ) if order_ids else []
    taken = defaultdict(lambda: ZERO)
    if not returns and not refunds:
        return taken
    by_line, by_order = defaultdict(list), defaultdict(list)
    shares = _dimensions(
        RevenueShare.objects.filter(Q(line_id__in=line_ids) | Q(line__order_id__in=order_ids))
    ).annotate(
        order_id=F("line__order_id"), in_commune=Exists(
            Vendor.objects.filter(targets.in_commune(commune), partner_id=OuterRef("partner_id"))
        ) if commune is not None else Value(True),
    ).order_by("line_id", "pk")
    for share in shares:
        by_line[share.line_id].append(share)
        by_order[share.order_id].append(share)

    def take(pairs):
        for share, part in pairs:
            if part and share.in_commune:
                row = {"d_till": share.d_till, "d_live": share.d_live}
                taken[(_channel(row), share.d_group, share.d_commune, share.d_type)] += part

    returned = defaultdict(lambda: ZERO)
    for row in returns:
        key = row["sale_line__order_line_id"]
        before, returned[key] = returned[key], returned[key] + row["amount"]
        if row["till_return__created_at"] >= period.since:
            take(settlement._cumulative(before, returned[key], by_line[key]))
    refunded = defaultdict(lambda: ZERO)
    for row in refunds:
        key = row["payment__order_id"]
        goods = sum((s.amount for s in by_order[key]), ZERO)
        before = refunded[key]
        refunded[key] = min(goods, before + Decimal(row["amount"]))
        if row["created_at"] >= period.since:
            take(settlement._cumulative(before, refunded[key], by_order[key]))
    return taken


def _net(period, commune):
    net = _sold(period, commune)
    for key, amount in _deducted(period, commune).items():
        net[key] -= amount
    return net


def _sales(period, commune):
    Location = get_model("showroom", "Location")
    last_period = settlement.Period(year_before(period.start), year_before(period.end))
    now, before = _net(period, commune), _net(last_period, commune)
    labels = _labels()
    keys = set(now) | set(before)
    groups = _group_names(k[1] for k in keys)
    communes = _commune_names(k[2] for k in keys)
    till_ids = {k[0][1] for k in keys if k[0][0] == TILL}
    tills = list(
        Location.objects.filter(Q(registers__isnull=False) | Q(pk__in=till_ids))
        .distinct().order_by("priority", "code")
    )

    def totals(index, name):
        amounts, last = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
        for key, amount in now.items():
            amounts[name(key[index])] += amount
        for key, amount in before.items():
            last[name(key[index])] += amount
        return amounts, last

    channel_now, channel_last = totals(0, lambda c: c)
    by_channel = [
        {"key": ONLINE, "label": _("Bán trực tuyến"), "amount": _int(channel_now[(ONLINE, None)]),
         "last_year": _int(channel_last[(ONLINE, None)])},
    ]
    for location in tills:
        key = (TILL, location.pk)
        by_channel.append({
            "key": f"till-{location.code}",
            "label": _("Quầy: %(name)s") % {"name": location.name},
            "amount": _int(channel_now[key]), "last_year": _int(channel_last[key]),
        })
    by_channel.append({
        "key": LIVESTREAM, "label": _("Livestream"),
        "amount": _int(channel_now[(LIVESTREAM, None)]),
        "last_year": _int(channel_last[(LIVESTREAM, None)]),
    })

    def listed(index, name):
        amounts, last = totals(index, name)
        names = set(amounts) | set(last)
        rows = [
            {"name": n, "amount": _int(amounts[n]), "last_year": _int(last[n])} for n in names
        ]
        return sorted(rows, key=lambda r: (-r["amount"], -r["last_year"], r["name"]))

    return {
        "total": _int(sum(now.values(), ZERO)),
        "total_last_year": _int(sum(before.values(), ZERO)),
        "by_channel": by_channel,
        "by_group": listed(1, lambda p: groups.get(p) or labels["group"]),
        "by_commune": listed(2, lambda c: communes.get(c) or labels["commune"]),
        "by_subject_type": listed(
            3, lambda t: str(SUBJECT_TYPES[t]) if t in SUBJECT_TYPES else labels["subject_type"]
        ),
    }


def _top_products(period, commune):
    queryset = settlement.counted_shares(period).filter(combo_title="")
    if commune is not None:
        queryset = queryset.filter(targets.in_commune(commune, "partner__vendor__"))
    rows = (
        queryset.values("product_id").annotate(
            title=Coalesce("product__title", "title"), units=Sum("quantity"), amount=Sum("amount"),
        ).order_by("-amount", "-units", "title")[:TOP]
    )
    return [{"title": r["title"], "units": int(r["units"] or 0), "amount": _int(r["amount"])}
            for r in rows]


def _top_combos(period, commune):
    """Combo lines: units from the lines, amount from their shares (the commune's part, if limited)."""
    Line = get_model("order", "Line")
    shares = settlement.counted_shares(period).exclude(combo_title="")
    if commune is not None:
        shares = shares.filter(targets.in_commune(commune, "partner__vendor__"))
    amounts = {
        r["line__product_id"]: r
        for r in shares.values("line__product_id").annotate(
            amount=Sum("amount"), title=Coalesce("line__product__title", "combo_title"),
        ).order_by("-amount")
    }
    if not amounts:
        return []
    lines = Line.objects.filter(
        Exists(shares.filter(line_id=OuterRef("pk"))),
    ).values("product_id").annotate(units=Sum("quantity")).order_by()
    units = {r["product_id"]: int(r["units"] or 0) for r in lines}
    rows = [
        {"title": r["title"], "units": units.get(pk, 0), "amount": _int(r["amount"])}
        for pk, r in amounts.items()
    ]
    return sorted(rows, key=lambda r: (-r["amount"], -r["units"], r["title"]))[:TOP]


# --- The contract ----------------------------------------------------------------------------


def dashboard(start, end, commune=None, today=None):
    """Every figure of the programme for the period ``start``–``end`` (both included).

    ``commune`` (an ``AdministrativeUnit`` or its id) limits everything to the
    producers of that commune. ``today`` defaults to the shop's date; products
    and targets are measured on ``min(end, today)``.
    """
    today = today or timezone.localdate()
    commune = _unit(commune)
    on = min(end, today)
    period = settlement.Period(start, end)
    certificates = _registry(on, commune)
    groups = _group_names(c.group_path for c in certificates)
    communes = _commune_names(
        c.product.producer.commune_id for c in certificates if c.product.producer
    )
    return {
        "period": {"start": _iso(start), "end": _iso(end)},
        "commune": None if commune is None else {"id": commune.pk, "name": commune.name},
        "targets": targets.evaluate(on, commune),
        "products": _products(certificates, groups, communes),
        "expiring": _expiring(certificates, on),
        "sales": _sales(period, commune),
        "top_products": _top_products(period, commune),
        "top_combos": _top_combos(period, commune),
        "registry": _registry_rows(certificates, groups, communes),
    }
