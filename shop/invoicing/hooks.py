"""When invoices are made: a till sale, a till return, an online order once paid.

Rules:

* A till sale (online, or offline when it syncs) queues :func:`invoice_till_sale`
  with the sale's id and the buyer from inside the sale's transaction
  (:func:`till_sale_recorded`); the task runs after the commit, so the till's sale
  costs no query for it and a rolled-back sale queues nothing. The till records a
  replayed sale once (``pos.sales``), and the builder returns the invoice already
  made, so a sale synced twice has one invoice.
* A till return queues :func:`invoice_till_return` the same way: its adjusting
  invoice references the sale's original.
* An online order is invoiced when it is paid: a card or VietQR payment when it is
  recorded paid (``OrderPayment`` saved with status paid), a cash-on-delivery order
  when it is delivered or collected (Oscar's ``order_status_changed``). Both queue
  :func:`invoice_order` after the commit.
* A refund of an online order (``payment.PaymentRefund`` saved, created) queues
  :func:`invoice_refund`; an online order cancelled (Oscar's ``order_status_changed`` to
  ``Đã huỷ``) queues :func:`invoice_order_cancelled`: the adjusting invoice, or the
  cancelled invoice of a sale undone before delivery (``shop.invoicing.refunds``).
* Every task builds the invoice (``shop.invoicing.builder``) and hands a pending one to
  ``shop.invoicing.tasks.queue_issue``. A failure is logged; it never blocks or undoes
  a sale (the tasks retry on transient errors, ``shop.core.tasks``).
"""

from __future__ import annotations

import logging

from shop.core.tasks import after_commit, background_task

logger = logging.getLogger(__name__)

DELIVERED_STATUSES = ("Đã giao", "Đã nhận hàng")  # shop.payment.statuses SHIPPED, COLLECTED
CANCELLED_STATUS = "Đã huỷ"  # shop.payment.statuses CANCELLED


def _issue(invoice):
    """Hand a pending invoice to the issuing (its own task, retried there); the invoice
    stays saved whatever happens here, and the office can retry it."""
    if invoice is None or invoice.status != invoice.Status.PENDING:
        return invoice
    try:
        from shop.invoicing import tasks

        tasks.queue_issue(invoice)
    except Exception:
        logger.exception("could not queue the issue of invoice %s", invoice.pk)
    return invoice


def _safely(queue, *args):
    try:
        after_commit(queue, *args)
    except Exception:  # never into the sale
        logger.exception("could not queue %s%r", getattr(queue, "name", queue), args)


# --- tasks --------------------------------------------------------------------------


@background_task()
def invoice_till_sale(sale_id, buyer=None):
    from pos.models import TillSale
    from shop.invoicing import builder

    sale = TillSale.objects.filter(pk=sale_id).first()
    if sale is None:
        return None
    invoice = builder.invoice_for_till_sale(sale, buyer)
    _issue(invoice)
    return invoice.pk if invoice else None


@background_task()
def invoice_till_return(till_return_id):
    from pos.models import TillReturn
    from shop.invoicing import builder

    till_return = TillReturn.objects.select_related("sale").filter(pk=till_return_id).first()
    if till_return is None:
        return None
    invoice = builder.adjustment_for_till_return(till_return)
    _issue(invoice)
    return invoice.pk if invoice else None


@background_task()
def invoice_order(order_id, buyer=None):
    from oscar.core.loading import get_model

    from shop.invoicing import builder

    order = get_model("order", "Order").objects.filter(pk=order_id).first()
    if order is None:
        return None
    invoice = builder.invoice_for_order(order, buyer)
    _issue(invoice)
    return invoice.pk if invoice else None


@background_task()
def invoice_refund(refund_id):
    from shop.invoicing import refunds
    from shop.payment.models import PaymentRefund

    refund = PaymentRefund.objects.select_related("payment__order").filter(pk=refund_id).first()
    if refund is None:
        return None
    invoice = refunds.adjustment_for_refund(refund)
    _issue(invoice)
    return invoice.pk if invoice else None


@background_task()
def invoice_order_cancelled(order_id, old_status=None):
    from oscar.core.loading import get_model

    from shop.invoicing import refunds

    order = get_model("order", "Order").objects.filter(pk=order_id).first()
    if order is None:
        return None
    invoice = refunds.order_cancelled(order, old_status)
    return invoice.pk if invoice else None


# --- where they are queued ------------------------------------------------------------


def till_sale_recorded(sale, buyer=None):
    """Call inside the sale's transaction: its invoice is made after the commit."""
    _safely(invoice_till_sale, sale.pk, dict(buyer) if buyer else None)


def till_return_recorded(till_return):
    """Call inside the return's transaction."""
    _safely(invoice_till_return, till_return.pk)


def _payment_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or instance.status != instance.Status.PAID:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    if instance.method == instance.Method.COD:
        return  # cash on delivery: invoiced when delivered
    _safely(invoice_order, instance.order_id)


def _order_status_changed(sender, order=None, new_status=None, old_status=None, **kwargs):
    if order is None:
        return
    if new_status in DELIVERED_STATUSES:
        _safely(invoice_order, order.pk)
    elif new_status == CANCELLED_STATUS:
        _safely(invoice_order_cancelled, order.pk, old_status)


def _refund_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    _safely(invoice_refund, instance.pk)


def connect():
    """Connect the online order's signals (from the app's ``ready``)."""
    from django.db.models.signals import post_save
    from oscar.apps.order.signals import order_status_changed

    from shop.payment.models import OrderPayment, PaymentRefund

    post_save.connect(_payment_saved, sender=OrderPayment,
                      dispatch_uid="shop.invoicing.hooks.payment")
    post_save.connect(_refund_saved, sender=PaymentRefund,
                      dispatch_uid="shop.invoicing.hooks.refund")
    order_status_changed.connect(_order_status_changed,
                                 dispatch_uid="shop.invoicing.hooks.order_status")
