"""Departures one by one and from a weekly pattern over a season with closed dates."""

import datetime

import pytest
from django.utils import timezone

from shop.experiences import bookings, departures
from shop.experiences.errors import InvalidDeparture, NotBookable
from shop.experiences.models import Departure

from .factories import make_departure, make_experience

pytestmark = pytest.mark.django_db


def monday_after(days=7):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def test_season_with_closed_dates_is_generated_once():
    product = make_experience()
    start = monday_after()
    end = start + datetime.timedelta(days=27)  # four whole weeks, Monday to Sunday
    closed = [start + datetime.timedelta(days=2), start + datetime.timedelta(days=14)]  # Wed, Mon
    schedule = departures.create_schedule(
        product, season_start=start, season_end=end, weekdays=[1, 3, 6], times=["08:00", "13:30"],
        closed_dates=[d.isoformat() for d in closed], duration_minutes=240, places_total=12,
        meeting_point="Nhà rông",
    )
    made = departures.generate(schedule)
    # 4 weeks × 3 days × 2 times − 2 closed days × 2 times
    assert len(made) == 4 * 3 * 2 - 2 * 2
    dates = {d.date for d in made}
    assert not dates & set(closed)
    assert {d.isoweekday() for d in dates} == {1, 3, 6}
    assert {d.start_time for d in made} == {datetime.time(8), datetime.time(13, 30)}
    assert all(d.places_total == 12 and d.meeting_point == "Nhà rông" for d in made)
    assert min(dates) >= start and max(dates) <= end
    # idempotent: again → nothing new, no duplicates
    assert departures.generate(schedule) == []
    assert Departure.objects.filter(product=product).count() == len(made)


def test_generation_keeps_a_cancelled_departure_cancelled_and_skips_the_past():
    product = make_experience()
    start = timezone.localdate() - datetime.timedelta(days=3)
    schedule = departures.create_schedule(
        product, season_start=start, season_end=start + datetime.timedelta(days=13),
        weekdays=range(1, 8), times=["09:00"], duration_minutes=60, places_total=5)
    made = departures.generate(schedule)
    assert all(d.starts_at > timezone.now() for d in made)
    bookings.cancel_departure(made[0])
    assert departures.generate(schedule) == []
    made[0].refresh_from_db()
    assert made[0].status == Departure.Status.CANCELLED


@pytest.mark.parametrize("kwargs,message", [
    ({"weekdays": []}, "ít nhất một ngày"),
    ({"weekdays": [0]}, "ít nhất một ngày"),
    ({"times": []}, "ít nhất một giờ"),
    ({"times": ["8h"]}, "HH:MM"),
    ({"season_end": "2020-01-01"}, "phải sau ngày bắt đầu"),
    ({"places_total": 0}, "Số chỗ"),
])
def test_bad_patterns_are_refused_in_vietnamese(kwargs, message):
    start = monday_after()
    data = {"season_start": start, "season_end": start + datetime.timedelta(days=30),
            "weekdays": [1], "times": ["08:00"], "duration_minutes": 60, "places_total": 5}
    data.update(kwargs)
    with pytest.raises(InvalidDeparture, match=message):
        departures.create_schedule(make_experience(), **data)


def test_create_one_departure_and_refuse_the_same_slot_and_the_past():
    product = make_experience()
    day = timezone.localdate() + datetime.timedelta(days=5)
    departure = departures.create_departure(product, day.isoformat(), "07:30",
                                            duration_minutes=480, places_total=15)
    assert departure.starts_at.hour == 7 and departure.places_left == 15
    with pytest.raises(InvalidDeparture, match="Đã có chuyến khởi hành"):
        departures.create_departure(product, day, "07:30", duration_minutes=60, places_total=3)
    with pytest.raises(InvalidDeparture, match="quá khứ"):
        departures.create_departure(product, timezone.localdate() - datetime.timedelta(days=1),
                                    "07:30", duration_minutes=60, places_total=3)


def test_a_product_that_is_not_an_experience_gets_no_departures():
    from tests.factories import make_product

    with pytest.raises(NotBookable):
        departures.create_departure(make_product(), timezone.localdate(), "08:00",
                                    duration_minutes=60, places_total=3)


def test_places_never_below_those_taken():
    departure = make_departure(places=10, taken=4)
    with pytest.raises(InvalidDeparture, match="Đã có 4 chỗ"):
        departures.update_departure(departure, places_total=3)
    changed = departures.update_departure(departure, places_total=4, meeting_point="Bến thuyền")
    assert changed.places_total == 4 and changed.meeting_point == "Bến thuyền"


def test_calendar_shows_places_left_and_why_not(django_assert_max_num_queries):
    product = make_experience()
    free = make_departure(product, days=3, places=10, taken=3)
    full = make_departure(product, days=4, places=2, taken=2)
    soon = make_departure(product, days=0, hour=23, places=5)  # inside the 12 h lead time
    make_departure(product, days=5, status=Departure.Status.CANCELLED)
    make_departure(product, days=-2)
    make_departure(product, days=90)
    with django_assert_max_num_queries(2):
        slots = departures.availability(product)
    by_id = {slot.departure.pk: slot for slot in slots}
    assert list(by_id) == [soon.pk, free.pk, full.pk] or list(by_id) == [free.pk, full.pk]
    assert by_id[free.pk].bookable and by_id[free.pk].places_left == 7
    assert not by_id[full.pk].bookable and "hết chỗ" in by_id[full.pk].reason
    if soon.pk in by_id:
        assert not by_id[soon.pk].bookable
    assert [s.departure.pk for s in departures.availability(product, include_full=False)] == [free.pk]
