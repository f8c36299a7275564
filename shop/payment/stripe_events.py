"""Stripe webhook events: verified on the raw body, stored once, applied forward only.

:func:`receive` is called by the webhook view with the exact bytes Stripe sent.
It answers ``(http_status, result)``: 400 for a bad or stale signature or a
body that is not an event, 200 for everything Stripe should not send again
(handled, replayed, unknown type, unknown order, amount mismatch).
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from . import payments
from .models import OrderPayment, StripeEvent

logger = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300


def _payment_for_intent(intent_id, order_number=None):
    qs = OrderPayment.objects.select_related("order")
    payment = qs.filter(stripe_payment_intent=intent_id).first() if intent_id else None
    if payment is None and order_number:
        payment = qs.filter(order__number=order_number, method=OrderPayment.Method.CARD).first()
        if payment is not None and payment.stripe_payment_intent not in (None, "", intent_id):
            return None  # another intent than the one we made: not ours to apply
    return payment


def _metadata_number(obj):
    metadata = obj.get("metadata") or {}
    return str(metadata.get("order_number") or "")


def on_intent_succeeded(obj):
    number = _metadata_number(obj)
    payment = _payment_for_intent(obj.get("id"), number)
    if payment is None:
        return number, "unknown order"
    amount = obj.get("amount_received") or obj.get("amount") or 0
    _changed, result = payments.mark_paid(
        payment.order, amount, reference=obj.get("id", ""), currency=obj.get("currency", "")
    )
    return payment.order.number, result


def on_intent_failed(obj):
    number = _metadata_number(obj)
    payment = _payment_for_intent(obj.get("id"), number)
    if payment is None:
        return number, "unknown order"
    error = obj.get("last_payment_error") or {}
    _changed, result = payments.mark_failed(payment.order, error.get("message") or "")
    return payment.order.number, result


def on_charge_refunded(obj):
    payment = _payment_for_intent(obj.get("payment_intent"), _metadata_number(obj))
    if payment is None:
        return "", "unknown order"
    if (obj.get("currency") or "").lower() != payment.currency.lower():
        return payment.order.number, "currency mismatch"
    refunds = [
        (r["id"], r["amount"], r.get("status", ""))
        for r in ((obj.get("refunds") or {}).get("data") or [])
        if r.get("id")
    ]
    _changed, result = payments.record_refund_total(
        payment, obj.get("amount_refunded") or 0, refunds
    )
    return payment.order.number, result


def on_dispute_created(obj):
    payment = _payment_for_intent(obj.get("payment_intent"))
    if payment is None:
        return "", "unknown order"
    _changed, result = payments.mark_disputed(payment, obj.get("reason") or "")
    return payment.order.number, result


HANDLERS = {
    "payment_intent.succeeded": on_intent_succeeded,
    "payment_intent.payment_failed": on_intent_failed,
    "charge.refunded": on_charge_refunded,
    "charge.dispute.created": on_dispute_created,
}


def receive(payload: bytes, signature: str | None, secret: str | None = None):
    secret = secret if secret is not None else settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        return 400, "webhook secret not configured"
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature or "", secret, TOLERANCE_SECONDS)
        event = json.loads(text)
        event_id, event_type = str(event["id"]), str(event["type"])
        obj = event["data"]["object"]
        if not isinstance(obj, dict):
            raise ValueError("data.object is not an object")
    except stripe.SignatureVerificationError:
        return 400, "bad signature"
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return 400, "not an event"
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event_id[:255], type=event_type[:128],
                    livemode=bool(event.get("livemode")), payload=event,
                )
        except IntegrityError:
            return 200, "duplicate"
        handler = HANDLERS.get(event_type)
        if handler is None:
            number, result = "", "ignored type"
        else:
            number, result = handler(obj)
        record.order_number, record.result = (number or "")[:128], result[:255]
        record.save(update_fields=["order_number", "result"])
    if result in ("unknown order", "amount or currency mismatch", "currency mismatch"):
        logger.warning("Stripe event %s (%s): %s", event_id, event_type, result)
    return 200, result
