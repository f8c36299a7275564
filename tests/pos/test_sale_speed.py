"""The till's sale commit: a bounded number of queries, whatever the number of lines,
and its locks in the documented order (stock rows, then the register's receipt
counter, nothing shared by all registers).

The request goes through the till API like the till page does (session cookie).
``transaction=True``: the sale then runs as it does in production — its own
transaction, no test transaction around it adding savepoints to the count.
"""

import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pos.models import TillSale, TillSession
from showroom.models import Stock
from tests.showroom.conftest import assert_invariants

from .factories import make_cashier, make_offer, make_register, three_locations

pytestmark = pytest.mark.django_db(transaction=True)

MAX_QUERIES = 20


@pytest.fixture
def till(client, settings):
    settings.POS_CASH_ROUNDING = 500
    # as in production, where Redis is shared by every process: the till's session is read
    # from the cache (without Redis each process reads it from the database: one query more)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    showcase = three_locations()[0]
    register = make_register(showcase)
    cashier = make_cashier(showcase)
    session = TillSession.objects.create(register=register, cashier=cashier,
                                         opening_float=Decimal("500000"))
    offers = [make_offer(title=f"Đặc sản {i}", price=Decimal(20000 + 1000 * i), stock={showcase: 50})
              for i in range(10)]
    client.force_login(cashier)
    url = f"/pos/api/registers/{register.pk}/sales/"

    def sell(count, tenders=None):
        picked = offers[:count]
        total = sum(int(sr.price) for sr in picked)
        body = {
            "client_uuid": str(uuid.uuid4()), "session": session.pk,
            "lines": [{"stockrecord": sr.pk, "quantity": 1, "unit_price": int(sr.price)}
                      for sr in picked],
            "tenders": tenders or [{"kind": "cash", "tendered": total}],
            "client_total": total,
        }
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    sell(1)  # the register's first sale makes its counter row; the tender kinds exist
    return sell


def _count(sell, lines, tenders=None):
    with CaptureQueriesContext(connection) as ctx:
        sell(lines, tenders)
    return [q["sql"] for q in ctx.captured_queries]


def test_three_line_sale_within_budget(till, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        till(3)
    assert TillSale.objects.count() == 2
    assert_invariants()


def test_queries_do_not_grow_with_lines(till):
    three = _count(till, 3)
    ten = _count(till, 10)
    assert len(three) <= MAX_QUERIES
    assert len(ten) == len(three), "\n".join(ten)
    # one cash tender or a split one: the same statements
    split = _count(till, 3, [{"kind": "vietqr", "amount": 10000}, {"kind": "cash", "tendered": 100000}])
    assert len(split) == len(three)
    assert not [sql for sql in three if sql.startswith(("SAVEPOINT", "RELEASE"))]
    # offer 0 sold in all four sales, offers 1–2 in three, offers 3–9 in the ten-line one
    assert sorted(Stock.objects.values_list("quantity", flat=True)) == [46, 47, 47] + [49] * 7
    assert_invariants()


def _first(queries, pattern):
    for index, sql in enumerate(queries):
        if re.search(pattern, sql):
            return index
    raise AssertionError(f"no query matches {pattern!r}")


def test_lock_order_and_nothing_shared_locked(till):
    queries = _count(till, 3)
    stockrecords = _first(queries, r'FROM "partner_stockrecord".*FOR (NO KEY )?UPDATE')
    stocks = _first(queries, r'FROM "showroom_stock".*FOR (NO KEY )?UPDATE')
    counter = _first(queries, r'UPDATE "pos_receiptcounter"')
    sale = _first(queries, r'INSERT INTO "pos_tillsale"')
    moves = _first(queries, r'INSERT INTO "showroom_stockmove"')
    # the offers, then their stock rows, then — last — the register's counter
    assert stockrecords < stocks < counter
    # the counter is taken after the order's own rows, just before what carries the number
    assert _first(queries, r'INSERT INTO "payment_source"') < counter < moves < sale
    assert len(queries) - counter <= 9  # then: 3 stock writes, rename, 3 inserts, COMMIT
    # the only rows locked or updated are the offers', their stocks', the counter and the
    # sale's own new order; never the location, session, register or a shared row
    for sql in queries:
        if re.search(r"FOR (NO KEY )?UPDATE", sql):
            assert re.search(r'FROM "(partner_stockrecord|showroom_stock)"', sql), sql
        if sql.startswith("UPDATE"):
            assert re.match(
                r'UPDATE "(partner_stockrecord|showroom_stock|pos_receiptcounter|order_order)"', sql
            ), sql
    renamed = [sql for sql in queries if sql.startswith('UPDATE "order_order"')]
    assert len(renamed) == 1 and "POS-" in renamed[0]


