"""Load bench: drives a RUNNING shop over real HTTP and prints a table per step.

Run by hand, not a test. It starts nothing: point it at a server that serves
the demo data (``make demo`` / ``manage.py load_demo``), and run it with the
server's ``DATABASE_URL`` (it restocks and checks the books through
``manage.py``, on that database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_load \\
        .venv/bin/python bench/load.py --url http://127.0.0.1:8765 --users 8 --seconds 60

The mix (each online user is a thread with its own HTTP session, cookies
and CSRF token, looping until the time is up):

* browsing: the home page, a category, a product page (weight 5);
* search: accent-insensitive queries such as "sam ngoc linh", "ca phe" (weight 2;
  a result page without a product is counted, not an error);
* buying (weight 1): the add-to-basket form of a product page with the CSRF
  token the page gives, the basket, then the web checkout as a guest, page by
  page: gateway (guest email), address (province and ward), shipping method
  (delivery), payment method ``cod``, preview, place order, thank-you page;
* till sales at three registers (``--registers``, one thread each): the
  cashier signs in at ``/pos/login/``, takes the register's open session or
  opens one (``POST /pos/api/registers/<id>/sessions/``) and commits sales of
  1–3 lines through ``POST /pos/api/registers/<id>/sales/`` with a fresh
  ``client_uuid`` (the idempotency key); every tenth sale is sent a second time
  with the same key and must come back ``200`` with ``created: false``.

Before the run it tops up the stock of every sellable product (not combos) at
every location to ``--restock`` units through ``showroom.inventory.receive``
(``manage.py shell -c``), so buyers and tills are never refused for stock and
the bench can be run again and again; ``--restock 0`` skips it.

After the run it checks the books: ``manage.py check_inventory`` (the
inventory invariants, ``showroom.inventory.check_invariants``) must pass, and
no stock row may newly hold more for online orders than it has on hand, or
newly go below zero, and no Oscar stock record may newly allocate more than
it has — those are the oversells. Errors (a failed request, an unexpected
status or page) must be 0; the exit status is 1 otherwise.

The HTTP client is ``requests`` (already installed with the project) in
threads: ``--users`` bounds the online concurrency, ``--seconds`` the time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
MANAGE = ROOT / "manage.py"

SEARCHES = ["sam ngoc linh", "ca phe", "mat ong", "ruou", "tra", "dak ha", "mang"]
# The demo's cashiers (shop/demo/data.py) and their passwords.
DEMO_CASHIERS = ["cashier_showcase:ThuNgan@TT1", "cashier_dakmar:ThuNgan@DM2",
                 "cashier_ngokwang:ThuNgan@NW3"]
ADDRESS = {
    "fulfilment": "delivery",
    "full_name": "Khách Thử Tải",
    "phone": "0912 345 678",
    "province": "51",  # Quảng Ngãi (Kon Tum merged into it in 2025)
    "ward": "23500",  # Xã Đăk Hà
    "line1": "12 Hùng Vương",
    "notes": "",
}
# Words of the pages that refuse for stock (the inventory's and Oscar's messages).
STOCK_WORDS = ("không đủ hàng", "hết hàng", "không còn có sẵn", "không có sẵn", "không sẵn có",
               "không tồn tại tồn kho", "có thể được mua")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PRODUCT_LINK_RE = re.compile(r'href="/catalogue/[^"/]+_\d+/"')
CATEGORY_RE = re.compile(r'href="(/catalogue/category/[^"#?]+/)"')
TIMEOUT = 60


class BenchError(Exception):
    """A request that did not do what the shop should do (counted as an error)."""


class StockRefused(Exception):
    """The shop refused the order for stock: not an error (the buyer was told why)."""


# --- statistics ---------------------------------------------------------------


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class Stats:
    """Durations and errors per step, shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples = []  # the first few errors, to say what went wrong
        self.counters = defaultdict(int)

    def add(self, step, ms):
        with self.lock:
            self.times[step].append(ms)

    def error(self, step, message):
        with self.lock:
            self.errors[step] += 1
            if len(self.samples) < 8:
                self.samples.append(f"{step}: {message}")

    def count(self, name, n=1):
        with self.lock:
            self.counters[name] += n

    @property
    def total_errors(self):
        return sum(self.errors.values())

    def table(self, seconds, order=None):
        steps = list(order or [])
        steps += sorted(s for s in set(self.times) | set(self.errors) if s not in steps)
        rows = [("step", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")]
        for step in steps:
            times = self.times.get(step, [])
            if not times and not self.errors.get(step):
                continue
            rows.append((step, str(len(times)), f"{len(times) / seconds:.1f}",
                         f"{percentile(times, 50):.0f}", f"{percentile(times, 95):.0f}",
                         f"{percentile(times, 99):.0f}", str(self.errors.get(step, 0))))
        every = [t for ts in self.times.values() for t in ts]
        rows.append(("all", str(len(every)), f"{len(every) / seconds:.1f}",
                     f"{percentile(every, 50):.0f}", f"{percentile(every, 95):.0f}",
                     f"{percentile(every, 99):.0f}", str(self.total_errors)))
        return format_rows(rows)


def format_rows(rows):
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- one HTTP session ---------------------------------------------------------


class Browser:
    """One visitor: a ``requests.Session`` (cookies, CSRF token) timing every request."""

    def __init__(self, base_url, stats):
        self.base = base_url.rstrip("/")
        self.stats = stats
        self.http = requests.Session()
        self.csrf = ""
        self.followed = None  # status of the page a refusal led to
        self.last = self.base + "/"  # the page the next form is posted from (Referer)

    def url(self, path):
        return urljoin(self.base + "/", path.lstrip("/"))

    def request(self, step, method, path, expect=(200,), **kwargs):
        """One timed request; raises BenchError when the status is not expected."""
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", TIMEOUT)
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.url(path), **kwargs)
        except requests.RequestException as error:
            self.stats.add(step, (time.perf_counter() - started) * 1000)
            raise BenchError(f"{method} {path}: {error.__class__.__name__}: {error}") from None
        self.stats.add(step, (time.perf_counter() - started) * 1000)
        if response.status_code not in expect:
            raise BenchError(f"{method} {path}: HTTP {response.status_code} "
                             f"{response.text[:200]!r}")
        return response

    def page(self, step, path, expect=(200,)):
        """GET a page and keep the CSRF token its forms carry."""
        response = self.request(step, "GET", path, expect=expect)
        self.last = self.url(path)
        found = CSRF_RE.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def form(self, step, path, data, expect=(302,)):
        return self.request(step, "POST", path, data={"csrfmiddlewaretoken": self.csrf, **data},
                            expect=expect, headers={"Referer": self.last})

    def api(self, step, method, path, body=None, expect=(200, 201)):
        token = self.http.cookies.get("csrftoken", "")
        return self.request(step, method, path, json=body, expect=expect,
                            headers={"X-CSRFToken": token, "Referer": self.url(path)})

    def text_after(self, response):
        """The page a refused POST leads to (following its redirects), lower-cased."""
        if response.is_redirect:
            response = self.http.get(self.url(response.headers["Location"]), timeout=TIMEOUT)
        self.followed = response.status_code
        return response.text.lower()


def location_path(response):
    return urlsplit(response.headers.get("Location", "")).path


def refused(browser, response, what):
    """An answer that is not the next step: a refusal for stock when the page it leads
    to says so (StockRefused), anything else an error (BenchError)."""
    try:
        text = browser.text_after(response)
    except requests.RequestException as error:
        raise BenchError(f"{what}: {error}") from None
    if any(word in text for word in STOCK_WORDS):
        raise StockRefused(what)
    raise BenchError(f"{what}: HTTP {response.status_code} → {location_path(response)!r} "
                     f"(HTTP {browser.followed})")


def walk(browser, step, path, data, then):
    """GET the checkout page ``path`` (its CSRF token), POST ``data`` to it; the answer
    must redirect to ``then``. A page or answer leading elsewhere: ``refused``."""
    page = browser.page(step, path, expect=(200, 302))
    if page.status_code != 200:
        refused(browser, page, f"GET {path}")
    answer = browser.form(f"{step}-post", path, data, expect=(200, 302))
    if answer.status_code != 302 or location_path(answer) != then:
        refused(browser, answer, f"POST {path}")


def buy(browser, product, email, prefix=""):
    """Add one unit of ``product`` to the basket and check out as a guest with COD.

    Returns the order's thank-you page path; raises StockRefused when the shop
    refuses for stock (the product page has no basket form any more, or a step
    leads back with a message that the stock is short), BenchError on anything
    else unexpected."""
    p = prefix
    add = f"/basket/add/{product['product']}/"
    page = browser.page(f"{p}product", product["url"])
    if add not in page.text:
        if any(word in page.text.lower() for word in STOCK_WORDS):
            raise StockRefused(product["title"])
        raise BenchError(f"{product['url']} has no add-to-basket form")
    # Oscar sends the buyer back to the page the form was on, added or refused:
    # the basket page tells which (the product's line, or the message why not).
    browser.form(f"{p}basket-add", add, {"quantity": 1})
    basket = browser.page(f"{p}basket", "/basket/")
    if product["url"] not in basket.text:
        refused(browser, basket, "the basket does not show the product")
    gateway = browser.page(f"{p}checkout-gateway", "/checkout/", expect=(200, 302))
    if gateway.status_code == 200:
        answer = browser.form(f"{p}checkout-gateway-post", "/checkout/",
                              {"username": email, "options": "anonymous"}, expect=(200, 302))
        if location_path(answer) != "/checkout/shipping-address/":
            refused(browser, answer, "POST /checkout/")
    walk(browser, f"{p}checkout-address", "/checkout/shipping-address/", ADDRESS,
         "/checkout/shipping-method/")
    walk(browser, f"{p}checkout-shipping", "/checkout/shipping-method/",
         {"method_code": "delivery"}, "/checkout/payment-method/")
    walk(browser, f"{p}checkout-payment", "/checkout/payment-method/", {"method": "cod"},
         "/checkout/preview/")
    preview = browser.page(f"{p}checkout-preview", "/checkout/preview/", expect=(200, 302))
    if preview.status_code != 200:
        refused(browser, preview, "GET /checkout/preview/")
    response = browser.form(f"{p}place-order", "/checkout/preview/", {"action": "place_order"},
                            expect=(200, 302))
    where = location_path(response)
    if response.status_code == 302 and where.startswith("/checkout/thank-you"):
        browser.page(f"{p}thank-you", where)
        return where
    refused(browser, response, "place order")


# --- the database side, through manage.py --------------------------------------

PROBLEMS = r"""
def stock_problems():
    from django.db.models import F
    from oscar.core.loading import get_model
    from showroom.models import Stock
    StockRecord = get_model("partner", "StockRecord")
    return {
        "over_allocated": sorted(Stock.objects.filter(quantity_allocated__gt=F("quantity"))
                                 .values_list("pk", flat=True)),
        "negative": sorted(Stock.objects.filter(quantity__lt=0).values_list("pk", flat=True)),
        "record_over_allocated": sorted(
            StockRecord.objects.filter(num_allocated__gt=F("num_in_stock"))
            .values_list("pk", flat=True)),
    }
"""

RESTOCK = PROBLEMS + r"""
import json, os
from oscar.core.loading import get_model
from showroom import inventory
from showroom.inventory import COMBO_CLASS_SLUG
from showroom.models import Location, Stock
args = json.loads(os.environ["BENCH_ARGS"])
StockRecord = get_model("partner", "StockRecord")
records = (StockRecord.objects.select_related("product", "product__product_class")
           .filter(product__structure="standalone", product__is_public=True,
                   product__product_class__track_stock=True, price__gt=0)
           .exclude(product__product_class__slug=COMBO_CLASS_SLUG).order_by("product_id", "pk"))
if args.get("products"):
    records = records.filter(product_id__in=args["products"])
chosen, seen = [], set()
for record in records:
    if record.product_id not in seen:
        seen.add(record.product_id)
        chosen.append(record)
if args.get("limit"):
    chosen = chosen[:args["limit"]]
target = args.get("target") or 0
received = 0
for location in Location.objects.order_by("priority", "pk"):
    stocks = {s.stockrecord_id: s for s in Stock.objects.filter(location=location,
                                                                 stockrecord__in=chosen)}
    lines, counts = [], []
    for record in chosen:
        stock = stocks.get(record.pk)
        available = stock.quantity - stock.quantity_allocated if stock else 0
        if available < target:
            lines.append((record, target - available))
        elif args.get("exact") and available > target:
            counts.append((record, stock.quantity_allocated + target))
    if lines:
        inventory.receive(location, lines, reference="BENCH-RESTOCK", note="bench")
        received += sum(q for _r, q in lines)
    if counts:
        inventory.apply_count(location, counts, reason="bench: stock set to --stock")
print("BENCH-JSON " + json.dumps({"received": received, "problems": stock_problems(),
                                   "products": [
    {"product": r.product_id, "stockrecord": r.pk, "url": r.product.get_absolute_url(),
     "title": r.product.get_title()} for r in chosen]}))
"""

CHECK = PROBLEMS + r"""
import io, json
from django.core.management import call_command
from django.core.management.base import CommandError
out, err = io.StringIO(), io.StringIO()
try:
    call_command("check_inventory", stdout=out, stderr=err)
    ok = True
except CommandError as error:
    ok = False
    err.write(str(error))
print("BENCH-JSON " + json.dumps({"ok": ok, "output": (out.getvalue() + err.getvalue()).strip(),
                                   "problems": stock_problems()}))
"""


def manage(*args, env=None):
    """Run ``manage.py`` with this process's environment (the server's DATABASE_URL)."""
    return subprocess.run([sys.executable, str(MANAGE), *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def shell_json(code, args=None):
    result = manage("shell", "-c", code, env={"BENCH_ARGS": json.dumps(args or {})})
    for line in result.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON "):])
    raise SystemExit(f"manage.py shell failed ({result.returncode}):\n{result.stderr[-3000:]}")


def restock(target, products=None, limit=None, exact=False):
    """Top up the products' stock at every location to ``target`` available units
    (``exact``: also count it down to ``target``, an adjustment through
    ``showroom.inventory.apply_count``).

    Returns ``{"received", "products": [...], "problems"}``, ``problems`` being the
    stock rows already over-allocated or negative before the run."""
    return shell_json(RESTOCK, {"target": target, "products": products, "limit": limit,
                                "exact": exact})


def check_books(before):
    """``(invariants_ok, oversells, lines to print)`` after a run, against ``before``.

    ``manage.py check_inventory`` (``showroom.inventory.check_invariants``) must
    pass; an oversell is a stock row newly over-allocated or negative, or an
    Oscar stock record newly allocating more than it has."""
    result = shell_json(CHECK)
    after = result["problems"]
    oversells = sum(len(set(after[key]) - set(before[key])) for key in after)
    lines = [f"check_inventory: {'OK' if result['ok'] else 'FAILED'}: "
             f"{result['output'].splitlines()[-1] if result['output'] else ''}"]
    for key in after:
        new = sorted(set(after[key]) - set(before[key]))
        lines.append(f"{key}: {len(after[key])} rows ({len(new)} new"
                     f"{': ' + str(new[:10]) if new else ''})")
    return result["ok"], oversells, lines


# --- the users ---------------------------------------------------------------


def discover(base_url, stats):
    """Category pages linked from the home page."""
    browser = Browser(base_url, stats)
    home = browser.page("discover", "/")
    categories = sorted(set(CATEGORY_RE.findall(home.text)))
    return categories or ["/catalogue/"]


def online_user(n, base_url, stats, stop, products, categories, weights):
    browser = Browser(base_url, stats)
    rng = random.Random(n)
    while not stop.is_set():
        kind = rng.choices(["browse", "search", "buy"], weights=weights)[0]
        try:
            if kind == "browse":
                browser.page("home", "/")
                browser.page("category", rng.choice(categories))
                browser.page("product", rng.choice(products)["url"])
            elif kind == "search":
                found = browser.page("search", "/search/?q=" + rng.choice(SEARCHES).replace(" ", "+"))
                if not PRODUCT_LINK_RE.search(found.text):
                    stats.count("searches without a result")
            else:
                buy(browser, rng.choice(products), f"load{n}@example.vn")
                stats.count("orders")
        except StockRefused:
            stats.count("refused for stock")
            browser = Browser(base_url, stats)
        except (BenchError, ValueError, KeyError) as error:
            stats.error(kind, str(error))
            browser = Browser(base_url, stats)  # start again with a clean session


def till_user(n, base_url, stats, stop, cashier, offers_wanted, ready, setup_stats):
    """One cashier at one register: sign in, take/open the session, ring up sales."""
    username, password = cashier.split(":", 1)
    browser = Browser(base_url, setup_stats)  # signing in is not part of the measured mix
    try:
        browser.page("till-login", "/pos/login/")
        response = browser.form("till-login-post", "/pos/login/",
                                {"username": username, "password": password})
        if location_path(response).startswith("/pos/login"):
            raise BenchError(f"{username} could not sign in")
        registers = browser.api("till-registers", "GET", "/pos/api/registers/").json()["registers"]
        if not registers:
            raise BenchError(f"{username} has no register")
        register = registers[n % len(registers)]
        session = register["open_session"]
        if session is None:
            session = browser.api("till-session-open", "POST",
                                  f"/pos/api/registers/{register['id']}/sessions/",
                                  {"opening_float": 500000}, expect=(201,)).json()
        catalogue = browser.api("till-catalogue", "GET",
                                f"/pos/api/registers/{register['id']}/catalogue/").json()["offers"]
        offers = [o for o in catalogue if o["stockrecord"] in offers_wanted and o["price"] > 0]
        if not offers:
            raise BenchError(f"register {register['code']}: no restocked offer in its catalogue")
    except (BenchError, ValueError, KeyError) as error:
        stats.error("till-setup", str(error))
        ready.wait()
        return
    browser.stats = stats
    ready.wait()
    rng = random.Random(1000 + n)
    sales = 0
    path = f"/pos/api/registers/{register['id']}/sales/"
    while not stop.is_set():
        picked = rng.sample(offers, min(len(offers), rng.randint(1, 3)))
        total = sum(o["price"] for o in picked)
        body = {
            "client_uuid": str(uuid.uuid4()), "session": session["id"],
            "lines": [{"stockrecord": o["stockrecord"], "quantity": 1, "unit_price": o["price"]}
                      for o in picked],
            "tenders": [{"kind": "cash", "tendered": (total // 10000 + 1) * 10000}],
            "client_total": total,
        }
        try:
            browser.api("till-lookup", "GET",
                        f"/pos/api/registers/{register['id']}/lookup/?q="
                        + picked[0]["search"].split()[0])
            result = browser.api("till-sale", "POST", path, body, expect=(201,)).json()
            sales += 1
            stats.count("till sales")
            if sales % 10 == 0:
                again = browser.api("till-sale-replay", "POST", path, body, expect=(200,)).json()
                if again.get("created") is not False or again.get("id") != result.get("id"):
                    raise BenchError("the same client_uuid made a second sale")
        except (BenchError, ValueError, KeyError) as error:
            stats.error("till", str(error))


STEP_ORDER = [
    "home", "category", "product", "search", "basket-add", "basket", "checkout-gateway",
    "checkout-gateway-post", "checkout-address", "checkout-address-post", "checkout-shipping",
    "checkout-shipping-post", "checkout-payment", "checkout-payment-post", "checkout-preview",
    "place-order", "thank-you", "till-lookup", "till-sale", "till-sale-replay",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running shop")
    parser.add_argument("--users", type=int, default=8, help="online users (threads)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to drive the load")
    parser.add_argument("--registers", type=int, default=3, help="till threads (0 = no till)")
    parser.add_argument("--cashiers", default=",".join(DEMO_CASHIERS),
                        help="user:password of each register's cashier, comma-separated")
    parser.add_argument("--mix", default="5,2,1", help="weights of browse,search,buy")
    parser.add_argument("--restock", type=int, default=1000,
                        help="top up every sellable product at every location to this many "
                             "units first (0 = leave the stock as it is)")
    args = parser.parse_args(argv)
    if args.users < 0 or args.seconds <= 0 or args.registers < 0:
        parser.error("--users and --registers must be ≥ 0 and --seconds > 0")
    try:
        args.weights = [float(w) for w in args.mix.split(",")]
        assert len(args.weights) == 3 and sum(args.weights) > 0
    except (ValueError, AssertionError):
        parser.error("--mix takes three weights: browse,search,buy")
    args.cashier_list = [c for c in args.cashiers.split(",") if c]
    if args.registers > len(args.cashier_list) or any(":" not in c for c in args.cashier_list):
        parser.error("--cashiers needs one user:password per register")
    return args


def main(argv=None):
    args = parse_args(argv)
    stats, setup_stats = Stats(), Stats()
    stock = restock(args.restock)
    products = stock["products"]
    if not products:
        raise SystemExit("no sellable product: is the demo loaded (manage.py load_demo)?")
    before = stock["problems"]
    categories = discover(args.url, setup_stats)
    print(f"{args.url}: {len(products)} products (restocked {stock['received']} units), "
          f"{len(categories)} categories; {args.users} online users, {args.registers} registers, "
          f"{args.seconds:g} s")
    stop, ready = threading.Event(), threading.Barrier(args.registers + 1)
    threads = [threading.Thread(target=till_user, daemon=True, args=(
        n, args.url, stats, stop, args.cashier_list[n], {p["stockrecord"] for p in products},
        ready, setup_stats)) for n in range(args.registers)]
    for thread in threads:
        thread.start()
    ready.wait()  # the cashiers have signed in and opened their sessions
    started = time.perf_counter()
    online = [threading.Thread(target=online_user, daemon=True, args=(
        n, args.url, stats, stop, products, categories, args.weights)) for n in range(args.users)]
    for thread in online:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in threads + online:
        thread.join(timeout=TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    print()
    print(stats.table(elapsed, STEP_ORDER))
    invariants_ok, oversells, lines = check_books(before)
    print()
    print(f"orders placed: {stats.counters['orders']}, till sales: {stats.counters['till sales']}, "
          f"refused for stock: {stats.counters['refused for stock']}, searches without a result: "
          f"{stats.counters['searches without a result']}, in {elapsed:.1f} s")
    for line in lines:
        print(line)
    print(f"errors: {stats.total_errors} (goal 0)   oversells: {oversells} (goal 0)   "
          f"invariants: {'clean' if invariants_ok else 'BROKEN'}")
    for sample in stats.samples:
        print("  error:", sample)
    ok = stats.total_errors == 0 and oversells == 0 and invariants_ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
