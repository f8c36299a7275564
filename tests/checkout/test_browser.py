"""A guest buys in a real (headless) browser: COD delivery, VietQR, collect at a commune point.

The gift-combo leg of the journey waits for the combos issue (catalogue/combos.py):
here the guest buys single products.
"""

import re

import pytest
from oscar.core.loading import get_model

from shop.payment.models import OrderPayment
from showroom.models import Allocation
from tests.checkout.support import shop_data

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def add(page, base, stockrecord):
    page.goto(base + stockrecord.product.get_absolute_url())
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state()


def guest_checkout(page, base, *, collect=None, method="cod"):
    page.goto(base + "/checkout/")
    page.fill("input[name=username]", "khach@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("input[name=full_name]", "Nguyễn Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    if collect:
        page.check("input[name=fulfilment][value=collect]")
    else:
        page.select_option("select[name=province]", "51")
        page.wait_for_selector("select[name=ward] option[value='23500']", state="attached")
        page.select_option("select[name=ward]", "23500")
        page.fill("input[name=line1]", "12 Hùng Vương")
    page.click("#continue-to-shipping")
    page.wait_for_url(re.compile(r"/checkout/shipping-method/"))
    code = f"collect-{collect}" if collect else "delivery"
    page.click(f"form:has(input[name=method_code][value='{code}']) button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.check(f"#method-{method}")
    page.click("#continue-to-preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    return Order.objects.order_by("-pk").first()


def test_guest_buys_cod_vietqr_and_collects_at_a_commune_point(page, live_server):
    locations, coffee, honey = shop_data()
    base = live_server.url

    # 1. two products, cash on delivery
    add(page, base, coffee)
    add(page, base, honey)
    order = guest_checkout(page, base, method="cod")
    assert order.lines.count() == 2 and order.ocop_payment.method == "cod"
    assert order.status == "Chờ xử lý"
    assert "Thanh toán khi nhận hàng" in page.content()

    # 2. another order paid by VietQR: the QR code and transfer details are shown
    add(page, base, coffee)
    order = guest_checkout(page, base, method="vietqr")
    assert order.ocop_payment.method == OrderPayment.Method.VIETQR
    assert page.locator("#vietqr svg").count() == 1
    assert page.inner_text("#transfer-purpose") == f"DH{order.number}"

    # 3. a third collected at the Đăk Mar commune point: stock is held there
    add(page, base, honey)
    order = guest_checkout(page, base, collect="dak-mar", method="cod")
    assert {a.stock.location.code for a in Allocation.objects.filter(line__order=order)} == {
        "dak-mar"
    }
    page.click("#order-status-link")
    assert "Đăk Mar" in page.inner_text("#order-status-page")
    assert Order.objects.count() == 3
