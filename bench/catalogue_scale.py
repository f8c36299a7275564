"""Storefront pages at 40, 10,000 and 100,000 products: time, queries, ratio to 40.

Run by hand, not a test (PostgreSQL only)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_dev \\
        .venv/bin/python bench/catalogue_scale.py                  # 40, 10000, 100000
    .venv/bin/python bench/catalogue_scale.py --sizes 40 10000 --n 30
    .venv/bin/python bench/catalogue_scale.py --keep               # keep the scratch database

It never touches the database that ``DATABASE_URL`` names: it creates a scratch
database beside it (same server, name + ``_catscale``), migrates it, and drops
it at the end unless ``--keep`` (``--reuse`` measures a kept one again without
building). The catalogue is built through the shop's own code, in bulk: the
test factories make the communes, producers (with their partners) and
product groups; each product gets its search text from
``catalogue.search.product_search_text`` and its slug from the shop's slug
function, a stock record from its producer, one or two groups, a photo, and one
product in three a current OCOP certificate (its validity from
``catalogue.certification``) with the matching star badge. Sizes grow in turn
(the 40 first products are those of the 10,000 catalogue…).

Each page is fetched with the Django test client (DEBUG off, as in
production): warm-up requests, then the median of ``--n`` timed requests; its
queries are counted on one more request. The table gives, per page and size,
the median in ms, the queries, the ratio of the time to the smallest size's and
the median time spent in SQL (less sensitive to a loaded machine than the whole)
and how many product cards the page shows (a smaller catalogue may show fewer
than a full page of 24, which makes its page cheaper to draw).
``--explain`` also prints PostgreSQL's plan of the search query at each size.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # the dev secret key; DEBUG is turned off below
SUFFIX = "_catscale"

KINDS = [
    ("Cà phê Robusta rang xay", "Cà phê", "Hạt cà phê Robusta trồng trên đất đỏ bazan, rang mộc."),
    ("Cà phê Arabica hạt", "Cà phê", "Arabica vùng cao, sơ chế ướt, rang vừa."),
    ("Cà phê phin giấy", "Cà phê", "Cà phê pha sẵn từng gói phin giấy tiện dụng."),
    ("Mật ong hoa cà phê", "Mật ong", "Mật ong nguyên chất từ rẫy cà phê mùa hoa."),
    ("Mật ong rừng", "Mật ong", "Mật ong khai thác tự nhiên từ rừng Ngọc Linh."),
    ("Sâm dây Ngọc Linh", "Dược liệu", "Sâm dây sấy khô, thái lát."),
    ("Trà sâm dây", "Trà", "Trà túi lọc từ sâm dây và thảo mộc."),
    ("Trà hoa vàng", "Trà", "Trà hoa vàng sấy lạnh giữ màu."),
    ("Gạo nếp Tú Lệ", "Gạo", "Gạo nếp thơm trồng ruộng bậc thang."),
    ("Gạo ST25 Đăk Hà", "Gạo", "Gạo thơm trồng theo hướng hữu cơ."),
    ("Tinh bột nghệ", "Dược liệu", "Tinh bột nghệ vàng nguyên chất."),
    ("Măng rừng khô", "Đặc sản", "Măng le rừng phơi khô tự nhiên."),
    ("Mắc ca sấy nứt vỏ", "Hạt", "Hạt mắc ca sấy củi, nứt vỏ sẵn."),
    ("Hạt điều rang muối", "Hạt", "Hạt điều rang muối hồng."),
    ("Chuối sấy dẻo", "Đặc sản", "Chuối tây sấy dẻo không đường."),
    ("Rượu cần Xơ Đăng", "Đồ uống", "Rượu cần ủ men lá truyền thống."),
    ("Khô cá suối", "Đặc sản", "Cá suối làm sạch, tẩm gia vị, phơi nắng."),
    ("Tiêu đen hạt", "Gia vị", "Hồ tiêu chín cây phơi nắng."),
    ("Muối kiến vàng", "Gia vị", "Muối rang với kiến vàng và lá é."),
    ("Dệt thổ cẩm", "Thủ công", "Khăn thổ cẩm dệt tay của đồng bào Xơ Đăng."),
]
SIZES_TEXT = ["100 g", "250 g", "500 g", "1 kg", "350 ml", "hộp 10 gói"]
COMMUNES = ["Đăk Hà", "Đăk Mar", "Đăk Ui", "Đăk Pxi", "Ngọc Wang", "Ngọc Réo", "Đăk La",
            "Hà Mòn", "Đăk Long", "Đăk Ngọk"]
GROUPS = {
    "Thực phẩm": ["Cà phê", "Mật ong", "Gạo", "Hạt", "Đặc sản", "Gia vị"],
    "Đồ uống và trà": ["Trà", "Đồ uống"],
    "Dược liệu và thủ công": ["Dược liệu", "Thủ công"],
}
PRODUCERS = 60
BATCH = 2000


def scratch_url(url, reuse=False):
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("catalogue_scale.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/") + SUFFIX
    return urlunsplit(parts._replace(path="/" + name)), name, parts


def admin_execute(parts, sql):
    import psycopg

    url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 10_000, 100_000])
    parser.add_argument("--n", type=int, default=20, help="timed requests per page and size")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a kept scratch database as it is (sizes: what it holds)")
    parser.add_argument("--explain", action="store_true", help="print the search query's plan")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    url, name, parts = scratch_url(base)
    if not args.reuse:
        admin_execute(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_execute(parts, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    media = tempfile.mkdtemp(prefix="catscale-media-")
    os.environ["MEDIA_ROOT"] = media
    print(f"scratch database: {name} (from DATABASE_URL); media: {media}")

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log, no template debug info

    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            import shutil

            shutil.rmtree(media, ignore_errors=True)
        if not args.keep and not args.reuse:
            admin_execute(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")
        else:
            print(f"kept {name}: DATABASE_URL={url} MEDIA_ROOT={media}")


def run(args):
    from django.core.management import call_command
    from django.db import connection
    from oscar.core.loading import get_model

    from shop.core.progress import Progress, format_table

    Product = get_model("catalogue", "Product")
    progress = Progress(write=lambda text, ending="\n": print(text, end=ending, flush=True),
                        tty=sys.stdout.isatty())
    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        progress.note(f"migrated in {time.perf_counter() - started:.0f} s")
        world = make_world(progress)
    else:
        world = None

    results = {}
    sizes = sorted(args.sizes) if not args.reuse else [Product.objects.count()]
    for size in sizes:
        if world is not None:
            started = time.perf_counter()
            grow(world, size, progress)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            progress.note(f"catalogue of {size} products ready in "
                          f"{time.perf_counter() - started:.0f} s (VACUUM ANALYZE included)")
        results[size] = measure_pages(args, progress)
        if args.explain:
            explain_search()

    smallest = sizes[0]
    headers = ["page", *[f"{size:,}: ms  q  ×{smallest}  SQL ms  cards" for size in sizes]]
    rows = []
    for page in results[smallest]:
        row = [page]
        for size in sizes:
            ms, queries, sql_ms, cards = results[size][page]
            ratio = ms / results[smallest][page][0]
            row.append(f"{ms:6.1f}  {queries:>2}  {ratio:4.2f}×  {sql_ms:5.1f}  {cards:>2}")
        rows.append(row)
    print()
    print(f"median of {args.n} requests after {args.warmup} warm-up, Django test client, "
          "DEBUG off; q = queries; SQL ms = median time spent in queries; cards = products "
          "shown (a page shows up to 24)")
    print(format_table(headers, rows))


def make_world(progress):
    """Communes, producers, product groups and a product class, through the test factories."""
    from catalogue.search import slugify
    from tests import factories

    rng = random.Random(16)
    units = [factories.make_unit(name, code=f"scale-{slugify(name)}") for name in COMMUNES]
    producers = []
    for i in range(PRODUCERS):
        commune = units[i % len(units)]
        kind = KINDS[i % len(KINDS)][1]
        producers.append(factories.make_vendor(
            f"HTX {kind} {commune.name} {i + 1}", commune=commune,
            story=f"Hợp tác xã của xã {commune.name}.",
        ))
    groups, leaves = {}, {}
    for group, children in GROUPS.items():
        groups[group] = factories.make_category(group)
        for child in children:
            leaves[child] = factories.make_category(child, parent=groups[group])
    progress.step("communes", len(units), len(units))
    progress.step("producers", len(producers), len(producers))
    progress.step("product groups", len(groups) + len(leaves), len(groups) + len(leaves))
    photos = [save_photo(i) for i in range(8)]
    return {
        "rng": rng, "units": units, "producers": producers, "leaves": leaves,
        "groups": groups, "class": factories.product_class(), "photos": photos,
    }


def save_photo(i):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.factories import jpeg_bytes

    colour = (30 * i % 255, 110, 60 + 20 * i % 195)
    return default_storage.save(f"images/products/scale/{i}.jpg",
                                ContentFile(jpeg_bytes((400, 400), colour)))


def grow(world, size, progress):
    """Add products until the catalogue holds ``size`` of them (bulk, batch by batch)."""
    from django.db import transaction
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    have = Product.objects.count()
    done = have
    while done < size:
        count = min(BATCH, size - done)
        with transaction.atomic():
            add_batch(world, done, count)
        done += count
        progress.bar(f"products → {size:,}", done - have, size - have)
    progress.step(f"products ({size:,})", done, done - have)


def add_batch(world, start, count):
    import datetime

    from oscar.core.loading import get_model

    from catalogue import certification
    from catalogue.barcodes import internal_code
    from catalogue.search import product_search_text, slugify

    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ProductImage = get_model("catalogue", "ProductImage")
    StockRecord = get_model("partner", "StockRecord")
    OcopCertificate = get_model("catalogue", "OcopCertificate")

    rng = world["rng"]
    today = datetime.date.today()
    products, kinds = [], []
    for n in range(start, start + count):
        title, leaf, description = KINDS[n % len(KINDS)]
        producer = world["producers"][rng.randrange(len(world["producers"]))]
        certified = n % 3 == 0
        stars = 3 + n % 3 if certified else None
        product = Product(
            title=f"{title} {producer.commune.name} {SIZES_TEXT[n % len(SIZES_TEXT)]}",
            structure=Product.STANDALONE, product_class=world["class"], is_public=True,
            producer=producer, origin_unit=producer.commune, ocop_stars=stars,
            upc=internal_code(1_000_000 + n), description=description,
        )
        product.slug = slugify(product.title)[:128]
        product.search_text = product_search_text(product)
        products.append(product)
        kinds.append((leaf, certified, stars))
    Product.objects.bulk_create(products, batch_size=BATCH)
    records, links, images, certificates = [], [], [], []
    for i, (product, (leaf, certified, stars)) in enumerate(zip(products, kinds, strict=True)):
        n = start + i
        records.append(StockRecord(
            product=product, partner=product.producer.partner, partner_sku=f"SC-{n}",
            price=Decimal(20_000 + 1_000 * rng.randrange(400)), price_currency="VND",
            num_in_stock=rng.randrange(0, 200),
        ))
        links.append(ProductCategory(product=product, category=world["leaves"][leaf]))
        if n % 7 == 0:  # some products sit in a second group too
            other = world["leaves"][KINDS[(n + 3) % len(KINDS)][1]]
            if other != world["leaves"][leaf]:
                links.append(ProductCategory(product=product, category=other))
        images.append(ProductImage(product=product, original=world["photos"][n % 8],
                                   display_order=0))
        if certified:
            decision = today - datetime.timedelta(days=30 + n % 600)
            certificates.append(OcopCertificate(
                product=product, stars=stars, score={3: 60, 4: 80, 5: 95}[stars],
                rating_level={3: "district", 4: "province", 5: "national"}[stars],
                certifying_body="UBND tỉnh Kon Tum", decision_number=f"{n}/QĐ-UBND",
                decision_date=decision, valid_until=certification.valid_until(decision),
            ))
    StockRecord.objects.bulk_create(records, batch_size=BATCH)
    ProductCategory.objects.bulk_create(links, batch_size=BATCH)
    ProductImage.objects.bulk_create(images, batch_size=BATCH)
    OcopCertificate.objects.bulk_create(certificates, batch_size=BATCH)


def pages():
    from django.urls import reverse
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    group = Category.objects.get(name="Thực phẩm", depth=1)
    product = Product.objects.order_by("pk")[20]  # one of the first 40, in every size
    search = reverse("search:search")
    return {
        "home": reverse("home"),
        "browse": reverse("catalogue:index"),
        "browse page 2, by price": reverse("catalogue:index") + "?sort_by=price_asc&page=2",
        "category (group)": group.get_absolute_url(),
        "search 'dak' (most)": search + "?q=%C4%91%C4%83k",
        "search 'ca phe robusta' (5%)": search + "?q=ca+phe+robusta",
        "search 'mật ong rừng' (5%)": search + "?q=m%E1%BA%ADt+ong+r%E1%BB%ABng",
        "product": product.get_absolute_url(),
    }


def measure_pages(args, progress):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for label, url in pages().items():
        for _ in range(args.warmup):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times, sql_times = [], []
        for _ in range(args.n):
            in_sql = [0.0]
            with connection.execute_wrapper(_timed(in_sql)):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            sql_times.append(in_sql[0] * 1000)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        cards = response.content.decode().count('class="product_pod')
        results[label] = (statistics.median(times), len(ctx.captured_queries),
                          statistics.median(sql_times), cards)
        progress.note(f"    {label:<30} {results[label][0]:7.1f} ms  {results[label][1]} queries"
                      f"  {results[label][2]:6.1f} ms in SQL  {cards} product cards")
    return results


def _timed(total):
    """An execute wrapper adding each query's wall time to ``total[0]``."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            total[0] += time.perf_counter() - started

    return wrapper


def explain_search():
    from django.db import connection

    from catalogue.browsing import apply_filters, browsable_products

    queryset = apply_filters(browsable_products(), {"q": "ca phe robusta"})
    count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
    page_sql, page_params = queryset[:24].query.sql_with_params()
    for title, sql, params in (
        ("count", f"SELECT COUNT(*) FROM ({count_sql}) AS c", count_params),
        ("first page", page_sql, page_params),
    ):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            print(f"  -- plan of the search's {title}:")
            for (line,) in cursor.fetchall():
                print("     ", line)


if __name__ == "__main__":
    main()
