"""The order confirmation email, sent in the background once the order is committed.

Rules:

* :func:`queue_order_placed_email` is called where an order is placed (the web
  checkout, the GraphQL ``checkoutComplete``), inside the order's transaction. It
  takes from the request what the email needs — the absolute address of the
  order's status page and the buyer's language — and sends
  :func:`send_order_placed_email` when the transaction commits
  (``shop.core.tasks.after_commit``).
* The email is Oscar's ``ORDER_PLACED`` message, rendered from the theme's
  templates (``commtype_order_placed_*``) with the same context the checkout gave
  it: the order, its lines, its payment, the VietQR transfer details for a
  transfer, the gift options, the status link.
* Once per order: each sending is recorded as Oscar's communication event of the
  order (``ORDER_PLACED``, shown in the dashboard's order page), checked and
  written under the order's row lock. Running the task again — a retry, a
  redelivery — sends nothing more.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation
from oscar.core.loading import get_class, get_model

from shop.checkout.confirmation import gift_options_of, order_status_url, vietqr_context
from shop.core import links
from shop.core.tasks import after_commit, background_task

logger = logging.getLogger("oscar.checkout")

ORDER_PLACED = "ORDER_PLACED"


def queue_order_placed_email(order, request=None):
    """Send ``order``'s confirmation email once the current transaction commits."""
    status_url = links.absolute(order_status_url(order), request)
    after_commit(send_order_placed_email, order.pk, status_url, translation.get_language())


def message_context(order, status_url=""):
    """The context of the order placed email (as the checkout has always given it)."""
    from shop.payment.models import OrderPayment

    ctx = {"user": order.user, "order": order, "lines": order.lines.all()}
    ctx["status_path"] = order_status_url(order)
    ctx["status_url"] = status_url
    ctx["payment"] = OrderPayment.objects.filter(order=order).first()
    ctx["gift"] = gift_options_of(order)
    if ctx["payment"] is not None and ctx["payment"].method == OrderPayment.Method.VIETQR:
        ctx.update(vietqr_context(order))
    return ctx


@background_task()
def send_order_placed_email(order_id, status_url="", language=None):
    """Email the buyer the confirmation of order ``order_id``; nothing if it was sent already."""
    Order = get_model("order", "Order")
    CommunicationEvent = get_model("order", "CommunicationEvent")
    CommunicationEventType = get_model("communication", "CommunicationEventType")
    OrderDispatcher = get_class("order.utils", "OrderDispatcher")

    with translation.override(language), transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("shipping_address__country", "user")
            .prefetch_related("lines", "surcharges")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            return "no such order"
        if CommunicationEvent.objects.filter(order=order, event_type__code=ORDER_PLACED).exists():
            return "already sent"
        # The event type's templates stay empty: Oscar then renders the theme's files.
        CommunicationEventType.objects.get_or_create(
            code=ORDER_PLACED,
            defaults={"name": "Đơn hàng đã đặt",
                      "category": CommunicationEventType.ORDER_RELATED},
        )
        OrderDispatcher(logger=logger).send_order_placed_email_for_user(
            order, message_context(order, status_url)
        )
        return "sent"
