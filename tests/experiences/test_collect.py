"""Cash on arrival collected by the guide (check-in page, manifest rows), online payments not
yet made shown apart ("Chờ thanh toán"), and odd digits in the booking form answered 400
(shop.experiences.bookings.collect_cash, views.payment_status, shop.experiences.basket_views)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.experiences import bookings
from shop.experiences.models import Booking

from .factories import local, make_departure, make_experience, make_user, two_providers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_providers()


def book(departure, name="Nguyễn Thị Lan", adults=2, amount=400_000,
         payment=Booking.Payment.CASH, **kwargs):
    return bookings.create_booking(departure, adults=adults, contact_name=name,
                                   contact_phone="0912345678", channel="office",
                                   amount=amount, payment=payment, **kwargs)


def snapshot(booking):
    row = Booking.objects.get(pk=booking.pk)
    return (row.state, row.paid_at, row.collected_by_id, row.note, row.payment,
            row.checked_in_at)


def totals(response):
    page = response.content.decode()
    return " ".join(re.search(r'id="manifest-totals">(.*?)</p>', page, re.S).group(1).split())


def payment_cell(response, booking):
    page = response.content.decode()
    row = re.search(rf'data-code="{booking.code}".*?</tr>', page, re.S).group(0)
    return re.search(r'<td class="payment">(.*?)</td>', row, re.S).group(1)


# --- on the check-in page -----------------------------------------------------------------


def test_the_guide_checks_in_and_collects_the_cash_on_the_spot(client, world):
    departure = make_departure(world["tour"], days=0, hour=23)
    booking = book(departure, amount=520_000)
    client.force_login(world["provider"])
    shown = client.get(reverse("experiences:check-in"), {"code": booking.code})
    page = shown.content.decode()
    assert "Thu khi đến" in page and 'id="collect-form"' in page
    assert client.post(reverse("experiences:check-in"), {"code": booking.code}).status_code == 200
    # after the check-in the card still offers the collection
    response = client.post(reverse("experiences:check-in-collect"),
                           {"code": booking.display_code.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã thu 520.000\u00a0₫ của phiếu" in page  # VND as people in Việt Nam write it
    assert 'id="collect-form"' not in page and "Thu khi đến" not in page
    assert "đã thu lúc" in page
    booking.refresh_from_db()
    assert booking.paid_at is not None and booking.state == Booking.State.CHECKED_IN
    # who collected, when: collected_by and paid_at (the internal note is left alone)
    when = timezone.localtime(booking.paid_at).strftime("%H:%M %d/%m/%Y")
    assert booking.collected_by == world["provider"] and booking.note == ""

    # a second press changes nothing and says when it was collected
    before = snapshot(booking)
    again = client.post(reverse("experiences:check-in-collect"), {"code": booking.code})
    assert again.status_code == 409
    assert f"Phiếu này đã thu tiền lúc {when}." in again.content.decode()
    assert snapshot(booking) == before


def test_collecting_before_the_check_in_leaves_the_check_in_to_do(client, world):
    departure = make_departure(world["tour"], days=0, hour=23)
    booking = book(departure)
    client.force_login(world["office"])
    response = client.post(reverse("experiences:check-in-collect"), {"code": booking.code})
    assert response.status_code == 200
    assert 'id="checkin-form"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.paid_at is not None and booking.state == Booking.State.CONFIRMED


# --- on the manifest --------------------------------------------------------------------------


def test_collecting_on_the_manifest_brings_the_total_to_collect_down(client, world):
    departure = make_departure(world["tour"], days=2, places=20)
    lan = book(departure, name="Lan", amount=400_000)
    binh = book(departure, name="Bình", adults=1, amount=200_000)
    client.force_login(world["provider"])
    manifest = reverse("experiences:manifest", args=[departure.pk])
    collect = reverse("experiences:manifest-collect", args=[departure.pk])
    assert "Còn phải thu: 600.000" in totals(client.get(manifest))

    response = client.post(collect, {"code": lan.code})
    assert response.status_code == 302
    assert response["Location"] == f"{manifest}#booking-{lan.code}"
    page = client.get(manifest)
    assert "Còn phải thu: 200.000" in totals(page)
    assert "Đã trả" in payment_cell(page, lan) and "Thu khi đến" in payment_cell(page, binh)
    assert "đã thu bởi Hà Y Blông" in payment_cell(page, lan)

    assert client.post(collect, {"code": binh.display_code}).status_code == 302
    page = client.get(manifest)
    assert "Còn phải thu" not in totals(page)
    assert 'class="collect-form' not in page.content.decode()

    # the second press: nothing written, the reason with the time
    before = snapshot(binh)
    again = client.post(collect, {"code": binh.code})
    assert again.status_code == 409
    when = timezone.localtime(before[1]).strftime("%H:%M %d/%m/%Y")
    assert f"Phiếu này đã thu tiền lúc {when}." in again.content.decode()
    assert snapshot(binh) == before


def test_a_code_of_another_departure_is_not_found_on_this_manifest(client, world):
    departure = make_departure(world["tour"], days=2)
    elsewhere = book(make_departure(world["tour"], days=3))
    client.force_login(world["provider"])
    response = client.post(reverse("experiences:manifest-collect", args=[departure.pk]),
                           {"code": elsewhere.code})
    assert response.status_code == 404
    assert Booking.objects.get(pk=elsewhere.pk).paid_at is None


# --- who may collect --------------------------------------------------------------------------


def test_another_provider_and_anonymous_cannot_collect(client, world):
    departure = make_departure(world["tour"], days=0, hour=23)
    booking = book(departure)
    before = snapshot(booking)
    urls = [reverse("experiences:check-in-collect"),
            reverse("experiences:manifest-collect", args=[departure.pk])]
    for url in urls:
        response = client.post(url, {"code": booking.code})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world["other"])
    for url in urls:
        assert client.post(url, {"code": booking.code}).status_code == 404
    client.force_login(make_user())  # a customer
    for url in urls:
        assert client.post(url, {"code": booking.code}).status_code == 403
    assert snapshot(booking) == before


def test_collecting_needs_the_csrf_token(world):
    departure = make_departure(world["tour"], days=0, hour=23)
    booking = book(departure)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["provider"])
    for url in (reverse("experiences:check-in-collect"),
                reverse("experiences:manifest-collect", args=[departure.pk])):
        assert client.post(url, {"code": booking.code}).status_code == 403
    assert Booking.objects.get(pk=booking.pk).paid_at is None


def test_the_get_of_the_collect_address_changes_nothing(client, world):
    booking = book(make_departure(world["tour"], days=0, hour=23))
    client.force_login(world["provider"])
    response = client.get(reverse("experiences:check-in-collect"), {"code": booking.code})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).paid_at is None


# --- refusals ---------------------------------------------------------------------------------


def test_refusals_write_nothing(client, world):
    departure = make_departure(world["tour"], days=2, places=20)
    cancelled = book(departure, name="Huỷ")
    bookings.cancel_booking(cancelled, by_buyer=False)
    paid = book(departure, name="Đã trả quầy", payment=Booking.Payment.TILL, paid=True)
    card = book(departure, name="Thẻ", payment=Booking.Payment.CARD)
    vietqr = book(departure, name="QR", payment=Booking.Payment.VIETQR)
    client.force_login(world["provider"])
    cases = [
        (cancelled, 400, "Phiếu này đã bị huỷ, không thu tiền."),
        (paid, 409, "Phiếu này đã thanh toán lúc"),
        (card, 400, "Phiếu này thanh toán bằng Thẻ (đã trả trực tuyến), không thu tiền mặt"),
        (vietqr, 400, "Phiếu này thanh toán bằng Chuyển khoản VietQR, không thu tiền mặt"),
    ]
    for url in (reverse("experiences:manifest-collect", args=[departure.pk]),
                reverse("experiences:check-in-collect")):
        for booking, status, message in cases:
            before = snapshot(booking)
            response = client.post(url, {"code": booking.code})
            assert response.status_code == status, (booking.contact_name, url)
            assert message in response.content.decode()
            assert snapshot(booking) == before


# --- online payments not yet made -------------------------------------------------------------


def test_an_unpaid_vietqr_booking_awaits_payment_and_is_not_cash_to_collect(client, world):
    departure = make_departure(world["tour"], days=0, hour=23, places=20)
    cash = book(departure, name="Tiền mặt", amount=300_000)
    vietqr = book(departure, name="QR", amount=320_000, payment=Booking.Payment.VIETQR,
                  source=Booking.Source.ONLINE, source_ref="100123")
    client.force_login(world["provider"])
    page = client.get(reverse("experiences:manifest", args=[departure.pk]))
    cell = payment_cell(page, vietqr)
    assert "Chờ thanh toán" in cell and "Thu khi đến" not in cell and "collect-form" not in cell
    assert "Thu khi đến" in payment_cell(page, cash)
    line = totals(page)
    assert "Còn phải thu: 300.000" in line
    assert "Chờ thanh toán trực tuyến: 320.000" in line and "1 phiếu" in line

    card = client.get(reverse("experiences:check-in"), {"code": vietqr.code}).content.decode()
    assert "Chờ thanh toán" in card and "Thu khi đến" not in card
    assert "không thu tiền mặt" in card and 'id="collect-form"' not in card

    # paid online later: neither awaiting nor to collect
    bookings.mark_paid(vietqr)
    line = totals(client.get(reverse("experiences:manifest", args=[departure.pk])))
    assert "Chờ thanh toán" not in line and "Còn phải thu: 300.000" in line


# --- odd digits in the booking form -----------------------------------------------------------


@pytest.mark.parametrize("data", [
    {"adults": "²"}, {"children": "³"}, {"adults": "١"}, {"adults": "２"}, {"adults": "Ⅻ"},
    {"adults": "9" * 40}, {"departure": "²"}, {"departure": "١٢"}, {"departure": "9" * 40},
])
def test_odd_digits_answer_400_with_the_reason(client, data):
    product = make_experience()
    departure = make_departure(product, places=10)
    post = {"departure": departure.pk, "adults": "1", "phone": "0912 345 678", **data}
    response = client.post(f"/experiences/add/{product.pk}/", post)
    assert response.status_code == 400
    page = response.content.decode()
    assert any(message in page for message in (
        "Số người phải là số nguyên", "Hãy chọn một chuyến khởi hành.", "chỉ còn 10 chỗ"))
    assert not get_model("basket", "Line").objects.exists()


# --- the manifest's queries ---------------------------------------------------------------------


def test_the_manifest_with_20_bookings_keeps_its_query_budget(client, world,
                                                             django_assert_max_num_queries):
    departure = make_departure(world["tour"], days=0, hour=23, places=60)
    for i in range(20):
        payment = [Booking.Payment.CASH, Booking.Payment.VIETQR, Booking.Payment.TILL][i % 3]
        booking = book(departure, name=f"Khách {i}", adults=1, amount=100_000, payment=payment,
                       paid=payment == Booking.Payment.TILL)
        if i % 4 == 0:
            bookings.check_in(booking.code, user=world["provider"], now=local(0, 23))
    client.force_login(world["provider"])
    with django_assert_max_num_queries(22):  # the bound of test_views' manifest test
        response = client.get(reverse("experiences:manifest", args=[departure.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="booking') == 20
