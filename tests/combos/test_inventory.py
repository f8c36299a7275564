"""Combos in the one inventory: availability, all-or-nothing allocation, every component moves."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_class, get_model

from catalogue import combos
from showroom import inventory
from showroom.models import Allocation, Stock, StockMove
from tests.factories import make_vendor
from tests.showroom.factories import make_location, order_for, three_locations

from .factories import certified_offer, combo_record, make_combo, packaging_offer

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invariant")]


@pytest.fixture
def locs():
    return three_locations()


def stock_at(stockrecord, location):
    return Stock.objects.get(stockrecord=stockrecord, location=location)


def net(stockrecord):
    stockrecord.refresh_from_db()
    return (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0)


# --- availability arithmetic ---------------------------------------------------------


def test_availability_is_the_min_over_components_of_floor_available_over_qty(locs):
    coffee = certified_offer("Cà phê Đăk Hà", stock={locs[0]: 10, locs[1]: 3})
    honey = certified_offer("Mật ong rừng", stock={locs[0]: 7, locs[1]: 8})
    combo = make_combo([(coffee, 2), (honey, 3)])
    # per location: showcase min(10//2, 7//3)=2 ; Đăk Mar min(3//2, 8//3)=1 ; online: min(13//2, 15//3)=5
    online, per_location = combos.availability(combo)
    assert online == 5
    assert dict((loc.code, n) for loc, n in per_location) == {"showcase": 2, "dak-mar": 1}
    record = combo_record(combo)
    assert (record.num_in_stock, record.num_allocated) == (5, 0)
    assert inventory.online_availability([record]) == {record.pk: 5}
    # Oscar's own strategy reads it with no extra query: "còn 5"
    assert net(record) == 5


def test_a_component_shared_by_two_combos_moves_both(locs):
    shared = certified_offer("Sâm dây Ngọc Linh", stock={locs[0]: 12})
    coffee = certified_offer("Cà phê", stock={locs[0]: 100})
    honey = certified_offer("Mật ong", stock={locs[0]: 100})
    first = make_combo([(shared, 2), (coffee, 1)], title="Combo A")
    second = make_combo([(shared, 3), (honey, 1)], title="Combo B")
    assert (net(combo_record(first)), net(combo_record(second))) == (6, 4)
    order_for([(combo_record(first), 3)])  # takes 6 of the shared 12
    assert (net(combo_record(first)), net(combo_record(second))) == (3, 2)
    order_for([(shared, 1)])  # a single unit: 5 left
    assert (net(combo_record(first)), net(combo_record(second))) == (2, 1)
    inventory.record_till_sale(locs[0], [(shared, 5)], reference="HD-1")
    assert (net(combo_record(first)), net(combo_record(second))) == (0, 0)


def test_negative_or_promised_stock_never_counts(locs):
    coffee = certified_offer(stock={locs[0]: 2, locs[1]: 4})
    honey = certified_offer(stock={locs[0]: 5})
    combo = make_combo([(coffee, 1), (honey, 1)])
    inventory.record_till_sale(locs[0], [(coffee, 3)], reference="HD-2")  # showcase goes to -1
    online, per_location = combos.availability(combo)
    assert online == 4 and dict((loc.code, n) for loc, n in per_location)["showcase"] == 0
    assert net(combo_record(combo)) == 4


def test_a_location_that_does_not_sell_online_is_not_counted_online(locs):
    warehouse = make_location(sells_online=False, priority=20)
    coffee = certified_offer(stock={warehouse: 9, locs[0]: 1})
    honey = certified_offer(stock={warehouse: 9, locs[0]: 1})
    combo = make_combo([(coffee, 1), (honey, 1)])
    online, per_location = combos.availability(combo)
    assert online == 1
    assert dict((loc.pk, n) for loc, n in per_location)[warehouse.pk] == 9


# --- placing, fulfilling, cancelling ------------------------------------------------------


def test_order_allocates_every_component_linked_to_the_combo_line(locs):
    coffee = certified_offer("Cà phê", stock={locs[0]: 10})
    honey = certified_offer("Mật ong", stock={locs[0]: 10})
    box = packaging_offer(stock={locs[0]: 10})
    combo = make_combo([(coffee, 2), (honey, 1), (box, 1)])
    order = order_for([(combo_record(combo), 3)])
    line = order.lines.get()
    assert line.stockrecord_id == combo_record(combo).pk
    held = {a.stock.stockrecord_id: a.quantity for a in Allocation.objects.filter(line=line)}
    assert held == {coffee.pk: 6, honey.pk: 3, box.pk: 3}
    assert stock_at(coffee, locs[0]).quantity_allocated == 6
    assert net(combo_record(combo)) == 2  # coffee 4//2, honey 7, box 7


def test_one_short_component_fails_the_whole_line_naming_it(locs):
    coffee = certified_offer("Cà phê Robusta", stock={locs[0]: 10})
    honey = certified_offer("Mật ong hoa cà phê", stock={locs[0]: 1})
    combo = make_combo([(coffee, 1), (honey, 1)], title="Hộp quà cà phê & mật ong")
    single = certified_offer("Rượu ghè", stock={locs[0]: 5})
    with pytest.raises(UnableToPlaceOrder) as error:
        order_for([(single, 1), (combo_record(combo), 2)])
    assert "Mật ong hoa cà phê" in str(error.value)
    assert "Hộp quà cà phê & mật ong" in str(error.value)
    assert not Order.objects.exists()
    assert not Allocation.objects.exists()
    assert not StockMove.objects.filter(kind="allocation").exists()
    assert stock_at(coffee, locs[0]).quantity_allocated == 0


def test_a_combo_line_prefers_one_location_for_all_components(locs):
    coffee = certified_offer(stock={locs[0]: 1, locs[1]: 5})
    honey = certified_offer(stock={locs[0]: 5, locs[1]: 5})
    combo = make_combo([(coffee, 2), (honey, 2)])
    order = order_for([(combo_record(combo), 1)])
    used = {a.stock.location_id for a in Allocation.objects.filter(line__order=order)}
    assert used == {locs[1].pk}


def test_collect_point_serves_every_component_or_refuses(locs):
    coffee = certified_offer("Cà phê", stock={locs[0]: 5, locs[2]: 1})
    honey = certified_offer("Mật ong", stock={locs[0]: 5, locs[2]: 0})
    combo = make_combo([(coffee, 1), (honey, 1)])
    with pytest.raises(UnableToPlaceOrder) as error:
        order_for([(combo_record(combo), 1)], collect_location=locs[2])
    assert "Mật ong" in str(error.value) and locs[2].name in str(error.value)
    order = order_for([(combo_record(combo), 1)], collect_location=locs[0])
    assert {a.stock.location_id for a in Allocation.objects.filter(line__order=order)} == {
        locs[0].pk
    }


def test_fulfil_moves_each_component(locs):
    coffee = certified_offer(stock={locs[0]: 10})
    honey = certified_offer(stock={locs[0]: 10})
    combo = make_combo([(coffee, 2), (honey, 1)])
    order = order_for([(combo_record(combo), 2)])
    line = order.lines.get()
    EventHandler().consume_stock_allocations(order, lines=[line], line_quantities=[1])
    assert (stock_at(coffee, locs[0]).quantity, stock_at(coffee, locs[0]).quantity_allocated) == (8, 2)
    assert (stock_at(honey, locs[0]).quantity, stock_at(honey, locs[0]).quantity_allocated) == (9, 1)
    EventHandler().consume_stock_allocations(order)
    EventHandler().consume_stock_allocations(order)  # idempotent
    assert (stock_at(coffee, locs[0]).quantity, stock_at(coffee, locs[0]).quantity_allocated) == (6, 0)
    assert (stock_at(honey, locs[0]).quantity, stock_at(honey, locs[0]).quantity_allocated) == (8, 0)
    assert net(combo_record(combo)) == 3


def test_cancel_releases_each_component(locs):
    coffee = certified_offer(stock={locs[0]: 4})
    honey = certified_offer(stock={locs[0]: 4})
    combo = make_combo([(coffee, 2), (honey, 1)])
    order = order_for([(combo_record(combo), 2)])
    assert net(combo_record(combo)) == 0
    line = order.lines.get()
    EventHandler().cancel_stock_allocations(order, lines=[line], line_quantities=[1])
    assert stock_at(coffee, locs[0]).quantity_allocated == 2
    assert stock_at(honey, locs[0]).quantity_allocated == 1
    assert net(combo_record(combo)) == 1
    EventHandler().cancel_stock_allocations(order)
    assert stock_at(coffee, locs[0]).quantity_allocated == 0
    assert net(combo_record(combo)) == 2


# --- the till seam ---------------------------------------------------------------------


def test_till_sale_and_return_of_a_scanned_combo_move_each_component(locs):
    coffee = certified_offer(stock={locs[1]: 3})
    honey = certified_offer(stock={locs[1]: 5})
    combo = make_combo([(coffee, 2), (honey, 1)])
    record = combo_record(combo)
    moves = inventory.record_till_sale(
        locs[1], [(record, 2), (honey, 1)], reference="HD-COMBO-1"
    )
    assert sorted((m.stock.stockrecord_id, m.quantity) for m in moves) == sorted(
        [(coffee.pk, -4), (honey.pk, -2), (honey.pk, -1)]
    )
    coffee_stock = stock_at(coffee, locs[1])
    assert coffee_stock.quantity == -1 and coffee_stock.needs_reconciliation  # never refused
    assert stock_at(honey, locs[1]).quantity == 2
    assert net(record) == 0
    inventory.record_till_return(locs[1], [(record, 1)], reference="HD-COMBO-1")
    assert stock_at(coffee, locs[1]).quantity == 1
    assert stock_at(honey, locs[1]).quantity == 3
    assert not Stock.objects.filter(stockrecord=record).exists()


def test_a_combo_has_no_stock_of_its_own(locs):
    coffee = certified_offer(stock={locs[0]: 3})
    combo = make_combo([(coffee, 1)])
    record = combo_record(combo)
    for attempt in (
        lambda: inventory.receive(locs[0], [(record, 5)]),
        lambda: inventory.create_transfer(locs[0], locs[1], [(record, 1)]),
        lambda: inventory.apply_count(locs[0], [(record, 4)], reason="Kiểm kê"),
    ):
        with pytest.raises(inventory.InvalidOperation) as error:
            attempt()
        assert "combo" in str(error.value)
    assert not Stock.objects.filter(stockrecord=record).exists()


# --- withdrawn or uncertified components stop the sale --------------------------------------


def test_withdrawn_component_stops_the_combo_and_tells_the_office(locs, django_user_model):
    office = django_user_model.objects.create_user(
        "phong-nn", "nn@dakha.gov.vn", "x", is_superuser=True, is_staff=True
    )
    assert office.email
    coffee = certified_offer("Cà phê Đăk Hà", stock={locs[0]: 5})
    honey = certified_offer("Mật ong rừng", stock={locs[0]: 5})
    combo = make_combo([(coffee, 1), (honey, 1)], title="Combo quà Tết")
    assert net(combo_record(combo)) == 5
    honey.product.is_public = False
    honey.product.save()  # the office withdrew the listing
    combo.refresh_from_db()
    assert not combo.is_public
    assert net(combo_record(combo)) == 0
    assert not combos.sellable(combo)
    assert len(mail.outbox) == 1
    assert "Combo quà Tết" in mail.outbox[0].body and "Mật ong rừng" in mail.outbox[0].body
    with pytest.raises(UnableToPlaceOrder) as error:
        order_for([(combo_record(combo), 1)])
    assert "Mật ong rừng" in str(error.value)
    assert not Allocation.objects.exists()


def test_expired_certificate_stops_the_combo_even_before_the_daily_check(locs):
    coffee = certified_offer("Cà phê Đăk Hà", stock={locs[0]: 5})
    honey = certified_offer("Mật ong rừng", stock={locs[0]: 5})
    combo = make_combo([(coffee, 1), (honey, 1)])
    certificate = honey.product.ocop_certificates.get()
    import datetime

    certificate.revoked_on = datetime.date(2025, 2, 1)
    certificate.save()
    honey.product.refresh_from_db()
    assert honey.product.ocop_stars is None
    combo.refresh_from_db()
    assert not combo.is_public and net(combo_record(combo)) == 0


def test_the_daily_check_withdraws_a_combo_whose_certificate_ran_out(locs):
    coffee = certified_offer(stock={locs[0]: 5})
    honey = certified_offer(stock={locs[0]: 5})
    combo = make_combo([(coffee, 1), (honey, 1)])
    from catalogue.models import Product

    Product.objects.filter(pk=honey.product.pk).update(ocop_stars=None)  # as the nightly badge refresh
    assert combo.__class__.objects.get(pk=combo.pk).is_public
    found = combos.withdraw_unsellable_combos()
    assert [c.pk for c, _p in found] == [combo.pk]
    assert net(combo_record(combo)) == 0
    assert combos.withdraw_unsellable_combos() == []  # told once


def test_a_producer_combo_of_its_own_products(locs):
    vendor = make_vendor("HTX Sâm Ngọc Linh")
    sam = certified_offer("Sâm dây", vendor=vendor, stock={locs[0]: 4})
    tea = certified_offer("Trà sâm", vendor=vendor, stock={locs[0]: 4})
    combo = make_combo([(sam, 1), (tea, 1)], seller=vendor.partner, price=Decimal("300000"))
    assert combo_record(combo).partner == vendor.partner
    other = certified_offer("Cà phê của người khác", stock={locs[0]: 4})
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_combo([(sam, 1), (other, 1)], seller=vendor.partner)
    assert "Cà phê của người khác" in str(error.value)


def test_the_daily_command_drops_expired_badges_and_withdraws_combos(locs):
    import datetime
    import io

    from django.core.management import call_command

    from catalogue.models import OcopCertificate

    coffee = certified_offer("Cà phê", stock={locs[0]: 5})
    honey = certified_offer("Mật ong rừng", stock={locs[0]: 5})
    combo = make_combo([(coffee, 1), (honey, 1)], title="Combo kiểm tra hằng ngày")
    # the certificate runs out by the calendar: nothing is saved, no signal fires
    OcopCertificate.objects.filter(product=honey.product).update(
        decision_date=datetime.date(2020, 1, 1), valid_until=datetime.date(2023, 1, 1)
    )
    out = io.StringIO()
    call_command("check_combos", "--no-email", stdout=out)
    assert "Combo kiểm tra hằng ngày" in out.getvalue()
    combo.refresh_from_db()
    assert not combo.is_public and net(combo_record(combo)) == 0
    assert not mail.outbox
