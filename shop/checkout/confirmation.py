"""What the buyer is told once the order is placed: the status link, the transfer details, the gift.

Shared by the checkout's pages (``shop.checkout.views``), the confirmation email
(``shop.checkout.tasks``) and the GraphQL checkout.
"""

from django.urls import reverse
from django.utils import timezone

from shop.payment import vietqr

from .models import GiftOptions


def vietqr_context(order):
    """The VietQR payload, QR code and transfer details of an order."""
    from django.conf import settings

    payload = vietqr.build_payload(
        settings.SHOP_BANK_BIN, settings.SHOP_BANK_ACCOUNT, order.total_incl_tax,
        purpose=transfer_purpose(order),
    )
    hours = settings.SHOP_UNPAID_TRANSFER_HOURS
    return {
        # shop.payment.payments.release_unpaid cancels the order after this
        "vietqr_hours": hours,
        "vietqr_deadline": order.date_placed + timezone.timedelta(hours=hours),
        "vietqr_payload": payload,
        "vietqr_svg": vietqr.qr_svg(payload),
        "bank_name": settings.SHOP_BANK_NAME,
        "bank_account": settings.SHOP_BANK_ACCOUNT,
        "bank_account_name": settings.SHOP_BANK_ACCOUNT_NAME,
        "transfer_purpose": transfer_purpose(order),
    }


def transfer_purpose(order):
    return f"DH{order.number}"


def order_status_url(order):
    return reverse(
        "checkout:order-status",
        kwargs={"number": order.number, "hash": order.verification_hash()},
    )


def gift_options_of(order):
    try:
        return order.gift_options
    except GiftOptions.DoesNotExist:
        return None
