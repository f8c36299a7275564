"""The rules of the one inventory, each a test; the invariant is checked after each scenario."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class, get_model

from showroom import inventory
from showroom.models import Allocation, Stock, StockMove, Transfer

from .factories import make_location, make_offer, order_for, three_locations

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")
OrderCreator = get_class("order.utils", "OrderCreator")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invariant")]


@pytest.fixture
def locs():
    return three_locations()


def stock_at(stockrecord, location):
    return Stock.objects.get(stockrecord=stockrecord, location=location)


def net(stockrecord):
    stockrecord.refresh_from_db()
    return stockrecord.num_in_stock - stockrecord.num_allocated


# --- the one module ---------------------------------------------------------------


def test_the_order_app_and_event_handler_are_the_forked_ones():
    assert OrderCreator.__module__ == "shop.order.utils"
    assert EventHandler.__module__ == "shop.order.processing"


def test_only_inventory_writes_quantities():
    """No code outside showroom/inventory.py assigns the quantity columns."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"\.(quantity_allocated|num_in_stock|num_allocated)\s*(\+|-)?=(?!=)|"
        r"update\([^)]*\b(quantity_allocated|num_in_stock|num_allocated)\s*=|"
        r"Stock\.objects.*update\([^)]*\bquantity\s*="
    )
    offenders = []
    for folder in ("showroom", "shop", "pos", "vendors", "catalogue"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name in {"inventory.py", "signals.py"}:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_a_save_elsewhere_does_not_change_oscars_totals(locs):
    sr = make_offer(stock={locs[0]: 5})
    sr.num_in_stock = 999
    sr.num_allocated = 7
    sr.price = 99000
    sr.save()
    sr.refresh_from_db()
    assert (sr.num_in_stock, sr.num_allocated, sr.price) == (5, 0, 99000)


# --- receipts ---------------------------------------------------------------


def test_receipt_adds_on_hand_and_writes_the_ledger(locs, django_user_model):
    user = django_user_model.objects.create_user("kho", "kho@example.vn", "x")
    sr = make_offer()
    receipt = inventory.receive(locs[1], [(sr, 12), (sr, 3)], user=user, reference="PGH-01",
                                note="Giao đợt 1")
    stock = stock_at(sr, locs[1])
    assert stock.quantity == 15
    move = StockMove.objects.get(receipt=receipt)
    assert (move.kind, move.quantity, move.balance, move.user, move.reference) == (
        "receipt", 15, 15, user, "PGH-01")
    assert net(sr) == 15


@pytest.mark.parametrize("bad", [0, -1, 100_001, 2.5, "3", True, None])
def test_bad_quantities_are_refused_and_write_nothing(locs, bad):
    sr = make_offer(stock={locs[0]: 4})
    other = make_offer()
    before = StockMove.objects.count()
    with pytest.raises(inventory.InvalidQuantity):
        inventory.receive(locs[0], [(other, 5), (sr, bad)])
    assert StockMove.objects.count() == before
    assert not Stock.objects.filter(stockrecord=other).exists()


def test_receipt_refuses_unknown_product_and_location(locs):
    sr = make_offer()
    with pytest.raises(inventory.InvalidOperation):
        inventory.receive(locs[0], [(None, 1)])
    with pytest.raises(inventory.InvalidOperation):
        inventory.receive(None, [(sr, 1)])
    with pytest.raises(inventory.InvalidOperation):
        inventory.receive(locs[0], [])


# --- transfers --------------------------------------------------------------------


def test_transfer_goes_out_when_sent_and_in_when_received(locs):
    sr = make_offer(stock={locs[0]: 10})
    transfer = inventory.create_transfer(locs[0], locs[2], [(sr, 4)], note="Bổ sung hàng")
    assert stock_at(sr, locs[0]).quantity == 10  # a draft moves nothing
    inventory.send_transfer(transfer)
    assert stock_at(sr, locs[0]).quantity == 6
    assert inventory.in_transit([sr.pk]) == {(sr.pk, locs[2].pk): 4}
    assert net(sr) == 6  # in transit is not sellable
    inventory.receive_transfer(transfer)
    assert stock_at(sr, locs[2]).quantity == 4
    assert inventory.in_transit([sr.pk]) == {}
    assert net(sr) == 10
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    kinds = list(transfer.moves.order_by("pk").values_list("kind", "quantity"))
    assert kinds == [("transfer_out", -4), ("transfer_in", 4)]
    with pytest.raises(inventory.InvalidOperation):
        inventory.receive_transfer(transfer)  # twice: refused, nothing changes
    with pytest.raises(inventory.InvalidOperation):
        inventory.send_transfer(transfer)


def test_transfer_refuses_same_place_and_more_than_free(locs):
    sr = make_offer(stock={locs[0]: 3})
    with pytest.raises(inventory.InvalidOperation, match="khác nhau"):
        inventory.create_transfer(locs[0], locs[0], [(sr, 1)])
    order_for([(sr, 2)])  # 2 of the 3 are promised online
    transfer = inventory.create_transfer(locs[0], locs[1], [(sr, 2)])
    with pytest.raises(inventory.InsufficientStock) as error:
        inventory.send_transfer(transfer)
    assert sr.product.title in str(error.value)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.DRAFT
    assert stock_at(sr, locs[0]).quantity == 3


def test_cancelling_a_transfer_in_transit_returns_the_goods(locs):
    sr = make_offer(stock={locs[0]: 5})
    transfer = inventory.send_transfer(inventory.create_transfer(locs[0], locs[1], [(sr, 5)]))
    inventory.cancel_transfer(transfer)
    assert stock_at(sr, locs[0]).quantity == 5
    with pytest.raises(inventory.InvalidOperation):
        inventory.cancel_transfer(transfer)


# --- counts -------------------------------------------------------------------


def test_count_turns_differences_into_adjustments_with_a_reason(locs):
    a = make_offer(stock={locs[0]: 10})
    b = make_offer(stock={locs[0]: 4})
    count = inventory.apply_count(locs[0], [(a, 8), (b, 4)], reason="Vỡ 2 chai")
    assert stock_at(a, locs[0]).quantity == 8
    moves = list(count.moves.values_list("kind", "quantity", "reason"))
    assert moves == [("adjustment", -2, "Vỡ 2 chai")]  # no move where nothing differs
    assert [(line.expected, line.counted) for line in count.lines.all()] == [(10, 8), (4, 4)]
    with pytest.raises(inventory.InvalidOperation):
        inventory.apply_count(locs[0], [(a, 1)], reason="  ")
    with pytest.raises(inventory.InvalidQuantity):
        inventory.apply_count(locs[0], [(a, -1)], reason="x")


# --- online orders -------------------------------------------------------------


def test_order_placed_allocates_from_the_first_location_that_can_serve_it(locs):
    sr = make_offer(stock={locs[0]: 1, locs[1]: 5, locs[2]: 5})
    order = order_for([(sr, 3)])
    allocation = Allocation.objects.get(line__order=order)
    assert (allocation.stock.location, allocation.quantity) == (locs[1], 3)
    assert net(sr) == 8
    sr.refresh_from_db()
    assert sr.num_allocated == 3


def test_order_splits_across_locations_only_when_needed(locs):
    sr = make_offer(stock={locs[0]: 2, locs[1]: 2, locs[2]: 2})
    order = order_for([(sr, 5)])
    got = sorted(
        Allocation.objects.filter(line__order=order).values_list("stock__location__code",
                                                                  "quantity")
    )
    assert got == [("dak-mar", 2), ("ngok-wang", 1), ("showcase", 2)]


def test_collect_point_serves_the_order_or_it_is_out_of_stock_there(locs):
    sr = make_offer(stock={locs[0]: 5, locs[2]: 1})
    order = order_for([(sr, 1)], collect_location=locs[2])
    assert Allocation.objects.get(line__order=order).stock.location == locs[2]
    with pytest.raises(UnableToPlaceOrder, match="Ngọk Wang"):
        order_for([(sr, 1)], collect_location=locs[2])


def test_out_of_stock_order_leaves_nothing_behind(locs):
    sr = make_offer(stock={locs[0]: 1})
    other = make_offer(stock={locs[0]: 5})
    orders_before = Order.objects.count()
    with pytest.raises(UnableToPlaceOrder) as error:
        order_for([(other, 2), (sr, 2)])
    assert "Không đủ hàng" in str(error.value) and sr.product.title in str(error.value)
    assert Order.objects.count() == orders_before
    assert not Allocation.objects.exists()
    assert net(other) == 5


def test_shipped_consumes_and_cancelled_releases_idempotently(locs):
    sr = make_offer(stock={locs[0]: 10})
    shipped, cancelled = order_for([(sr, 2)]), order_for([(sr, 3)])
    handler = EventHandler()
    for _twice in range(2):
        handler.consume_stock_allocations(shipped)
        handler.cancel_stock_allocations(cancelled)
        inventory.allocate_order(shipped)  # placing again changes nothing either
    stock = stock_at(sr, locs[0])
    assert (stock.quantity, stock.quantity_allocated) == (8, 0)
    assert net(sr) == 8
    kinds = sorted(StockMove.objects.filter(kind__in=["fulfilment", "allocation_release"])
                   .values_list("kind", "quantity", "allocated"))
    assert kinds == [("allocation_release", 0, -3), ("fulfilment", -2, -2)]


def test_status_change_drives_the_stock(locs, monkeypatch):
    monkeypatch.setattr(Order, "pipeline", {"": ("Cancelled", "Shipped")})
    sr = make_offer(stock={locs[0]: 10})
    order = order_for([(sr, 4)])
    EventHandler().handle_order_status_change(order, "Cancelled")
    assert stock_at(sr, locs[0]).quantity_allocated == 0
    order2 = order_for([(sr, 1)])
    EventHandler().handle_order_status_change(order2, "Shipped")
    assert stock_at(sr, locs[0]).quantity == 9


def test_partial_shipping_consumes_only_those_units(locs):
    sr = make_offer(stock={locs[0]: 10})
    order = order_for([(sr, 4)])
    line = order.lines.get()
    inventory.fulfil_order(order, lines=[line], quantities=[1])
    stock = stock_at(sr, locs[0])
    assert (stock.quantity, stock.quantity_allocated) == (9, 3)
    inventory.release_order(order)
    assert stock_at(sr, locs[0]).quantity_allocated == 0


# --- the till -------------------------------------------------------------------------


def test_till_sale_is_never_refused_and_negative_stock_is_not_sold_online(locs):
    sr = make_offer(stock={locs[1]: 1, locs[0]: 2})
    inventory.record_till_sale(locs[1], [(sr, 3)], reference="HD-1")
    stock = stock_at(sr, locs[1])
    assert stock.quantity == -2 and stock.needs_reconciliation
    assert net(sr) == 2  # the showcase's 2; the −2 is not subtracted nor sold
    assert inventory.online_availability([sr]) == {sr.pk: 2}
    with pytest.raises(UnableToPlaceOrder):
        order_for([(sr, 3)])
    inventory.record_till_return(locs[1], [(sr, 1)], reference="TH-1")
    assert stock_at(sr, locs[1]).quantity == -1
    inventory.apply_count(locs[1], [(sr, 0)], reason="Đối soát sau bán quầy")
    stock = stock_at(sr, locs[1])
    assert stock.quantity == 0 and not stock.needs_reconciliation


def test_till_sale_of_allocated_goods_flags_the_location(locs):
    sr = make_offer(stock={locs[0]: 2})
    order_for([(sr, 2)])
    inventory.record_till_sale(locs[0], [(sr, 1)], reference="HD-2")
    stock = stock_at(sr, locs[0])
    assert stock.needs_reconciliation and stock.free == 0
    assert net(sr) == 0


def test_locations_that_do_not_sell_online_are_not_counted(locs):
    warehouse = make_location("kho", priority=0, sells_online=False)
    sr = make_offer(stock={warehouse: 50, locs[2]: 1})
    assert net(sr) == 1
    order = order_for([(sr, 1)])
    assert Allocation.objects.get(line__order=order).stock.location == locs[2]


def test_product_page_and_basket_reflect_the_locations(client, locs):
    sr = make_offer(stock={locs[0]: 1})
    from oscar.apps.partner.strategy import Default

    info = Default().fetch_for_product(sr.product)
    assert info.availability.is_available_to_buy
    assert not info.availability.is_purchase_permitted(2)[0]
    inventory.record_till_sale(locs[0], [(sr, 1)], reference="HD-3")
    info = Default().fetch_for_product(sr.product)
    assert not info.availability.is_available_to_buy
    response = client.get(sr.product.get_absolute_url())
    assert response.status_code == 200


# --- check_inventory -----------------------------------------------------------------


def test_check_invariants_finds_a_tampered_column(locs):
    sr = make_offer(stock={locs[0]: 3})
    Stock.objects.filter(stockrecord=sr).update(quantity=4)
    found = inventory.check_invariants()
    assert "on hand vs ledger" in [m.what for m in found]
    Stock.objects.filter(stockrecord=sr).update(quantity=3)


@pytest.mark.parametrize("n_lines", [1, 5])
def test_allocation_query_count_is_bounded(locs, monkeypatch, n_lines):
    """Locks, allocations, stock rows and moves are each one query; the totals one per offer."""
    offers = [make_offer(stock={locs[0]: 1, locs[1]: 5}) for _ in range(n_lines)]
    monkeypatch.setattr(OrderCreator, "update_stock_records", lambda self, line: None)
    order = order_for([(sr, 2) for sr in offers])
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as ctx:
        inventory.allocate_order(order)
    print(f"allocate_order with {n_lines} lines: {len(ctx.captured_queries)} queries")
    assert len(ctx.captured_queries) <= 9 + n_lines  # incl. SAVEPOINT and RELEASE
    assert Allocation.objects.filter(line__order=order).count() == n_lines
