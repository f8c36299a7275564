"""Proof under real concurrency: 40 buyers racing for the last 10 places of a departure.

Each buyer is a thread with its own database connection placing a real online order
(Oscar's OrderCreator: the places are taken in the order's transaction); a barrier starts
them together. PostgreSQL only: SQLite has no row locks (and serialises writers).
"""

import threading

import pytest
from django.db import connection, connections
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shop.experiences import places, purchase
from shop.experiences.models import Booking

from .factories import make_departure, make_experience, new_basket

Order = get_model("order", "Order")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

BUYERS = 40
PLACES_LEFT = 10

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks (SELECT … FOR UPDATE)")


def test_forty_buyers_for_the_last_ten_places_get_ten_bookings():
    product = make_experience()
    departure = make_departure(product, places=30, taken=20)  # 10 left
    baskets = []
    for _i in range(BUYERS):
        basket = new_basket()
        purchase.add_to_basket(basket, product, departure, adults=1)
        baskets.append(basket)
    barrier = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buyer(i):
        try:
            barrier.wait(timeout=60)
            results[i] = create_order(basket=baskets[i], number=f"RACE{i:04d}")
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, UnableToPlaceOrder)]
    assert len(placed) == PLACES_LEFT, [r for r in results if not isinstance(r, Order)][:3]
    assert len(refused) == BUYERS - PLACES_LEFT
    assert all("hết chỗ" in str(error) for error in refused)
    departure.refresh_from_db()
    assert departure.places_taken == departure.places_total == 30
    online = Booking.objects.filter(source=Booking.Source.ONLINE, departure=departure)
    assert online.count() == PLACES_LEFT
    assert set(online.values_list("source_ref", flat=True)) == {o.number for o in placed}
    assert Order.objects.count() == PLACES_LEFT
    assert places.check_places() == []


def test_two_departures_in_opposite_orders_do_not_deadlock():
    product = make_experience()
    first, second = make_departure(product, places=50), make_departure(product, places=50)
    baskets = []
    for i in range(10):
        basket = new_basket()
        pair = (first, second) if i % 2 else (second, first)
        for departure in pair:
            purchase.add_to_basket(basket, product, departure, adults=1)
        baskets.append(basket)
    barrier = threading.Barrier(len(baskets))
    results = [None] * len(baskets)

    def buyer(i):
        try:
            barrier.wait(timeout=60)
            results[i] = create_order(basket=baskets[i], number=f"PAIR{i:04d}")
        except Exception as error:  # noqa: BLE001
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(len(baskets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert all(isinstance(r, Order) for r in results), results
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.places_taken == second.places_taken == 10
