"""The experience's product page: its month calendar, and a query count that does not grow
with the number of departures."""

import re

import pytest

from tests.experiences.factories import make_departure, make_experience

pytestmark = pytest.mark.django_db


def _page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_calendar_marks_days_with_places_and_lists_their_times(client):
    product = make_experience(price=200_000, child=120_000)
    free = make_departure(product, days=3, hour=8, places=10, taken=4)
    full = make_departure(product, days=5, hour=8, places=2, taken=2)
    html = _page(client, product)
    # a day with places is a button of the calendar; a full day is struck out, not a button
    assert f'data-pick-day="{free.date:%Y-%m-%d}"' in html
    assert f'data-pick-day="{full.date:%Y-%m-%d}"' not in html
    assert "exp-calendar__off--full" in html
    # the day's departures below the calendar, with places left and the prices per person
    assert f'data-day="{free.date:%Y-%m-%d}"' in html and "còn 6 chỗ" in html
    assert "200.000" in html and "120.000" in html
    assert 'name="phone"' in html and re.search(r'id="exp-phone"[^>]*required', html)


def test_the_page_costs_the_same_queries_with_4_or_40_departures(
        client, django_assert_max_num_queries):
    product = make_experience()
    for day in range(1, 5):
        make_departure(product, days=day, hour=8)
    _page(client, product)  # warm the caches a visitor's first request fills
    with django_assert_max_num_queries(60) as few:
        _page(client, product)
    for day in range(5, 41):
        make_departure(product, days=day, hour=9)
    with django_assert_max_num_queries(len(few)) as many:
        _page(client, product)
    print(f"\n[queries] experience page: {len(few)} with 4 departures, {len(many)} with 40")
