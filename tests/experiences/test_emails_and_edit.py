"""The voucher goes when an online booking is paid; an order cancelled unpaid tells its buyer;
a provider edits a departure (its bookers told of a new time or meeting point once); the
admin refuses places below those taken (tasks, bookings, views.DepartureEditView, admin)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.experiences import bookings, purchase, tasks
from shop.experiences.models import Booking
from shop.payment import payments

from .factories import make_departure, make_experience, new_basket

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

VOUCHER_TEXT = "Cảm ơn bạn đã đặt chỗ"
AWAITING_TEXT = "Chờ thanh toán: phiếu có mã QR sẽ được gửi qua email khi đã nhận được tiền."


def vouchers_to(address):
    return [m for m in mail.outbox if m.to == [address] and VOUCHER_TEXT in m.body]


def checkout(client, method, email="khach@example.vn"):
    """An experiences-only basket through the checkout pages (no delivery step)."""
    r = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
    assert r.status_code == 302
    assert client.get(reverse("checkout:shipping-method")).status_code == 302
    r = client.post(reverse("checkout:payment-method"), {"method": method})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return Order.objects.get()


@pytest.fixture
def shop_ready():
    from tests.checkout.support import delivery_zones
    from tests.showroom.factories import three_locations

    delivery_zones()
    three_locations()


def book_online(client, departure, adults=2):
    response = client.post(f"/experiences/add/{departure.product_id}/", {
        "departure": departure.pk, "adults": str(adults), "phone": "0912 345 678"})
    assert response.status_code == 302


# --- 1. the voucher when paid; the order cancelled unpaid -------------------------------------


def test_a_vietqr_booking_gets_its_voucher_when_the_transfer_is_confirmed(
        client, shop_ready, settings, django_capture_on_commit_callbacks):
    settings.SHOP_BASE_URL = "https://ocopdakha.vn"
    departure = make_departure(make_experience(), days=5, places=10)
    book_online(client, departure)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout(client, "vietqr")
    booking = Booking.objects.get(source_ref=order.number)
    assert booking.payment == Booking.Payment.VIETQR and booking.paid_at is None
    # placed, not paid: no voucher; the order's email lists the booking without its QR
    assert vouchers_to("khach@example.vn") == []
    order_mail = [m for m in mail.outbox if booking.display_code in m.body]
    assert len(order_mail) == 1 and AWAITING_TEXT in order_mail[0].body
    html = order_mail[0].alternatives[0][0]
    assert AWAITING_TEXT in html and "/qr.png" not in html
    assert tasks.send_booking_confirmation(booking.pk) == "awaiting payment"
    # the booking page shows no QR either while the money is not in
    page = client.get(reverse("experiences:booking", args=[booking.code])).content.decode()
    assert AWAITING_TEXT in page and "<svg" not in page

    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_transfer(order, order.total_incl_tax)
    sent = vouchers_to("khach@example.vn")
    assert len(sent) == 1 and booking.display_code in sent[0].subject
    assert 'src="cid:voucher-qr"' in sent[0].alternatives[0][0]
    # once: the payment saved again, the task run again, nothing more
    with django_capture_on_commit_callbacks(execute=True):
        bookings.sync_order_payment(order.number, method="vietqr", paid=True)
        tasks.queue_paid([booking.pk])
    assert len(vouchers_to("khach@example.vn")) == 1
    page = client.get(reverse("experiences:booking", args=[booking.code])).content.decode()
    assert AWAITING_TEXT not in page and "<svg" in page


def test_a_card_booking_gets_its_voucher_on_the_stripe_paid_path(
        django_capture_on_commit_callbacks):
    departure = make_departure(make_experience(price=200_000), days=5, places=10)
    basket = new_basket()
    purchase.add_to_basket(basket, departure.product, departure, adults=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = create_order(basket=basket, number="EXPMAIL01", guest_email="the@example.vn")
        payments.open_payment(order, "card")
    booking = Booking.objects.get(source_ref=order.number)
    assert booking.contact_email == "the@example.vn" and booking.payment == Booking.Payment.CARD
    assert vouchers_to("the@example.vn") == []
    # what the Stripe webhook's payment_intent.succeeded calls
    with django_capture_on_commit_callbacks(execute=True):
        payments.mark_paid(order, order.total_incl_tax, reference="pi_test")
    assert len(vouchers_to("the@example.vn")) == 1


def test_cash_on_arrival_still_gets_its_voucher_at_placement(
        django_capture_on_commit_callbacks):
    departure = make_departure(make_experience(), days=5, places=10)
    basket = new_basket()
    purchase.add_to_basket(basket, departure.product, departure, adults=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = create_order(basket=basket, number="EXPMAIL02", guest_email="cod@example.vn")
        payments.open_payment(order, "cod")
    assert len(vouchers_to("cod@example.vn")) == 1
    # an office booking too (cash by default), as before
    with django_capture_on_commit_callbacks(execute=True):
        bookings.create_booking(departure, contact_email="office@example.vn")
    assert len(vouchers_to("office@example.vn")) == 1


def test_an_unpaid_order_released_tells_the_buyer_once_and_gives_the_places_back_once(
        client, shop_ready, django_capture_on_commit_callbacks):
    departure = make_departure(make_experience(), days=5, places=10)
    book_online(client, departure, adults=3)
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout(client, "vietqr")
    departure.refresh_from_db()
    assert departure.places_taken == 3
    booking = Booking.objects.get(source_ref=order.number)
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - datetime.timedelta(hours=49))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert payments.release_unpaid() == [order.number]
    with django_capture_on_commit_callbacks(execute=True):
        assert payments.release_unpaid() == []
        assert bookings.cancel_for_order(order.number) == []
    departure.refresh_from_db()
    booking.refresh_from_db()
    assert departure.places_taken == 0 and booking.state == Booking.State.CANCELLED
    assert booking.cancel_reason == "Đơn hàng chưa được thanh toán."
    sent = [m for m in mail.outbox if m.to == ["khach@example.vn"]]
    assert len(sent) == 1
    assert "đã bị huỷ" in sent[0].subject and booking.display_code in sent[0].body
    assert "Đơn hàng chưa được thanh toán." in sent[0].body
    assert "nhà cung cấp đã huỷ" not in sent[0].body
    assert vouchers_to("khach@example.vn") == []
    # a later run of the email task (a redelivery) sends nothing more
    tasks.send_departure_cancelled([booking.pk])
    assert len([m for m in mail.outbox if m.to == ["khach@example.vn"]]) == 1
