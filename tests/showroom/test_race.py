"""Proof under real concurrency: online buyers (and tills) racing for a hot product.

Each buyer and each till is a thread with its own database connection; a
barrier starts them together. PostgreSQL only: SQLite has no row locks (and
serialises writers), so these tests are skipped there with the reason.
"""

import threading
import time

import pytest
from django.db import connection, connections
from oscar.core.loading import get_class, get_model

from showroom import inventory
from showroom.models import Allocation, Stock, StockMove

from .conftest import assert_invariants
from .factories import make_offer, order_for, three_locations

Order = get_model("order", "Order")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

BUYERS = 60
ROUNDS = 3
UNITS = (7, 7, 6)  # 20 units over the three locations
TILL_SALES = 5  # per till, one unit each

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks (SELECT … FOR UPDATE)")


def _run(workers):
    """Run callables in threads started together; returns their results (or exceptions)."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def target(i, work):
        try:
            barrier.wait(timeout=60)
            results[i] = work()
        except Exception as error:  # noqa: BLE001 - recorded and asserted by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, w)) for i, w in enumerate(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results, time.perf_counter() - started


def _buyer(stockrecord):
    def work():
        return order_for([(stockrecord, 1)])

    return work


def _till(location, stockrecord, n):
    def work():
        moves = []
        for i in range(TILL_SALES):
            moves += inventory.record_till_sale(
                location, [(stockrecord, 1)], reference=f"HD-{location.code}-{n}-{i}"
            )
        return moves

    return work


def _setup(locs):
    return make_offer(title="Sâm dây Ngọc Linh", stock=dict(zip(locs, UNITS, strict=True)))


def _outcome(results):
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, UnableToPlaceOrder)]
    other = [r for r in results if not isinstance(r, Order | UnableToPlaceOrder | list)]
    return orders, refused, other


def _assert_allocations_were_backed(stockrecord):
    """When each allocation was made, its location held the units (ledger balances)."""
    for move in StockMove.objects.filter(stock__stockrecord=stockrecord, kind="allocation"):
        assert move.allocated_balance <= move.balance, move


def test_sixty_buyers_twenty_units(capsys):
    locs = three_locations()
    figures = []
    for round_ in range(1, ROUNDS + 1):
        sr = _setup(locs)
        results, seconds = _run([_buyer(sr) for _ in range(BUYERS)])
        orders, refused, other = _outcome(results)
        assert not other, other
        assert len(orders) == 20
        assert len(refused) == 40
        assert all("Không đủ hàng" in str(error) for error in refused)
        assert Order.objects.filter(lines__stockrecord=sr).count() == 20  # no order left behind
        allocations = Allocation.objects.filter(stock__stockrecord=sr)
        assert sum(a.quantity for a in allocations) == 20
        assert {a.line.order_id for a in allocations} == {o.pk for o in orders}
        sr.refresh_from_db()
        assert (sr.num_in_stock, sr.num_allocated) == (20, 20)
        _assert_allocations_were_backed(sr)
        assert_invariants()
        figures.append((round_, BUYERS, len(orders), len(refused), seconds))
    with capsys.disabled():
        for round_, attempts, ok, ko, seconds in figures:
            print(
                f"\n[race online] round {round_}: {attempts} buyers, {ok} orders, "
                f"{ko} out of stock, {seconds:.2f} s"
            )


def test_sixty_buyers_and_three_tills(capsys):
    locs = three_locations()
    figures = []
    for round_ in range(1, ROUNDS + 1):
        sr = _setup(locs)
        workers = [_buyer(sr) for _ in range(BUYERS)]
        workers += [_till(loc, sr, round_) for loc in locs]
        results, seconds = _run(workers)
        orders, refused, other = _outcome(results)
        assert not other, other
        till_results = results[BUYERS:]
        assert all(isinstance(r, list) and len(r) == TILL_SALES for r in till_results)
        assert StockMove.objects.filter(stock__stockrecord=sr, kind="pos_sale").count() == 15
        assert 5 <= len(orders) <= 20
        assert len(orders) + len(refused) == BUYERS
        allocations = Allocation.objects.filter(stock__stockrecord=sr, status="open")
        assert sum(a.quantity for a in allocations) == len(orders)
        # The ledger explains the final quantities to the unit.
        stocks = Stock.objects.filter(stockrecord=sr)
        for stock, received in zip(stocks.order_by("location__priority"), UNITS, strict=True):
            moves = StockMove.objects.filter(stock=stock)
            assert stock.quantity == received - TILL_SALES
            assert stock.quantity == sum(m.quantity for m in moves)
            assert stock.quantity_allocated == sum(m.allocated for m in moves)
            assert stock.needs_reconciliation == (stock.quantity < stock.quantity_allocated)
        assert sum(s.quantity for s in stocks) == 5
        _assert_allocations_were_backed(sr)
        assert_invariants()
        figures.append((round_, BUYERS, len(orders), len(refused), seconds))
    with capsys.disabled():
        for round_, attempts, ok, ko, seconds in figures:
            print(
                f"\n[race online + 3 tills × {TILL_SALES}] round {round_}: {attempts} buyers, "
                f"{ok} orders, {ko} out of stock, 15 till sales, {seconds:.2f} s"
            )
