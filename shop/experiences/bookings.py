"""Bookings: create, cancel (by the buyer, the provider, the office), check in, who sees what.

States
------
``confirmed`` → ``checked_in`` (once) and ``confirmed`` → ``cancelled`` (once).
A checked-in booking cannot be cancelled; a cancelled one cannot be checked in.
A confirmed booking with a departure holds ``people`` places on it
(``places``); cancelling gives them back exactly once.

Voucher code
------------
Eight characters from an alphabet without look-alikes (``23456789`` and the
capitals without ``I``, ``L``, ``O``), drawn with :mod:`secrets` (31⁸ ≈ 8·10¹¹
codes: unguessable, short, typeable); printed ``ABCD-EFGH``. Typed codes are
normalised (case, spaces, dashes, ``O``→``0`` is not needed: no ``O``/``0``).

Cancellation
------------
* The buyer (or the office on the buyer's behalf, ``by_buyer=True``) may cancel up
  to ``EXPERIENCE_CANCEL_CUTOFF_HOURS`` (default 24) before the start — code
  ``cancel_cutoff`` after that.
* The provider cancels a whole departure (:func:`cancel_departure`): every booking
  on it is cancelled, places back, each buyer to be notified (the caller sends
  the emails: ``cancel_departure`` returns the bookings it cancelled).
* The refund rule, per payment method (:func:`refund_for`), recorded on the booking:
  - card (paid online): a Stripe refund through ``shop.payment.payments.refund_card``
    when the payment is a card payment with money left to refund; if Stripe refuses
    or is unreachable the refund is recorded for the office (``card_office``);
  - VietQR: refund by bank transfer, recorded for the office (``bank_transfer``);
  - cash on arrival: nothing was paid, nothing to refund (``none``);
  - paid at the till: refunded at the till by the office (``till``).
  Cancelling an online order (``shop.order.processing``) cancels its bookings
  with the refund left to the order's own refund path (``refund=False``), and emails
  each buyer once (``tasks.queue_cancelled``; an order released unpaid: "Đơn hàng chưa
  được thanh toán.").

Payment
-------
A booking of an online order paid online (card, VietQR, online) gets its voucher email
only once it is paid
(:func:`sync_order_payment`, :func:`mark_paid` → ``tasks.queue_paid``); cash on arrival,
till and office bookings get it when written. :func:`collect_cash`: the guide took the cash
of a cash-on-arrival booking (once; ``collected_by`` records who).

Check-in
--------
:func:`check_in` by voucher code, once, on the departure's day (local date);
a second time answers "Phiếu đã check-in lúc HH:MM dd/mm/YYYY." (code
``already_checked_in``).

Who sees what
-------------
:func:`departures_for` / :func:`bookings_for` / :func:`schedules_for`: the office
(superuser, or staff with ``experiences.manage_experiences``) sees all; a producer
user sees those of its own products only (``vendors.access.own``); anybody else
nothing. :func:`can_manage` says whether a user may change a departure or booking.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shop import money
from vendors import access

from . import places, tasks
from .errors import (
    CannotCancel,
    CheckInRefused,
    ExperienceError,
    InvalidPeople,
    NotAllowed,
    NotBookable,
)
from .models import Booking, Departure, DepartureSchedule

log = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MANAGE_PERMISSION = "experiences.manage_experiences"


# --- voucher codes -------------------------------------------------------------------------

def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(text) -> str:
    """A typed or scanned code as stored: capitals, no spaces or dashes ("abcd-efgh" →
    "ABCDEFGH"). A scanned URL ending in the code works too."""
    text = str(text or "").strip().upper()
    text = text.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[\s\-_.]", "", text)[:32]


def find(code) -> Booking | None:
    code = normalise_code(code)
    if not code:
        return None
    return (Booking.objects.select_related("departure", "product")
            .filter(code=code).first())


def _save_with_code(booking):
    for _attempt in range(8):
        booking.code = new_code()
        try:
            with transaction.atomic():
                booking.save()
            return booking
        except IntegrityError:
            if Booking.objects.filter(code=booking.code).exists():
                continue
            raise
    raise RuntimeError("could not draw a free voucher code")


# --- creating -------------------------------------------------------------------------------

def _people(adults, children):
    try:
        adults, children = int(adults or 0), int(children or 0)
    except (TypeError, ValueError):
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people") from None
    if adults < 0 or children < 0 or adults + children < 1:
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people")
    return adults, children


def create_booking(departure, *, adults=1, children=0, contact_name="", contact_phone="",
                   contact_email="", source=Booking.Source.OFFICE, source_ref="",
                   line_refs="", payment=Booking.Payment.CASH, amount=0, paid=False,
                   channel=None, user=None, note="", now=None) -> Booking:
    """Book ``adults`` + ``children`` places on ``departure``: places taken (row locked)
    and the booking written in one transaction; nothing written when refused.

    ``channel`` ("online", "till", "office") picks the time rules (``places``); by default
    it follows ``source``. Raises NotBookable / NoPlaces / InvalidPeople.
    """
    adults, children = _people(adults, children)
    channel = channel or {Booking.Source.ONLINE: places.ONLINE,
                          Booking.Source.TILL: places.TILL}.get(source, places.OFFICE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = places.take_places(departure, adults + children, channel=channel, now=now)
        booking = Booking(
            product=locked.product, departure=locked, adults=adults, children=children,
            contact_name=(contact_name or "")[:255], contact_phone=(contact_phone or "")[:32],
            contact_email=(contact_email or "")[:254], source=source,
            source_ref=str(source_ref or "")[:128], line_refs=(line_refs or "")[:255],
            payment=payment, amount=Decimal(amount or 0), paid_at=now if paid else None,
            note=note or "",
            created_by=user if user is not None and user.is_authenticated else None,
        )
        _save_with_code(booking)
    if isinstance(departure, Departure):
        departure.places_taken = locked.places_taken
    return booking


def create_gift_voucher(product, *, valid_from, valid_until, adults=1, children=0,
                        contact_name="", contact_phone="", contact_email="",
                        source=Booking.Source.GIFT, source_ref="", payment=Booking.Payment.ONLINE,
                        amount=0, user=None, line_refs="", paid=False, now=None) -> Booking:
    """A gift voucher: a booking without departure, valid for any departure of ``product``
    from ``valid_from`` to ``valid_until``; it takes places when redeemed
    (:func:`redeem_gift`)."""
    if not places.is_experience(product):
        raise NotBookable(_("Sản phẩm này không phải là trải nghiệm có lịch khởi hành."),
                          "not_experience")
    adults, children = _people(adults, children)
    if valid_until < valid_from:
        raise NotBookable(_("Ngày hết hạn của phiếu phải sau ngày bắt đầu."), "gift_period")
    booking = Booking(
        product=product, valid_from=valid_from, valid_until=valid_until, adults=adults,
        children=children, contact_name=contact_name[:255], contact_phone=contact_phone[:32],
        contact_email=contact_email[:254], source=source, source_ref=source_ref[:128],
        payment=payment, amount=Decimal(amount or 0), line_refs=(line_refs or "")[:255],
        paid_at=(now or timezone.now()) if paid else None,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return _save_with_code(booking)


def redeem_gift(booking, departure, *, channel=places.ONLINE, now=None) -> Booking:
    """Put a gift voucher on ``departure`` (same product, date inside its period): takes the
    places. Raises NotBookable (codes gift_used, gift_product, gift_period) / NoPlaces."""
    with transaction.atomic():
        locked = places.lock_departure(departure)
        row = Booking.objects.select_for_update().get(pk=booking.pk)
        if row.departure_id is not None or row.state != Booking.State.CONFIRMED:
            raise NotBookable(_("Phiếu quà tặng này đã được dùng hoặc đã huỷ."), "gift_used")
        if locked.product_id != row.product_id:
            raise NotBookable(_("Phiếu quà tặng này dành cho một trải nghiệm khác."),
                              "gift_product")
        if not (row.valid_from <= locked.date <= row.valid_until):
            raise NotBookable(
                _("Phiếu quà tặng dùng được từ %(start)s đến %(end)s.")
                % {"start": f"{row.valid_from:%d/%m/%Y}", "end": f"{row.valid_until:%d/%m/%Y}"},
                "gift_period")
        places.take_places(locked, row.people, channel=channel, now=now)
        row.departure = locked
        row.save(update_fields=["departure"])
    return row


def add_people(booking, *, adults=0, children=0) -> Booking:
    """More people on a booking of this transaction (an order's second line for the same
    departure): places taken with the departure locked; NoPlaces when they are not there."""
    with transaction.atomic():
        places.add_places(booking.departure_id, int(adults) + int(children))
        Booking.objects.filter(pk=booking.pk).update(
            adults=F("adults") + int(adults), children=F("children") + int(children))
        booking.refresh_from_db()
    return booking


# --- cancelling -----------------------------------------------------------------------------

def cancel_deadline(booking) -> datetime.datetime | None:
    """Until when the buyer may cancel (None for a gift voucher without departure)."""
    if booking.departure_id is None:
        return None
    return booking.departure.starts_at - datetime.timedelta(hours=places.cancel_cutoff_hours())


def can_buyer_cancel(booking, now=None) -> bool:
    now = now or timezone.now()
    deadline = cancel_deadline(booking)
    return (booking.state == Booking.State.CONFIRMED
            and (deadline is None or now <= deadline))


def refund_for(booking) -> str:
    """The refund rule of a booking's payment (a ``Booking.Refund`` value), without doing it."""
    method = booking.payment
    if method == Booking.Payment.ONLINE and booking.source_ref:
        method = _order_payment_method(booking.source_ref) or method
    if booking.paid_at is None and method in (Booking.Payment.CARD, Booking.Payment.VIETQR):
        if not _order_paid(booking.source_ref):
            return Booking.Refund.NONE
    return {
        Booking.Payment.CARD: Booking.Refund.STRIPE,
        Booking.Payment.VIETQR: Booking.Refund.BANK_TRANSFER,
        Booking.Payment.CASH: Booking.Refund.NONE,
        Booking.Payment.TILL: Booking.Refund.TILL,
    }.get(method, Booking.Refund.NONE)


def _order_payment(order_number):
    if not order_number:
        return None
    from shop.payment.models import OrderPayment

    return OrderPayment.objects.filter(order__number=order_number).first()


def _order_payment_method(order_number):
    payment = _order_payment(order_number)
    if payment is None:
        return None
    return {"card": Booking.Payment.CARD, "vietqr": Booking.Payment.VIETQR,
            "cod": Booking.Payment.CASH}.get(payment.method)


def _order_unpaid_online(order_number):
    """The order is paid by card or VietQR and no money came in."""
    payment = _order_payment(order_number)
    return (payment is not None and payment.method in ("card", "vietqr")
            and not payment.amount_paid)


def _order_paid(order_number):
    payment = _order_payment(order_number)
    return payment is not None and payment.amount_paid > 0


def _apply_refund(booking, user, do_refund=True):
    """Do or record the refund of a cancelled booking (after the places came back)."""
    rule = refund_for(booking)
    note = ""
    amount = int(booking.amount or 0)
    if rule == Booking.Refund.STRIPE:
        if not do_refund:
            rule, note = Booking.Refund.CARD_OFFICE, _("Hoàn tiền theo đơn hàng huỷ.")
        else:
            try:
                from shop.payment import payments

                order_payment = _order_payment(booking.source_ref)
                payments.refund_card(order_payment.order, amount, user=user,
                                     reason=f"booking {booking.display_code}")
                note = _("Đã hoàn %(amount)s qua Stripe.") % {"amount": money.format_vnd(amount)}
            except Exception as error:  # noqa: BLE001 - any refusal: the office refunds by hand
                log.warning("booking %s: Stripe refund not made: %s", booking.pk, error)
                rule = Booking.Refund.CARD_OFFICE
                note = _("Chưa hoàn qua Stripe (%(error)s): văn phòng hoàn %(amount)s.") % {
                    "error": error, "amount": money.format_vnd(amount)}
    elif rule == Booking.Refund.BANK_TRANSFER:
        note = _("Văn phòng hoàn %(amount)s bằng chuyển khoản cho khách.") % {
            "amount": money.format_vnd(amount)}
    elif rule == Booking.Refund.TILL:
        note = _("Văn phòng hoàn %(amount)s tại quầy.") % {"amount": money.format_vnd(amount)}
    booking.refund, booking.refund_note = rule, note
    Booking.objects.filter(pk=booking.pk).update(refund=rule, refund_note=note)
    return booking


def cancel_booking(booking, *, user=None, reason="", by_buyer=True, refund=True,
                   now=None) -> bool:
    """Cancel ``booking``: places back (once), refund done or recorded (``refund_for``).

    ``by_buyer`` applies the buyer's cut-off (code ``cancel_cutoff``); the provider and
    the office pass ``by_buyer=False``. A checked-in booking is refused (code
    ``checked_in``). Returns False when it was already cancelled (nothing done twice).
    """
    now = now or timezone.now()
    if booking.state == Booking.State.CHECKED_IN:
        raise CannotCancel(_("Phiếu đã check-in, không huỷ được."), "checked_in")
    if by_buyer and booking.state == Booking.State.CONFIRMED and not can_buyer_cancel(
            booking, now):
        deadline = cancel_deadline(booking)
        raise CannotCancel(
            _("Chỉ huỷ được trước %(when)s (%(hours)s giờ trước giờ khởi hành).") % {
                "when": date_format(timezone.localtime(deadline), "H:i d/m/Y"),
                "hours": places._hours(places.cancel_cutoff_hours())},
            "cancel_cutoff")
    with transaction.atomic():
        row = Booking.objects.select_for_update().filter(pk=booking.pk).first()
        if row is not None and row.state == Booking.State.CHECKED_IN:
            raise CannotCancel(_("Phiếu đã check-in, không huỷ được."), "checked_in")
        was_open = row is not None and row.state == Booking.State.CONFIRMED
        if not was_open:
            booking.refresh_from_db()
            return False
    places.release_places(booking, user=user, reason=reason, now=now)
    booking.refresh_from_db()
    _apply_refund(booking, user, do_refund=refund)
    return True


def cancel_departure(departure, *, user=None, reason="", now=None) -> list[Booking]:
    """The provider (or the office) cancels a departure: the departure and every booking on it
    cancelled, places back, refunds done or recorded. Returns the cancelled bookings (to
    notify their buyers). Cancelling twice changes nothing and returns []."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = places.lock_departure(departure)
        if locked.status == Departure.Status.CANCELLED:
            return []
        cancelled = []
        for booking in locked.bookings.filter(state=Booking.State.CONFIRMED).order_by("pk"):
            if places.release_places(booking, user=user, reason=reason, now=now):
                cancelled.append(booking)
        locked.status = Departure.Status.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = user if user is not None and user.is_authenticated else None
        locked.cancel_reason = (reason or "")[:255]
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    for booking in cancelled:
        booking.refresh_from_db()
        _apply_refund(booking, user)
    if isinstance(departure, Departure):
        departure.status, departure.places_taken = locked.status, 0
    return cancelled


def cancel_for_order(order_number, *, line_ids=None, user=None, reason="") -> list[Booking]:
    """An online order was cancelled (``shop.order.processing``): its bookings (of
    ``line_ids`` only, when given) cancelled, places back once; the money follows the
    order's own refund path. Each buyer is emailed once after the commit
    (``tasks.queue_cancelled``) with the reason: "Đơn hàng chưa được thanh toán." for a
    card / VietQR order cancelled before its money came in (``release_unpaid``), else
    ``reason`` or "Đơn hàng đã huỷ.". Returns the bookings cancelled now."""
    bookings = Booking.objects.filter(source=Booking.Source.ONLINE, source_ref=str(order_number),
                                      state=Booking.State.CONFIRMED)
    # the gift vouchers of its combos, while not yet put on a departure (a redeemed one
    # is the receiver's booking: the office cancels it by hand if it must go)
    gifts = Booking.objects.filter(source=Booking.Source.GIFT, source_ref=str(order_number),
                                   state=Booking.State.CONFIRMED, departure__isnull=True)
    wanted = {str(pk) for pk in line_ids} if line_ids is not None else None
    if not reason and _order_unpaid_online(order_number):
        reason = _("Đơn hàng chưa được thanh toán.")
    done = []
    for booking in [*bookings.order_by("departure_id", "pk"), *gifts.order_by("pk")]:
        if wanted is not None and not wanted & set(filter(None, booking.line_refs.split(","))):
            continue
        gift = booking.departure_id is None
        released = places.release_places(booking, user=user,
                                          reason=reason or _("Đơn hàng đã huỷ."))
        if gift:  # no places to give back: cancelled now unless someone was first
            booking.refresh_from_db()
            released = (booking.state == Booking.State.CANCELLED
                        and booking.departure_id is None and booking.cancelled_at is not None)
        if released:
            booking.refresh_from_db()
            _apply_refund(booking, user, do_refund=False)
            done.append(booking)
    tasks.queue_cancelled(done)
    return done


# --- payment ------------------------------------------------------------------------------

def mark_paid(booking, *, when=None) -> bool:
    """Record that the booking is paid (once); the till and the VietQR confirmation call it.
    A booking paid online gets its voucher now (``tasks.queue_paid``, after the commit)."""
    updated = Booking.objects.filter(pk=booking.pk, paid_at__isnull=True).update(
        paid_at=when or timezone.now())
    booking.refresh_from_db()
    if updated and booking.payment in Booking.ONLINE_PAYMENTS and booking.source in (
            Booking.Source.ONLINE, Booking.Source.GIFT):
        tasks.queue_paid([booking.pk])
    return bool(updated)


def collect_cash(booking, user, now=None) -> Booking:
    """The guide took the cash of a cash-on-arrival booking: record it once.

    Only the provider of the booking's product or the office (:func:`require_manage`;
    ``NotAllowed``, code ``forbidden``). With the booking row locked, refused (nothing
    written; ``ExperienceError`` codes) when it is cancelled (``cancelled``), already paid
    (``already_paid``: a second press says when it was collected) or not cash on arrival
    (``not_cash``: a card, VietQR or online booking is paid online, not to the guide).
    Otherwise ``paid_at`` and ``collected_by`` (who took the money) are set under the row
    lock. Returns the booking as now stored.
    """
    require_manage(user, booking)
    now = now or timezone.now()
    with transaction.atomic():
        row = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if row.state == Booking.State.CANCELLED:
            raise ExperienceError(_("Phiếu này đã bị huỷ, không thu tiền."), "cancelled")
        if row.paid_at is not None:
            if row.payment == Booking.Payment.CASH:
                message = _("Phiếu này đã thu tiền lúc %(when)s.")
            else:
                message = _("Phiếu này đã thanh toán lúc %(when)s, không thu thêm.")
            raise ExperienceError(
                message % {"when": date_format(timezone.localtime(row.paid_at), "H:i d/m/Y")},
                "already_paid")
        if row.payment != Booking.Payment.CASH:
            raise ExperienceError(
                _("Phiếu này thanh toán bằng %(method)s, không thu tiền mặt khi đến.")
                % {"method": row.get_payment_display()}, "not_cash")
        row.paid_at = now
        row.collected_by = user if user is not None and user.is_authenticated else None
        row.save(update_fields=["paid_at", "collected_by"])
    return row


def sync_order_payment(order_number, method=None, paid=False) -> int:
    """Carry an online order's payment onto its bookings (method; paid time once paid).
    Called when ``shop.payment`` opens or settles the order's payment (``signals``): the
    card paid (Stripe), the VietQR transfer confirmed. The bookings paid now get their
    voucher email (``tasks.queue_paid``: after the commit, once)."""
    rows = Booking.objects.filter(source__in=(Booking.Source.ONLINE, Booking.Source.GIFT),
                                  source_ref=str(order_number))
    changed = 0
    if method:
        value = {"card": Booking.Payment.CARD, "vietqr": Booking.Payment.VIETQR,
                 "cod": Booking.Payment.CASH}.get(method)
        if value:
            changed += rows.exclude(payment=value).update(payment=value)
    if paid:
        newly = list(rows.filter(paid_at__isnull=True).values_list("pk", flat=True))
        if newly:
            changed += Booking.objects.filter(pk__in=newly, paid_at__isnull=True).update(
                paid_at=timezone.now())
            # the vouchers held back while the money was not in (``tasks``)
            tasks.queue_paid(newly)
    return changed


# --- check-in -----------------------------------------------------------------------------

def check_in(code, *, user=None, now=None, departure=None) -> Booking:
    """Check the people of the voucher ``code`` in — once.

    Refusals (CheckInRefused, code): unknown_code, cancelled, no_departure (a gift voucher
    not yet put on a departure), wrong_day (not the departure's date), wrong_departure
    (``departure`` given and the voucher is for another), forbidden (``user`` given and not
    allowed to manage it), already_checked_in ("Phiếu đã check-in lúc …").
    """
    now = now or timezone.now()
    booking = find(code)
    if booking is None:
        raise CheckInRefused(_("Không tìm thấy phiếu với mã này."), "unknown_code")
    if user is not None and not can_manage(user, booking):
        raise CheckInRefused(_("Không tìm thấy phiếu với mã này."), "forbidden")
    with transaction.atomic():
        row = (Booking.objects.select_for_update(of=("self",))
               .select_related("departure").get(pk=booking.pk))
        if row.state == Booking.State.CHECKED_IN:
            raise CheckInRefused(
                _("Phiếu đã check-in lúc %(when)s.")
                % {"when": date_format(timezone.localtime(row.checked_in_at), "H:i d/m/Y")},
                "already_checked_in")
        if row.state == Booking.State.CANCELLED:
            raise CheckInRefused(_("Phiếu này đã bị huỷ."), "cancelled")
        if row.departure_id is None:
            raise CheckInRefused(_("Phiếu quà tặng chưa chọn chuyến khởi hành."),
                                 "no_departure")
        if departure is not None and row.departure_id != departure.pk:
            raise CheckInRefused(
                _("Phiếu này dành cho chuyến %(when)s.") % {"when": row.departure.label},
                "wrong_departure")
        if row.departure.date != timezone.localdate(now):
            raise CheckInRefused(
                _("Phiếu này dành cho ngày %(date)s.")
                % {"date": f"{row.departure.date:%d/%m/%Y}"}, "wrong_day")
        row.state = Booking.State.CHECKED_IN
        row.checked_in_at = now
        row.checked_in_by = user if user is not None and user.is_authenticated else None
        row.save(update_fields=["state", "checked_in_at", "checked_in_by"])
    return row


# --- who sees what ------------------------------------------------------------------------

def is_office(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and (
        user.is_superuser or (user.is_staff and user.has_perm(MANAGE_PERMISSION))))


def departures_for(user):
    """The departures ``user`` may see and manage (office: all; producer: its own; else none)."""
    if is_office(user):
        return Departure.objects.all()
    return access.own(Departure.objects.all(), user)


def bookings_for(user):
    if is_office(user):
        return Booking.objects.all()
    return access.own(Booking.objects.all(), user)


def schedules_for(user):
    if is_office(user):
        return DepartureSchedule.objects.all()
    return access.own(DepartureSchedule.objects.all(), user)


def products_for(user):
    """The experience products ``user`` may schedule departures for."""
    from oscar.core.loading import get_model

    product_model = get_model("catalogue", "Product")
    rows = product_model.objects.filter(product_class__slug__in=places.experience_class_slugs())
    if is_office(user):
        return rows
    return access.own(rows, user)


def can_manage(user, obj) -> bool:
    """May ``user`` change this departure, booking or schedule (or its product's)?"""
    if is_office(user):
        return True
    vendor = access.vendor_for(user)
    if vendor is None or obj is None:
        return False
    product = getattr(obj, "product", obj)
    return getattr(product, "producer_id", None) == vendor.pk


def require_manage(user, obj):
    if not can_manage(user, obj):
        raise NotAllowed(_("Bạn không có quyền với chuyến khởi hành này."), "forbidden")
