"""Demo till sales over the last weeks, so the reports (Z-reports, producers' sales, the
office's settlement) have something to show on a first run.

Each day, each sales point with a till opens a session, rings a few sales of
products and gift combos it has on the shelf (cash or VietQR), and closes the
session with the expected cash. Everything goes through ``pos.sessions`` and
``pos.sales``, so stock leaves through the one inventory and every line gets
its revenue shares. Deterministic (a seeded generator, a fixed ``client_uuid``
per sale) and safe to run again: a sale that exists is not rung twice, and a
day already rung is skipped.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from pos import sales, sessions
from pos.models import Cashier, Register, TillSale, TillSession
from showroom.models import Stock

StockRecord = get_model("partner", "StockRecord")
ComboComponent = get_model("catalogue", "ComboComponent")

DAYS = 21
SEED = 2025
NAMESPACE = uuid.UUID("5b0a3c51-0c0b-4c55-9d0e-0cda0a2025ad")
OPENING_FLOAT = Decimal("1000000")


def sale_uuid(register, day, n):
    return uuid.uuid5(NAMESPACE, f"{register.code}/{day.isoformat()}/{n}")


def _shelf(location):
    """What is on the shelf of ``location``: ``(records, free units by record id, combo parts)``.

    ``records`` are the priced offers there and the public combos made of them, in a fixed
    order (so the same seed rings the same sales on every database).
    """
    free, records = {}, []
    for stock in Stock.objects.filter(location=location, quantity__gt=0).select_related(
        "stockrecord__product__product_class"
    ).order_by("stockrecord_id"):
        if stock.stockrecord.price:
            free[stock.stockrecord_id] = stock.quantity
            records.append(stock.stockrecord)
    parts = defaultdict(list)
    for row in ComboComponent.objects.filter(combo__is_public=True).order_by("combo_id", "pk"):
        parts[row.combo_id].append((row.component_id, row.quantity))
    records += list(
        StockRecord.objects.filter(product_id__in=list(parts), price__isnull=False)
        .select_related("product__product_class").order_by("pk")
    )
    return records, free, parts


def _units(record, free, parts):
    """Units of ``record`` on the shelf now; a combo's from its components' units left."""
    if record.product_id in parts:
        return min(
            (free.get(component, 0) // per for component, per in parts[record.product_id]),
            default=0,
        )
    return free.get(record.pk, 0)


def _basket(rng, shelf, parts):
    """One customer's lines: 1–3 offers, sometimes a combo; takes them off the shelf."""
    records, free = shelf
    offers = [r for r in records if _units(r, free, parts) > 0]
    rng.shuffle(offers)
    lines = []
    for record in offers[: rng.choice((1, 1, 2, 2, 3))]:
        wanted = 1 if record.product_id in parts else rng.choice((1, 1, 2))
        quantity = min(wanted, _units(record, free, parts))
        if quantity <= 0:
            continue
        if record.product_id in parts:
            for component, per in parts[record.product_id]:
                free[component] -= per * quantity
        else:
            free[record.pk] -= quantity
        lines.append({"stockrecord": record.pk, "quantity": quantity})
    return lines


def _tenders(rng, total):
    if rng.random() < 0.4:
        return [{"kind": "vietqr", "amount": int(total), "reference": "DEMO"}]
    return [{"kind": "cash", "tendered": int(-(-total // 1000) * 1000)}]  # round notes


def load_demo_sales(days=DAYS, progress=None, today=None):
    """Ring ``days`` days of demo sales at every till; returns how many sales were new."""
    today = today or timezone.localdate()
    registers = list(Register.objects.select_related("location").order_by("code"))
    cashiers = {
        c.location_id: c.user
        for c in Cashier.objects.select_related("user").order_by("-pk")
        if c.user.is_active
    }
    created = 0
    first_day = today - datetime.timedelta(days=days)
    for index in range(days):
        day = first_day + datetime.timedelta(days=index)
        for register in registers:
            user = cashiers.get(register.location_id)
            if user is None:
                continue
            # one generator per till and day: a second run sees the same sales
            rng = random.Random(f"{SEED}/{register.code}/{day.isoformat()}")
            created += _ring_day(rng, register, user, day)
        if progress is not None:
            progress.bar("demo till sales", index + 1, days)
    return created


def _ring_day(rng, register, user, day):
    count = rng.randint(2, 4)
    uuids = [sale_uuid(register, day, n) for n in range(count)]
    if TillSale.objects.filter(client_uuid__in=uuids).exists():
        return 0
    if TillSession.objects.filter(register=register, status=TillSession.Status.OPEN).exists():
        return 0  # somebody is working at this till: leave it alone
    records, free, parts = _shelf(register.location)
    shelf = (records, free)
    opened = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 30)))
    closed = opened + datetime.timedelta(hours=10)
    made = 0
    with transaction.atomic():
        session = sessions.open_session(register, user, OPENING_FLOAT)
        session.opened_at = opened
        session.save(update_fields=["opened_at"])
        for n, client_uuid in enumerate(uuids):
            lines = _basket(rng, shelf, parts)
            if not lines:
                continue
            quote = sales.price(sales.parse_lines(lines), Decimal(0))
            sales.record_sale(
                register=register, session=session, user=user, client_uuid=client_uuid,
                lines=lines, tenders=_tenders(rng, quote.total),
                rung_at=opened + datetime.timedelta(hours=1 + 2 * n, minutes=rng.randint(0, 59)),
            )
            made += 1
        expected = sessions.z_report(session)["expected_cash"]
        sessions.close_session(session, user, expected, note="Demo")
        TillSession.objects.filter(pk=session.pk).update(closed_at=closed)
    return made
