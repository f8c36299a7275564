"""Oscar orders as Saleor's ``Order``: who may see one, how its states read, its token.

Who sees an order:

* ``order(id)``: the signed-in customer who placed it, or staff. Anybody else (and
  a guest) gets null, as for an order that does not exist.
* ``orderByToken(token)``: whoever holds the order's token, a UUID the API hands
  out with the order (``Order.token``; ``checkoutComplete`` returns the order).
  Oscar orders have no UUID, so the token is made, not stored: its first 6 bytes
  are the order's pk, the other 10 an HMAC of the pk and number under
  ``SECRET_KEY`` (with the UUID version bits set: 74 secret bits). It cannot be
  guessed from the order number or pk, and it is checked in constant time.
* ``Order.user`` (the customer's account, with its address book) is shown to the
  customer and to staff only: the holder of a token sees the order, not the account.
* The global id is ``Order:<pk>`` (Saleor uses its order UUID there; the pk is
  safe here because every lookup checks who asks).

Status (``OSCAR_ORDER_STATUS_PIPELINE``, ``shop.payment.statuses``) → ``OrderStatus``:

=====================  =====================  ================================
Oscar status           OrderStatus            why
=====================  =====================  ================================
Chờ thanh toán         UNCONFIRMED            waits for the payment to confirm
Chờ xử lý              UNFULFILLED            confirmed, nothing sent yet
Sẵn sàng nhận hàng     UNFULFILLED            packed at the sales point, not yet handed over
Đang giao              FULFILLED              handed to the courier (Saleor's fulfilment)
Đã giao                FULFILLED              delivered
Đã nhận hàng           FULFILLED              collected at the sales point
Đã huỷ                 CANCELED
(any other)            UNCONFIRMED
=====================  =====================  ================================

Payment (``shop.payment.models.OrderPayment.status``) → ``PaymentChargeStatusEnum``:
pending → NOT_CHARGED, failed → REFUSED, paid → FULLY_CHARGED (PARTIALLY_CHARGED
when less than the amount came in), partially_refunded → PARTIALLY_REFUNDED,
refunded → FULLY_REFUNDED; an order without a payment record (a till sale) →
FULLY_CHARGED when it is past payment (the till takes the money at once),
NOT_CHARGED otherwise.
"""

import uuid
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model

from shop.payment import statuses

Order = get_model("order", "Order")
Line = get_model("order", "Line")

STATUS = {
    statuses.AWAITING_PAYMENT: "UNCONFIRMED",
    statuses.PROCESSING: "UNFULFILLED",
    statuses.READY_TO_COLLECT: "UNFULFILLED",
    statuses.SHIPPING: "FULFILLED",
    statuses.SHIPPED: "FULFILLED",
    statuses.COLLECTED: "FULFILLED",
    statuses.CANCELLED: "CANCELED",
}
# the pipeline's names, marked for makemessages: ``statusDisplay`` translates the stored name
STATUS_NAMES = (
    gettext_noop("Chờ thanh toán"), gettext_noop("Chờ xử lý"), gettext_noop("Đang giao"),
    gettext_noop("Sẵn sàng nhận hàng"), gettext_noop("Đã giao"), gettext_noop("Đã nhận hàng"),
    gettext_noop("Đã huỷ"),
)
assert set(STATUS_NAMES) == set(STATUS)
PAYMENT_STATUS = {
    "pending": "NOT_CHARGED",
    "failed": "REFUSED",
    "paid": "FULLY_CHARGED",
    "partially_refunded": "PARTIALLY_REFUNDED",
    "refunded": "FULLY_REFUNDED",
}
_SALT = "shop.graphql.order.token"


def order_status(order):
    return STATUS.get(order.status, "UNCONFIRMED")


def payment_of(order):
    try:
        return order.ocop_payment
    except ObjectDoesNotExist:  # no payment record
        return None


def payment_status(order):
    payment = payment_of(order)
    if payment is None:
        return "FULLY_CHARGED" if order.status not in (statuses.AWAITING_PAYMENT, statuses.CANCELLED) \
            else "NOT_CHARGED"
    code = PAYMENT_STATUS.get(payment.status, "NOT_CHARGED")
    if code == "FULLY_CHARGED" and payment.amount_paid < payment.amount:
        return "PARTIALLY_CHARGED"
    return code


def amount_charged(order):
    payment = payment_of(order)
    if payment is None:
        return order.total_incl_tax if payment_status(order) == "FULLY_CHARGED" else Decimal(0)
    return payment.amount_paid or Decimal(0)


def is_paid(order):
    payment = payment_of(order)
    return payment.is_paid if payment is not None else payment_status(order) == "FULLY_CHARGED"


def checkout_of(order):
    try:
        return order.api_checkout
    except ObjectDoesNotExist:  # placed on the web or at the till
        return None


def updated_at(order):
    payment = payment_of(order)
    moments = [order.date_placed] + ([payment.updated_at] if payment is not None else [])
    return max(moment for moment in moments if moment is not None)


def is_collect(order):
    return (order.shipping_code or "").startswith("collect")


# --- token ------------------------------------------------------------------------------


def _token_for(pk, number):
    digest = salted_hmac(_SALT, f"{pk}:{number}", algorithm="sha256").digest()
    return uuid.UUID(bytes=int(pk).to_bytes(6, "big") + digest[:10], version=4)


def token_of(order):
    return _token_for(order.pk, order.number)


def order_by_token(token):
    """The order ``token`` (a UUID) stands for, or None."""
    try:
        value = token if isinstance(token, uuid.UUID) else uuid.UUID(str(token))
    except (ValueError, TypeError, AttributeError):
        return None
    pk = int.from_bytes(value.bytes[:6], "big")
    order = orders_queryset().filter(pk=pk).first()
    if order is None or not constant_time_compare(str(token_of(order)), str(value)):
        return None
    return order


# --- access and loading --------------------------------------------------------------------


def orders_queryset():
    """Orders with what the API shows of them: a page of orders costs a fixed number of queries."""
    lines = Line.objects.select_related("product__parent").prefetch_related(
        "product__images", "product__parent__images").order_by("pk")
    return (Order.objects.select_related("shipping_address", "billing_address", "ocop_payment",
                                         "api_checkout", "user")
            .prefetch_related(Prefetch("lines", queryset=lines), "discounts"))


def orders_of(user):
    """A customer's orders, newest first."""
    return orders_queryset().filter(user_id=user.pk).order_by("-date_placed", "-pk")


def may_see(user, order):
    if user is None or not user.is_authenticated:
        return False
    return order.user_id == user.pk or bool(user.is_staff)


def visible_order(user, pk):
    """The order ``pk`` if ``user`` may see it (its customer, or staff), else None."""
    if user is None or not user.is_authenticated:
        return None
    order = orders_queryset().filter(pk=pk).first()
    return order if order is not None and may_see(user, order) else None
