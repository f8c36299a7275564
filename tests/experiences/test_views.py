"""The provider's corner, the manifest, cancellation by the provider, check-in, the buyer's
booking page and the booking emails (shop.experiences.views, tasks, emails)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shop.experiences import bookings, tasks
from shop.experiences.models import Booking, Departure
from tests.factories import make_vendor
from vendors.access import grant_producer_access

from .factories import make_departure, make_experience, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.fixture
def world():
    mine, theirs = make_vendor(name="HTX Du lịch Kon Jơ Ri"), make_vendor(name="THT Dệt Đăk Long")
    provider, other = make_user(), make_user()
    grant_producer_access(provider, mine)
    grant_producer_access(other, theirs)
    tour = make_experience("Tour làng Kon Jơ Ri", vendor=mine)
    weaving = make_experience("Dệt thổ cẩm", vendor=theirs)
    office = make_user(staff=True, perm="experiences.manage_experiences")
    return {"provider": provider, "other": other, "office": office, "tour": tour,
            "weaving": weaving}


def signed_in(client, user):
    client.force_login(user)
    return client


def book(departure, name="Nguyễn Thị Lan", phone="0912345678", email="lan@example.vn",
         adults=2, children=0, **kwargs):
    return bookings.create_booking(departure, adults=adults, children=children,
                                   contact_name=name, contact_phone=phone, contact_email=email,
                                   channel="office", **kwargs)


# --- who sees what --------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_and_a_customer_is_refused(client, world):
    response = client.get(reverse("experiences:provider"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    signed_in(client, make_user())
    response = client.get(reverse("experiences:provider"))
    assert response.status_code == 403


def test_a_provider_sees_only_its_departures_and_bookings(client, world):
    mine = make_departure(world["tour"], days=1)
    theirs = make_departure(world["weaving"], days=1)
    book(theirs, name="Khách của người khác")
    signed_in(client, world["provider"])
    week = client.get(reverse("experiences:provider") + f"?week={mine.date.isoformat()}")
    assert week.status_code == 200
    page = week.content.decode()
    assert "Tour làng Kon Jơ Ri" in page and "Dệt thổ cẩm" not in page
    assert client.get(reverse("experiences:manifest", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("experiences:departure-cancel", args=[theirs.pk]),
                       {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Departure.Status.SCHEDULED
    # their voucher cannot be looked up nor checked in by this provider
    code = Booking.objects.get(departure=theirs).code
    assert client.get(reverse("experiences:check-in"), {"code": code}).status_code == 404
    response = client.post(reverse("experiences:check-in"), {"code": code})
    assert response.status_code == 404
    assert "Không tìm thấy phiếu với mã này." in response.content.decode()
    assert Booking.objects.get(departure=theirs).state == Booking.State.CONFIRMED
    # and the departure form offers only its own experiences
    form = client.get(reverse("experiences:departure-create")).content.decode()
    assert "Tour làng Kon Jơ Ri" in form and "Dệt thổ cẩm" not in form


def test_the_office_sees_every_provider(client, world):
    a = make_departure(world["tour"], days=2)
    b = make_departure(world["weaving"], days=2)
    signed_in(client, world["office"])
    page = client.get(reverse("experiences:provider") + f"?week={a.date.isoformat()}")
    assert "Tour làng Kon Jơ Ri" in page.content.decode()
    assert "Dệt thổ cẩm" in page.content.decode()
    assert client.get(reverse("experiences:manifest", args=[b.pk])).status_code == 200


def test_the_week_list_does_not_grow_queries_with_departures(client, world,
                                                              django_assert_max_num_queries):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    for day in range(7):
        for hour in (7, 9, 13, 15):
            make_departure(world["tour"], days=(monday - timezone.localdate()).days + day,
                           hour=hour)
    signed_in(client, world["provider"])
    with django_assert_max_num_queries(22):
        response = client.get(reverse("experiences:provider") + f"?week={monday.isoformat()}")
    assert response.status_code == 200
    assert response.content.decode().count('class="departure') == 28


def test_bad_week_falls_back_to_this_week(client, world):
    signed_in(client, world["provider"])
    response = client.get(reverse("experiences:provider") + "?week=not-a-date")
    assert response.status_code == 200


# --- creating departures ----------------------------------------------------------------------


def test_provider_creates_one_departure(client, world):
    signed_in(client, world["provider"])
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(reverse("experiences:departure-create"), {
        "product": world["tour"].pk, "date": day.isoformat(), "start_time": "08:30",
        "duration_minutes": 240, "places_total": 15, "meeting_point": "Nhà rông",
        "guide_language": "Tiếng Việt", "note": ""})
    assert response.status_code == 302
    departure = Departure.objects.get(product=world["tour"])
    assert departure.date == day and departure.start_time == datetime.time(8, 30)
    assert departure.places_total == 15


def test_bad_departures_are_refused_in_vietnamese(client, world):
    signed_in(client, world["provider"])
    past = timezone.localdate() - datetime.timedelta(days=3)
    data = {"product": world["tour"].pk, "date": past.isoformat(), "start_time": "08:00",
            "duration_minutes": 240, "places_total": 15, "guide_language": "Tiếng Việt"}
    response = client.post(reverse("experiences:departure-create"), data)
    assert response.status_code == 400
    assert "trong quá khứ" in response.content.decode()
    # someone else's product: not a choice
    response = client.post(reverse("experiences:departure-create"),
                           {**data, "product": world["weaving"].pk})
    assert response.status_code == 400
    assert "Hãy chọn một trải nghiệm của bạn." in response.content.decode()
    response = client.post(reverse("experiences:departure-create"),
                           {**data, "date": "31/02/2026", "places_total": "-1"})
    assert response.status_code == 400
    assert not Departure.objects.exists()


def test_a_season_by_weekly_pattern_with_closed_dates(client, world):
    signed_in(client, world["provider"])
    start = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    end = start + datetime.timedelta(days=27)  # four weeks from a Monday
    closed = start + datetime.timedelta(days=5)  # the first Saturday
    response = client.post(reverse("experiences:season-create"), {
        "product": world["tour"].pk, "season_start": start.isoformat(),
        "season_end": end.isoformat(), "weekdays": ["6", "7"], "times": "08:00, 13:30",
        "closed_dates": closed.strftime("%d/%m/%Y"), "duration_minutes": 180,
        "places_total": 12, "meeting_point": "", "guide_language": "Tiếng Việt"})
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = Departure.objects.filter(product=world["tour"])
    assert rows.count() == 4 * 2 * 2 - 2
    assert not rows.filter(date=closed).exists()
    assert {d.isoweekday() for d in rows.values_list("date", flat=True)} == {6, 7}


def test_a_season_with_bad_input(client, world):
    signed_in(client, world["provider"])
    start = timezone.localdate() + datetime.timedelta(days=3)
    data = {"product": world["tour"].pk, "season_start": start.isoformat(),
            "season_end": (start - datetime.timedelta(days=1)).isoformat(), "weekdays": ["1"],
            "times": "08:00", "duration_minutes": 60, "places_total": 5,
            "guide_language": "Tiếng Việt"}
    response = client.post(reverse("experiences:season-create"), data)
    assert response.status_code == 400
    assert "Ngày kết thúc mùa phải sau ngày bắt đầu." in response.content.decode()
    response = client.post(reverse("experiences:season-create"),
                           {**data, "times": "8 giờ", "weekdays": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert "phải có dạng HH:MM" in page and "Hãy chọn ít nhất một ngày trong tuần." in page
    response = client.post(reverse("experiences:season-create"),
                           {**data, "season_end": (start + datetime.timedelta(days=9)).isoformat(),
                            "closed_dates": "ngày mai"})
    assert response.status_code == 400
    assert "không đúng dạng ngày/tháng/năm" in response.content.decode()
    assert not Departure.objects.exists()


# --- the manifest ---------------------------------------------------------------------------


def test_the_manifest_shows_who_comes_and_how_they_pay(client, world,
                                                       django_assert_max_num_queries):
    departure = make_departure(world["tour"], days=3, places=40)
    book(departure, name="Nguyễn Thị Lan", phone="0912345678", adults=2, children=1,
         amount=520000, payment=Booking.Payment.CASH)
    book(departure, name="Trần Văn Bình", phone="0987654321", adults=1,
         amount=200000, payment=Booking.Payment.TILL, paid=True, source=Booking.Source.TILL,
         source_ref="QUAY1-000012/1")
    for i in range(10):
        book(departure, name=f"Khách {i}", phone=f"09000000{i:02d}", adults=1)
    signed_in(client, world["provider"])
    with django_assert_max_num_queries(22):
        response = client.get(reverse("experiences:manifest", args=[departure.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Thị Lan" in page and "0912345678" in page
    assert "Trần Văn Bình" in page and "Đã trả" in page and "Thu khi đến" in page
    totals = re.search(r'id="manifest-totals">(.*?)</p>', page, re.S).group(1)
    assert "12 phiếu · 14 khách (13 người lớn, 1 trẻ em)" in " ".join(totals.split())
    assert "data-print" in page  # printable (print CSS hides the rest)


# --- cancellation by the provider -------------------------------------------------------------


def test_cancelling_a_departure_notifies_everyone_once(client, world):
    departure = make_departure(world["tour"], days=5, places=10)
    lan = book(departure, name="Lan", email="lan@example.vn", adults=2)
    binh = book(departure, name="Bình", email="binh@example.vn", adults=1, children=1)
    book(departure, name="Không email", email="", adults=1)
    mail.outbox.clear()
    signed_in(client, world["provider"])
    url = reverse("experiences:departure-cancel", args=[departure.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Hãy ghi lý do huỷ" in refused.content.decode()
    assert mail.outbox == []

    response = client.post(url, {"reason": "Mưa lớn, đường vào làng sạt lở."})
    assert response.status_code == 302
    departure.refresh_from_db()
    assert departure.status == Departure.Status.CANCELLED and departure.places_taken == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["binh@example.vn", "lan@example.vn"]
    body = mail.outbox[0].body
    assert "Mưa lớn, đường vào làng sạt lở." in body and "đã huỷ chuyến" in body
    for booking in (lan, binh):
        booking.refresh_from_db()
        assert booking.state == Booking.State.CANCELLED
    # a second cancellation (and a task run again) sends nothing more
    client.post(url, {"reason": "lần nữa"})
    tasks.send_departure_cancelled([lan.pk, binh.pk])
    assert len(mail.outbox) == 2


# --- check-in -------------------------------------------------------------------------------


def test_the_guide_checks_a_voucher_in_once(client, world):
    departure = make_departure(world["tour"], days=0, hour=23)
    booking = book(departure, name="Lan", adults=2, children=1)
    signed_in(client, world["provider"])
    url = reverse("experiences:check-in")
    shown = client.get(url, {"code": booking.display_code.lower()})
    assert shown.status_code == 200 and "Chưa check-in" in shown.content.decode()
    first = client.post(url, {"code": booking.display_code})
    assert first.status_code == 200
    assert "Đã check-in phiếu" in first.content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.CHECKED_IN
    assert booking.checked_in_by == world["provider"]
    when = timezone.localtime(booking.checked_in_at).strftime("%H:%M %d/%m/%Y")
    again = client.post(url, {"code": booking.code})
    assert again.status_code == 409
    assert f"Phiếu đã check-in lúc {when}." in again.content.decode()
    booking.refresh_from_db()
    assert timezone.localtime(booking.checked_in_at).strftime("%H:%M %d/%m/%Y") == when


def test_check_in_refusals(client, world):
    tomorrow = make_departure(world["tour"], days=1)
    booking = book(tomorrow)
    signed_in(client, world["office"])
    url = reverse("experiences:check-in")
    assert client.post(url, {"code": ""}).status_code == 400
    unknown = client.post(url, {"code": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 404
    wrong_day = client.post(url, {"code": booking.code})
    assert wrong_day.status_code == 400
    assert "Phiếu này dành cho ngày" in wrong_day.content.decode()
    # a scanned voucher link works as well as the code
    link = "https://ocopdakha.vn" + reverse("experiences:booking", args=[booking.code])
    assert client.get(url, {"code": link}).status_code == 200


# --- the buyer's booking page -----------------------------------------------------------------


def test_the_booking_page_shows_the_voucher_and_cancels_before_the_cutoff(client, world):
    departure = make_departure(world["tour"], days=5, places=10)
    booking = book(departure, adults=2)
    url = reverse("experiences:booking", args=[booking.code])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert booking.display_code in text and "<svg" in text
    assert "Không phải hoàn tiền" in text  # cash on arrival: nothing to refund
    assert client.get(reverse("experiences:booking-qr", args=[booking.code, "png"]))[
        "Content-Type"] == "image/png"
    assert client.get(reverse("experiences:booking", args=["ZZZZZZZZ"])).status_code == 404
    response = client.post(reverse("experiences:booking-cancel", args=[booking.code]))
    assert response.status_code == 302
    booking.refresh_from_db()
    departure.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and departure.places_taken == 0
    # again: nothing more comes back
    client.post(reverse("experiences:booking-cancel", args=[booking.code]))
    departure.refresh_from_db()
    assert departure.places_taken == 0


def test_the_buyer_cannot_cancel_after_the_cutoff(client, world):
    departure = make_departure(world["tour"], days=0, hour=23)  # within 24 h
    booking = book(departure, adults=2)
    page = client.get(reverse("experiences:booking", args=[booking.code])).content.decode()
    assert "Đã quá hạn tự huỷ" in page
    response = client.post(reverse("experiences:booking-cancel", args=[booking.code]))
    assert response.status_code == 400
    assert "Chỉ huỷ được trước" in response.content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_a_gift_voucher_is_put_on_a_departure_of_its_period(client, world):
    departure = make_departure(world["tour"], days=20, places=4)
    elsewhere = make_departure(world["weaving"], days=20)
    today = timezone.localdate()
    gift = bookings.create_gift_voucher(
        world["tour"], valid_from=today, valid_until=today + datetime.timedelta(days=60),
        adults=2, contact_email="qua@example.vn")
    page = client.get(reverse("experiences:booking", args=[gift.code])).content.decode()
    assert "Chọn chuyến cho phiếu quà tặng" in page
    url = reverse("experiences:booking-redeem", args=[gift.code])
    assert client.post(url, {"departure": "abc"}).status_code == 400
    assert client.post(url, {"departure": elsewhere.pk}).status_code == 404
    assert client.post(url, {"departure": departure.pk}).status_code == 302
    gift.refresh_from_db()
    departure.refresh_from_db()
    assert gift.departure == departure and departure.places_taken == 2
    again = client.post(url, {"departure": departure.pk})
    assert again.status_code == 400 and "đã được dùng" in again.content.decode()


# --- emails -----------------------------------------------------------------------------------


def test_confirmation_email_carries_the_voucher_and_its_qr_once(world, settings):
    settings.SHOP_BASE_URL = "https://ocopdakha.vn"
    booking = book(make_departure(world["tour"], days=4), email="lan@example.vn")
    mail.outbox.clear()
    assert tasks.send_booking_confirmation(booking.pk) == "sent"
    assert tasks.send_booking_confirmation(booking.pk) == "already sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert booking.display_code in message.subject and booking.display_code in message.body
    assert f"https://ocopdakha.vn/experiences/booking/{booking.code}/" in message.body
    html = message.alternatives[0][0]
    assert 'src="cid:voucher-qr"' in html
    images = [part for part in message.attachments if getattr(part, "get_content_type", None)]
    assert images and images[0].get_content_type() == "image/png"


def test_reminder_the_day_before_goes_once(world):
    tomorrow = make_departure(world["tour"], days=1)
    later = make_departure(world["tour"], days=3)
    lan = book(tomorrow, email="lan@example.vn")
    book(later, email="binh@example.vn")
    cancelled = book(tomorrow, email="huy@example.vn")
    bookings.cancel_booking(cancelled, by_buyer=False)
    mail.outbox.clear()
    call_command("send_experience_reminders", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
    assert "ngày mai" in mail.outbox[0].body
    lan.refresh_from_db()
    assert lan.reminded_at is not None
    assert tasks.remind_due() == 0
    assert len(mail.outbox) == 1


def test_the_order_email_template_lists_vouchers(world, rf):
    from django.template.loader import render_to_string

    booking = book(make_departure(world["tour"], days=4), source=Booking.Source.ONLINE,
                   source_ref="100123")

    class Order:
        number = "100123"

    html = render_to_string("experiences/partials/order_vouchers.html",
                            {"order": Order(), "request": rf.get("/")})
    assert booking.display_code in html and "<svg" in html
    text = render_to_string("experiences/partials/order_vouchers_email.txt", {"order": Order()})
    assert re.search(booking.display_code, text)



def test_a_new_booking_queues_its_confirmation_after_the_commit(
        world, django_capture_on_commit_callbacks):
    departure = make_departure(world["tour"], days=4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        booking = book(departure, email="lan@example.vn")
        tasks._booking_saved(Booking, booking, created=True)  # what tasks.connect() hooks up
        tasks._booking_saved(Booking, booking, created=False)  # a later save: nothing
    assert callbacks and [m.to for m in mail.outbox] == [["lan@example.vn"]]
    with django_capture_on_commit_callbacks(execute=True):
        tasks._booking_saved(Booking, book(departure, email=""), created=True)
    assert len(mail.outbox) == 1
