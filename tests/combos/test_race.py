"""The race of the inventory issue with a combo: combo buyers and single-unit buyers of a
shared component (plus buyers of two-line orders and a till) competing on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from oscar.core.loading import get_class, get_model

from showroom import inventory
from showroom.models import Allocation, StockMove
from tests.showroom.conftest import assert_invariants
from tests.showroom.factories import order_for, three_locations
from tests.showroom.test_race import _run

from .factories import certified_offer, combo_record, make_combo

Order = get_model("order", "Order")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

ROUNDS = 3
COMBO_BUYERS = 25
SINGLE_BUYERS = 25
MIXED_BUYERS = 10  # one order: 1 honey + 1 combo (two lines, locks taken for the whole order)
UNITS = (7, 7, 6)  # 20 units of ginseng over the three locations
TILL_SALES = 3

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks (SELECT … FOR UPDATE)")


def _order(items):
    def work():
        return order_for(items)

    return work


def _till(location, stockrecord, n):
    def work():
        return [
            inventory.record_till_sale(location, [(stockrecord, 1)], reference=f"HD-{n}-{i}")
            for i in range(TILL_SALES)
        ]

    return work


def test_combo_and_single_buyers_race_for_a_shared_component(capsys):
    locs = three_locations()
    figures = []
    for round_ in range(1, ROUNDS + 1):
        ginseng = certified_offer(
            f"Sâm dây Ngọc Linh {round_}", stock=dict(zip(locs, UNITS, strict=True)),
            price=Decimal("450000"),
        )
        honey = certified_offer(
            f"Mật ong rừng {round_}", stock={locs[0]: 200}, price=Decimal("185000")
        )
        combo = make_combo(
            [(ginseng, 2), (honey, 1)], title=f"Quà biếu sâm dây {round_}", price=Decimal("999000")
        )
        record = combo_record(combo)
        assert record.num_in_stock == 10
        workers = (
            [_order([(record, 1)]) for _ in range(COMBO_BUYERS)]
            + [_order([(ginseng, 1)]) for _ in range(SINGLE_BUYERS)]
            + [_order([(honey, 1), (record, 1)]) for _ in range(MIXED_BUYERS)]
            + [_till(locs[2], honey, round_)]
        )
        results, seconds = _run(workers)
        orders = [r for r in results if isinstance(r, Order)]
        refused = [r for r in results if isinstance(r, UnableToPlaceOrder)]
        other = [r for r in results[:-1] if not isinstance(r, Order | UnableToPlaceOrder)]
        assert not other, other  # no deadlock, no half-written order
        assert isinstance(results[-1], list)
        assert all("Không đủ hàng" in str(e) and "Sâm dây" in str(e) for e in refused)
        held = sum(
            a.quantity for a in Allocation.objects.filter(stock__stockrecord=ginseng, status="open")
        )
        assert held <= 20  # the shared component is never oversold
        combo_orders = [o for o in orders if o.lines.filter(stockrecord=record).exists()]
        single_orders = [o for o in orders if o not in combo_orders]
        assert held == 2 * len(combo_orders) + len(single_orders)
        for order in combo_orders:  # every combo line holds both components, nothing half
            line = order.lines.get(stockrecord=record)
            by_offer = {}
            for a in Allocation.objects.filter(line=line).select_related("stock"):
                by_offer[a.stock.stockrecord_id] = by_offer.get(a.stock.stockrecord_id, 0) + a.quantity
            assert by_offer == {ginseng.pk: 2, honey.pk: 1}
        for move in StockMove.objects.filter(stock__stockrecord=ginseng, kind="allocation"):
            assert move.allocated_balance <= move.balance, move
        assert held >= 19  # buyers kept coming until (nearly) the last unit
        assert_invariants()
        record.refresh_from_db()
        assert record.num_in_stock == (20 - held) // 2
        figures.append((round_, len(workers) - 1, len(combo_orders), len(single_orders),
                        len(refused), held, seconds))
    with capsys.disabled():
        for round_, n, combos_, singles, ko, held, seconds in figures:
            print(
                f"\n[race combo] round {round_}: {n} buyers ({COMBO_BUYERS} combo, "
                f"{SINGLE_BUYERS} single, {MIXED_BUYERS} two-line) + 1 till: {combos_} combo "
                f"orders, {singles} single orders, {ko} out of stock, {held}/20 units held, "
                f"{seconds:.2f} s"
            )
