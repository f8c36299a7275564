"""Departures: created one by one or generated from a weekly pattern; the calendar.

Rules
-----
* A departure belongs to an experience product (``places.is_experience``); its
  slot (product, date, start time) is unique — a database constraint.
* :func:`create_departure` makes one departure; a slot already taken is
  refused (code ``departure``) with a Vietnamese message.
* :func:`generate` makes the departures of a :class:`DepartureSchedule`: every
  date of the season (start and end included) whose ISO weekday is in
  ``weekdays``, at every time of ``times``, except the ``closed_dates``. It is
  idempotent: a slot that already has a departure (scheduled *or cancelled* —
  a cancelled departure is never brought back) is skipped, so running it twice
  makes nothing new. Dates already past are skipped. Returns the new departures.
* :func:`update_departure` changes date, times, meeting point, language and places of
  a departure; places can never go below the places already taken
  (departure row locked, as in ``places``). A cancelled departure, or one already
  started, is not changed (:func:`check_editable`, codes ``cancelled`` / ``past``), nor
  moved into the past (code ``departure``). When its date, start time or meeting point changed,
  every confirmed booker is emailed once after the commit
  (``tasks.queue_departure_changed``).
* :func:`cancel_departure` lives in ``bookings`` (it cancels every booking).
* :func:`availability` is the calendar: the scheduled departures of a product
  in a date window, with their places left and whether they can be booked
  online now — two queries whatever the number of departures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import places, tasks
from .errors import InvalidDeparture, NotBookable
from .models import Departure, DepartureSchedule

MAX_SEASON_DAYS = 366
MAX_PLACES = 1000
DEFAULT_WINDOW_DAYS = 60


def _check_product(product):
    if not places.is_experience(product):
        raise NotBookable(_("Sản phẩm này không phải là trải nghiệm có lịch khởi hành."),
                          "not_experience")


def _parse_time(value) -> datetime.time:
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    try:
        return datetime.datetime.strptime(str(value).strip(), "%H:%M").time()
    except ValueError:
        raise InvalidDeparture(_("Giờ khởi hành phải có dạng HH:MM, ví dụ 08:00."),
                               "departure") from None


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidDeparture(_("Ngày không hợp lệ: %(value)s.") % {"value": value},
                               "departure") from None


def _check_numbers(duration_minutes, places_total):
    try:
        duration = int(duration_minutes)
        total = int(places_total)
    except (TypeError, ValueError):
        raise InvalidDeparture(_("Thời lượng và số chỗ phải là số nguyên."),
                               "departure") from None
    if not 1 <= duration <= 24 * 60 * 7:
        raise InvalidDeparture(_("Thời lượng phải từ 1 phút đến 7 ngày."), "departure")
    if not 1 <= total <= MAX_PLACES:
        raise InvalidDeparture(_("Số chỗ phải từ 1 đến %(max)s.") % {"max": MAX_PLACES},
                               "departure")
    return duration, total


def create_departure(product, date, start_time, *, duration_minutes, places_total,
                     meeting_point="", guide_language="Tiếng Việt", note="", user=None,
                     schedule=None, now=None) -> Departure:
    """One departure of ``product``. Raises NotBookable (not an experience) or
    InvalidDeparture (bad time/places, a date already past, the slot already taken)."""
    _check_product(product)
    date = _parse_date(date)
    start = _parse_time(start_time)
    duration, total = _check_numbers(duration_minutes, places_total)
    now = now or timezone.now()
    departure = Departure(
        product=product, schedule=schedule, date=date, start_time=start,
        duration_minutes=duration, places_total=total, meeting_point=(meeting_point or "")[:255],
        guide_language=(guide_language or "Tiếng Việt")[:64], note=note or "",
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if departure.starts_at <= now:
        raise InvalidDeparture(_("Không tạo được chuyến khởi hành trong quá khứ."), "departure")
    try:
        with transaction.atomic():
            departure.save()
    except IntegrityError:
        raise InvalidDeparture(
            _("Đã có chuyến khởi hành lúc %(when)s.")
            % {"when": f"{date:%d/%m/%Y} {start:%H:%M}"}, "departure") from None
    return departure


def create_schedule(product, *, season_start, season_end, weekdays, times, duration_minutes,
                    places_total, closed_dates=(), meeting_point="",
                    guide_language="Tiếng Việt", user=None) -> DepartureSchedule:
    """Save a weekly pattern (checked; not generated yet: call :func:`generate`).

    ``weekdays``: ISO numbers 1 (Monday) … 7 (Sunday); ``times``: "HH:MM" strings or
    ``time``; ``closed_dates``: dates or ISO strings. Raises InvalidDeparture.
    """
    _check_product(product)
    start, end = _parse_date(season_start), _parse_date(season_end)
    if end < start:
        raise InvalidDeparture(_("Ngày kết thúc mùa phải sau ngày bắt đầu."), "departure")
    if (end - start).days > MAX_SEASON_DAYS:
        raise InvalidDeparture(_("Một mùa dài tối đa một năm."), "departure")
    try:
        days = sorted({int(day) for day in weekdays})
    except (TypeError, ValueError):
        days = []
    if not days or any(day < 1 or day > 7 for day in days):
        raise InvalidDeparture(_("Hãy chọn ít nhất một ngày trong tuần (thứ Hai … Chủ nhật)."),
                               "departure")
    starts = sorted({_parse_time(value) for value in times})
    if not starts:
        raise InvalidDeparture(_("Hãy nhập ít nhất một giờ khởi hành."), "departure")
    duration, total = _check_numbers(duration_minutes, places_total)
    closed = sorted({_parse_date(value) for value in closed_dates or ()})
    return DepartureSchedule.objects.create(
        product=product, season_start=start, season_end=end, weekdays=days,
        times=[value.strftime("%H:%M") for value in starts],
        closed_dates=[value.isoformat() for value in closed],
        duration_minutes=duration, places_total=total,
        meeting_point=(meeting_point or "")[:255],
        guide_language=(guide_language or "Tiếng Việt")[:64],
        created_by=user if user is not None and user.is_authenticated else None,
    )


def slots(schedule) -> list[tuple[datetime.date, datetime.time]]:
    """Every (date, time) of the pattern, closed dates left out, in order."""
    closed = {_parse_date(value) for value in schedule.closed_dates or ()}
    days = {int(day) for day in schedule.weekdays or ()}
    times = sorted(_parse_time(value) for value in schedule.times or ())
    result = []
    day = schedule.season_start
    while day <= schedule.season_end:
        if day.isoweekday() in days and day not in closed:
            result.extend((day, start) for start in times)
        day += datetime.timedelta(days=1)
    return result


def generate(schedule, *, user=None, now=None, progress=None) -> list[Departure]:
    """Create the missing departures of ``schedule`` (idempotent); returns the new ones."""
    _check_product(schedule.product)
    now = now or timezone.now()
    wanted = slots(schedule)
    existing = set(
        Departure.objects.filter(
            product=schedule.product, date__gte=schedule.season_start,
            date__lte=schedule.season_end,
        ).values_list("date", "start_time")
    )
    created = []
    tz = timezone.get_default_timezone()
    for done, (day, start) in enumerate(wanted, start=1):
        if (day, start) in existing:
            continue
        if timezone.make_aware(datetime.datetime.combine(day, start), tz) <= now:
            continue
        departure = Departure(
            product=schedule.product, schedule=schedule, date=day, start_time=start,
            duration_minutes=schedule.duration_minutes, places_total=schedule.places_total,
            meeting_point=schedule.meeting_point, guide_language=schedule.guide_language,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        try:
            with transaction.atomic():
                departure.save()
        except IntegrityError:  # made meanwhile by another run: that one counts
            continue
        created.append(departure)
        if progress is not None:
            progress.bar("Departures", done, len(wanted))
    return created


def check_editable(departure, now=None):
    """Raise InvalidDeparture when ``departure`` may no longer be changed: cancelled (code
    ``cancelled``) or already started (code ``past``)."""
    now = now or timezone.now()
    if departure.status == Departure.Status.CANCELLED:
        raise InvalidDeparture(_("Chuyến khởi hành này đã bị huỷ."), "cancelled")
    if departure.starts_at <= now:
        raise InvalidDeparture(
            _("Chuyến khởi hành này đã bắt đầu hoặc đã qua, không sửa được nữa."), "past")


def is_editable(departure, now=None) -> bool:
    try:
        check_editable(departure, now)
    except InvalidDeparture:
        return False
    return True


NOTIFIED_FIELDS = ("date", "start_time", "meeting_point")


def update_departure(departure, *, user=None, now=None, **changes) -> Departure:
    """Change ``date``, ``start_time``, ``duration_minutes``, ``places_total``,
    ``meeting_point``, ``guide_language`` or ``note`` of a scheduled departure not started yet
    (row locked); places never below those taken; not moved into the past. Its confirmed
    bookers are emailed once after the commit when the date, time or meeting point changed.
    Raises InvalidDeparture (nothing written)."""
    allowed = {"start_time", "duration_minutes", "places_total", "meeting_point",
               "guide_language", "note", "date"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        locked = places.lock_departure(departure)
        check_editable(locked, now)
        before = {field: getattr(locked, field) for field in NOTIFIED_FIELDS}
        if "start_time" in changes:
            locked.start_time = _parse_time(changes["start_time"])
        if "date" in changes:
            locked.date = _parse_date(changes["date"])
        duration, total = _check_numbers(
            changes.get("duration_minutes", locked.duration_minutes),
            changes.get("places_total", locked.places_total),
        )
        if total < locked.places_taken:
            raise InvalidDeparture(
                _("Đã có %(taken)s chỗ được đặt: tổng số chỗ không thể ít hơn.")
                % {"taken": locked.places_taken}, "places")
        locked.duration_minutes, locked.places_total = duration, total
        for field, limit in (("meeting_point", 255), ("guide_language", 64), ("note", None)):
            if field in changes:
                setattr(locked, field, (changes[field] or "")[:limit])
        if (locked.date, locked.start_time) != (before["date"], before["start_time"]) \
                and locked.starts_at <= now:
            raise InvalidDeparture(_("Giờ khởi hành mới đã qua: hãy chọn một thời điểm sau "
                                     "bây giờ."), "departure")
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise InvalidDeparture(_("Đã có chuyến khởi hành vào giờ này."),
                                   "departure") from None
        if any(getattr(locked, field) != before[field] for field in NOTIFIED_FIELDS):
            tasks.queue_departure_changed(locked, before)
    if isinstance(departure, Departure):
        for field in allowed:
            setattr(departure, field, getattr(locked, field))
    return locked


@dataclass(frozen=True)
class Slot:
    """One line of the calendar."""

    departure: Departure
    places_left: int
    bookable: bool
    reason: str  # why not bookable ("" when bookable)

    @property
    def date(self):
        return self.departure.date


def availability(product, *, start=None, end=None, channel=places.ONLINE, now=None,
                 include_full=True) -> list[Slot]:
    """The calendar of ``product``: its scheduled departures from ``start`` (default today)
    to ``end`` (default + 60 days), each with places left and whether it can be booked
    through ``channel`` now. ``include_full=False`` leaves out the unbookable ones."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = _parse_date(start) if start else today
    end = _parse_date(end) if end else start + datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
    rows = (
        Departure.objects.filter(product=product, status=Departure.Status.SCHEDULED,
                                 date__gte=max(start, today), date__lte=end)
        .select_related("product", "product__product_class")
        .order_by("date", "start_time", "pk")
    )
    result = []
    for departure in rows:
        reason = ""
        try:
            places.check_bookable(departure, 1, channel=channel, now=now)
        except (NotBookable, places.NoPlaces) as error:
            reason = str(error)
        bookable = not reason
        if bookable or include_full:
            result.append(Slot(departure, departure.places_left, bookable, reason))
    return result


def departures_between(start, end, *, products=None):
    """Scheduled departures from ``start`` to ``end`` (dates), for the till's day and week."""
    rows = Departure.objects.filter(status=Departure.Status.SCHEDULED,
                                    date__gte=_parse_date(start), date__lte=_parse_date(end))
    if products is not None:
        rows = rows.filter(product__in=products)
    return rows.select_related("product").order_by("date", "start_time", "pk")
