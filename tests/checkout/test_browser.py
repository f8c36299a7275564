"""A guest buys in a real (headless) browser: COD delivery, VietQR, collect at a commune point,
and a gift combo with gift wrap, a message card and another recipient.
"""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.payment.models import OrderPayment
from showroom.models import Allocation
from tests.checkout.support import delivery_zones, shop_data
from tests.combos.factories import certified_offer, make_combo, packaging_offer
from tests.showroom.factories import three_locations

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add(page, base, stockrecord):
    page.goto(base + stockrecord.product.get_absolute_url())
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state()


def guest_checkout(page, base, *, collect=None, method="cod", gift=None):
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
    if gift:
        if gift.get("wrap"):
            page.check("input[name=gift-gift_wrap]")
        page.fill("textarea[name=gift-message]", gift.get("message", ""))
        page.fill("input[name=gift-recipient_name]", gift.get("name", ""))
        page.fill("input[name=gift-recipient_phone]", gift.get("phone", ""))
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


def test_guest_buys_a_gift_combo_with_a_message_for_someone_else(page, live_server):
    delivery_zones()
    locations = three_locations()
    coffee = certified_offer("Cà phê Đăk Hà rang mộc", stock={locations[0]: 10},
                             price=Decimal("150000"))
    honey = certified_offer("Mật ong rừng Ngọk Wang", stock={locations[0]: 5},
                            price=Decimal("220000"))
    wrap = packaging_offer("Giấy gói quà OCOP", stock={locations[0]: 5}, price=Decimal("20000"))
    combo = make_combo([(coffee, 1), (honey, 1)], price=Decimal("339000"))
    base = live_server.url

    add(page, base, combo.stockrecords.get())
    message = "Chúc mẹ năm mới an khang!"
    order = guest_checkout(page, base, method="cod", gift={
        "wrap": True, "message": message, "name": "Trần Văn Bình", "phone": "0987 654 321",
    })
    # the combo is one line; gift wrap is a second, ordinary line
    assert {line.product_id for line in order.lines.all()} == {combo.pk, wrap.product_id}
    assert order.gift_options.message == message
    assert order.gift_options.recipient_phone == "+84987654321"
    assert message in page.inner_text("#gift-message")
    page.click("#order-status-link")
    assert message in page.inner_text("#order-status-page #gift-message")
    assert "Trần Văn Bình" in page.inner_text("#gift-recipient")
