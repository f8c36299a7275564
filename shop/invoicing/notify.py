"""The buyer's "invoice issued" email for online orders.

Rules:

* When the invoice of an online order — its own, or the consolidated invoice it is in —
  is issued (it has its number and the tax authority's code), the buyer gets one email
  in Vietnamese: the invoice's form and serial, its number, the tax authority's code,
  the look-up code and link (``builder.lookup_url``), the amount, the order number(s)
  and, for one order, the link to its status page (``SHOP_BASE_URL``).
* To the invoice's buyer email: the company's email asked at checkout, else the order's
  email. No email address → nothing. Till sales have the receipt instead; adjusting and
  replacing invoices are not emailed here.
* Once: :func:`queue` is called by ``issuing.issue`` inside the transaction that marks
  the invoice issued, and the task runs after it commits. Under the invoice's row lock
  the task sends only while ``buyer_notified_at`` is empty, then sets it; a second
  issue, a retried or redelivered task sends nothing more. A mail server error leaves
  it empty and the task is retried (``shop.core.tasks``).
* ``with muted():`` (the demo's loader) issues without emailing anyone.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shop.core import links
from shop.core.tasks import after_commit, background_task
from shop.invoicing.models import Invoice

logger = logging.getLogger(__name__)
_state = threading.local()


@contextmanager
def muted():
    """No "invoice issued" email is queued inside this block (the demo's invoices)."""
    before = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = before


def wanted(invoice):
    return bool(invoice.kind == Invoice.Kind.ORIGINAL and invoice.till_sale_id is None
                and (invoice.order_id or invoice.consolidated) and invoice.buyer_email
                and invoice.buyer_notified_at is None)


def queue(invoice):
    """Email the buyer once the current transaction commits (when :func:`wanted`)."""
    if wanted(invoice) and not getattr(_state, "muted", False):
        after_commit(send_invoice_issued_email, invoice.pk)


def _orders(invoice):
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    if invoice.order_id:
        return list(Order.objects.filter(pk=invoice.order_id))
    return list(Order.objects.filter(consolidated_invoice__invoice=invoice)
                .order_by("date_placed", "pk"))


def message(invoice):
    """``(subject, text, html)`` of the email."""
    from shop.invoicing.builder import lookup_url

    orders = _orders(invoice)
    status_url = ""
    if len(orders) == 1:
        order = orders[0]
        status_url = links.absolute(reverse("checkout:order-status", kwargs={
            "number": order.number, "hash": order.verification_hash()}))
    context = {
        "invoice": invoice, "orders": orders, "status_url": status_url,
        "label": f"{invoice.invoice_form}{invoice.serial} {invoice.number:08d}",
        "lookup_url": lookup_url(invoice), "shop_name": getattr(settings, "OSCAR_SHOP_NAME", ""),
        "day": timezone.localdate(invoice.date),
    }
    subject = " ".join(render_to_string("invoicing/email/issued_subject.txt", context).split())
    text = render_to_string("invoicing/email/issued_body.txt", context)
    html = render_to_string("invoicing/email/issued_body.html", context)
    return subject, text, html


@background_task()
def send_invoice_issued_email(invoice_id):
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update(of=("self",)).filter(pk=invoice_id).first()
        if invoice is None:
            return "no such invoice"
        if invoice.status != Invoice.Status.ISSUED or not invoice.number:
            return "not issued"
        if not wanted(invoice):
            return "nothing to send"
        subject, text, html = message(invoice)
        email = EmailMultiAlternatives(subject, text, to=[invoice.buyer_email])
        email.attach_alternative(html, "text/html")
        email.send()
        invoice.buyer_notified_at = timezone.now()
        invoice.save(update_fields=["buyer_notified_at", "updated_at"])
        return "sent"
