"""Which payment methods a shopper may choose for a total (card only with Stripe keys)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import stripe_gateway
from .models import OrderPayment

M = OrderPayment.Method


@dataclass
class Choice:
    code: str
    label: str
    help: str
    enabled: bool = True
    reason: str = ""


def choices(total) -> list[Choice]:
    """Methods to show; card is absent without Stripe keys, disabled below the minimum."""
    result = []
    if stripe_gateway.is_enabled():
        choice = Choice(M.CARD, M.CARD.label, _("Visa, Mastercard, JCB… qua Stripe."))
        try:
            stripe_gateway.check_minimum(total)
        except stripe_gateway.GatewayError as error:
            choice.enabled, choice.reason = False, str(error)
        result.append(choice)
    result.append(Choice(M.VIETQR, M.VIETQR.label,
                         _("Quét mã VietQR bằng ứng dụng ngân hàng; đơn được xử lý khi tiền về.")))
    result.append(Choice(M.COD, M.COD.label,
                         _("Trả tiền mặt khi nhận hàng hoặc khi nhận tại điểm bán.")))
    return result


def check(code, total) -> str:
    """``code`` if the shopper may pay ``total`` that way, else ValueError with a message."""
    for choice in choices(total):
        if choice.code == code:
            if not choice.enabled:
                raise ValueError(choice.reason)
            return choice.code
    raise ValueError(_("Hình thức thanh toán không hợp lệ, hãy chọn lại."))
