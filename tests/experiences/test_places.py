"""Places: taken with the departure locked, never above the total, never below zero."""

import datetime

import pytest

from shop.experiences import bookings, places
from shop.experiences.errors import InvalidPeople, NoPlaces, NotBookable
from shop.experiences.models import Booking, Departure

from .factories import local, make_departure, make_experience

pytestmark = pytest.mark.django_db


def test_take_places_counts_and_refuses_above_total():
    departure = make_departure(places=5)
    places.take_places(departure, 3, channel="office")
    departure.refresh_from_db()
    assert departure.places_taken == 3 and departure.places_left == 2
    with pytest.raises(NoPlaces) as error:
        places.take_places(departure, 3, channel="office")
    assert error.value.code == "no_places" and error.value.left == 2
    assert "chỉ còn 2 chỗ" in str(error.value)
    departure.refresh_from_db()
    assert departure.places_taken == 3


def test_full_departure_says_so():
    departure = make_departure(places=2, taken=2)
    with pytest.raises(NoPlaces, match="đã hết chỗ"):
        places.check_bookable(departure, 1)


@pytest.mark.parametrize("people", [0, -1, "abc", None, 2.5, True])
def test_people_must_be_whole_and_positive(people):
    departure = make_departure()
    with pytest.raises(InvalidPeople) as error:
        places.take_places(departure, people, channel="office")
    assert error.value.code == "people"


def test_cancelled_and_past_departures_cannot_be_booked():
    departure = make_departure(status=Departure.Status.CANCELLED)
    with pytest.raises(NotBookable) as error:
        places.check_bookable(departure, 1)
    assert error.value.code == "cancelled"
    past = make_departure(days=-1)
    with pytest.raises(NotBookable) as error:
        places.check_bookable(past, 1, channel="till")
    assert error.value.code == "past" and "đã bắt đầu" in str(error.value)


def test_not_an_experience_is_refused():
    from tests.factories import make_product

    product = make_product()
    departure = Departure(product=product, date=local(3).date(), start_time=local(3).time(),
                          duration_minutes=60, places_total=5)
    with pytest.raises(NotBookable) as error:
        places.check_bookable(departure, 1)
    assert error.value.code == "not_experience"


def test_release_gives_places_back_once():
    departure = make_departure(places=6)
    booking = bookings.create_booking(departure, adults=2, children=1, channel="office")
    departure.refresh_from_db()
    assert departure.places_taken == 3
    assert places.release_places(booking) is True
    assert places.release_places(booking) is False
    departure.refresh_from_db()
    booking.refresh_from_db()
    assert departure.places_taken == 0
    assert booking.state == Booking.State.CANCELLED
    assert places.check_places() == []


def test_invariant_check_finds_a_drift():
    departure = make_departure(places=6)
    bookings.create_booking(departure, adults=2, channel="office")
    assert places.check_places() == []
    Departure.objects.filter(pk=departure.pk).update(places_taken=5)
    assert places.check_places() == [(departure.pk, 5, 2)]


def test_lead_time_online_only_and_cutoff_all_channels(settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 12
    settings.EXPERIENCE_BOOKING_CUTOFF_HOURS = 1
    departure = make_departure(product=make_experience(), days=1, hour=8)
    start = departure.starts_at
    # online: exactly 12 h before is still fine, one second later is not
    places.check_bookable(departure, 1, now=start - datetime.timedelta(hours=12))
    with pytest.raises(NotBookable) as error:
        places.check_bookable(departure, 1,
                              now=start - datetime.timedelta(hours=12, seconds=-1))
    assert error.value.code == "lead_time"
    # the till: up to the cut-off (1 h before), not after
    places.check_bookable(departure, 1, channel="till", now=start - datetime.timedelta(hours=1))
    with pytest.raises(NotBookable) as error:
        places.check_bookable(departure, 1, channel="till",
                              now=start - datetime.timedelta(minutes=59))
    assert error.value.code == "cutoff"
    assert places.booking_closes_at(departure, "online") == start - datetime.timedelta(hours=12)
    assert places.booking_closes_at(departure, "till") == start - datetime.timedelta(hours=1)
    assert local(1, 8) == start
