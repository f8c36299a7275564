"""Background issuing of e-invoices (``shop.core.tasks`` rules).

* :func:`issue_invoice` issues one invoice (``issuing.issue``: under its row lock, at
  most once). While the provider cannot be reached it raises ``ProviderUnavailable`` —
  a transient error: the task is retried with back-off (inline without a broker); a
  refusal is left FAILED for the office. Running it again for an issued invoice sends
  nothing.
* :func:`retry_unissued_invoices` (periodic) queues the invoices still pending or
  failed, so that an invoice whose retries gave up (the provider down for hours) is
  issued once the provider is back.
"""

from __future__ import annotations

from shop.core.tasks import after_commit, background_task
from shop.invoicing.providers.base import ProviderUnavailable


@background_task()
def issue_invoice(invoice_id):
    from shop.invoicing import issuing

    invoice = issuing.issue(invoice_id)
    if invoice is None:
        return "no such invoice"
    if issuing.worth_retrying(invoice):
        raise ProviderUnavailable(invoice.last_error)
    return invoice.status


@background_task()
def retry_unissued_invoices():
    return retry_unissued()


def queue_issue(invoice):
    """Issue ``invoice`` in the background once the current transaction commits."""
    after_commit(issue_invoice, invoice.pk)


def retry_unissued(older_than=None, limit=200):
    """Queue every pending or failed invoice untouched for a while (5 minutes); how many."""
    from datetime import timedelta

    from shop.invoicing import issuing

    pks = issuing.unissued(older_than or timedelta(minutes=5), limit)
    for pk in pks:
        after_commit(issue_invoice, pk)
    return len(pks)
