"""Webhook scenarios: replays, out of order, bad/stale signatures, unknown orders, mismatches."""

import time

from oscar.core.loading import get_model

from shop.payment.models import OrderPayment, StripeEvent
from tests.checkout.support import (
    WEBHOOK_SECRET,
    add_to_basket,
    checkout,
    event,
    intent_obj,
    post_event,
)

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")


def card_order(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 2)
    response = checkout(client, method="card")
    client.get(response["Location"])
    payment = OrderPayment.objects.get()
    return payment.order, payment


def succeeded(payment, amount=None, **kwargs):
    amount = int(payment.amount) if amount is None else amount
    return event("payment_intent.succeeded",
                 intent_obj(payment.stripe_payment_intent, amount, payment.order.number,
                            **kwargs))


def failed(payment):
    return event("payment_intent.payment_failed", intent_obj(
        payment.stripe_payment_intent, int(payment.amount), payment.order.number,
        status="requires_payment_method", error={"message": "Your card was declined."}))


def test_replayed_three_times_applies_once(client, shop, fake_stripe):
    order, payment = card_order(client, shop)
    payload = succeeded(payment)
    results = [post_event(client, payload) for _ in range(3)]
    assert [r.status_code for r in results] == [200, 200, 200]
    assert [r.content for r in results] == [b"paid", b"duplicate", b"duplicate"]
    assert StripeEvent.objects.count() == 1
    assert OrderPayment.objects.count() == 1
    assert Transaction.objects.filter(source__order=order).count() == 1
    order.refresh_from_db()
    assert order.status == "Chờ xử lý"


def test_failed_after_succeeded_does_not_go_back(client, shop, fake_stripe):
    order, payment = card_order(client, shop)
    post_event(client, succeeded(payment))
    response = post_event(client, failed(payment))
    assert response.status_code == 200 and b"ignored" in response.content
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "paid" and order.status == "Chờ xử lý"
    # a second success event (other id, same intent) does not pay twice
    assert post_event(client, succeeded(payment)).content == b"already paid"
    assert Transaction.objects.filter(source__order=order).count() == 1


def test_failed_then_succeeded_retry_pays(client, shop, fake_stripe):
    _order, payment = card_order(client, shop)
    post_event(client, failed(payment))
    post_event(client, succeeded(payment))
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.failure_message == ""


def test_bad_signature_is_refused_and_nothing_recorded(client, shop, fake_stripe):
    order, payment = card_order(client, shop)
    assert post_event(client, succeeded(payment), secret="whsec_wrong").status_code == 400
    assert post_event(client, succeeded(payment), signature="t=1,v1=deadbeef").status_code == 400
    assert post_event(client, succeeded(payment), signature="").status_code == 400
    assert not StripeEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_tampered_body_with_an_old_valid_signature_is_refused(client, shop, fake_stripe):
    import json

    import stripe
    from django.urls import reverse

    _order, payment = card_order(client, shop)
    body = json.dumps(succeeded(payment, amount=1))
    header = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    response = client.post(reverse("ocop-payment:stripe-webhook"),
                           data=body.replace('"amount": 1', '"amount": 300000').encode(),
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400


def test_stale_signature_is_refused(client, shop, fake_stripe):
    _order, payment = card_order(client, shop)
    response = post_event(client, succeeded(payment), timestamp=int(time.time()) - 3600)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_unknown_order_is_acknowledged_and_recorded(client, shop, fake_stripe):
    response = post_event(client, event("payment_intent.succeeded",
                                        intent_obj("pi_unknown", 300000, "999999")))
    assert response.status_code == 200 and response.content == b"unknown order"
    assert StripeEvent.objects.get().result == "unknown order"
    assert not OrderPayment.objects.exists()


def test_unknown_type_is_ignored_with_200(client, shop, fake_stripe):
    response = post_event(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.content == b"ignored type"


def test_wrong_amount_or_currency_does_not_pay(client, shop, fake_stripe):
    order, payment = card_order(client, shop)
    assert post_event(client, succeeded(payment, amount=1000)).status_code == 200
    assert post_event(client, succeeded(payment, currency="usd")).status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "pending" and "không khớp" in payment.needs_attention
    assert order.status == "Chờ thanh toán"
    assert OrderPayment.objects.count() == 1


def test_not_an_event_is_400(client, shop, fake_stripe):
    import stripe
    from django.urls import reverse

    body = "not json"
    header = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    response = client.post(reverse("ocop-payment:stripe-webhook"), data=body,
                           content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert client.get(reverse("ocop-payment:stripe-webhook")).status_code == 405


def test_dispute_is_flagged_once(client, shop, fake_stripe):
    _order, payment = card_order(client, shop)
    post_event(client, succeeded(payment))
    dispute = {"id": "dp_1", "object": "dispute", "amount": 300000, "currency": "vnd",
               "payment_intent": payment.stripe_payment_intent, "reason": "fraudulent",
               "charge": "ch_1", "status": "needs_response"}
    assert post_event(client, event("charge.dispute.created", dispute)).content == b"disputed"
    payment.refresh_from_db()
    assert payment.disputed and payment.status == "paid"


def test_success_after_the_order_was_cancelled_is_flagged_for_refund(client, shop, fake_stripe):
    from shop.payment import payments

    order, payment = card_order(client, shop)
    payments.cancel_order(order)
    post_event(client, succeeded(payment))
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == "Đã huỷ" and payment.status == "paid"
    assert "hoàn tiền" in payment.needs_attention
