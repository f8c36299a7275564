"""Hot-SKU bench: N buyers on ONE product against N buyers on N products, over real HTTP.

Run by hand, not a test. It starts nothing: point it at a running shop with
the demo data, and run it with the server's ``DATABASE_URL`` (it restocks and
checks the books through ``manage.py`` on that database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_load \\
        .venv/bin/python bench/hot_sku.py --url http://127.0.0.1:8765 --buyers 8 --seconds 30

Each buyer is a thread with its own HTTP session that places guest orders
with cash on delivery through the web checkout, one unit per order (product
page, add-to-basket form, basket, gateway, address, shipping method, payment
method ``cod``, preview, place order: ``load.buy``), again and again for
``--seconds`` (or ``--orders`` orders each). Two phases, the same buyers and
time each:

* **spread**: buyer *i* buys product *i* (N different products);
* **hot**: every buyer buys the first of those products.

Every order takes the product's stock rows under a row lock; the goal is that
the hot phase reaches at least 80 % of the spread phase's orders per second
(the lock is held briefly). ``--rounds`` repeats the pair and sums them, the
even rounds in the other order (hot, then spread), which evens out a machine
whose load changes.

Before it starts it tops up the N products at every location to ``--stock``
available units through ``showroom.inventory.receive`` (``manage.py shell
-c``), so it can be run again and again. With a small ``--stock`` (say 20) the
hot phase runs the product out (``--exact`` first counts the surplus down to
``--stock`` through ``showroom.inventory.apply_count``): those orders are
refused for stock (counted, not errors), and none may be sold twice over.

It prints orders/s per phase, the time of a whole order and of the
place-order request (p50/p95), refusals for stock, errors (goal 0) and
oversells (goal 0: ``manage.py check_inventory`` passes and no stock row newly
holds more than it has), and the ratio hot / spread (goal ≥ 0.80). Exit
status 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: the HTTP visitor, the checkout walk, the books)

GOAL = 0.80


def run_phase(name, base_url, products, buyers, seconds, orders_each):
    """Buyers in threads, buyer ``i`` buying ``products[i % len(products)]``; returns the result."""
    stats = load.Stats()
    order_times = []
    lock = threading.Lock()
    stop = threading.Event()
    start = threading.Barrier(buyers + 1)

    def buyer(i):
        browser = load.Browser(base_url, stats)
        product = products[i % len(products)]
        start.wait()
        done = 0
        while not stop.is_set() and (orders_each is None or done < orders_each):
            began = time.perf_counter()
            try:
                load.buy(browser, product, f"{name}{i}@example.vn")
            except load.StockRefused:
                stats.count("refused")
                browser = load.Browser(base_url, stats)
            except (load.BenchError, ValueError, KeyError) as error:
                stats.error(name, str(error))
                browser = load.Browser(base_url, stats)
            else:
                with lock:
                    order_times.append((time.perf_counter() - began) * 1000)
                stats.count("orders")
            done += 1

    threads = [threading.Thread(target=buyer, args=(i,), daemon=True) for i in range(buyers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    if orders_each is None:
        time.sleep(seconds)
        stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"name": name, "stats": stats, "orders": stats.counters["orders"],
            "refused": stats.counters["refused"], "errors": stats.total_errors,
            "seconds": elapsed, "order_times": order_times,
            "place": stats.times.get("place-order", [])}


def merge(results):
    first = results[0]
    return {
        "name": first["name"],
        "orders": sum(r["orders"] for r in results),
        "refused": sum(r["refused"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "seconds": sum(r["seconds"] for r in results),
        "order_times": [t for r in results for t in r["order_times"]],
        "place": [t for r in results for t in r["place"]],
        "samples": [s for r in results for s in r["stats"].samples],
        "steps": {step: [t for r in results for t in r["stats"].times.get(step, [])]
                  for step in load.STEP_ORDER},
    }


def step_table(spread, hot):
    """p50/p95 of each request of the checkout walk in both phases: where the time goes."""
    rows = [("step", "spread p50", "spread p95", "hot p50", "hot p95")]
    for step in load.STEP_ORDER:
        if spread["steps"][step] or hot["steps"][step]:
            rows.append((step, *(f"{load.percentile(r['steps'][step], pct):.0f}"
                                 for r in (spread, hot) for pct in (50, 95))))
    return load.format_rows(rows)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running shop")
    parser.add_argument("--buyers", type=int, default=8, help="N: buyers (threads) and products")
    parser.add_argument("--seconds", type=float, default=30, help="time of each phase")
    parser.add_argument("--orders", type=int, default=None,
                        help="instead of a time: orders per buyer in each phase")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of phases (spread, hot)")
    parser.add_argument("--stock", type=int, default=5000,
                        help="available units of each product at each location before the run")
    parser.add_argument("--exact", action="store_true",
                        help="set the stock to exactly --stock (counting surplus down) instead "
                             "of only topping it up: with a small --stock, to see refusals")
    parser.add_argument("--steps", action="store_true",
                        help="also print p50/p95 of each request of the walk, per phase (ms)")
    args = parser.parse_args(argv)
    if args.buyers < 1 or args.seconds <= 0 or args.rounds < 1 or args.stock < 0:
        parser.error("--buyers and --rounds must be ≥ 1, --seconds > 0, --stock ≥ 0")
    if args.orders is not None and args.orders < 1:
        parser.error("--orders must be ≥ 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    stock = load.restock(args.stock, limit=args.buyers, exact=args.exact)
    products = stock["products"]
    if len(products) < args.buyers:
        raise SystemExit(f"{args.buyers} buyers need {args.buyers} sellable products; the shop "
                         f"has {len(products)} (is the demo loaded?)")
    before = stock["problems"]
    budget = f"{args.orders} orders each" if args.orders else f"{args.seconds:g} s"
    print(f"{args.url}: {args.buyers} buyers, {budget} per phase, {args.rounds} round(s); "
          f"hot product: {products[0]['title']} ({products[0]['url']}); "
          f"restocked {stock['received']} units")
    phases = {"spread": [], "hot": []}
    for round_ in range(args.rounds):
        order = ["spread", "hot"] if round_ % 2 == 0 else ["hot", "spread"]
        for name in order:
            phases[name].append(run_phase(name, args.url, products if name == "spread"
                                          else products[:1], args.buyers, args.seconds,
                                          args.orders))
    spread, hot = merge(phases["spread"]), merge(phases["hot"])
    rows = [("phase", "products", "orders", "orders/s", "order p50 ms", "order p95 ms",
             "place p50 ms", "place p95 ms", "refused (stock)", "errors")]
    for result, count in ((spread, args.buyers), (hot, 1)):
        result["rate"] = result["orders"] / result["seconds"] if result["seconds"] else 0.0
        rows.append((result["name"], str(count), str(result["orders"]), f"{result['rate']:.2f}",
                     f"{load.percentile(result['order_times'], 50):.0f}",
                     f"{load.percentile(result['order_times'], 95):.0f}",
                     f"{load.percentile(result['place'], 50):.0f}",
                     f"{load.percentile(result['place'], 95):.0f}",
                     str(result["refused"]), str(result["errors"])))
    print()
    print(load.format_rows(rows))
    if args.steps:
        print()
        print(step_table(spread, hot))
    ratio = hot["rate"] / spread["rate"] if spread["rate"] else 0.0
    invariants_ok, oversells, lines = load.check_books(before)
    print()
    for line in lines:
        print(line)
    errors = spread["errors"] + hot["errors"]
    print(f"hot / spread: {ratio:.2f} (goal ≥ {GOAL:.2f})   errors: {errors} (goal 0)   "
          f"oversells: {oversells} (goal 0)   invariants: {'clean' if invariants_ok else 'BROKEN'}")
    for sample in spread["samples"] + hot["samples"]:
        print("  error:", sample)
    ok = errors == 0 and oversells == 0 and invariants_ok and ratio >= GOAL
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
