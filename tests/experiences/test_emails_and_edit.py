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
from shop.experiences.models import Booking, Departure
from shop.payment import payments

from .factories import make_departure, make_experience, make_user, new_basket, two_providers

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


def order_for(departure, number, email, method):
    """One person on ``departure`` ordered (guest ``email``) with its payment opened by
    ``method``; the mail outbox emptied first."""
    basket = new_basket()
    purchase.add_to_basket(basket, departure.product, departure, adults=1)
    mail.outbox.clear()
    order = create_order(basket=basket, number=number, guest_email=email)
    payments.open_payment(order, method)
    return order


def test_a_card_booking_gets_its_voucher_on_the_stripe_paid_path(
        django_capture_on_commit_callbacks):
    departure = make_departure(make_experience(price=200_000), days=5, places=10)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_for(departure, "EXPMAIL01", "the@example.vn", "card")
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
    with django_capture_on_commit_callbacks(execute=True):
        order_for(departure, "EXPMAIL02", "cod@example.vn", "cod")
    assert len(vouchers_to("cod@example.vn")) == 1
    # office bookings too, as before (cash, or a transfer the office follows itself)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.create_booking(departure, contact_email="office@example.vn")
        bookings.create_booking(departure, contact_email="office-qr@example.vn",
                                payment=Booking.Payment.VIETQR)
    assert len(vouchers_to("office@example.vn")) == 1
    assert len(vouchers_to("office-qr@example.vn")) == 1


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


def test_an_order_cancelled_by_the_staff_tells_the_buyer_the_staffs_reason(
        client, shop_ready, django_capture_on_commit_callbacks):
    from shop.order.processing import EventHandler

    departure = make_departure(make_experience(), days=5, places=10)
    book_online(client, departure, adults=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout(client, "vietqr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        EventHandler(make_user(staff=True)).handle_order_status_change(
            order, "Đã huỷ", note_msg="Khách gọi điện xin huỷ chuyến")
    booking = Booking.objects.get(source_ref=order.number)
    assert booking.state == Booking.State.CANCELLED
    assert booking.cancel_reason == "Khách gọi điện xin huỷ chuyến"
    sent = [m for m in mail.outbox if m.to == ["khach@example.vn"]]
    assert len(sent) == 1 and "Khách gọi điện xin huỷ chuyến" in sent[0].body


# --- 2. the provider edits a departure; the admin refuses places below those taken -----------


@pytest.fixture
def world():
    return two_providers()


def book(departure, email, adults=2, **kwargs):
    return bookings.create_booking(departure, adults=adults, contact_name="Lan",
                                   contact_email=email, channel="office", **kwargs)


def edit_data(departure, **changes):
    data = {"date": departure.date.isoformat(), "start_time": f"{departure.start_time:%H:%M}",
            "duration_minutes": departure.duration_minutes,
            "places_total": departure.places_total, "meeting_point": departure.meeting_point,
            "guide_language": departure.guide_language, "note": departure.note}
    data.update(changes)
    return data


def stored(departure):
    row = Departure.objects.get(pk=departure.pk)
    return (row.date, row.start_time, row.meeting_point, row.places_total, row.places_taken,
            row.duration_minutes, row.guide_language, row.note)


def test_the_provider_moves_a_departure_and_every_booker_is_told_once(
        client, world, django_capture_on_commit_callbacks):
    departure = make_departure(world["tour"], days=5, hour=8, places=10)
    lan = book(departure, "lan@example.vn")
    binh = book(departure, "binh@example.vn", adults=1)
    gone = book(departure, "huy@example.vn", adults=1)
    bookings.cancel_booking(gone, by_buyer=False)
    book(departure, "")  # no email: nobody to tell
    client.force_login(world["provider"])
    url = reverse("experiences:departure-edit", args=[departure.pk])
    # the links: the week view's row and the manifest
    week = client.get(reverse("experiences:provider"), {"week": departure.date.isoformat()})
    assert url in week.content.decode()
    assert url in client.get(reverse("experiences:manifest", args=[departure.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'value="08:00"' in page.content.decode()

    new_day = departure.date + datetime.timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, edit_data(departure, date=new_day.isoformat(),
                                              start_time="09:30", meeting_point="Bến thuyền",
                                              places_total=12))
    assert response.status_code == 302
    assert response["Location"] == reverse("experiences:manifest", args=[departure.pk])
    departure.refresh_from_db()
    assert (departure.date, f"{departure.start_time:%H:%M}") == (new_day, "09:30")
    assert departure.meeting_point == "Bến thuyền" and departure.places_total == 12
    assert departure.places_taken == 3 + 2  # the booking without email holds 2 places
    assert sorted(m.to[0] for m in mail.outbox) == ["binh@example.vn", "lan@example.vn"]
    message = next(m for m in mail.outbox if m.to == ["lan@example.vn"])
    assert "đã thay đổi" in message.subject and "09:30" in message.subject
    assert "Bến thuyền" in message.body and lan.display_code in message.body
    assert "Trước đây: 08:00" in message.body and "Nhà rông làng Kon Jơ Ri" in message.body
    assert not message.attachments  # no QR: the voucher is unchanged
    # the task delivered again (same change): nothing more
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tasks.queue_departure_changed(departure, {"date": departure.date,
                                                  "start_time": departure.start_time,
                                                  "meeting_point": "Nhà rông"})
    queued[0]()
    queued[0]()
    assert len(mail.outbox) == 2
    # moved back and then again to the same values: each change is news
    for start in ("08:00", "09:30"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, edit_data(departure, start_time=start)).status_code == 302
    assert len(mail.outbox) == 6
    mail.outbox.clear()
    # a change of places or language only: nobody emailed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, edit_data(departure, places_total=15,
                                              guide_language="Tiếng Anh"))
    assert response.status_code == 302 and mail.outbox == []
    assert binh.pk  # still booked
    assert Departure.objects.get(pk=departure.pk).places_total == 15


def test_another_provider_gets_404_and_the_office_may_edit(client, world):
    departure = make_departure(world["tour"], days=5)
    url = reverse("experiences:departure-edit", args=[departure.pk])
    client.force_login(world["other"])
    assert client.get(url).status_code == 404
    before = stored(departure)
    assert client.post(url, edit_data(departure, places_total=3)).status_code == 404
    assert stored(departure) == before
    client.force_login(world["office"])
    assert client.get(url).status_code == 200
    assert client.post(url, edit_data(departure, places_total=3)).status_code == 302
    assert Departure.objects.get(pk=departure.pk).places_total == 3


def test_places_below_those_taken_is_a_form_error_and_nothing_is_written(
        client, world, django_capture_on_commit_callbacks):
    departure = make_departure(world["tour"], days=5, places=10)
    book(departure, "lan@example.vn", adults=4)
    client.force_login(world["provider"])
    url = reverse("experiences:departure-edit", args=[departure.pk])
    before = stored(departure)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, edit_data(departure, places_total=3, start_time="10:00",
                                              meeting_point="Bến thuyền"))
    assert response.status_code == 400
    assert "Đã có 4 chỗ được đặt: tổng số chỗ không thể ít hơn." in response.content.decode()
    assert stored(departure) == before and mail.outbox == []
    # a time already past: refused too
    response = client.post(url, edit_data(departure, date=timezone.localdate().isoformat(),
                                          start_time="06:00"))
    assert response.status_code == 400 and "Giờ khởi hành mới đã qua" in response.content.decode()
    assert stored(departure) == before


@pytest.mark.parametrize("kind", ["past", "started", "cancelled"])
def test_a_past_or_cancelled_departure_cannot_be_edited(client, world, kind):
    if kind == "past":
        departure = make_departure(world["tour"], days=-1)
    elif kind == "started":
        departure = make_departure(world["tour"], days=0, hour=11)  # the clock reads noon
    else:
        departure = make_departure(world["tour"], days=5)
        bookings.cancel_departure(departure, reason="Mưa lớn")
    client.force_login(world["provider"])
    url = reverse("experiences:departure-edit", args=[departure.pk])
    before = stored(departure)
    shown = client.get(url)
    assert shown.status_code == 409
    message = ("Chuyến khởi hành này đã bị huỷ." if kind == "cancelled"
               else "Chuyến khởi hành này đã bắt đầu hoặc đã qua, không sửa được nữa.")
    assert message in shown.content.decode() and 'id="departure-edit-form"' not in \
        shown.content.decode()
    response = client.post(url, edit_data(departure, places_total=30))
    assert response.status_code == 409 and message in response.content.decode()
    assert stored(departure) == before
    # no edit link either
    manifest = client.get(reverse("experiences:manifest", args=[departure.pk]))
    assert url not in manifest.content.decode()


def test_the_edit_page_costs_a_bounded_number_of_queries(
        client, world, django_assert_max_num_queries):
    departure = make_departure(world["tour"], days=5, places=40)
    for n in range(6):
        book(departure, f"k{n}@example.vn", adults=1)
    client.force_login(world["provider"])
    url = reverse("experiences:departure-edit", args=[departure.pk])
    client.get(url)
    with django_assert_max_num_queries(14):  # session, user, vendor, layout, the departure
        page = client.get(url)
    assert page.status_code == 200
    # the browser's date field shows the departure's day (it reads only YYYY-MM-DD)
    assert f'value="{departure.date.isoformat()}"' in page.content.decode()
    with django_assert_max_num_queries(22):  # + the row lock and the save
        assert client.post(url, edit_data(departure, start_time="10:15")).status_code == 302


def test_the_admin_refuses_places_below_those_taken_without_a_500(client, world):
    departure = make_departure(world["tour"], days=5, places=10)
    book(departure, "lan@example.vn", adults=4)
    admin = make_user(is_superuser=True, staff=True)
    client.force_login(admin)
    url = reverse("admin:experiences_departure_change", args=[departure.pk])
    assert client.get(url).status_code == 200
    data = {"product": departure.product_id, "schedule": "", "date": departure.date.isoformat(),
            "start_time": f"{departure.start_time:%H:%M:%S}", "duration_minutes": 240,
            "meeting_point": departure.meeting_point, "guide_language": "Tiếng Việt",
            "places_total": 3, "note": "", "created_by": ""}
    before = stored(departure)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Đã có 4 chỗ được đặt: tổng số chỗ không thể ít hơn." in response.content.decode()
    assert stored(departure) == before
    data["places_total"] = 4
    assert client.post(url, data).status_code == 302
    departure.refresh_from_db()
    assert departure.places_total == 4 and departure.places_taken == 4
