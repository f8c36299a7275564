"""The demo's experiences: bookable with departures and a few bookings; twice = the same."""

import pytest
from oscar.core.loading import get_model

from shop.experiences import places, purchase
from shop.experiences.demo import load_demo_experiences
from shop.experiences.models import Booking, Departure, DepartureSchedule

from .factories import make_experience

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_demo_experiences_are_bookable_and_loading_twice_changes_nothing():
    weaving = make_experience(child=None)
    tour = make_experience(child=None)
    StockRecord.objects.filter(product=weaving).update(partner_sku="DLTC-004")
    StockRecord.objects.filter(product=tour).update(partner_sku="NREO-003")
    made = load_demo_experiences()
    assert made and Departure.objects.filter(product=weaving).exists()
    assert Departure.objects.filter(product=tour).exists()
    assert purchase.child_price(weaving) == 120_000 and purchase.child_price(tour) == 250_000
    counts = (Departure.objects.count(), Booking.objects.count(), DepartureSchedule.objects.count())
    assert counts[1] >= 3
    assert load_demo_experiences() == []
    assert (Departure.objects.count(), Booking.objects.count(),
            DepartureSchedule.objects.count()) == counts
    assert places.check_places() == []
