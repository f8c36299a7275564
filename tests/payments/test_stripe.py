"""The Stripe path end to end against a local fake Stripe (the real SDK, no internet)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payment import payments, stripe_gateway
from shop.payment.models import OrderPayment, PaymentRefund, StripeEvent
from showroom.models import Allocation
from tests.checkout.support import add_to_basket, checkout, event, intent_obj, post_event

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")


def card_order(client, shop, fake_stripe, quantity=2):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, quantity)
    response = checkout(client, method="card")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "checkout:card-payment", kwargs={"number": order.number, "hash": order.verification_hash()}
    )
    page = client.get(response["Location"])
    assert page.status_code == 200, page.content.decode()[:1000]
    return order, page


def test_card_payment_end_to_end_with_webhook(client, shop, fake_stripe):
    order, page = card_order(client, shop, fake_stripe)
    assert order.status == "Chờ thanh toán"
    # the SDK reached the fake Stripe once, with the deterministic key, in whole đồng
    [request] = fake_stripe.requests
    assert request["path"] == "/v1/payment_intents"
    assert request["headers"]["Idempotency-Key"] == f"order-{order.number}-pi"
    # 2 × 150.000 đ + 20.000 đ delivery (1 kg in Quảng Ngãi) = 320.000 đ
    assert order.total_incl_tax == 320000
    assert request["params"]["amount"] == "320000" and request["params"]["currency"] == "vnd"
    assert request["params"]["metadata[order_number]"] == order.number
    assert "X-Stripe-Client-Telemetry" not in request["headers"]
    payment = OrderPayment.objects.get(order=order)
    html = page.content.decode()
    assert payment.stripe_client_secret in html and "pk_test_fake" in html
    # showing the page again does not make another PaymentIntent
    client.get(reverse("checkout:card-payment",
                       kwargs={"number": order.number, "hash": order.verification_hash()}))
    assert len(fake_stripe.requests) == 1
    # Stripe tells us the card was charged
    response = post_event(client, event("payment_intent.succeeded",
                                        intent_obj(payment.stripe_payment_intent, 320000,
                                                   order.number)))
    assert response.status_code == 200 and response.content == b"paid"
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "Chờ xử lý"
    assert payment.status == "paid" and payment.amount_paid == 320000
    assert Transaction.objects.filter(source__order=order, txn_type="Debit").count() == 1


def test_same_idempotency_key_gives_the_same_intent(client, shop, fake_stripe):
    order, _page = card_order(client, shop, fake_stripe)
    again = stripe_gateway.create_payment_intent(order)
    assert again["id"] == OrderPayment.objects.get(order=order).stripe_payment_intent
    keys = [r["headers"]["Idempotency-Key"] for r in fake_stripe.requests]
    assert keys == [f"order-{order.number}-pi"] * 2


def test_stripe_down_shows_a_message_and_leaves_the_order_unpaid(client, shop, fake_stripe):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    fake_stripe.fail_with = (500, {"error": {"type": "api_error", "message": "boom"}})
    response = checkout(client, method="card")
    page = client.get(response["Location"])
    assert page.status_code == 503
    assert "Cổng thanh toán thẻ đang lỗi" in page.content.decode()
    payment = OrderPayment.objects.get()
    assert payment.status == "pending" and not payment.stripe_payment_intent
    assert client.get(response["Location"]).status_code == 200  # retry works
    payment.refresh_from_db()
    assert payment.stripe_payment_intent


def test_card_below_the_minimum_is_refused_with_a_message(client, shop, fake_stripe, settings):
    settings.SHOP_STRIPE_MIN_AMOUNT = 10_000_000
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})
    from tests.checkout.support import ADDRESS

    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert 'id="method-card"' in page and "10.000.000" in page
    refused = client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert refused.status_code == 400
    assert "Thanh toán thẻ cần đơn từ 10.000.000 đ" in refused.content.decode()


def test_declined_card_keeps_stock_for_a_bounded_time_then_releases(client, shop, fake_stripe):
    order, _page = card_order(client, shop, fake_stripe)
    payment = OrderPayment.objects.get(order=order)
    response = post_event(client, event("payment_intent.payment_failed", intent_obj(
        payment.stripe_payment_intent, 300000, order.number, status="requires_payment_method",
        error={"code": "card_declined", "message": "Your card was declined."})))
    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "failed" and order.status == "Chờ thanh toán"
    assert Allocation.objects.filter(line__order=order, status="open").exists()
    # not yet stale: nothing happens
    call_command("release_unpaid_orders")
    assert Allocation.objects.filter(line__order=order, status="open").exists()
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - timezone.timedelta(minutes=31)
    )
    call_command("release_unpaid_orders")
    order.refresh_from_db()
    assert order.status == "Đã huỷ"
    assert not Allocation.objects.filter(line__order=order, status="open").exists()
    assert fake_stripe.requests[-1]["path"].endswith("/cancel")
    _l, coffee, _h = shop
    coffee.refresh_from_db()
    assert coffee.num_allocated == 0


def test_unpaid_vietqr_orders_wait_longer(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - timezone.timedelta(hours=2)
    )
    assert payments.release_unpaid() == []
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - timezone.timedelta(hours=49)
    )
    assert payments.release_unpaid() == [order.number]


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user(
        username="staff", email="staff@example.vn", password="pw-123456789", is_staff=True
    )
    client.force_login(user)
    return client


def paid_card_order(client, shop, fake_stripe):
    order, _page = card_order(client, shop, fake_stripe)
    payment = OrderPayment.objects.get(order=order)
    post_event(client, event("payment_intent.succeeded",
                             intent_obj(payment.stripe_payment_intent, 320000, order.number)))
    return order, OrderPayment.objects.get(order=order)


def test_dashboard_refunds_partial_then_full_recorded_once(client, shop, fake_stripe):
    order, payment = paid_card_order(client, shop, fake_stripe)
    user = get_user_model().objects.create_user(
        username="staff", email="staff@example.vn", password="pw-123456789", is_staff=True
    )
    client.force_login(user)
    url = reverse("ocop-payment:refund", kwargs={"number": order.number})
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": "100000", "reason": "thiếu hàng"})
    assert response.status_code == 302
    refund_request = fake_stripe.requests[-1]
    assert refund_request["path"] == "/v1/refunds"
    assert refund_request["params"] == {"payment_intent": payment.stripe_payment_intent,
                                        "amount": "100000"}
    assert refund_request["headers"]["Idempotency-Key"] == f"order-{order.number}-refund-1-100000"
    refund = PaymentRefund.objects.get()
    # Stripe's charge.refunded for the same refund: recorded once, not added again
    charge = {
        "id": "ch_1", "object": "charge", "amount": 320000, "amount_refunded": 100000,
        "currency": "vnd", "payment_intent": payment.stripe_payment_intent,
        "refunds": {"object": "list", "data": [
            {"id": refund.stripe_refund_id, "object": "refund", "amount": 100000,
             "status": "succeeded"}]},
    }
    for _ in range(2):
        assert post_event(client, event("charge.refunded", charge)).status_code == 200
    payment.refresh_from_db()
    assert PaymentRefund.objects.count() == 1
    assert payment.amount_refunded == 100000 and payment.status == "partially_refunded"
    # more than what is left: refused with a message, Stripe not called
    calls = len(fake_stripe.requests)
    too_much = client.post(url, {"amount": "220001"})
    assert too_much.status_code == 400 and "tối đa 220000" in too_much.content.decode()
    assert len(fake_stripe.requests) == calls
    assert client.post(url, {"amount": "abc"}).status_code == 400
    assert client.post(url, {"amount": "220000"}).status_code == 302
    payment.refresh_from_db()
    assert payment.status == "refunded" and payment.amount_refunded == 320000
    assert PaymentRefund.objects.count() == 2


def test_refund_page_is_staff_only(client, shop, fake_stripe):
    order, _payment = paid_card_order(client, shop, fake_stripe)
    url = reverse("ocop-payment:refund", kwargs={"number": order.number})
    response = client.post(url, {"amount": "1000"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not PaymentRefund.objects.exists()
    assert StripeEvent.objects.count() == 1


def test_release_unpaid_orders_says_what_it_did(db):
    from io import StringIO

    out = StringIO()
    call_command("release_unpaid_orders", stdout=out)
    said = out.getvalue().strip()
    assert said.startswith("Không có đơn nào quá hạn thanh toán")
    assert "30 phút" in said and "48 giờ" in said
