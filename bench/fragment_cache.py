"""Storefront pages with and without the cached fragments (shop.core.cache): time and queries.

Run by hand, not a test::

    .venv/bin/python bench/fragment_cache.py               # 50 renders of each page and state
    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/fragment_cache.py --n 100

It only reads: GET requests of an anonymous visitor (Django's test client) on the
configured database (``DATABASE_URL``, with the demo loaded), inside a transaction
rolled back at the end. "cold" clears the cache before every render (every card and
the menu are rendered and stored), "warm" renders from the cache. With ``REDIS_URL``
the cache is that Redis (its keys are cleared: use a database number of its own).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {"home": "/", "browse": "/catalogue/", "search": "/search/?q=ca+phe"}


def measure(client, url, n, cold):
    times, queries = [], 0
    client.get(url)  # the first request of the client (cookies, template loading)
    for _ in range(n):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"cache: {backend}; database: {connection.vendor}; {args.n} renders each")
    print(f"{'page':<8} {'state':<5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    with transaction.atomic():
        client = Client()
        for name, url in PAGES.items():
            for state in ("cold", "warm"):
                p50, p95, queries = measure(client, url, args.n, cold=state == "cold")
                print(f"{name:<8} {state:<5} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
        transaction.set_rollback(True)
    cache.clear()


if __name__ == "__main__":
    main()
