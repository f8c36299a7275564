"""A guest buys on a phone (390 px wide, headless Chromium): collect at a sales point, where
the points that cannot serve the basket are disabled with the reason; no console errors."""

import re

import pytest
from oscar.core.loading import get_model

from tests.checkout.support import shop_data

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_guest_on_a_phone_collects_at_the_point_that_has_the_goods(phone, live_server):
    locations, coffee, _honey = shop_data()  # coffee: showcase 10, Đăk Mar 3, Ngọk Wang none
    base, page = live_server.url, phone
    for _ in range(4):
        page.goto(base + coffee.product.get_absolute_url())
        page.click("#add_to_basket_form button[type=submit]")
        page.wait_for_load_state()

    page.goto(base + "/checkout/")
    page.fill("input[name=username]", "khach@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    # one column on a phone: the name and phone fields are stacked, labels above
    name_box = page.locator(".field-full_name").bounding_box()
    phone_box = page.locator(".field-phone").bounding_box()
    assert phone_box["y"] > name_box["y"] + name_box["height"] - 1
    assert page.locator(".field-full_name input").bounding_box()["width"] > 300
    page.fill("input[name=full_name]", "Nguyễn Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    page.check("input[name=fulfilment][value=collect]")
    assert page.locator(".field-province").is_hidden()
    page.click("#continue-to-shipping")
    page.wait_for_url(re.compile(r"/checkout/shipping-method/"))

    dak_mar = page.locator("#point-dak-mar")
    assert dak_mar.locator("button").is_disabled()
    assert f"{coffee.product.title}: cần 4, còn 3" in dak_mar.inner_text()
    assert page.locator("#point-ngok-wang button").is_disabled()
    assert "còn 0" in page.locator("#point-ngok-wang").inner_text()
    assert page.locator("#point-showcase button").is_enabled()
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#point-showcase button")
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.check("#method-cod")
    page.click("#continue-to-preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))

    order = Order.objects.get()
    assert order.shipping_code == "collect-showcase" and order.ocop_payment.method == "cod"
    assert page.errors == []
