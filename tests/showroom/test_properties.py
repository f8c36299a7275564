"""Random sequences of receipts, transfers, orders, cancels, shipments, till sales and counts.

After every operation — done or refused — the invariant holds and Oscar's
net stock equals the online availability of the locations.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oscar.core.loading import get_class

from showroom import inventory

from .conftest import assert_invariants
from .factories import make_location, make_offer, order_for, three_locations

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

LOC = st.integers(0, 3)  # 3 is a warehouse that does not sell online
OFFER = st.integers(0, 1)
QTY = st.integers(-1, 8)  # includes refused quantities

operations = st.one_of(
    st.tuples(st.just("receive"), LOC, OFFER, QTY),
    st.tuples(st.just("transfer"), LOC, LOC, OFFER, QTY, st.booleans()),
    st.tuples(st.just("order"), OFFER, QTY, st.one_of(st.none(), LOC)),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("ship"), st.integers(0, 5)),
    st.tuples(st.just("till_sale"), LOC, OFFER, QTY),
    st.tuples(st.just("till_return"), LOC, OFFER, QTY),
    st.tuples(st.just("count"), LOC, OFFER, QTY),
)


class Rollback(Exception):
    pass


def _apply(op, locs, offers, orders):
    name, *args = op
    if name == "receive":
        loc, offer, qty = args
        inventory.receive(locs[loc], [(offers[offer], qty)])
    elif name == "transfer":
        src, dst, offer, qty, arrives = args
        transfer = inventory.create_transfer(locs[src], locs[dst], [(offers[offer], qty)])
        inventory.send_transfer(transfer)
        if arrives:
            inventory.receive_transfer(transfer)
    elif name == "order":
        offer, qty, collect = args
        if qty < 1:
            return  # a basket refuses it before the order is placed
        orders.append(
            order_for([(offers[offer], qty)],
                      collect_location=None if collect is None else locs[collect])
        )
    elif name in ("cancel", "ship"):
        if orders:
            order = orders[args[0] % len(orders)]
            (inventory.release_order if name == "cancel" else inventory.fulfil_order)(order)
    elif name == "till_sale":
        loc, offer, qty = args
        inventory.record_till_sale(locs[loc], [(offers[offer], qty)], reference="HD")
    elif name == "till_return":
        loc, offer, qty = args
        inventory.record_till_return(locs[loc], [(offers[offer], qty)], reference="TH")
    elif name == "count":
        loc, offer, qty = args
        inventory.apply_count(locs[loc], [(offers[offer], qty)], reason="Kiểm kê định kỳ")


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=1, max_size=12))
def test_random_operations_keep_the_invariant(ops):
    try:
        with transaction.atomic():
            locs = three_locations() + [make_location("kho-tong", sells_online=False)]
            offers = [make_offer(), make_offer()]
            orders = []
            for op in ops:
                try:
                    with transaction.atomic():
                        _apply(op, locs, offers, orders)
                except (inventory.InventoryError, UnableToPlaceOrder):
                    pass  # refused: must have written nothing
                assert_invariants()
                for sr in offers:
                    sr.refresh_from_db()
                    available = inventory.online_availability([sr])[sr.pk]
                    assert sr.net_stock_level == available
                    assert (sr.num_allocated or 0) >= 0
            raise Rollback
    except Rollback:
        pass
