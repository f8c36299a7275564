"""The guide scans a voucher with the phone's camera, in a browser without a barcode detector of
its own (Safari on an iPhone, desktop browsers): Chromium's fake camera plays a video of the
voucher's QR, the page reads it with the vendored jsQR, finds the booking and checks it in."""

import datetime

import pytest
import qrcode
from django.test import Client
from django.utils import timezone
from PIL import Image

from shop.experiences import bookings, emails
from shop.experiences.models import Booking
from tests.conftest import CHROMIUM
from tests.factories import make_vendor
from vendors.access import grant_producer_access

from .factories import make_departure, make_experience, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def write_y4m(path, image, frames=10):
    """``image`` as a short raw video (YUV4MPEG2, 4:2:0) that Chromium's fake camera loops."""
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    image = image.convert("L")
    image.thumbnail((HEIGHT - 40, HEIGHT - 40))
    frame.paste(image, ((WIDTH - image.width) // 2, (HEIGHT - image.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def camera_browser(tmp_path):
    """Debian's Chromium with a fake camera that shows ``tmp_path / "camera.y4m"``."""
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    video = tmp_path / "camera.y4m"

    def launch(playwright):
        return playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--use-fake-ui-for-media-stream",
                  "--use-fake-device-for-media-stream",
                  f"--use-file-for-fake-video-capture={video}"],
        )

    with sync_playwright() as playwright:
        yield video, lambda: launch(playwright)


def test_the_guide_scans_the_voucher_qr_with_the_camera_and_checks_in(camera_browser,
                                                                      live_server, settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 0
    video, launch = camera_browser
    vendor = make_vendor(name="HTX Du lịch cộng đồng Kon Jơ Ri")
    guide = make_user(first_name="A", last_name="Hoa")
    grant_producer_access(guide, vendor)
    tour = make_experience("Lớp dệt thổ cẩm nửa ngày", price=180_000, vendor=vendor)
    departure = make_departure(tour, days=1, hour=8, places=8)
    booking = bookings.create_booking(departure, adults=2, contact_name="Trần Thị Lan",
                                      contact_phone="0905123456", paid=True, amount=360_000,
                                      payment=Booking.Payment.VIETQR)
    # the day: the departure later today
    type(departure).objects.filter(pk=departure.pk).update(
        date=timezone.localdate(), start_time=datetime.time(23, 59))
    # what the voucher's QR holds (its link), as the email and the thank-you page print it
    settings.SHOP_BASE_URL = live_server.url
    link = emails.qr_data(booking)
    assert "/experiences/booking/" in link
    write_y4m(video, qrcode.make(link, border=4).get_image())

    browser = launch()
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    context.grant_permissions(["camera"], origin=live_server.url)
    # a browser without its own barcode detector: the page must read the frames itself
    context.add_init_script("delete window.BarcodeDetector;")
    client = Client()
    client.force_login(guide)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/experiences/check-in/")
    page.wait_for_selector("#scan-camera:not([hidden])", timeout=10_000)
    page.click("#scan-camera")
    page.wait_for_selector("#checkin-booking", timeout=20_000)  # read, looked up
    assert booking.display_code in page.inner_text("#checkin-booking")
    assert "Chưa check-in" in page.inner_text("#checkin-state")
    page.click("#checkin-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã check-in" in page.inner_text("#checkin-state")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CHECKED_IN and booking.checked_in_by == guide
    assert errors == []
    context.close()
    browser.close()
