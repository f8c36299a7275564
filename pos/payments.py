"""Till payments that need more than arithmetic: the VietQR code on the customer screen.

The QR carries the exact amount and the receipt number the sale is about to
get (the register's counter + 1). In the usual flow — QR shown, transfer
seen, sale committed — that is the number printed on the receipt; should a
queued offline sale of the same register sync in between, the receipt shows
the purpose text of the QR as the VietQR tender's reference.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from pos.errors import TillError
from pos.models import ReceiptCounter
from pos.money import parse_money
from shop.payment import vietqr

_NOT_PURPOSE = re.compile(r"[^0-9A-Za-z .\-]")


def next_receipt_label(register):
    last = (
        ReceiptCounter.objects.filter(register=register).values_list("last_number", flat=True).first()
        or 0
    )
    return f"{register.code}-{last + 1:06d}"


def vietqr_for(register, amount, reference=None):
    amount = parse_money(amount, _("Số tiền chuyển khoản"), allow_zero=False)
    reference = str(reference or "").strip() or next_receipt_label(register)
    purpose = _NOT_PURPOSE.sub("-", f"HD {reference}")[: vietqr.MAX_PURPOSE_LENGTH]
    try:
        payload = vietqr.build_payload(
            settings.SHOP_BANK_BIN, settings.SHOP_BANK_ACCOUNT, amount, purpose
        )
    except vietqr.VietQRError:
        raise TillError(
            _("Chưa cấu hình đúng tài khoản nhận chuyển khoản (SHOP_BANK_BIN, SHOP_BANK_ACCOUNT)."),
            code="vietqr_config",
        ) from None
    return {
        "amount": int(amount),
        "reference": purpose,
        "payload": payload,
        "svg": vietqr.qr_svg(payload),
        "bank": getattr(settings, "SHOP_BANK_NAME", ""),
        "account": settings.SHOP_BANK_ACCOUNT,
        "account_name": getattr(settings, "SHOP_BANK_ACCOUNT_NAME", ""),
    }
