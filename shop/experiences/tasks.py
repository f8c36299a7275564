"""When the booking emails go, and that each goes once (``shop.experiences.emails`` renders them).

Rules:

* **Confirmation** (voucher + QR): for every new booking with a contact email — online,
  at the till, by the office, a gift voucher — sent when the booking's transaction
  commits (``post_save`` → :func:`queue_confirmation` → ``after_commit``); nothing is sent
  for a booking rolled back with its order. Once per booking: a claim in the shared
  cache (``shop.core.tasks.once``, remembered a year), so a retry or a redelivery sends
  nothing more.
* **Paid online first**: a booking paid online — card, VietQR, or the online method not
  yet confirmed (``Booking.awaits_online_payment``) — gets no voucher while the money is
  not in: when its transaction commits the task reads the booking again (the order's
  payment method has reached it by then: cash on arrival is sent at once) and sends
  nothing (the order's own email lists the booking, without QR, "chờ thanh toán"). The
  voucher goes when the booking becomes paid (``bookings.sync_order_payment`` /
  ``bookings.mark_paid`` → :func:`queue_paid`, after that commit), under the same claim:
  still once per booking.
* **Booking cancelled with its order** (``bookings.cancel_for_order``: the order cancelled,
  e.g. left unpaid and released by ``shop.payment.payments.release_unpaid``): each
  booking's buyer gets the same cancellation email as for a departure cancelled by the
  provider (:func:`queue_cancelled`), worded for a booking, with its reason; once per
  booking, after the commit.
* **Reminder** the day before: :func:`remind_due` (the Celery task
  :func:`send_experience_reminders`, beat at 08:00 local time, and the command
  ``send_experience_reminders``) emails every confirmed booking of a scheduled departure
  of *tomorrow* (local date) not reminded yet. Once per booking: the booking's row is
  locked, ``reminded_at`` checked and set in the transaction that sends; a second run,
  or two beats at once, send nothing more.
* **Departure cancelled by the provider**: the view that cancels
  (``bookings.cancel_departure``, which returns the bookings it cancelled) calls
  :func:`queue_departure_cancelled`; each booking's buyer is emailed once after the
  commit (a cache claim per booking).
* **Departure changed by the provider** (``departures.update_departure``: a new date,
  start time or meeting point): :func:`queue_departure_changed` emails every booking of
  the departure still confirmed when the change commits (the new facts and the former
  ones). Once per booking and change: a cache claim keyed by the booking and the moment
  of the change (fixed when queued: a redelivery sends nothing more; any later change,
  even back to former values, is news and is sent).
* Only ``.models``, ``.emails`` and ``shop.core`` are imported here: the rules modules
  may call this module without a circle.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from shop.core import links
from shop.core.tasks import after_commit, background_task, once

from . import emails
from .models import Booking, Departure

logger = logging.getLogger(__name__)

ONCE_SECONDS = 400 * 24 * 60 * 60  # a claim outlives any booking's season


def _url(booking):
    return links.absolute(emails.voucher_path(booking))


# --- confirmation -----------------------------------------------------------------------------


def queue_confirmation(booking, language=None):
    """Send ``booking``'s confirmation once the current transaction commits."""
    if booking.contact_email:
        after_commit(send_booking_confirmation, booking.pk, language or translation.get_language())


@background_task()
def send_booking_confirmation(booking_id, language=None):
    """Email the voucher of booking ``booking_id`` (once)."""
    booking = Booking.objects.select_related("departure", "product").filter(pk=booking_id).first()
    if booking is None or not booking.contact_email:
        return "nothing to send"
    if booking.state == Booking.State.CANCELLED:
        return "cancelled"
    if booking.awaits_online_payment:
        return "awaiting payment"  # the voucher goes when the money is in (queue_paid)
    with once(f"experiences:confirmation:{booking.pk}", done_seconds=ONCE_SECONDS) as mine:
        if not mine:
            return "already sent"
        with translation.override(language):
            emails.send(emails.CONFIRMATION, booking, _url(booking))
        return "sent"


def queue_paid(booking_ids, language=None):
    """The bookings ``booking_ids`` just became paid: their vouchers after the commit (each
    once; one already sent at creation is not sent again)."""
    language = language or translation.get_language()
    for pk in booking_ids:
        after_commit(send_booking_confirmation, pk, language)


def _booking_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        queue_confirmation(instance)


def connect():
    """New bookings get their confirmation email (called from ``apps.ready``)."""
    post_save.connect(_booking_saved, sender=Booking,
                      dispatch_uid="experiences_booking_confirmation")


# --- departure (or order) cancelled ----------------------------------------------------------------------


def queue_cancelled(bookings, language=None):
    """Tell each buyer of ``bookings`` (just cancelled: with their departure, or with their
    order), after the commit; the email says which and why."""
    ids = [b.pk for b in bookings if b.contact_email]
    if ids:
        after_commit(send_departure_cancelled, ids, language or translation.get_language())


def queue_departure_cancelled(bookings, language=None):
    """Tell each buyer of ``bookings`` (just cancelled with their departure), after the commit."""
    queue_cancelled(bookings, language)


@background_task()
def send_departure_cancelled(booking_ids, language=None):
    sent = 0
    rows = (Booking.objects.select_related("departure", "product")
            .filter(pk__in=booking_ids, state=Booking.State.CANCELLED).order_by("pk"))
    for booking in rows:
        with once(f"experiences:cancelled:{booking.pk}", done_seconds=ONCE_SECONDS) as mine:
            if mine:
                with translation.override(language):
                    emails.send(emails.CANCELLED, booking, _url(booking))
                sent += 1
    return sent


# --- departure changed ------------------------------------------------------------------------


def queue_departure_changed(departure, before, language=None):
    """Tell the confirmed bookers of ``departure`` its new date / time / meeting point after
    the commit; ``before`` holds the former ``date``, ``start_time`` and ``meeting_point``."""
    former = {"date": f"{before['date']:%d/%m/%Y}", "time": f"{before['start_time']:%H:%M}",
              "meeting_point": before["meeting_point"] or ""}
    change = f"{departure.pk}-{time.time_ns()}"  # this change, whatever its values
    after_commit(send_departure_changed, departure.pk, former,
                 language or translation.get_language(), change=change)


@background_task()
def send_departure_changed(departure_id, former, language=None, change=""):
    departure = Departure.objects.filter(pk=departure_id).first()
    if departure is None or departure.status != Departure.Status.SCHEDULED:
        return 0
    change = change or hashlib.sha256(
        f"{departure.date}|{departure.start_time}|{departure.meeting_point}".encode()
    ).hexdigest()[:16]
    rows = (Booking.objects.select_related("departure", "product")
            .filter(departure_id=departure_id, state=Booking.State.CONFIRMED)
            .exclude(contact_email="").order_by("pk"))
    sent = 0
    for booking in rows:
        with once(f"experiences:changed:{booking.pk}:{change}",
                  done_seconds=ONCE_SECONDS) as mine:
            if mine:
                with translation.override(language):
                    emails.send(emails.CHANGED, booking, _url(booking), {"before": former})
                sent += 1
    return sent


# --- reminder the day before ------------------------------------------------------------------


def due_reminders(now=None):
    """Bookings to remind now: confirmed, with an email, on a scheduled departure tomorrow."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return (Booking.objects.filter(
        state=Booking.State.CONFIRMED, reminded_at__isnull=True,
        departure__date=tomorrow, departure__status=Departure.Status.SCHEDULED,
    ).exclude(contact_email="").order_by("departure_id", "pk"))


def remind_due(now=None, language="vi", progress=None):
    """Send the day-before reminders not sent yet; returns how many were sent."""
    now = now or timezone.now()
    ids = list(due_reminders(now).values_list("pk", flat=True))
    sent = 0
    for index, pk in enumerate(ids, 1):
        with transaction.atomic():
            booking = (Booking.objects.select_for_update(of=("self",))
                       .select_related("departure", "product").filter(pk=pk).first())
            if (booking is None or booking.reminded_at is not None
                    or booking.state != Booking.State.CONFIRMED):
                continue
            with translation.override(language):
                emails.send(emails.REMINDER, booking, _url(booking))
            Booking.objects.filter(pk=pk).update(reminded_at=now)
            sent += 1
        if progress is not None:
            progress(index, len(ids))
    return sent


@background_task()
def send_experience_reminders():
    """Remind tomorrow's visitors of their departure (once each)."""
    return remind_due()
