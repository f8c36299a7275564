"""Places on departures: the only code that changes ``Departure.places_taken``.

Who writes
----------
``Departure.places_taken`` is a counter kept in the same transaction as the
bookings that change it. Only :func:`take_places`, :func:`add_places`,
:func:`release_places` and :func:`release_people` (called by ``bookings``,
``purchase``, ``returns`` and the till) write it, always with the departure row locked
(``select_for_update(no_key=True)`` on PostgreSQL, like ``showroom.inventory``;
SQLite has no row locks but serialises writers, so the same code is correct
for a single process). Invariant, checked by :func:`check_places`::

    places_taken == Σ people of the departure's bookings that are not cancelled

and ``0 ≤ places_taken ≤ places_total`` (a database constraint as well).

Lock order
----------
Departures first, by primary key (:func:`lock_departures`), then booking rows;
an order placement locks its departures before any stock row of
``showroom.inventory`` (``shop.order.utils`` books experience lines while
creating the order lines, before allocating stock), so a transaction always
takes its locks in one global order: departures → bookings → stock.

When a departure can be booked (the rules, ``now`` = the time of booking)
----------------------------------------------------------------------------
* its product is an experience (product class slug in
  ``EXPERIENCE_PRODUCT_CLASSES``, default ``("tourism-service",)``) — code
  ``not_experience``;
* it is not cancelled — code ``cancelled``;
* it has not started: ``now < starts_at`` — code ``past``;
* cut-off, every channel (online, till, office): ``now <= starts_at −
  EXPERIENCE_BOOKING_CUTOFF_HOURS`` (default 0: until the start) — code ``cutoff``;
* lead time, online only: ``now <= starts_at − EXPERIENCE_BOOKING_LEAD_HOURS``
  (default 12: the provider needs notice; a walk-in at the till may still
  join today's departure) — code ``lead_time``;
* people: a whole number ≥ 1 — code ``people``; places: ``people ≤ places_total
  − places_taken`` — code ``no_places`` (never above the total, never below zero).

Giving places back happens once: :func:`release_places` locks the departure
and the booking, and does nothing when the booking no longer holds places.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .errors import InvalidPeople, NoPlaces, NotBookable
from .models import Booking, Departure

DEFAULT_PRODUCT_CLASSES = ("tourism-service",)
DEFAULT_LEAD_HOURS = 12
DEFAULT_CUTOFF_HOURS = 0
DEFAULT_CANCEL_CUTOFF_HOURS = 24

ONLINE, TILL, OFFICE = "online", "till", "office"
CHANNELS = (ONLINE, TILL, OFFICE)
MAX_PEOPLE = 1000


# --- settings ----------------------------------------------------------------------------

def experience_class_slugs() -> tuple[str, ...]:
    return tuple(getattr(settings, "EXPERIENCE_PRODUCT_CLASSES", DEFAULT_PRODUCT_CLASSES))


def lead_hours() -> float:
    return float(getattr(settings, "EXPERIENCE_BOOKING_LEAD_HOURS", DEFAULT_LEAD_HOURS))


def cutoff_hours() -> float:
    return float(getattr(settings, "EXPERIENCE_BOOKING_CUTOFF_HOURS", DEFAULT_CUTOFF_HOURS))


def cancel_cutoff_hours() -> float:
    return float(getattr(settings, "EXPERIENCE_CANCEL_CUTOFF_HOURS",
                         DEFAULT_CANCEL_CUTOFF_HOURS))


def _class_ids_key() -> str:
    return "experiences:class-ids:" + ",".join(experience_class_slugs())


def experience_class_ids() -> frozenset[int]:
    """The ids of the experience product classes, kept in the cache (no query per product).

    Saving or deleting any product class forgets them (:func:`forget_class_ids`, connected
    in ``apps.ready``), so a class made later — by the office, or by the demo — counts at once.
    """
    from django.core.cache import cache

    ids = cache.get(_class_ids_key())
    if ids is None:
        from oscar.core.loading import get_model

        product_class = get_model("catalogue", "ProductClass")
        ids = frozenset(product_class.objects.filter(slug__in=experience_class_slugs())
                        .values_list("pk", flat=True))
        cache.set(_class_ids_key(), ids, 300)
    return ids


def forget_class_ids(**kwargs):
    from django.core.cache import cache

    cache.delete(_class_ids_key())


def is_experience(product) -> bool:
    """True for a product (or a variant's parent) of an experience product class.

    Reads the class id on the row (the parent's for a variant): no query per product on
    listings, baskets and order placement."""
    if product is None:
        return False
    class_id = product.product_class_id
    if class_id is None and product.parent_id is not None:
        class_id = product.parent.product_class_id
    return class_id is not None and class_id in experience_class_ids()


# --- checks (no lock: previews, the calendar, the basket) ---------------------------------

def booking_closes_at(departure, channel=ONLINE) -> datetime.datetime:
    """The last moment ``departure`` can be booked through ``channel``."""
    hours = cutoff_hours()
    if channel == ONLINE:
        hours = max(hours, lead_hours())
    return departure.starts_at - datetime.timedelta(hours=hours)


def check_people(people) -> int:
    """``people`` as a whole number ≥ 1, or InvalidPeople."""
    if isinstance(people, bool):
        people = None
    try:
        value = int(people)
        if str(value) != str(people).strip() and not isinstance(people, int):
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people") from None
    if value < 1 or value > MAX_PEOPLE:
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people")
    return value


def check_bookable(departure, people=1, *, channel=ONLINE, now=None) -> None:
    """Raise NotBookable / NoPlaces / InvalidPeople when ``people`` places on ``departure``
    cannot be booked through ``channel`` at ``now`` (see the rules above). No lock: the
    answer is final only inside :func:`take_places`."""
    people = check_people(people)
    now = now or timezone.now()
    if not is_experience(departure.product):
        raise NotBookable(_("Sản phẩm này không phải là trải nghiệm có lịch khởi hành."),
                          "not_experience")
    if departure.status == Departure.Status.CANCELLED:
        raise NotBookable(_("Chuyến khởi hành này đã bị huỷ."), "cancelled")
    starts = departure.starts_at
    when = date_format(timezone.localtime(starts), "d/m/Y H:i")
    if now >= starts:
        raise NotBookable(_("Chuyến khởi hành lúc %(when)s đã bắt đầu, không đặt được nữa.")
                          % {"when": when}, "past")
    cutoff = starts - datetime.timedelta(hours=cutoff_hours())
    if now > cutoff:
        raise NotBookable(
            _("Đã hết hạn đặt chỗ cho chuyến %(when)s (đóng %(hours)s giờ trước giờ khởi hành).")
            % {"when": when, "hours": _hours(cutoff_hours())}, "cutoff")
    if channel == ONLINE and now > starts - datetime.timedelta(hours=lead_hours()):
        raise NotBookable(
            _("Chuyến %(when)s cần đặt trước ít nhất %(hours)s giờ; hãy chọn chuyến sau "
              "hoặc đặt tại quầy.") % {"when": when, "hours": _hours(lead_hours())},
            "lead_time")
    left = departure.places_total - departure.places_taken
    if people > left:
        raise _no_places(departure, left, when)


def _hours(value):
    return int(value) if float(value).is_integer() else value


def _no_places(departure, left, when):
    if left <= 0:
        return NoPlaces(_("Chuyến %(when)s đã hết chỗ.") % {"when": when}, "no_places", left=0)
    return NoPlaces(
        _("Chuyến %(when)s chỉ còn %(left)s chỗ.") % {"when": when, "left": left},
        "no_places", left=left,
    )


# --- locks and writes ----------------------------------------------------------------------

def _locking(queryset):
    return queryset.select_for_update(of=("self",), no_key=True)


def lock_departures(pks) -> dict[int, Departure]:
    """Lock the departures ``pks`` (one statement, by primary key): {pk: Departure}.

    Must run inside ``transaction.atomic``. Unknown pks are simply absent.
    """
    ids = sorted({int(pk) for pk in pks})
    if not ids:
        return {}
    rows = _locking(Departure.objects.select_related("product", "product__product_class")
                    .filter(pk__in=ids).order_by("pk"))
    return {row.pk: row for row in rows}


def lock_departure(departure) -> Departure:
    pk = departure.pk if isinstance(departure, Departure) else departure
    locked = lock_departures([pk]).get(int(pk))
    if locked is None:
        raise NotBookable(_("Không tìm thấy chuyến khởi hành."), "not_found")
    return locked


def take_places(departure, people, *, channel=ONLINE, now=None) -> Departure:
    """Take ``people`` places on ``departure`` (locked, checked, counted); returns the
    locked, updated Departure. Raises NotBookable / NoPlaces / InvalidPeople, writing
    nothing. Call it inside the transaction that writes the booking."""
    people = check_people(people)
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    with transaction.atomic():
        locked = lock_departure(departure)
        check_bookable(locked, people, channel=channel, now=now)
        Departure.objects.filter(pk=locked.pk).update(places_taken=F("places_taken") + people)
        locked.places_taken += people
    if isinstance(departure, Departure) and departure is not locked:
        departure.places_taken = locked.places_taken
    return locked


def add_places(departure, people) -> Departure:
    """Take ``people`` more places for a booking already checked by :func:`take_places`
    in this transaction (an order's child line after its adult line): places only, no
    time rules. NoPlaces when they are not there."""
    people = check_people(people)
    with transaction.atomic():
        locked = lock_departure(departure)
        left = locked.places_total - locked.places_taken
        if people > left:
            raise _no_places(locked, left,
                             date_format(timezone.localtime(locked.starts_at), "d/m/Y H:i"))
        Departure.objects.filter(pk=locked.pk).update(places_taken=F("places_taken") + people)
        locked.places_taken += people
    return locked


def release_places(booking, *, user=None, reason="", now=None) -> bool:
    """Give ``booking``'s places back and mark it cancelled — once.

    Locks the departure, then the booking. Returns False (and changes nothing) when the
    booking holds no places any more (already cancelled, or a gift voucher without a
    departure — which is then just cancelled). Never lets ``places_taken`` go below zero.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if booking.departure_id is not None:
            lock_departure(booking.departure_id)
        row = _locking(Booking.objects.filter(pk=booking.pk)).first()
        if row is None or row.state == Booking.State.CANCELLED:
            _refresh(booking, row)
            return False
        if row.departure_id is not None:
            Departure.objects.filter(pk=row.departure_id, places_taken__gte=row.people).update(
                places_taken=F("places_taken") - row.people)
        row.state = Booking.State.CANCELLED
        row.cancelled_at = now
        row.cancelled_by = user if user is not None and user.is_authenticated else None
        row.cancel_reason = (reason or "")[:255]
        row.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
        _refresh(booking, row)
        return row.departure_id is not None


def release_people(booking, people, *, amount=None, note="") -> Booking:
    """Give back ``people`` of ``booking``'s places and keep the booking for the others.

    Children go first, then adults: a group keeps its adults as long as it can (no children
    left on a departure without a grown-up because of a refund). Locks the departure, then
    the booking. ``amount`` (optional) is the booking's new amount; ``note`` is added as a
    line to its note. Raises InvalidPeople unless ``1 ≤ people <`` the people it holds
    (to give all of them back, cancel it with :func:`release_places`); a booking that holds
    no places (cancelled, or a voucher without departure) is returned unchanged. Never lets
    ``places_taken`` go below zero.
    """
    people = check_people(people)
    with transaction.atomic():
        if booking.departure_id is not None:
            lock_departure(booking.departure_id)
        row = _locking(Booking.objects.filter(pk=booking.pk)).first()
        if row is None or not row.holds_places:
            return row or booking
        if people >= row.people:
            raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people")
        Departure.objects.filter(pk=row.departure_id, places_taken__gte=people).update(
            places_taken=F("places_taken") - people)
        children = min(row.children, people)
        row.children -= children
        row.adults -= people - children
        fields = ["adults", "children"]
        if amount is not None:
            row.amount = amount
            fields.append("amount")
        if note:
            row.note = f"{row.note}\n{note}" if row.note else note
            fields.append("note")
        row.save(update_fields=fields)
    if booking is not row:
        for field in ("adults", "children", "amount", "note"):
            setattr(booking, field, getattr(row, field))
    return row


def _refresh(booking, row):
    if row is not None and booking is not row:
        for field in ("state", "cancelled_at", "cancelled_by_id", "cancel_reason"):
            setattr(booking, field, getattr(row, field))


def check_places(departure=None) -> list[tuple[int, int, int]]:
    """The departures whose counter disagrees with their bookings: [(pk, counter, Σ people)]."""
    departures = Departure.objects.all()
    if departure is not None:
        departures = departures.filter(pk=departure.pk)
    sums = dict(
        Booking.objects.filter(departure__in=departures)
        .exclude(state=Booking.State.CANCELLED)
        .values_list("departure_id")
        .annotate(total=Sum(F("adults") + F("children")))
        .values_list("departure_id", "total")
    )
    return [
        (pk, taken, sums.get(pk) or 0)
        for pk, taken in departures.values_list("pk", "places_taken")
        if taken != (sums.get(pk) or 0)
    ]
