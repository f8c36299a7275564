"""Issuing an invoice through the configured provider: at most once, retried until it succeeds.

Rules:

* :func:`issue` works under the invoice's row lock. An invoice already ISSUED (or
  CANCELLED) is never sent again. Otherwise it counts an attempt, builds the tax
  authority's XML (``providers.xml``) and sends it with the invoice's idempotency key —
  the same key on every attempt, so a provider that numbered an earlier attempt whose
  answer was lost answers that number again, never a second one.
* An adjustment / replacement is sent for its original, which must be issued first
  (until then the attempt fails and is tried again later). A replaced original becomes
  CANCELLED once its replacement is issued.
* Success: the number, the issue time, the tax authority's code, the look-up code, the
  provider and its reference are kept, the status is ISSUED and the last error cleared.
  Failure: the status is FAILED and ``last_error`` says why (in the shop's language);
  nothing is raised to the caller. A provider that could not be reached is worth
  another try (:func:`worth_retrying`); a refusal or wrong data waits for the office.
* ``shop.invoicing.tasks.queue_issue`` sends ``tasks.issue_invoice`` when the current
  transaction commits (``shop.core.tasks``: retried with back-off while the provider is
  unreachable; inline without a broker; a failure logged, never raised into the sale).
  :func:`retry` is the office's button: one attempt now. :func:`unissued` lists what the
  task's retries gave up on; ``tasks.retry_unissued`` queues it again (periodically).
* An online order's invoice, once issued, is emailed to its buyer (``notify``: once,
  after the commit).
* :func:`cancel` and :func:`lookup` go to the provider with the invoice's reference.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.invoicing.models import Invoice
from shop.invoicing.providers import get_provider
from shop.invoicing.providers.base import ProviderError, ProviderRejected, ProviderUnavailable
from shop.invoicing.providers.xml import InvoiceDataError, invoice_xml

logger = logging.getLogger(__name__)

DONE = (Invoice.Status.ISSUED, Invoice.Status.CANCELLED)
ERROR_LENGTH = 2000


class OriginalNotIssued(ProviderUnavailable):
    """The original of an adjustment / replacement has no number yet: try again later."""


def _send(invoice, provider):
    xml = invoice_xml(invoice, provider.tax_code)
    if invoice.kind == Invoice.Kind.ORIGINAL:
        return provider.issue(invoice, xml)
    send = provider.replace if invoice.kind == Invoice.Kind.REPLACEMENT else provider.adjust
    return send(invoice, xml, invoice.original.provider_reference, invoice.reason)


def _error_text(exc):
    if isinstance(exc, OriginalNotIssued):
        return _("Hoá đơn gốc chưa được phát hành.")
    if isinstance(exc, ProviderUnavailable):
        return _("Không gửi được hoá đơn đến nhà cung cấp: %(error)s") % {"error": exc}
    if isinstance(exc, ProviderRejected):
        return _("Nhà cung cấp từ chối hoá đơn: %(error)s") % {"error": exc}
    return _("Dữ liệu hoá đơn không hợp lệ: %(error)s") % {"error": exc}


def _failed(invoice, exc):
    invoice.status = Invoice.Status.FAILED
    invoice.last_error = _error_text(exc)[:ERROR_LENGTH]
    invoice.retry_later = isinstance(exc, ProviderUnavailable)
    invoice.save(update_fields=["status", "last_error", "attempts", "updated_at"])
    logger.warning("invoice %s not issued (attempt %s): %s", invoice.pk, invoice.attempts, exc)
    return invoice


def issue(invoice):
    """Send ``invoice`` (an Invoice or its pk) to the provider unless it is issued already;
    returns the invoice as saved (``.retry_later`` True when another try may succeed)."""
    pk = getattr(invoice, "pk", invoice)
    with transaction.atomic():
        locked = (Invoice.objects.select_for_update(of=("self",))
                  .select_related("original").filter(pk=pk).first())
        if locked is None:
            return None
        locked.retry_later = False
        if locked.status in DONE:
            return locked
        locked.attempts += 1
        try:
            original = locked.original
            if locked.kind != Invoice.Kind.ORIGINAL and (
                original is None or original.status != Invoice.Status.ISSUED
                or not original.provider_reference
            ):
                raise OriginalNotIssued(f"original {getattr(original, 'pk', None)} not issued")
            provider = get_provider()
            result = _send(locked, provider)
        except (ProviderError, InvoiceDataError) as exc:
            return _failed(locked, exc)
        locked.number = result.number
        locked.issued_at = result.issued_at or timezone.now()
        locked.authority_code = result.authority_code
        locked.lookup_code = result.lookup_code
        locked.provider = provider.name
        locked.provider_reference = result.provider_reference
        locked.status = Invoice.Status.ISSUED
        locked.last_error = ""
        try:
            with transaction.atomic():
                locked.save()
                if locked.kind == Invoice.Kind.REPLACEMENT:
                    Invoice.objects.filter(pk=original.pk).update(
                        status=Invoice.Status.CANCELLED, updated_at=timezone.now())
                from shop.invoicing import notify

                notify.queue(locked)  # the buyer's email, once, after the commit
        except IntegrityError as exc:
            locked.refresh_from_db(fields=["number", "issued_at", "authority_code", "lookup_code",
                                           "provider", "provider_reference", "status"])
            return _failed(locked, ProviderRejected(
                _("Số hoá đơn %(number)s đã có trong ký hiệu %(serial)s.")
                % {"number": result.number, "serial": locked.serial} + f" ({exc})"))
        logger.info("invoice %s issued: %s %s", locked.pk, locked, locked.authority_code)
        return locked


def worth_retrying(invoice):
    return bool(invoice is not None and invoice.status == Invoice.Status.FAILED
                and getattr(invoice, "retry_later", False))


def retry(invoice):
    """The office's retry: one attempt now (nothing for an issued invoice); the invoice."""
    return issue(invoice)


def unissued(older_than=timedelta(minutes=5), limit=200):
    """Ids of the pending or failed invoices untouched for ``older_than`` (oldest first)."""
    return list(
        Invoice.objects.filter(status__in=[Invoice.Status.PENDING, Invoice.Status.FAILED],
                               updated_at__lt=timezone.now() - older_than)
        .order_by("updated_at").values_list("pk", flat=True)[:limit]
    )


def cancel(invoice, reason):
    """Cancel an issued invoice at the provider and here; returns the provider's answer."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
        if locked.status != Invoice.Status.ISSUED:
            raise ProviderRejected(f"invoice {locked.pk} is {locked.status}, not issued")
        answer = get_provider().cancel(locked.provider_reference, reason,
                                       key=f"cancel-{locked.idempotency_key}")
        locked.status = Invoice.Status.CANCELLED
        if not locked.reason:
            locked.reason = reason[:255]
        locked.save(update_fields=["status", "reason", "updated_at"])
    invoice.status, invoice.reason = locked.status, locked.reason
    return answer


def lookup(invoice):
    """What the provider holds of an issued invoice."""
    return get_provider().lookup(invoice.provider_reference)
