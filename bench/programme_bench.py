"""The programme dashboard at scale: N generated orders, then its timings and query counts.

Run by hand, not a test, on a scratch database that holds the demo::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_demo --quiet
    DATABASE_URL=... .venv/bin/python bench/programme_bench.py              # 100,000 orders
    DATABASE_URL=... .venv/bin/python bench/programme_bench.py --n 0        # time only

It refuses a database without the demo (its producers, the ``office`` user).
Unlike ``pos_bench.py`` the orders it makes **stay** (making 100,000 takes a
while): a second run tops the bench orders up to ``--n`` and times again.

The orders follow the shop's rules as far as the figures read them: each is
an Oscar ``Order`` with its ``Line`` rows and the ``vendors.RevenueShare`` rows
that ``vendors.settlement.shares_for_line`` gives (a combo split among its
components' sellers), placed over the last two years, status delivered
(online: "Đã giao", with a delivery fee) or collected (the tills: "Đã nhận
hàng", each with a ``pos.TillSale`` and its lines in one bench session per
till, receipt numbers after the till's counter, which is moved on). They are
bulk-inserted: no stock moves, no payments, no events — history, not sales.

Then it refreshes PostgreSQL's statistics of those tables (``ANALYZE``, what
autovacuum does on a live database) and times ``shop.programme.figures.dashboard`` for this year and last month
(district, and the Đăk Mar commune) and the dashboard page through the test
client as the office user, and prints the timings and query counts.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from catalogue import combos  # noqa: E402
from pos.models import ReceiptCounter, Register, TillSale, TillSaleLine, TillSession  # noqa: E402
from shop.core.progress import Progress, format_table  # noqa: E402
from shop.demo import data  # noqa: E402
from shop.payment import statuses  # noqa: E402
from vendors.models import AdministrativeUnit, RevenueShare, Vendor  # noqa: E402
from vendors.settlement import shares_for_line  # noqa: E402

Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

PREFIX = "BENCH-"
SEED = 14
DAYS = 730
CHUNK = 2_000
TILL_SHARE = 0.35
DELIVERY_FEE = Decimal(30_000)
ZERO = Decimal(0)


class NoDemo(SystemExit):
    pass


def check_demo():
    """The demo's producers and office user, or stop: the bench is for a demo database only."""
    codes = [row["code"] for row in data.PRODUCERS]
    found = Vendor.objects.filter(partner__code__in=codes).count()
    office = get_user_model().objects.filter(username="office").first()
    if found < len(codes) or office is None or not Register.objects.exists():
        raise NoDemo(
            "This database has no demo (run `manage.py load_demo --quiet` first): "
            f"{found}/{len(codes)} demo producers, office user {'found' if office else 'missing'}."
        )
    return office


def offers():
    """Priced offers of the demo's products and public combos (what the orders sell)."""
    records = list(
        StockRecord.objects.filter(price__isnull=False, price__gt=0, product__is_public=True)
        .select_related("partner", "product__product_class")
        .order_by("pk")
    )
    if not records:
        raise NoDemo("No priced offers: load the demo first.")
    return records


def bench_sessions(office):
    """One closed bench session per till (its sales hang on it); {register: session}."""
    found = {}
    opened = timezone.now() - datetime.timedelta(days=DAYS + 1)
    for register in Register.objects.select_related("location").order_by("code"):
        session = TillSession.objects.filter(register=register, note="BENCH").first()
        if session is None:
            session = TillSession.objects.create(
                register=register, cashier=office, opening_float=ZERO,
                status=TillSession.Status.CLOSED, opened_at=opened, closed_at=opened,
                closed_by=office, counted_cash=ZERO, expected_cash=ZERO, note="BENCH",
            )
        found[register] = session
    return found


def next_receipts(registers):
    """{register pk: next free receipt number}, after the counter and any sale."""
    last = dict(
        TillSale.objects.values_list("register_id").annotate(m=Max("receipt_number")).order_by()
    )
    counters = dict(ReceiptCounter.objects.values_list("register_id", "last_number"))
    return {r.pk: max(last.get(r.pk) or 0, counters.get(r.pk) or 0) + 1 for r in registers}


def basket(rng, records):
    """1–3 different offers, 1–3 units each (a combo: one)."""
    picked = rng.sample(records, rng.choice((1, 1, 1, 2, 2, 3)))
    return [(sr, 1 if combos.is_combo(sr.product) else rng.choice((1, 1, 1, 2, 3))) for sr in picked]


def generate(n, office, progress):
    """Bench orders up to ``n`` (counting those of earlier runs); returns how many were made."""
    have = Order.objects.filter(number__startswith=PREFIX).count()
    wanted = max(0, n - have)
    if not wanted:
        return 0
    rng = random.Random(f"{SEED}/{have}")
    records = offers()
    sessions = bench_sessions(office)
    registers = list(sessions)
    receipts = next_receipts(registers)
    parts_cache = {}
    now = timezone.now()
    site_id = getattr(settings, "SITE_ID", None)
    done = 0
    while done < wanted:
        size = min(CHUNK, wanted - done)
        with transaction.atomic():
            orders, baskets, tills = [], [], []
            for k in range(size):
                index = have + done + k
                items = basket(rng, records)
                goods = sum((sr.price * q for sr, q in items), ZERO)
                placed = now - datetime.timedelta(seconds=rng.randrange(DAYS * 86400))
                register = registers[rng.randrange(len(registers))] if (
                    registers and rng.random() < TILL_SHARE
                ) else None
                if register is None:
                    fee = DELIVERY_FEE
                    number, status = f"{PREFIX}{index:07d}", statuses.SHIPPED
                    method, code = "Giao hàng tận nơi", "standard"
                else:
                    fee = ZERO
                    receipt = receipts[register.pk]
                    receipts[register.pk] += 1
                    number = f"{PREFIX}{register.code}-{receipt:07d}"
                    status = getattr(settings, "POS_ORDER_STATUS", statuses.COLLECTED)
                    method, code = f"Bán tại quầy {register.location.name}", "pos"
                    tills.append((k, register, receipt))
                orders.append(Order(
                    number=number, site_id=site_id, currency="VND",
                    total_incl_tax=goods + fee, total_excl_tax=goods + fee,
                    shipping_incl_tax=fee, shipping_excl_tax=fee,
                    shipping_method=method, shipping_code=code, status=status,
                    date_placed=placed,
                ))
                baskets.append(items)
            Order.objects.bulk_create(orders)
            lines = [
                Line(
                    order=order, partner=sr.partner, partner_name=sr.partner.name,
                    partner_sku=sr.partner_sku, stockrecord=sr, product=sr.product,
                    title=sr.product.title[:255], upc=sr.product.upc, quantity=q,
                    line_price_incl_tax=sr.price * q, line_price_excl_tax=sr.price * q,
                    line_price_before_discounts_incl_tax=sr.price * q,
                    line_price_before_discounts_excl_tax=sr.price * q,
                    unit_price_incl_tax=sr.price, unit_price_excl_tax=sr.price,
                    status=order.status, num_allocated=0,
                )
                for order, items in zip(orders, baskets, strict=True)
                for sr, q in items
            ]
            Line.objects.bulk_create(lines)
            RevenueShare.objects.bulk_create(
                [share for line in lines for share in shares_for_line(line, parts_cache)]
            )
            sales = []
            for k, register, receipt in tills:
                order = orders[k]
                sales.append(TillSale(
                    session=sessions[register], register=register, location=register.location,
                    cashier=office, receipt_number=receipt, order=order,
                    subtotal=order.total_incl_tax, line_discount_total=ZERO,
                    order_discount_percent=ZERO, order_discount=ZERO,
                    total=order.total_incl_tax, cash_rounding=ZERO,
                    paid_total=order.total_incl_tax, change_due=ZERO, rung_at=order.date_placed,
                ))
            TillSale.objects.bulk_create(sales)
            sale_of = {sale.order_id: sale for sale in sales}
            TillSaleLine.objects.bulk_create([
                TillSaleLine(
                    sale=sale_of[line.order_id], stockrecord=line.stockrecord,
                    product=line.product, order_line=line, title=line.title,
                    code=(line.upc or "")[:64], ocop_stars=line.product.ocop_stars,
                    quantity=line.quantity, unit_price=line.unit_price_incl_tax,
                    discount_percent=ZERO, discount=ZERO, order_discount_share=ZERO,
                    net_total=line.line_price_incl_tax,
                )
                for line in lines if line.order_id in sale_of
            ])
            for register in registers:
                ReceiptCounter.objects.update_or_create(
                    register=register, defaults={"last_number": receipts[register.pk] - 1}
                )
        done += size
        progress.bar("bench orders", done, wanted)
    progress.step("bench orders", have + done, done,
                  f"{Line.objects.filter(order__number__startswith=PREFIX).count()} lines")
    return done


def analyse():
    """Fresh planner statistics, as autovacuum would give a live shop after a bulk insert
    (without them PostgreSQL plans the month's queries as if the tables were still small)."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Order, Line, RevenueShare, TillSale, TillSaleLine)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def measure(label, runs, call):
    """``(label, p50 ms, max ms, queries)`` of ``runs`` calls (after one warm-up)."""
    call()
    times, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries.add(len(ctx.captured_queries))
    return (label, f"{statistics.median(times):.0f}", f"{max(times):.0f}",
            "/".join(str(q) for q in sorted(queries)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="bench orders wanted (default 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="timed calls of each (default 5)")
    args = parser.parse_args()
    from shop.programme import figures

    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    office = check_demo()
    progress = Progress(lambda text, ending="\n": print(text, end=ending, flush=True),
                        tty=sys.stdout.isatty())
    started = time.perf_counter()
    generate(args.n, office, progress)
    print(f"  generated in {time.perf_counter() - started:.0f} s")
    analyse()
    orders = Order.objects.count()
    shares = RevenueShare.objects.count()
    tills = TillSale.objects.count()
    print(f"orders in the database: {orders:,} ({tills:,} till sales), revenue shares: {shares:,}")

    today = timezone.localdate()
    year = (today.replace(month=1, day=1), today)
    last_end = today.replace(day=1) - datetime.timedelta(days=1)
    last_month = (last_end.replace(day=1), last_end)
    dak_mar = AdministrativeUnit.objects.filter(code="dak-mar").first()
    client = Client()
    client.force_login(office)
    url = "/office/programme/"

    def page(query):
        def get():
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code
        return get

    rows = [
        measure("dashboard() this year", args.runs, lambda: figures.dashboard(*year)),
        measure("dashboard() last month", args.runs, lambda: figures.dashboard(*last_month)),
        measure("dashboard() this year, Đăk Mar", args.runs,
                lambda: figures.dashboard(*year, commune=dak_mar)),
        measure("page ?preset=year (office)", args.runs, page({"preset": "year"})),
        measure("page ?preset=last-month (office)", args.runs, page({"preset": "last-month"})),
    ]
    print(format_table(["what", "p50 ms", "max ms", "queries"], rows))
    total = figures.dashboard(*year)["sales"]["total"]
    print(f"sales this year (net, all channels): {total:,} đồng")


if __name__ == "__main__":
    main()
