"""Bad input and failure at the checkout: clear Vietnamese messages, 4xx, no half-written order."""

from decimal import Decimal

from django.urls import reverse
from oscar.core.loading import get_model

from shop.payment.models import OrderPayment
from showroom import inventory
from showroom.models import Allocation
from tests.checkout.support import ADDRESS, add_to_basket, checkout

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")


def test_tampered_prices_and_quantities_in_the_place_order_post_are_ignored(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    tampered = {
        "price": "1", "price_incl_tax": "1", "total": "1", "order_total": "1",
        "quantity": "99", "lines-0-quantity": "99", "shipping_charge": "0",
        "shipping_method": "collect-dak-mar", "basket_total": "1",
    }
    response = checkout(client, method="cod", extra_post=tampered)
    assert response.status_code == 302
    order = Order.objects.get()
    line = order.lines.get()
    assert line.quantity == 1 and line.unit_price_incl_tax == Decimal("150000")
    assert order.total_incl_tax == Decimal("170000")  # 150.000 + 20.000 delivery
    assert order.shipping_code == "delivery"


def test_tampered_basket_quantities_are_refused(client, shop):
    _locations, coffee, _honey = shop
    url = reverse("basket:add", kwargs={"pk": coffee.product.pk})
    for quantity in ("-1", "0", "abc", "1000000"):
        client.post(url, {"quantity": quantity})
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 0


def test_expired_basket_line_whose_stock_is_gone_names_the_product(client, shop):
    locations, coffee, honey = shop
    add_to_basket(client, coffee, 1)
    add_to_basket(client, honey, 1)
    # while the shopper hesitated, the tills sold every jar of honey
    inventory.record_till_sale(locations[0], [(honey, 5)], reference="POS-1")
    inventory.record_till_sale(locations[1], [(honey, 2)], reference="POS-2")
    response = checkout_until_place(client)
    assert response.status_code in (200, 302)
    messages = [str(m) for m in response.wsgi_request._messages] if response.status_code == 302 else []
    text = response.content.decode() + " ".join(messages)
    assert honey.product.title in text
    assert not Order.objects.exists()
    assert not Allocation.objects.exists()
    assert not OrderPayment.objects.exists()
    assert not ShippingAddress.objects.exists()


def checkout_until_place(client):
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def test_stock_gone_between_preview_and_allocation_leaves_nothing(client, shop, monkeypatch):
    """The basket check passed, but the inventory refuses at placement (a race)."""
    from oscar.apps.checkout.session import CheckoutSessionMixin

    locations, coffee, honey = shop
    add_to_basket(client, coffee, 1)
    add_to_basket(client, honey, 2)
    monkeypatch.setattr(CheckoutSessionMixin, "check_basket_is_valid", lambda self, request: None)
    inventory.record_till_sale(locations[0], [(honey, 5)], reference="POS-1")
    inventory.record_till_sale(locations[1], [(honey, 1)], reference="POS-2")
    response = checkout_until_place(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không đủ hàng" in page and honey.product.title in page
    assert not Order.objects.exists() and not Allocation.objects.exists()
    assert not ShippingAddress.objects.exists() and not OrderPayment.objects.exists()
    coffee.refresh_from_db()
    assert coffee.num_allocated == 0


def test_bad_address_input_gets_vietnamese_messages(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    url = reverse("checkout:shipping-address")
    cases = [
        (dict(ADDRESS, phone="12345"), "Số điện thoại không hợp lệ"),
        (dict(ADDRESS, phone="+1 212 555 0100"), "cần số Việt Nam"),
        (dict(ADDRESS, ward="4"), "Hãy chọn phường / xã thuộc tỉnh đã chọn"),  # a Hà Nội ward
        (dict(ADDRESS, province="999"), "Hãy chọn tỉnh"),
        (dict(ADDRESS, line1="  "), "Hãy nhập số nhà"),
        (dict(ADDRESS, full_name=" "), "họ và tên"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message.lower() in response.content.decode().lower(), message


def test_phone_numbers_are_normalised(client, shop):
    from shop.shipping.address import normalise_phone

    assert normalise_phone("0912 345 678") == "+84912345678"
    assert normalise_phone("+84 912.345.678") == "+84912345678"
    assert normalise_phone("84912345678") == "+84912345678"
    assert normalise_phone("0260 3861 234") == "+842603861234"  # Kon Tum landline


def test_unknown_shipping_method_or_payment_method_is_refused(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    response = client.post(reverse("checkout:shipping-method"), {"method_code": "free-ship"})
    assert response.status_code in (200, 400) and not Order.objects.exists()
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    response = client.post(reverse("checkout:payment-method"), {"method": "bitcoin"})
    assert response.status_code == 400
    assert "Hình thức thanh toán không hợp lệ" in response.content.decode()
    # the preview cannot be reached without a payment method
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and not Order.objects.exists()


def test_checkout_query_count(client, shop, django_assert_max_num_queries):
    _locations, coffee, honey = shop
    add_to_basket(client, coffee, 2)
    add_to_basket(client, honey, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    # placing the order is 80; the confirmation email runs in the request when no broker is
    # configured (tests), after commit (tests/on_commit.py) — a worker sends it in production.
    # Two of them are the email's booking vouchers (none here) and one the payment reaching
    # the order's bookings (shop.experiences): the same whatever the number of lines.
    with django_assert_max_num_queries(98) as captured:
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302
    print(f"\n[queries] place order (2 lines, COD, delivery): {len(captured)}")
    with django_assert_max_num_queries(30) as page:
        client.get(reverse("checkout:thank-you"))
    print(f"[queries] thank-you page: {len(page)}")
