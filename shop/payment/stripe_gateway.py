"""Stripe through the official SDK: the client, PaymentIntents, refunds.

The client is made by the factory named in ``settings.SHOP_STRIPE_CLIENT_FACTORY``
(default :func:`default_client`), which honours ``STRIPE_API_BASE`` so tests
(and a staging box) can point the real SDK at a local server. Telemetry is off;
network retries are explicit (``SHOP_STRIPE_MAX_NETWORK_RETRIES``; Stripe's
idempotency keys make them safe).

VND is a zero-decimal currency for Stripe: the amount is whole đồng.
"""

from __future__ import annotations

import stripe
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shop import money

CURRENCY = "vnd"


class GatewayError(Exception):
    """Stripe refused or could not be reached; ``str()`` is a message for the user."""


def is_enabled() -> bool:
    """Card payments are offered only when both keys are set."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def default_client() -> stripe.StripeClient:
    stripe.enable_telemetry = False
    kwargs = {"max_network_retries": settings.SHOP_STRIPE_MAX_NETWORK_RETRIES}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def get_client() -> stripe.StripeClient:
    stripe.enable_telemetry = False
    return import_string(settings.SHOP_STRIPE_CLIENT_FACTORY)()


def minimum_amount() -> int:
    return int(getattr(settings, "SHOP_STRIPE_MIN_AMOUNT", 13000))


def check_minimum(amount) -> None:
    if money.to_int(amount) < minimum_amount():
        raise GatewayError(
            _("Thanh toán thẻ cần đơn từ %(min)s đ trở lên; hãy chọn hình thức khác.")
            % {"min": money.group_digits(minimum_amount())}
        )


def idempotency_key(order_number: str) -> str:
    return f"order-{order_number}-pi"


def create_payment_intent(order):
    """The order's PaymentIntent (same key → Stripe returns the same intent)."""
    amount = money.to_int(order.total_incl_tax)
    check_minimum(amount)
    try:
        return get_client().v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": CURRENCY,
                "description": f"OCOP Đăk Hà #{order.number}",
                "metadata": {"order_number": order.number},
                "automatic_payment_methods": {"enabled": True},
            },
            options={"idempotency_key": idempotency_key(order.number)},
        )
    except stripe.StripeError as error:
        raise GatewayError(
            _("Cổng thanh toán thẻ đang lỗi, chưa trừ tiền. Vui lòng thử lại sau.")
        ) from error


def cancel_payment_intent(intent_id: str) -> bool:
    """Best effort: True if Stripe cancelled it (or it was already cancelled)."""
    try:
        get_client().v1.payment_intents.cancel(intent_id)
    except stripe.StripeError:
        return False
    return True


def refund(intent_id: str, amount: int, key: str):
    try:
        return get_client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": money.to_int(amount)},
            options={"idempotency_key": key},
        )
    except stripe.StripeError as error:
        message = getattr(error, "user_message", None) or str(error)
        raise GatewayError(_("Stripe từ chối hoàn tiền: %(msg)s") % {"msg": message}) from error
