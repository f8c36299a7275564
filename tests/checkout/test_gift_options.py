"""Gift options at checkout: wrap, a message card, a recipient other than the buyer."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout.models import GiftOptions
from tests.checkout.support import ADDRESS, add_to_basket, checkout
from tests.combos.factories import packaging_offer

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

GIFT = {
    "gift_wrap": "on",
    "message": "Chúc mừng năm mới!\nThân tặng bố mẹ.",
    "recipient_name": "Trần Văn  Bình",
    "recipient_phone": "0987 654 321",
}


def walk_to_payment(client):
    r = client.post(reverse("checkout:index"), {"username": "khach@example.vn",
                                                "options": "anonymous"})
    assert r.status_code == 302
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    assert client.post(reverse("checkout:shipping-method"),
                       {"method_code": "delivery"}).status_code == 302


def post_payment(client, **gift):
    return client.post(reverse("checkout:payment-method"),
                       {"method": "cod", **{f"gift-{k}": v for k, v in gift.items()}})


@pytest.mark.parametrize("gift, field, text", [
    ({"message": "x" * 301}, "message", "Lời nhắn tối đa 300 ký tự"),
    ({"message": "Chúc mừng\x07"}, "message", "ký tự điều khiển"),
    # (a NUL byte never reaches the form: shop.middleware answers 400, tests/test_hostile_input.py)
    ({"message": "Chúc\u202emừng"}, "message", "ký tự điều khiển hướng chữ (U+202E)"),
    ({"recipient_name": "Bình", "recipient_phone": "12345"}, "recipient_phone",
     "Số điện thoại không hợp lệ"),
    ({"recipient_name": "Bình", "recipient_phone": "+1 202 555 0142"}, "recipient_phone",
     "cần số Việt Nam"),
    ({"recipient_name": "Bình"}, "recipient_phone", "Hãy nhập số điện thoại của người nhận"),
    ({"recipient_phone": "0987654321"}, "recipient_name", "Hãy nhập tên người nhận quà"),
])
def test_bad_gift_options_are_refused_with_a_clear_message(client, shop, gift, field, text):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee)
    walk_to_payment(client)
    response = post_payment(client, **gift)
    assert response.status_code == 400
    errors = response.context["gift_form"].errors
    assert text in " ".join(errors[field])
    assert text in response.content.decode()
    # nothing kept: placing the order is refused (no payment method chosen), no order
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert Order.objects.count() == 0 and GiftOptions.objects.count() == 0


def test_valid_options_saved_with_the_order_exactly_once(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee)
    response = checkout(client, method="cod", gift=GIFT)
    assert response.status_code == 302
    order = Order.objects.get()
    options = GiftOptions.objects.get()
    assert options.order == order
    assert options.gift_wrap is True
    assert options.message == "Chúc mừng năm mới!\nThân tặng bố mẹ."
    assert options.recipient_name == "Trần Văn Bình"
    assert options.recipient_phone == "+84987654321"
    # the recipient's address is the shipping address; the buyer's name stays the contact
    assert order.shipping_address.line1 == "12 Hùng Vương"
    # no packaging offer exists: the wish is only recorded, no extra line
    assert order.lines.count() == 1
    page = client.get(reverse("checkout:thank-you")).content.decode()
    assert "Thân tặng bố mẹ." in page and "Trần Văn Bình" in page
    # placing again (a resubmitted form) creates nothing more
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert GiftOptions.objects.count() == 1 and Order.objects.count() == 1


def test_no_gift_options_no_row(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee)
    checkout(client, method="cod")
    assert Order.objects.count() == 1 and GiftOptions.objects.count() == 0


def test_gift_wrap_adds_the_packaging_offer_as_a_basket_line(client, shop):
    locations, coffee, _honey = shop
    box = packaging_offer(stock={locations[0]: 5}, price=Decimal("30000"))
    add_to_basket(client, coffee)
    walk_to_payment(client)
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert box.product.title in page
    # ticked twice: still one line; unticked: removed again
    assert post_payment(client, gift_wrap="on").status_code == 302
    assert post_payment(client, gift_wrap="on").status_code == 302
    basket = Basket.objects.get()
    assert basket.lines.filter(product=box.product).count() == 1
    assert post_payment(client).status_code == 302
    assert not basket.lines.filter(product=box.product).exists()
    assert post_payment(client, gift_wrap="on", message="Tặng em").status_code == 302
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert {line.product_id for line in order.lines.all()} == {coffee.product_id, box.product_id}
    assert order.total_incl_tax == Decimal("150000") + Decimal("30000") + order.shipping_incl_tax
    assert order.gift_options.gift_wrap and order.gift_options.message == "Tặng em"


def test_packing_slip_is_for_staff_only(client, shop, django_user_model):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee)
    checkout(client, method="cod", gift=GIFT)
    order = Order.objects.get()
    url = reverse("checkout:packing-slip", kwargs={"number": order.number})

    client.logout()
    assert client.get(url).status_code in (403, 404)
    customer = django_user_model.objects.create_user("khach", "k@example.vn", "pw")
    client.force_login(customer)
    assert client.get(url).status_code in (403, 404)

    staff = django_user_model.objects.create_user("nv", "nv@example.vn", "pw", is_staff=True)
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chúc mừng năm mới!" in page and "Thân tặng bố mẹ." in page
    assert "Trần Văn Bình" in page and "12 Hùng Vương" in page
    assert "Gói quà cho đơn này." in page
    assert client.get(reverse("checkout:packing-slip",
                              kwargs={"number": "nope"})).status_code == 404
