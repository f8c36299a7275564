"""A gift combo holding an experience: the experience is a gift voucher, not stock."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_class
from oscar.test.factories import create_order

from catalogue import combos
from shop.experiences import bookings, purchase
from shop.experiences.errors import NotBookable
from shop.experiences.models import Booking
from shop.experiences.templatetags.experience_vouchers import order_vouchers
from shop.shipping.availability import basket_needs
from showroom import inventory
from showroom.models import Allocation, Stock, StockMove
from tests.combos.conftest import assert_invariants
from tests.combos.factories import certified_offer, combo_record, make_combo
from tests.factories import make_certificate
from tests.showroom.factories import three_locations

from .factories import make_departure, make_experience, new_basket

EventHandler = get_class("order.processing", "EventHandler")

pytestmark = pytest.mark.django_db


@pytest.fixture
def locs():
    return three_locations()


@pytest.fixture
def gift(locs):
    """Coffee (10 at the showcase) × 2 + the weaving class × 2, sold 500.000 đ."""
    coffee = certified_offer("Cà phê Đăk Hà", stock={locs[0]: 10}, price=Decimal("100000"))
    weaving = make_experience("Lớp dệt thổ cẩm", price=200_000)
    make_certificate(weaving, stars=3)
    weaving.refresh_from_db()
    combo = make_combo([(coffee, 2), (weaving.stockrecords.get(), 2)],
                       price=Decimal("500000"), title="Combo quà Đăk Hà và lớp dệt")
    yield coffee, weaving, combo
    assert_invariants()


def _order(combo, quantity, number):
    basket = new_basket()
    basket.add_product(combo, quantity)
    return create_order(basket=basket, number=number)


def _net(stockrecord):
    stockrecord.refresh_from_db()
    return (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0)


def test_the_combo_stays_available_though_the_experience_has_no_stock(locs, gift):
    coffee, weaving, combo = gift
    assert not Stock.objects.filter(stockrecord__product=weaving).exists()
    online, per_location = combos.availability(combo)
    assert online == 5  # only the coffee counts: 10 // 2
    assert dict((loc.code, n) for loc, n in per_location)["showcase"] == 5
    record = combo_record(combo)
    assert _net(record) == 5
    assert inventory.online_availability([record]) == {record.pk: 5}
    info = new_basket().strategy.fetch_for_product(combo)
    assert info.availability.is_available_to_buy
    assert info.availability.is_purchase_permitted(5)[0]
    assert not info.availability.is_purchase_permitted(6)[0]
    # click & collect needs only the coffee at the point
    basket = new_basket()
    basket.add_product(combo, 2)
    assert {sr_id: units for sr_id, (_t, units, _c) in basket_needs(basket).items()} == {
        coffee.pk: 4}


def test_the_voucher_component_must_still_be_sellable(gift):
    _coffee, weaving, combo = gift
    weaving.is_public = False
    weaving.save()
    assert combos.availability(combo)[0] == 0
    assert _net(combo_record(combo)) == 0


def test_a_combo_of_vouchers_only_is_refused(gift):
    _coffee, weaving, _combo = gift
    with pytest.raises(ValidationError) as refused:
        make_combo([(weaving.stockrecords.get(), 1)], title="Chỉ có phiếu")
    assert "ngoài phiếu quà tặng trải nghiệm" in str(refused.value)


def test_placing_the_order_writes_the_vouchers_once_and_allocates_only_the_stock(locs, gift):
    coffee, weaving, combo = gift
    order = _order(combo, 2, "GIFT000001")
    line = order.lines.get()
    # the coffee allocated as before (2 × 2), the experience not at all
    held = {a.stock.stockrecord_id: a.quantity for a in Allocation.objects.filter(line=line)}
    assert held == {coffee.pk: 4}
    assert not StockMove.objects.filter(stock__stockrecord__product=weaving).exists()
    assert _net(combo_record(combo)) == 3
    # 2 combos × 2 places of the class = 4 gift vouchers, one person each
    vouchers = list(Booking.objects.filter(source_ref=order.number).order_by("pk"))
    assert len(vouchers) == 4
    today = timezone.localdate()
    for voucher in vouchers:
        assert voucher.source == Booking.Source.GIFT
        assert voucher.product == weaving and voucher.departure is None
        assert (voucher.adults, voucher.children) == (1, 0)
        assert voucher.valid_from == today
        assert voucher.valid_until == today + datetime.timedelta(days=365)
        assert voucher.line_refs == str(line.pk)
        assert voucher.state == Booking.State.CONFIRMED
    # their amounts: the class's share of the line (1.000.000 đ by 400.000 : 800.000)
    assert sum(v.amount for v in vouchers) == combos.revenue_split(
        line.line_price_incl_tax, combos.parts_of(combo))[1]
    # once: placing the line again writes nothing more
    assert purchase.place_combo_vouchers(line) == []
    assert Booking.objects.filter(source_ref=order.number).count() == 4
    # the thank-you page / email list them with their QR
    listed = order_vouchers({}, order)
    assert [b.pk for b in listed] == [v.pk for v in vouchers]
    assert all(b.voucher_link for b in listed)


def test_the_period_is_a_setting(settings, gift):
    settings.EXPERIENCE_GIFT_VOUCHER_DAYS = 30
    _coffee, _weaving, combo = gift
    order = _order(combo, 1, "GIFT000002")
    voucher = Booking.objects.filter(source_ref=order.number).first()
    assert voucher.valid_until - voucher.valid_from == datetime.timedelta(days=30)


def test_a_voucher_is_redeemed_for_a_departure_within_its_period(settings, gift):
    settings.EXPERIENCE_GIFT_VOUCHER_DAYS = 30
    _coffee, weaving, combo = gift
    order = _order(combo, 1, "GIFT000003")
    first, second = Booking.objects.filter(source_ref=order.number).order_by("pk")
    too_late = make_departure(weaving, days=40, places=5)
    with pytest.raises(NotBookable) as refused:
        bookings.redeem_gift(first, too_late)
    assert refused.value.code == "gift_period"
    departure = make_departure(weaving, days=10, places=5)
    redeemed = bookings.redeem_gift(first, departure)
    departure.refresh_from_db()
    assert redeemed.departure == departure and departure.places_taken == 1
    with pytest.raises(NotBookable):
        bookings.redeem_gift(first, departure)  # once
    other = make_departure(make_experience(), days=10)
    with pytest.raises(NotBookable):
        bookings.redeem_gift(second, other)  # another experience


def test_cancelling_the_order_cancels_the_unredeemed_vouchers(locs, gift):
    coffee, weaving, combo = gift
    order = _order(combo, 2, "GIFT000004")
    vouchers = list(Booking.objects.filter(source_ref=order.number).order_by("pk"))
    departure = make_departure(weaving, days=10, places=5)
    bookings.redeem_gift(vouchers[0], departure)
    EventHandler().cancel_stock_allocations(order)
    states = {v.pk: v.state for v in Booking.objects.filter(source_ref=order.number)}
    assert [states[v.pk] for v in vouchers[1:]] == [Booking.State.CANCELLED] * 3
    # the one already put on a departure is the receiver's booking: left to the office
    assert states[vouchers[0].pk] == Booking.State.CONFIRMED
    # the coffee came back
    assert Stock.objects.get(stockrecord=coffee, location=locs[0]).quantity_allocated == 0
    assert _net(combo_record(combo)) == 5
    # twice: nothing more
    assert bookings.cancel_for_order(order.number) == []
    cancelled = Booking.objects.get(pk=vouchers[1].pk)
    with pytest.raises(NotBookable):
        bookings.redeem_gift(cancelled, departure)


def test_cancelling_other_lines_leaves_the_vouchers(locs, gift):
    _coffee, _weaving, combo = gift
    honey = certified_offer("Mật ong rừng", stock={locs[0]: 5})
    basket = new_basket()
    basket.add_product(combo, 1)
    basket.add_product(honey.product, 1)
    order = create_order(basket=basket, number="GIFT000005")
    honey_line = order.lines.get(product=honey.product)
    EventHandler().cancel_stock_allocations(order, lines=[honey_line], line_quantities=[1])
    assert set(Booking.objects.filter(source_ref=order.number).values_list(
        "state", flat=True)) == {Booking.State.CONFIRMED}


def test_a_till_sale_moves_only_the_stock_components(locs, gift):
    coffee, weaving, combo = gift
    moves = inventory.record_till_sale(locs[0], [(combo_record(combo), 1)], reference="HD-G1")
    assert [(m.stock.stockrecord_id, m.quantity) for m in moves] == [(coffee.pk, -2)]
    assert not Stock.objects.filter(stockrecord__product=weaving).exists()


def test_a_till_sale_of_the_combo_writes_its_paid_vouchers_once(locs, gift):
    import uuid

    from django.urls import reverse
    from rest_framework.test import APIClient

    from pos.models import TillSale, TillSession
    from tests.pos.factories import make_cashier, make_register

    coffee, weaving, combo = gift
    register = make_register(locs[0], code="gc-1")
    cashier = make_cashier(locs[0], username="thu.ngan.gift")
    session = TillSession.objects.create(register=register, cashier=cashier,
                                         opening_float=Decimal("500000"))
    api = APIClient()
    api.force_authenticate(cashier)
    record = combo_record(combo)
    body = {
        "client_uuid": str(uuid.uuid4()), "session": session.pk,
        "lines": [{"stockrecord": record.pk, "quantity": 1, "unit_price": 500000}],
        "tenders": [{"kind": "cash", "tendered": 500000}], "client_total": 500000,
    }
    endpoint = reverse("pos:api-sales", args=[register.pk])
    response = api.post(endpoint, body, format="json")
    assert response.status_code == 201, response.json()
    sale = TillSale.objects.get()
    vouchers = list(Booking.objects.filter(source_ref=sale.order.number).order_by("pk"))
    assert len(vouchers) == 2
    assert all(v.source == Booking.Source.GIFT and v.payment == Booking.Payment.TILL
               and v.paid_at is not None and v.departure is None for v in vouchers)
    assert [b["code"] for b in response.json()["bookings"]] == [v.code for v in vouchers]
    # the coffee left the shelf, the class did not
    assert Stock.objects.get(stockrecord=coffee, location=locs[0]).quantity == 8
    assert not Stock.objects.filter(stockrecord__product=weaving).exists()
    # the same sale sent again: the same vouchers, no more
    again = api.post(endpoint, body, format="json")
    assert again.status_code == 200
    assert [b["code"] for b in again.json()["bookings"]] == [v.code for v in vouchers]
    assert Booking.objects.filter(source_ref=sale.order.number).count() == 2


def test_the_demo_gift_combo_holds_the_tour_voucher_once(locs):
    from shop.experiences.demo import GIFT_COMBO_TITLE, load_demo_gift_combo

    tour = make_experience("Tour làng Kon Bơ Băn", price=450_000)
    tour.stockrecords.update(partner_sku="NREO-003")
    scarf = certified_offer("Khăn choàng thổ cẩm Ba Na", stock={locs[0]: 6})
    type(scarf).objects.filter(pk=scarf.pk).update(partner_sku="DLTC-001")
    assert load_demo_gift_combo() is None  # the tour has no OCOP certificate yet: no combo
    make_certificate(tour, stars=3)
    combo = load_demo_gift_combo()
    assert combo is not None and combo.title == GIFT_COMBO_TITLE
    parts = combos.parts_of(combo)
    assert [p.product for p in parts][:2] == [tour, scarf.product]
    assert inventory.is_voucher(parts[0].product)
    assert combos.availability(combo)[0] == 6  # the scarf and the gift box count, not the tour
    assert load_demo_gift_combo() is None  # twice: the same
    assert_invariants()


def test_the_order_pages_show_the_vouchers_and_the_receiver_redeems_on_the_page(client, gift):
    from django.template.loader import render_to_string
    from django.urls import reverse

    _coffee, weaving, combo = gift
    order = _order(combo, 1, "GIFT000006")
    voucher = Booking.objects.filter(source_ref=order.number).first()
    html = render_to_string("experiences/partials/order_vouchers.html", {"order": order})
    assert voucher.display_code in html and "Phiếu quà tặng dùng cho một chuyến bất kỳ" in html
    departure = make_departure(weaving, days=12, places=4)
    page = client.get(reverse("experiences:booking", args=[voucher.code])).content.decode()
    assert "Chọn chuyến cho phiếu quà tặng" in page
    response = client.post(reverse("experiences:booking-redeem", args=[voucher.code]),
                           {"departure": departure.pk})
    assert response.status_code == 302
    voucher.refresh_from_db()
    departure.refresh_from_db()
    assert voucher.departure == departure and departure.places_taken == 1
