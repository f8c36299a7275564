"""Several registers at once: they wait on each other only for the stock rows of a
product they both sell. PostgreSQL only (row locks); skipped on SQLite.

Each register is a thread with its own database connection, its own register,
cashier session and till client, and sells through the till API.

*Different products*: each thread sells inside a transaction of its own that it
keeps open after the sale (every lock of the sale still held) until all three
have sold — a barrier. If any sale waited on a lock another register holds
(a shared counter, the session, the location…), that register could never
reach the barrier and it would break (timeout).
*The same product*: the same barrier breaks — the detector works — and, sold
for real, the registers serialise on the product's stock rows: no lost update.
"""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client

from pos.models import TillSale, TillSession
from showroom.models import Stock, StockMove
from tests.showroom.conftest import assert_invariants
from tests.showroom.test_race import _run as _run_timed  # threads started together

from .factories import make_cashier, make_offer, make_register, three_locations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REGISTERS = 3
HOLD_SECONDS = 5
SALES_EACH = 8
START = 100


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks")


class Till:
    """One register with its own session and signed-in cashier."""

    def __init__(self, location, n):
        self.register = make_register(location, code=f"race-{n}")
        self.cashier = make_cashier(location)
        self.session = TillSession.objects.create(register=self.register, cashier=self.cashier,
                                                  opening_float=Decimal("500000"))
        self.client = Client()
        self.client.force_login(self.cashier)

    def sell(self, stockrecord, quantity=1):
        total = int(stockrecord.price) * quantity
        response = self.client.post(
            f"/pos/api/registers/{self.register.pk}/sales/",
            {"client_uuid": str(uuid.uuid4()), "session": self.session.pk,
             "lines": [{"stockrecord": stockrecord.pk, "quantity": quantity}],
             "tenders": [{"kind": "cash", "tendered": total}]},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        return response.json()


def _held(till, stockrecord, all_sold):
    """Sell, then keep the transaction (and so every lock of the sale) open until all
    the registers have sold; roll back at the end, nothing stays."""

    class Done(Exception):
        pass

    def work():
        try:
            with transaction.atomic():
                sale = till.sell(stockrecord)
                all_sold.wait(timeout=HOLD_SECONDS)
                raise Done(sale["receipt"])
        except Done as done:
            return str(done)

    return work


@pytest.fixture
def tills(settings):
    settings.POS_CASH_ROUNDING = 1
    showcase = three_locations()[0]
    tills = [Till(showcase, n) for n in range(REGISTERS)]
    offers = [make_offer(title=f"Đặc sản {n}", price=Decimal("50000"), stock={showcase: START})
              for n in range(REGISTERS)]
    for till, offer in zip(tills, offers, strict=True):
        till.sell(offer)  # each register's first sale: its counter row, the tender kinds
    return showcase, tills, offers


def test_registers_selling_different_products_do_not_wait(tills):
    _showcase, tills, offers = tills
    all_sold = threading.Barrier(REGISTERS)
    results, _seconds = _run_timed([_held(t, o, all_sold) for t, o in zip(tills, offers, strict=True)])
    # every register sold while the two others still held all their locks
    assert results == [f"race-{n}-000002" for n in range(REGISTERS)], results
    assert TillSale.objects.count() == REGISTERS  # the held sales were rolled back
    assert_invariants()


def test_registers_selling_one_product_wait_for_its_stock_rows(tills):
    showcase, tills, offers = tills
    hot = offers[0]
    # Held open, a sale of the hot product blocks the others: the barrier breaks.
    all_sold = threading.Barrier(REGISTERS)
    results, _seconds = _run_timed([_held(t, hot, all_sold) for t in tills])
    assert any(isinstance(r, threading.BrokenBarrierError) for r in results), results
    # Sold for real: they serialise on its stock rows and no unit is lost.
    before = Stock.objects.get(stockrecord=hot, location=showcase).quantity

    def register(till, n):
        return lambda: [till.sell(hot, quantity=1 + (i + n) % 2)["receipt"] for i in range(SALES_EACH)]

    results, _seconds = _run_timed([register(t, n) for n, t in enumerate(tills)])
    assert all(isinstance(r, list) and len(r) == SALES_EACH for r in results), results
    sold = sum(1 + (i + n) % 2 for n in range(REGISTERS) for i in range(SALES_EACH))
    stock = Stock.objects.get(stockrecord=hot, location=showcase)
    assert stock.quantity == before - sold
    assert stock.quantity == sum(StockMove.objects.filter(stock=stock).values_list("quantity", flat=True))
    # each register numbered its own receipts without a gap or a repeat
    for n, receipts in enumerate(results):
        assert sorted(receipts) == [f"race-{n}-{k:06d}" for k in range(2, 2 + SALES_EACH)]
    assert_invariants()  # the ledger and Oscar's totals agree to the unit
