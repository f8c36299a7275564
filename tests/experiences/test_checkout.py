"""Buying online: the basket line carries the departure; the order takes the places."""

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shop.experiences import bookings, purchase
from shop.experiences.errors import InvalidPeople, NoPlaces, NotBookable
from shop.experiences.models import Booking, Departure
from tests.showroom.factories import make_offer, three_locations

from .factories import make_departure, make_experience, new_basket

Order = get_model("order", "Order")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
EventHandler = get_class("order.processing", "EventHandler")

pytestmark = pytest.mark.django_db


def _order(basket, number):
    return create_order(basket=basket, number=number)


def test_basket_lines_carry_the_departure_and_the_child_price():
    product = make_experience(price=200_000, child=120_000)
    departure = make_departure(product, places=10)
    basket = new_basket()
    lines = purchase.add_to_basket(basket, product, departure, adults=2, children=1)
    assert [line.quantity for line in lines] == [2, 1]
    adult, child = basket.all_lines()
    assert purchase.line_departure_id(adult) == departure.pk == purchase.line_departure_id(child)
    assert purchase.line_price_kind(adult) == "adult" and purchase.line_price_kind(child) == "child"
    assert adult.unit_price_incl_tax == 200_000 and child.unit_price_incl_tax == 120_000
    assert basket.total_incl_tax == 520_000
    ok, _reason = adult.purchase_info.availability.is_purchase_permitted(2)
    assert ok
    # places are not taken by the basket
    departure.refresh_from_db()
    assert departure.places_taken == 0


def test_the_basket_refuses_a_departure_without_places_past_or_cancelled():
    product = make_experience()
    basket = new_basket()
    with pytest.raises(NoPlaces):
        purchase.add_to_basket(basket, product, make_departure(product, places=2, taken=2))
    with pytest.raises(NotBookable):
        purchase.add_to_basket(basket, product, make_departure(product, days=-1))
    with pytest.raises(NotBookable):
        purchase.add_to_basket(basket, product,
                               make_departure(product, status=Departure.Status.CANCELLED))
    with pytest.raises(InvalidPeople):
        purchase.add_to_basket(basket, product, make_departure(product), adults=0)
    departure = make_departure(product, places=3)
    purchase.add_to_basket(basket, product, departure, adults=2)
    with pytest.raises(NoPlaces):  # 2 already in the basket + 2
        purchase.add_to_basket(basket, product, departure, adults=2)
    no_child = make_experience(child=None)
    with pytest.raises(NotBookable):
        purchase.add_to_basket(new_basket(), no_child, make_departure(no_child), children=1)


def test_a_line_whose_departure_filled_up_is_refused_at_checkout():
    product = make_experience()
    departure = make_departure(product, places=3)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=2)
    bookings.create_booking(departure, adults=2, channel="office")
    line = basket.all_lines()[0]
    info = basket.strategy.fetch_for_line(line)
    ok, reason = info.availability.is_purchase_permitted(line.quantity)
    assert not ok and "chỉ còn 1 chỗ" in reason


def test_the_product_itself_is_not_sold_from_stock():
    product = make_experience()
    info = new_basket().strategy.fetch_for_product(product)
    assert info.availability.is_available_to_buy
    ok, reason = info.availability.is_purchase_permitted(1)
    assert not ok and "chuyến khởi hành" in reason


def test_placing_the_order_takes_places_and_writes_one_booking():
    three_locations()
    product = make_experience(price=200_000, child=120_000)
    departure = make_departure(product, places=10)
    coffee = make_offer("Cà phê", stock={three_locations()[0]: 5}, price=150_000)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=2, children=1)
    basket.add_product(coffee.product, 1)
    order = _order(basket, "EXP000001")
    departure.refresh_from_db()
    assert departure.places_taken == 3
    booking = Booking.objects.get(source_ref=order.number)
    assert (booking.adults, booking.children, booking.departure) == (2, 1, departure)
    assert booking.amount == 520_000
    assert booking.source == Booking.Source.ONLINE
    assert set(booking.line_refs.split(",")) == {
        str(line.pk) for line in order.lines.filter(product=product)}
    # the order lines carry the departure too (Oscar copies the basket line's options)
    line = order.lines.filter(product=product).first()
    assert purchase.line_departure_id(line) == departure.pk
    # the coffee was allocated from stock, the experience was not
    coffee.refresh_from_db()
    assert coffee.num_allocated == 1


def test_nothing_is_written_when_the_places_ran_out():
    product = make_experience()
    departure = make_departure(product, places=3)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=3)
    bookings.create_booking(departure, adults=1, channel="office")  # someone was faster
    with pytest.raises(UnableToPlaceOrder, match="chỉ còn 2 chỗ"):
        _order(basket, "EXP000002")
    assert not Order.objects.filter(number="EXP000002").exists()
    assert not Booking.objects.filter(source_ref="EXP000002").exists()
    departure.refresh_from_db()
    assert departure.places_taken == 1


def test_cancelling_the_order_gives_the_places_back_once():
    product = make_experience()
    departure = make_departure(product, places=5)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=2)
    order = _order(basket, "EXP000003")
    departure.refresh_from_db()
    assert departure.places_taken == 2
    handler = EventHandler()
    handler.cancel_stock_allocations(order)
    handler.cancel_stock_allocations(order)
    departure.refresh_from_db()
    assert departure.places_taken == 0
    assert Booking.objects.get(source_ref=order.number).state == Booking.State.CANCELLED


def test_the_order_payment_reaches_the_booking():
    from shop.payment import payments

    product = make_experience()
    departure = make_departure(product, places=5)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=1)
    order = _order(basket, "EXP000004")
    payments.open_payment(order, "vietqr")
    booking = Booking.objects.get(source_ref=order.number)
    assert booking.payment == Booking.Payment.VIETQR and booking.paid_at is None
    payments.confirm_transfer(order, order.total_incl_tax)
    booking.refresh_from_db()
    assert booking.paid_at is not None
    assert bookings.refund_for(booking) == Booking.Refund.BANK_TRANSFER


# --- through the pages ------------------------------------------------------------------------

def test_product_page_shows_the_calendar_and_the_prices(client):
    product = make_experience(price=200_000, child=120_000)
    departure = make_departure(product, places=10, taken=3)
    full = make_departure(product, places=2, taken=2)
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="experience-calendar"' in html and 'id="experience-book-form"' in html
    assert f'value="{departure.pk}"' in html and "còn 7 chỗ" in html
    assert "200.000" in html and "120.000" in html
    assert f'value="{full.pk}" required\n' in html or "disabled" in html


def _checkout_without_shipping(client, method, email="khach@example.vn"):
    """An experiences-only basket needs no delivery: Oscar skips the address and the method."""
    from django.urls import reverse

    r = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
    assert r.status_code == 302
    r = client.get(reverse("checkout:shipping-method"))
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(reverse("checkout:payment-method"), {"method": method})
    assert r.status_code == 302, r.content.decode()[:3000]
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def test_book_two_people_from_the_page_and_pay_by_vietqr(client):
    from tests.checkout.support import delivery_zones

    delivery_zones()
    three_locations()
    product = make_experience(price=200_000, child=120_000)
    departure = make_departure(product, places=10)
    url = f"/experiences/add/{product.pk}/"
    response = client.post(url, {"departure": departure.pk, "adults": "1", "children": "1",
                                 "phone": "0912 345 678"})
    assert response.status_code == 302
    response = _checkout_without_shipping(client, "vietqr")
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    booking = Booking.objects.get(source_ref=order.number)
    assert (booking.adults, booking.children, booking.amount) == (1, 1, 320_000)
    assert booking.payment == Booking.Payment.VIETQR and booking.paid_at is None
    assert booking.contact_email == "khach@example.vn"
    # no delivery address for places: the guide's number is the one the page asked for
    assert booking.contact_phone == "+84912345678"
    departure.refresh_from_db()
    assert departure.places_taken == 2


@pytest.mark.parametrize("data,message", [
    ({"departure": ""}, "Hãy chọn một chuyến khởi hành."),
    ({"departure": "abc"}, "Hãy chọn một chuyến khởi hành."),
    ({"adults": "0"}, "Số người phải là số nguyên"),
    ({"adults": "-2"}, "Số người phải là số nguyên"),
    ({"adults": "1.5"}, "Số người phải là số nguyên"),
    ({"adults": "11"}, "chỉ còn 10 chỗ"),
    ({"phone": ""}, "Hãy nhập số điện thoại."),
    ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
])
def test_bad_booking_input_answers_400_in_vietnamese(client, data, message):
    product = make_experience()
    departure = make_departure(product, places=10)
    post = {"departure": departure.pk, "adults": "1", "phone": "0912 345 678"}
    post.update(data)
    response = client.post(f"/experiences/add/{product.pk}/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_model("basket", "Line").objects.exists()


def test_the_generic_basket_form_cannot_sell_an_experience_without_departure(client):
    product = make_experience()
    make_departure(product)
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert not get_model("basket", "Line").objects.exists()
    assert response.status_code in (302, 400)


def test_a_card_booking_cancelled_by_the_buyer_is_refunded_through_stripe(monkeypatch):
    from shop.payment import payments
    from shop.payment.models import OrderPayment

    product = make_experience(price=200_000)
    departure = make_departure(product, days=10, places=5)
    basket = new_basket()
    purchase.add_to_basket(basket, product, departure, adults=2)
    order = _order(basket, "EXP000005")
    payments.open_payment(order, "card")
    OrderPayment.objects.filter(order=order).update(amount_paid=order.total_incl_tax,
                                                    status=OrderPayment.Status.PAID)
    booking = Booking.objects.get(source_ref=order.number)
    booking.refresh_from_db()
    calls = []
    monkeypatch.setattr(payments, "refund_card",
                        lambda order, amount, user=None, reason="": calls.append((order, amount)))
    assert bookings.cancel_booking(booking) is True
    booking.refresh_from_db()
    assert calls == [(order, 400_000)]
    assert booking.refund == Booking.Refund.STRIPE and "Stripe" in booking.refund_note
    departure.refresh_from_db()
    assert departure.places_taken == 0
