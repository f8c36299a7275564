"""Experiences at the till (pos.experiences through the till API): the day's and the week's
departures, a walk-in visitor booked cash on arrival (once per request) or paid in the sale
(booked after the sale's commit, once, even when the sale is sent again)."""

import uuid

import pytest
from django.urls import reverse

from pos.models import TillSale
from shop.experiences.models import Booking
from tests.pos.browser import open_till
from tests.pos.factories import make_cashier, make_register, three_locations

from .factories import make_departure, make_experience, showcase_till

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"pos:{name}", args=args)


@pytest.fixture
def till(settings):
    till = showcase_till(settings)
    till.update(tour=make_experience("Tour làng Kon Jơ Ri", price=250_000, child=None),
                weaving=make_experience("Dệt thổ cẩm", price=200_000, child=120_000),
                other_register=make_register(till["point_b"], code="dm-1"))
    return till


def visitor(departure, **extra):
    return {"departure": departure.pk, "name": "Nguyễn Văn An", "phone": "0905 123 456",
            "adults": 2, "children": 0, **extra}


def sale_with(till, departure, people=2, **extra):
    offer = departure.product.stockrecords.get()
    price = int(offer.price)
    return {
        "client_uuid": str(uuid.uuid4()), "session": till["session"].pk,
        "lines": [{"stockrecord": offer.pk, "quantity": people, "unit_price": price}],
        "tenders": [{"kind": "cash", "tendered": price * people}],
        "client_total": price * people,
        "experiences": [visitor(departure, adults=people)], **extra,
    }


def test_the_till_lists_the_days_and_the_weeks_departures(till, django_assert_max_num_queries):
    today = make_departure(till["tour"], days=0, hour=23, places=12)
    later = [make_departure(till["weaving"], days=d) for d in (1, 3, 6)]
    make_departure(till["tour"], days=9)  # beyond the week
    url_ = url("api-experiences", till["register"].pk)
    with django_assert_max_num_queries(12):
        day = till["api"].get(url_).json()["departures"]
    assert [d["id"] for d in day] == [today.pk]
    assert day[0]["places_left"] == 12 and day[0]["bookable"] is True
    assert day[0]["offer"]["price"] == 250_000 and day[0]["child_price"] is None
    with django_assert_max_num_queries(12):
        week = till["api"].get(url_ + "?days=7").json()["departures"]
    assert [d["id"] for d in week] == [today.pk] + [d.pk for d in later]
    assert week[1]["child_price"] == 120_000


def test_a_walk_in_pays_on_arrival_and_a_repeated_request_books_once(till):
    departure = make_departure(till["tour"], days=1, places=5)
    body = {**visitor(departure, adults=2, children=1), "client_uuid": str(uuid.uuid4())}
    endpoint = url("api-experience-bookings", till["register"].pk)
    first = till["api"].post(endpoint, body, format="json")
    assert first.status_code == 201, first.json()
    again = till["api"].post(endpoint, body, format="json")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    booking = Booking.objects.get()
    assert booking.source == Booking.Source.TILL and booking.payment == Booking.Payment.CASH
    assert booking.paid_at is None and booking.amount == 3 * 250_000
    assert booking.contact_phone == "0905 123 456"
    departure.refresh_from_db()
    assert departure.places_taken == 3


@pytest.mark.parametrize("change, status, words", [
    ({"name": ""}, 400, "Hãy ghi tên khách"),
    ({"phone": "abc"}, 400, "Số điện thoại"),
    ({"adults": 0}, 400, "Số người"),
    ({"adults": "2"}, 400, "Số người"),
    ({"departure": 999999}, 404, "Không tìm thấy chuyến"),
    ({"adults": 9}, 409, "chỉ còn 5 chỗ"),
])
def test_bad_walk_in_bookings_are_clear_4xx(till, change, status, words):
    departure = make_departure(till["tour"], days=1, places=5)
    body = {**visitor(departure), "client_uuid": str(uuid.uuid4()), **change}
    response = till["api"].post(url("api-experience-bookings", till["register"].pk), body,
                                format="json")
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert not Booking.objects.exists()


def test_a_past_or_cancelled_departure_cannot_be_booked_at_the_till(till):
    from shop.experiences import bookings

    gone = make_departure(till["tour"], days=-1)
    cancelled = make_departure(till["tour"], days=2)
    bookings.cancel_departure(cancelled, reason="Mưa")
    for departure, words in ((gone, "đã bắt đầu"), (cancelled, "đã bị huỷ")):
        body = {**visitor(departure), "client_uuid": str(uuid.uuid4())}
        response = till["api"].post(url("api-experience-bookings", till["register"].pk), body,
                                    format="json")
        assert response.status_code == 409 and words in response.json()["detail"]


def test_a_cashier_of_another_point_is_refused(till):
    departure = make_departure(till["tour"], days=1)
    response = till["api"].get(url("api-experiences", till["other_register"].pk))
    assert response.status_code == 403
    response = till["api"].post(url("api-experience-bookings", till["other_register"].pk),
                                {**visitor(departure), "client_uuid": str(uuid.uuid4())},
                                format="json")
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_paid_in_the_sale_books_after_the_commit_once(till):
    departure = make_departure(till["tour"], days=1, places=4)
    body = sale_with(till, departure, people=2)
    endpoint = url("api-sales", till["register"].pk)
    response = till["api"].post(endpoint, body, format="json")
    assert response.status_code == 201, response.json()
    sale = TillSale.objects.get()
    [result] = response.json()["bookings"]
    booking = Booking.objects.get()
    assert result["code"] == booking.code and result["paid"] is True
    assert booking.payment == Booking.Payment.TILL and booking.paid_at is not None
    assert booking.source_ref == f"{sale.receipt_label}/1" and booking.amount == 500_000
    # the same sale sent again (offline queue, retry): no second booking, same voucher
    again = till["api"].post(endpoint, body, format="json")
    assert again.status_code == 200 and again.json()["bookings"][0]["code"] == booking.code
    departure.refresh_from_db()
    assert departure.places_taken == 2 and Booking.objects.count() == 1


def test_a_sale_for_more_people_than_places_writes_nothing(till):
    departure = make_departure(till["tour"], days=1, places=1)
    response = till["api"].post(url("api-sales", till["register"].pk),
                                sale_with(till, departure, people=2), format="json")
    assert response.status_code == 409 and "chỉ còn 1 chỗ" in response.json()["detail"]
    assert not TillSale.objects.exists() and not Booking.objects.exists()


def test_a_sale_must_carry_the_tickets_it_books(till):
    departure = make_departure(till["tour"], days=1)
    body = sale_with(till, departure, people=1)
    body["experiences"] = [visitor(departure, adults=3)]
    response = till["api"].post(url("api-sales", till["register"].pk), body, format="json")
    assert response.status_code == 400 and "đủ 3 vé" in response.json()["detail"]
    assert not TillSale.objects.exists()


def test_children_with_their_own_price_pay_on_arrival(till):
    departure = make_departure(till["weaving"], days=1)
    body = sale_with(till, departure, people=2)
    body["experiences"] = [visitor(departure, adults=1, children=1)]
    response = till["api"].post(url("api-sales", till["register"].pk), body, format="json")
    assert response.status_code == 400 and "thu tiền khi đến" in response.json()["detail"]
    assert not TillSale.objects.exists()


def test_the_till_page_has_the_experiences_drawer(till, client):
    client.force_login(till["cashier"])
    page = client.get(reverse("pos:till", args=[till["register"].pk])).content.decode()
    assert 'id="experience-panel"' in page and "pos/experiences.js?v=" in page


# --- in a real browser --------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_cashier_books_walk_ins_from_the_till(chromium, live_server, settings):
    settings.POS_CASH_ROUNDING = 500
    showcase, _b, _c = three_locations()
    make_register(showcase, code="tt-1")
    make_cashier(showcase, username="thao", password="ThuNgan@TT1")
    tour = make_experience("Tour làng Kon Jơ Ri", price=250_000, child=None)
    departure = make_departure(tour, days=0, hour=23, places=10)
    context, page, errors = open_till(chromium, live_server.url, stub_print=False)

    # today's departures; a family of three who pay the guide on arrival
    page.click("#open-experiences")
    page.click(f"button.departure[data-departure='{departure.pk}']")
    page.fill("#experience-name", "Nguyễn Văn An")
    page.fill("#experience-phone", "0905123456")
    page.fill("#experience-adults", "3")
    page.click("#experience-on-arrival")
    page.wait_for_function("() => !!document.getElementById('experience-result').dataset.code")
    arrival = Booking.objects.get(payment=Booking.Payment.CASH)
    assert arrival.display_code in page.inner_text("#experience-result")
    assert arrival.people == 3 and arrival.paid_at is None

    # two more who pay here: the tickets go into the sale, the places are booked with it
    page.click(f"button.departure[data-departure='{departure.pk}']")
    page.fill("#experience-name", "Trần Thị Bích")
    page.fill("#experience-phone", "0912000111")
    page.fill("#experience-adults", "2")
    page.click("#experience-pay-here")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 1")
    assert page.inner_text("#total").replace("\u00a0", " ") == "500.000 ₫"
    page.click("#exact-cash")
    page.click("#commit")
    page.wait_for_selector("#last-sale .experience-vouchers")
    paid = Booking.objects.get(payment=Booking.Payment.TILL)
    assert paid.display_code in page.inner_text("#last-sale")
    assert paid.paid_at is not None and paid.source_ref == f"{TillSale.objects.get().receipt_label}/1"
    departure.refresh_from_db()
    assert departure.places_taken == 5
    assert errors == []
    context.close()
