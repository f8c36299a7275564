from decimal import Decimal

from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payment.models import OrderPayment
from showroom.models import Allocation
from tests.checkout.support import ADDRESS, add_to_basket, checkout

Order = get_model("order", "Order")


def test_guest_cod_delivery_order_allocates_and_emails(client, shop):
    locations, coffee, honey = shop
    add_to_basket(client, coffee, 2)
    add_to_basket(client, honey, 1)
    response = checkout(client, method="cod")
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert order.status == "Chờ xử lý"
    # 2 × 150.000 + 220.000 = 520.000 ≥ 500.000: free delivery in Quảng Ngãi
    assert order.total_incl_tax == Decimal("520000")
    assert order.shipping_incl_tax == 0
    assert order.shipping_address.state == "Quảng Ngãi"
    assert order.shipping_address.line4 == "Xã Đăk Hà"
    assert str(order.shipping_address.phone_number) == "+84912345678"
    assert order.ocop_payment.method == "cod"
    assert sum(a.quantity for a in Allocation.objects.filter(line__order=order)) == 3
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert order.number in message.subject and "Xác nhận đơn hàng" in message.subject
    assert "Đơn hàng gồm" in message.body
    assert message.alternatives and "Tổng cộng" in message.alternatives[0][0]
    thank_you = client.get(reverse("checkout:thank-you"))
    assert thank_you.status_code == 200
    assert "Thanh toán khi nhận hàng" in thank_you.content.decode()


def test_delivery_fee_below_threshold(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    checkout(client, method="cod")
    order = Order.objects.get()
    assert order.shipping_incl_tax == Decimal("20000")  # ≤ 1 kg in Quảng Ngãi
    assert order.total_incl_tax == Decimal("170000")


def test_vietqr_order_shows_qr_and_staff_confirmation_moves_it(client, shop):
    from shop.payment import payments, vietqr

    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    assert order.status == "Chờ thanh toán"
    page = client.get(reverse("checkout:thank-you")).content.decode()
    assert "<svg" in page and f"DH{order.number}" in page
    payload = vietqr.build_payload("970436", "0011001932418", order.total_incl_tax,
                                   f"DH{order.number}")
    assert vietqr.is_valid(payload)
    payments.confirm_transfer(order, order.total_incl_tax)
    order.refresh_from_db()
    assert order.status == "Chờ xử lý"
    assert order.ocop_payment.status == "paid"
    assert order.sources.get().amount_debited == order.total_incl_tax


def test_collect_at_commune_point_allocates_there_and_shows_ready(client, shop):
    from oscar.core.loading import get_class

    locations, coffee, _honey = shop
    add_to_basket(client, coffee, 2)
    address = dict(ADDRESS, fulfilment="collect", province="", ward="", line1="")
    checkout(client, method="cod", address=address, shipping_code="collect-dak-mar")
    order = Order.objects.get()
    assert {a.stock.location.code for a in Allocation.objects.filter(line__order=order)} == {
        "dak-mar"
    }
    assert order.shipping_incl_tax == 0
    EventHandler = get_class("order.processing", "EventHandler")
    EventHandler().handle_order_status_change(order, "Sẵn sàng nhận hàng")
    url = reverse("checkout:order-status",
                  kwargs={"number": order.number, "hash": order.verification_hash()})
    page = client.get(url).content.decode()
    assert 'id="ready-to-collect"' in page and "Đăk Mar" in page


def test_collect_point_without_the_stock_refuses_naming_the_product(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 4)  # Đăk Mar has only 3
    address = dict(ADDRESS, fulfilment="collect", province="", ward="", line1="")
    client.post(reverse("checkout:index"), {"username": "k@example.vn", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), address)
    # the point cannot even be chosen (shop.shipping.availability): 400, naming the product
    response = client.post(reverse("checkout:shipping-method"), {"method_code": "collect-dak-mar"})
    assert response.status_code == 400
    assert f"{coffee.product.title}: cần 4, còn 3" in response.content.decode()
    assert not Order.objects.exists() and not Allocation.objects.exists()


def test_shopper_cancels_unpaid_order_and_stock_is_released(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 2)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    kwargs = {"number": order.number, "hash": order.verification_hash()}
    response = client.post(reverse("checkout:order-cancel", kwargs=kwargs))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Đã huỷ"
    assert not Allocation.objects.filter(line__order=order, status="open").exists()
    coffee.refresh_from_db()
    assert coffee.num_allocated == 0
    # a wrong hash is a 404, not someone else's order
    bad = client.post(reverse("checkout:order-cancel",
                              kwargs={"number": order.number, "hash": "nope"}))
    assert bad.status_code == 404


def test_paid_card_order_cannot_be_cancelled_by_shopper(client, shop):
    from shop.payment import payments

    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    payments.confirm_transfer(order, order.total_incl_tax)
    kwargs = {"number": order.number, "hash": order.verification_hash()}
    client.post(reverse("checkout:order-cancel", kwargs=kwargs))
    order.refresh_from_db()
    assert order.status == "Chờ xử lý"


def test_english_checkout_pages_render(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    page = client.get(reverse("checkout:shipping-address"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    wards = client.get(reverse("checkout:wards"), {"province": "51"}).json()["wards"]
    assert {"code": "23500", "name": "Xã Đăk Hà"} in wards
    assert client.get(reverse("checkout:wards"), {"province": "xx"}).json() == {"wards": []}


def test_card_method_hidden_without_stripe_keys(client, shop, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert 'value="card"' not in page and 'value="vietqr"' in page
    refused = client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert refused.status_code == 400
    assert "không hợp lệ" in refused.content.decode()
    assert not OrderPayment.objects.exists()


def test_signed_in_checkout_saves_the_address_and_reuses_it(client, shop):
    from django.contrib.auth import get_user_model

    _locations, coffee, _honey = shop
    user = get_user_model().objects.create_user(
        username="lan", email="lan@example.vn", password="pw-123456789"
    )
    client.force_login(user)
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    order = Order.objects.get()
    assert order.user == user and order.guest_email == ""
    saved = user.addresses.get()
    assert saved.state == "Quảng Ngãi" and str(saved.phone_number) == "+84912345678"
    # second order: ship to the saved address
    add_to_basket(client, coffee, 1)
    response = client.post(reverse("checkout:shipping-address"),
                           {"action": "ship_to", "address_id": saved.pk})
    assert response.status_code == 302
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    client.post(reverse("checkout:payment-method"), {"method": "vietqr"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert Order.objects.count() == 2
    assert Order.objects.order_by("-pk").first().shipping_address.line4 == "Xã Đăk Hà"
