"""The experience journey in a real browser (Playwright, Debian's headless Chromium, a phone
390 px wide): a visitor picks a date on the product page, books two people, pays by VietQR
(the office confirms the transfer, as tests/checkout does), gets the voucher with its QR on
the thank-you page; the provider sees them on the manifest; on the day the guide types the
voucher code and checks them in — once (a second time says when). No console errors."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from shop.experiences.models import Booking, Departure
from shop.payment import payments
from tests.checkout.support import delivery_zones
from tests.factories import make_vendor
from tests.showroom.factories import three_locations
from vendors.access import grant_producer_access

from .factories import make_departure, make_experience, make_user

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _experience_settings(settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 12
    settings.EXPERIENCE_BOOKING_CUTOFF_HOURS = 0
    settings.EXPERIENCE_CANCEL_CUTOFF_HOURS = 24


def phone_page(chromium, user=None, base=""):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": base}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def test_a_visitor_books_two_on_a_phone_pays_by_vietqr_and_is_checked_in(chromium, live_server):
    delivery_zones()
    three_locations()
    vendor = make_vendor(name="HTX Du lịch cộng đồng Kon Jơ Ri")
    provider = make_user(first_name="Y", last_name="Blăk")
    grant_producer_access(provider, vendor)
    tour = make_experience("Tour một ngày làng Kon Jơ Ri", price=250_000, child=150_000,
                           vendor=vendor)
    departure = make_departure(tour, days=3, hour=8, places=12)
    make_departure(tour, days=4, hour=8, places=12)
    base = live_server.url

    # 1. the visitor, on a phone: picks the date, two adults, and books
    context, page = phone_page(chromium)
    page.goto(base + tour.get_absolute_url())
    # the calendar shows the first day with places; the visitor picks the other, then back
    later = page.locator("[data-pick-day]").nth(1)
    later.click()
    assert later.get_attribute("aria-pressed") == "true"
    assert not page.locator(f"input[name=departure][value='{departure.pk}']").is_visible()
    page.click(f"[data-pick-day='{departure.date:%Y-%m-%d}']")
    page.locator(f"input[name=departure][value='{departure.pk}']").check()
    page.fill("#exp-adults", "2")
    page.fill("#exp-phone", "0905 123 456")
    page.click("#experience-add")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # 2. checkout as a guest, VietQR
    page.goto(base + "/checkout/")
    page.fill("input[name=username]", "lan@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.check("#method-vietqr")
    page.click("#continue-to-preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    order = Order.objects.get()
    booking = Booking.objects.get(source_ref=order.number)
    assert (booking.adults, booking.children, int(booking.amount)) == (2, 0, 500_000)
    assert page.locator("#vietqr svg").count() == 1
    voucher = page.locator(f"#voucher-{booking.code}")
    assert booking.display_code in voucher.inner_text()
    # not paid yet: the voucher is listed without its QR (it goes by email once paid)
    assert voucher.locator("svg").count() == 0
    assert "Chờ thanh toán" in page.inner_text("#experience-vouchers")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the transfer arrives; the office confirms it (as the checkout tests do)
    payments.confirm_transfer(order, order.total_incl_tax)
    booking.refresh_from_db()
    assert booking.paid_at is not None and booking.payment == Booking.Payment.VIETQR

    # the voucher link works from the phone: the booking page with its QR
    voucher.locator(".voucher-link").click()
    page.wait_for_url(re.compile(r"/experiences/booking/"))
    assert booking.display_code in page.inner_text("#booking-page")
    assert page.locator("#booking-page .exp-voucher__qr svg").count() == 1
    assert page.errors == []
    context.close()

    # 3. the provider sees them on the manifest
    context, page = phone_page(chromium, provider, base)
    page.goto(base + f"/experiences/provider/?week={departure.date.isoformat()}")
    page.click(f"tr[data-departure='{departure.pk}'] a >> nth=0")
    page.wait_for_url(re.compile(r"/experiences/provider/departures/\d+/$"))
    row = page.locator(f"tr[data-code='{booking.code}']")
    text = row.inner_text()
    assert "lan@example.vn" in text and "Đã trả" in text
    assert "+84905123456" in text  # the phone the visitor gave on the product page
    assert row.locator("td").nth(3).inner_text().strip() == "2"
    assert "2 khách" in page.inner_text("#manifest-totals")

    # 4. the day comes: the guide types the voucher code and checks them in, once
    Departure.objects.filter(pk=departure.pk).update(
        date=timezone.localdate(), start_time=datetime.time(23, 59))
    page.goto(base + "/experiences/check-in/")
    page.fill("#id_code", booking.display_code.lower())
    page.click("#checkin-lookup button[type=submit]")
    page.wait_for_selector("#checkin-booking")
    assert "Chưa check-in" in page.inner_text("#checkin-state")
    page.click("#checkin-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã check-in" in page.inner_text("#checkin-state")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CHECKED_IN and booking.checked_in_by == provider
    # scanned (or typed) a second time: it says when
    page.fill("#id_code", booking.code)
    page.click("#checkin-lookup button[type=submit]")
    page.wait_for_selector("#checkin-booking")
    assert "Đã check-in lúc" in page.inner_text("#checkin-state")
    page.goto(base + f"/experiences/provider/departures/{departure.pk}/")
    assert "✔" in page.locator(f"tr[data-code='{booking.code}'] td.checkin").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []
    context.close()
