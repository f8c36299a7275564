"""Background work: how every task of the shop behaves (the app is ``shop.celery``).

Rules:

* :func:`background_task` declares a task. It is acknowledged to the broker only
  when it has finished (``acks_late``; a worker that dies mid-task leaves it to
  another), and retried on a *transient* error — a lost database, SMTP or network
  connection, a timeout — with exponential back-off (about 1, 2, 4, … seconds,
  never more than 10 minutes apart, with jitter) at most :data:`MAX_RETRIES`
  times. Any other error is a bug: no retry, the worker logs it.
* Every task is idempotent: running it twice has the effect of running it once,
  since a late acknowledgement or a retry may run it again. A task whose effect
  is a database row checks that row under a row lock; the others claim a key
  with :func:`once` in the shared cache (Redis in production).
* :func:`after_commit` sends a task when the current transaction commits: never
  for work that is rolled back, and a worker never looks for rows that are not
  committed yet. Outside a transaction it sends at once.
* With no broker configured (``CELERY_BROKER_URL`` empty) tasks run inline, in
  the process that sends them, as a worker would run them: retried at once (no
  back-off delay), a failure logged, not raised into the page that sent them
  (``result.get()`` raises it). With a broker, a failure to reach it after the
  commit is logged, never turned into an error page for work already saved.
* Photo renditions of a new product photo are drawn in the background
  (:func:`prerender_renditions`) at the sizes the storefront asks for
  (``settings.SHOP_PRERENDERED_RENDITIONS``), so the first visitor of a listing
  does not wait for them; Oscar's thumbnailer still draws any missing one on
  demand.
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import contextmanager
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
BACKOFF_MAX_SECONDS = 600
# Errors worth another try: the other side may be back a moment later.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)
# How long a claim of :func:`once` blocks others while its task runs (a worker that
# died holding it frees it after this long), and how long "done" is remembered.
CLAIM_SECONDS = 15 * 60
DONE_SECONDS = 36 * 60 * 60


def background_task(*args, **options):
    """``shared_task`` with the shop's rules (late acknowledgement, retries with back-off)."""
    options.setdefault("acks_late", True)
    options.setdefault("reject_on_worker_lost", True)
    options.setdefault("autoretry_for", TRANSIENT_ERRORS)
    options.setdefault("retry_backoff", True)
    options.setdefault("retry_backoff_max", BACKOFF_MAX_SECONDS)
    options.setdefault("retry_jitter", True)
    options.setdefault("max_retries", MAX_RETRIES)
    options.setdefault("ignore_result", True)
    return shared_task(*args, **options)


def after_commit(task, *args, **kwargs):
    """Send ``task(*args, **kwargs)`` once the current transaction commits."""
    transaction.on_commit(partial(task.delay, *args, **kwargs), robust=True)


@contextmanager
def once(key, done_seconds=DONE_SECONDS):
    """Yield True to the one caller that should do ``key``'s work now, False to the others.

    The claim is an atomic ``cache.add``; it becomes "done" (remembered
    ``done_seconds``) when the block ends normally, and is given back when the block
    raises, so that a retry may do the work.
    """
    claim = f"ocop:once:{key}"
    if not cache.add(claim, "running", timeout=CLAIM_SECONDS):
        yield False
        return
    try:
        yield True
    except BaseException:
        cache.delete(claim)
        raise
    cache.set(claim, "done", timeout=done_seconds)


# --- Photo renditions ---------------------------------------------------------------


@background_task()
def prerender_renditions(image_name):
    """Draw the storefront's renditions of one stored photo (already drawn ones are kept)."""
    from oscar.core.thumbnails import get_thumbnailer

    thumbnailer = get_thumbnailer()
    drawn = 0
    for options in settings.SHOP_PRERENDERED_RENDITIONS:
        if thumbnailer.generate_thumbnail(image_name, **options) is not None:
            drawn += 1
    return drawn


def _image_saved(sender, instance, created=False, raw=False, **kwargs):
    name = getattr(instance.original, "name", "") if not raw else ""
    if name:
        after_commit(prerender_renditions, name)


def connect():
    from django.db.models.signals import post_save

    post_save.connect(_image_saved, sender="catalogue.ProductImage",
                      dispatch_uid="shop.core.tasks.prerender")
