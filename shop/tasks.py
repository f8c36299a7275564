"""The shop's scheduled jobs as Celery tasks (``celery beat`` sends them: ``settings.CELERY_BEAT_SCHEDULE``).

Each task does what its management command does (the commands stay for manual
use, and call the same functions), with the rules of ``shop.core.tasks``: late
acknowledgement, retries with back-off on transient errors, and safe to run twice:

* ``refresh_ocop_badges``, ``check_combos``, ``low_stock_digest`` email the office:
  each runs at most once a day (a claim in the shared cache, :func:`once`), so a
  retry or a second beat never sends the list twice. Badges and combos changed
  by the first two retire every cached product card (``shop.core.cache``).
* ``release_unpaid_orders`` cancels only orders still waiting for payment, under
  their row lock (``shop.payment.payments.release_unpaid``): a second run finds
  nothing left to release.
* ``check_inventory`` only reads; a mismatch is logged as an error.
* ``programme_reminders`` remembers each reminder it sent (once per period) in
  the database (``shop.programme.reports``).
* ``expire_live_holds`` gives back only holds still open (``shop.live.holds``).
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from shop.core import cache as storefront_cache
from shop.core.tasks import background_task, once

logger = logging.getLogger(__name__)


def _run_command(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    text = out.getvalue().strip()
    if text:
        logger.info("%s: %s", name, text)
    return text


def _daily(name):
    return f"{name}:{timezone.localdate().isoformat()}"


@background_task()
def refresh_ocop_badges():
    """Withdraw the stars of expired certificates; email those expiring within 90 days."""
    with once(_daily("refresh_ocop_badges")) as mine:
        if not mine:
            return "done today already"
        text = _run_command("refresh_ocop_badges")
        storefront_cache.invalidate_all()
        return text


@background_task()
def check_combos():
    """Stop selling combos whose component lost its certificate (emails the office)."""
    with once(_daily("check_combos")) as mine:
        if not mine:
            return "done today already"
        text = _run_command("check_combos")
        storefront_cache.invalidate_all()
        return text


@background_task()
def low_stock_digest():
    """Email the office the low-stock list, once a day."""
    with once(_daily("low_stock_digest")) as mine:
        if not mine:
            return "done today already"
        return _run_command("low_stock_digest")


@background_task()
def release_unpaid_orders():
    """Cancel card / VietQR orders left unpaid too long and give their stock back."""
    from shop.payment import payments

    return payments.release_unpaid(
        card_minutes=settings.SHOP_UNPAID_CARD_MINUTES,
        transfer_hours=settings.SHOP_UNPAID_TRANSFER_HOURS,
    )


@background_task()
def check_inventory():
    """Check the inventory invariant; a mismatch is logged as an error (and returned)."""
    from showroom import inventory

    mismatches = [str(m) for m in inventory.check_invariants()]
    for mismatch in mismatches:
        logger.error("check_inventory: %s", mismatch)
    return mismatches


@background_task()
def programme_reminders():
    """Email the office a few days before a programme report is due (once per period)."""
    return _run_command("programme_reminders")


@background_task()
def expire_live_holds():
    """Give back the stock of livestream comment holds not confirmed in time."""
    from shop.live import holds

    return holds.expire_due()
