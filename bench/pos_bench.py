"""Till timings: scan-to-line (lookup API) and sale-commit (sale API), p50/p95/p99 and queries.

Run by hand, not a test::

    .venv/bin/python bench/pos_bench.py            # 200 operations each
    .venv/bin/python bench/pos_bench.py --n 500

It works on the configured database (``DATABASE_URL``, else the SQLite file)
inside one transaction that is rolled back at the end, so nothing it makes
stays behind. It makes its own sales point, register, cashier and 50 priced
offers, then goes through the Django test client like the till page does
(session cookie auth, JSON bodies).

The sale commit is measured for 3 lines with a split tender (VietQR + cash)
and for 10 lines: its query count must not depend on the number of lines
(goal: ≤ 20, p95 < 150 ms). Query counts include the transaction's own
statements — inside this script's rolled-back transaction the sale's
``BEGIN``/``COMMIT`` become ``SAVEPOINT``/``RELEASE``, the same count.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from pos.models import Cashier, Register, TillSession  # noqa: E402
from showroom import inventory  # noqa: E402
from showroom.models import Location  # noqa: E402

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


class Rollback(Exception):
    pass


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def setup(tag):
    from catalogue.barcodes import internal_code

    location = Location.objects.create(code=f"bench-{tag}", name=f"Bench {tag}",
                                       kind=Location.Kind.COMMUNE_POINT)
    register = Register.objects.create(location=location, code=f"bench-{tag}", name="Bench")
    user = get_user_model().objects.create_user(f"bench-{tag}", f"bench-{tag}@example.vn", "x")
    Cashier.objects.create(user=user, location=location, max_discount_percent=Decimal("10"))
    partner = Partner.objects.create(name=f"Bench {tag}", code=f"bench-{tag}")
    product_class, _ = ProductClass.objects.get_or_create(
        slug="bench-ocop", defaults={"name": "Bench", "track_stock": True})
    offers = []
    base = 9_000_000_000 + int(tag, 16) % 900_000 * 100
    for i in range(50):
        product = Product.objects.create(
            title=f"Sản phẩm thử {i}", product_class=product_class, ocop_stars=3 + i % 3,
            upc=internal_code(base + i),
        )
        offers.append(StockRecord.objects.create(
            product=product, partner=partner, partner_sku=f"B{tag}-{i}",
            price=Decimal(10000 + 1300 * i), price_currency="VND"))
    inventory.receive(location, [(sr, 1000) for sr in offers], reference="BENCH")
    session = TillSession.objects.create(register=register, cashier=user, opening_float=500000)
    # the till's session from the cache shared by every process, as in production (Redis);
    # without it each request reads the session from the database: one query more
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.force_login(user)
    return register, session, offers, client


def measure(label, n, call):
    times, queries = [], []
    for i in range(n):
        connection.queries_log.clear()  # DEBUG keeps only the last 9000: never let it fill
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call(i)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    print(f"{label:<30} n={n:<4} p50={statistics.median(times):7.2f} ms  "
          f"p95={percentile(times, 95):7.2f} ms  p99={percentile(times, 99):7.2f} ms  "
          f"max={max(times):7.2f} ms  queries min/max={min(queries)}/{max(queries)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    try:
        with transaction.atomic():
            register, session, offers, client = setup(uuid.uuid4().hex[:6])
            lookup = f"/pos/api/registers/{register.pk}/lookup/"
            sales = f"/pos/api/registers/{register.pk}/sales/"

            def scan(i):
                response = client.get(lookup, {"code": offers[i % len(offers)].product.upc})
                assert response.status_code == 200, response.content

            def commit(i, count=3):
                picked = [offers[(i + k) % len(offers)] for k in range(count)]
                total = sum(int(sr.price) for sr in picked)
                body = {
                    "client_uuid": str(uuid.uuid4()), "session": session.pk,
                    "lines": [{"stockrecord": sr.pk, "quantity": 1, "unit_price": int(sr.price)}
                              for sr in picked],
                    "tenders": [{"kind": "vietqr", "amount": 10000},
                                {"kind": "cash", "tendered": total}],
                    "client_total": total,
                }
                response = client.post(sales, body, content_type="application/json")
                assert response.status_code == 201, response.content

            scan(0)
            commit(0)  # warm caches (source types, counter row)
            measure("scan-to-line (lookup)", args.n, scan)
            measure("sale-commit (3 lines, split)", args.n, commit)
            measure("sale-commit (10 lines, split)", args.n, lambda i: commit(i, 10))
            raise Rollback
    except Rollback:
        print("(rolled back: nothing written)")


if __name__ == "__main__":
    main()
