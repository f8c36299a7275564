"""A producer on a phone-sized headless browser: log in, change a price, add a photo;
the office approves in its queue; the shopper sees the new price."""


import pytest
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from tests.factories import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(chromium, live_server):
    return chromium


def _session(browser, live_server, user):
    """A phone-sized page signed in as ``user`` (session cookie from Django's test client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_producer_edits_price_and_photo_office_approves_shopper_sees(
    browser, live_server, producer_a, office, tmp_path
):
    base = live_server.url
    product = producer_a.product
    page = _session(browser, live_server, producer_a.user)
    page.goto(base + "/producer/products/")
    page.click(f"[data-product='{product.pk}'] >> text=Sửa")
    page.fill("input[name=price]", "172000")
    page.click("button[type=submit] >> text=Gửi duyệt")
    assert "Đã gửi thay đổi" in page.content()
    page.click("text=Thêm ảnh")
    photo = tmp_path / "anh-moi.jpg"
    photo.write_bytes(jpeg_bytes())
    page.set_input_files("input[name=original]", str(photo))
    page.click("form.producer-form button[type=submit]")
    assert "Đã gửi ảnh" in page.content()

    office_page = _session(browser, live_server, office)
    office_page.goto(base + "/office/changes/")
    assert "172000" in office_page.content()
    while office_page.locator("text=Duyệt / từ chối").count():
        office_page.click("text=Duyệt / từ chối >> nth=0")
        office_page.click("button[value=approve]")
        office_page.wait_for_url(base + "/office/changes/")
        assert "Đã duyệt" in office_page.content()

    shopper = browser.new_context(locale="vi-VN").new_page()
    shopper.goto(base + product.get_absolute_url())
    with translation.override("vi"):
        price = currency(172000, "VND")
    assert price.replace("\xa0", "&nbsp;") in shopper.content()
    # The photo is published under a name the shop made, with the bytes the producer sent.
    newest = product.images.order_by("-display_order").first()
    assert "anh-moi" not in newest.original.name
    with newest.original.open("rb") as stored:
        assert stored.read() == photo.read_bytes()
