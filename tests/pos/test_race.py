"""The same queued sale sent by several connections at once is recorded once;
two tills of one register never get the same receipt number. PostgreSQL only
(row locks and concurrent unique inserts); skipped on SQLite with the reason."""

import threading
import uuid

import pytest
from django.db import connection, connections
from oscar.core.loading import get_model

from pos import sales
from pos.models import TillSale, TillSession
from showroom.models import Stock
from tests.showroom.conftest import assert_invariants

from .factories import make_cashier, make_offer, make_register, three_locations

Order = get_model("order", "Order")
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent unique inserts and row locks")


def _race(bodies, register, session, user):
    barrier = threading.Barrier(len(bodies))
    results, errors = [], []

    def target(body):
        try:
            barrier.wait()
            sale, created = sales.record_sale(register=register, session=session, user=user, **body)
            results.append((sale.pk, created, sale.receipt_number))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_concurrent_replays_and_sales():
    showcase = three_locations()[0]
    register = make_register(showcase)
    user = make_cashier(showcase)
    offer = make_offer(stock={showcase: 3})
    session = TillSession.objects.create(register=register, cashier=user)
    line = [{"stockrecord": offer.pk, "quantity": 1}]
    cash = [{"kind": "cash", "tendered": 150000}]
    same = {"client_uuid": str(uuid.uuid4()), "lines": line, "tenders": cash, "offline": True}
    results = _race([dict(same) for _ in range(8)], register, session, user)
    assert sum(created for _pk, created, _n in results) == 1
    assert len({pk for pk, _c, _n in results}) == 1
    others = [{"client_uuid": str(uuid.uuid4()), "lines": line, "tenders": cash} for _ in range(6)]
    results = _race(others, register, session, user)
    assert sorted(n for _pk, _c, n in results) == [2, 3, 4, 5, 6, 7]
    assert TillSale.objects.count() == 7 and Order.objects.count() == 7
    assert Stock.objects.get(stockrecord=offer, location=showcase).quantity == 3 - 7
    assert_invariants()
