"""A return at the till gives back the places of the tickets and the gift vouchers of the combos
it takes back (shop.experiences.returns through pos.returns): places back once, the newest
booking first, children before adults; a ticket used or past, or a voucher redeemed, refuses
the whole return; plain goods cost no query more."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from pos import returns
from pos.errors import TillError
from pos.models import TillReturn, TillSale
from shop.experiences import bookings, places
from shop.experiences.models import Booking, Departure
from showroom.models import Stock
from tests.combos.factories import certified_offer, combo_record, make_combo
from tests.factories import make_certificate
from tests.pos.conftest import locs, session, shop  # noqa: F401 - the plain return's fixtures
from tests.pos.test_returns import lines_of, sale  # noqa: F401 - the plain return's sale

from .factories import make_departure, make_experience, showcase_till

pytestmark = pytest.mark.django_db

# the queries of a plain return of one line (tests/pos/test_returns.py's sale) before the
# experiences were given back: the check for tickets and combos adds none
PLAIN_RETURN_QUERIES = 17


def url(name, *args):
    return reverse(f"pos:{name}", args=args)


@pytest.fixture
def till(settings):
    till = showcase_till(settings)
    till.update(coffee=certified_offer("Cà phê Đăk Hà", stock={till["location"]: 10},
                                       price=Decimal("100000")),
                tour=make_experience("Tour làng Kon Jơ Ri", price=250_000, child=None))
    return till


def visitor(departure, adults=2, children=0, name="Nguyễn Văn An"):
    return {"departure": departure.pk, "name": name, "phone": "0905 123 456",
            "adults": adults, "children": children}


def sell(till, items, groups=()):
    """A sale through the till's API: ``items`` [(stockrecord, quantity)], ``groups`` visitors."""
    lines = [{"stockrecord": record.pk, "quantity": quantity, "unit_price": int(record.price)}
             for record, quantity in items]
    total = sum(int(record.price) * quantity for record, quantity in items)
    body = {"client_uuid": str(uuid.uuid4()), "session": till["session"].pk, "lines": lines,
            "tenders": [{"kind": "cash", "tendered": total}], "client_total": total,
            "experiences": list(groups)}
    response = till["api"].post(url("api-sales", till["register"].pk), body, format="json")
    assert response.status_code == 201, response.json()
    return TillSale.objects.get(pk=response.json()["id"])


def line_of(receipt, record):
    return receipt.lines.get(stockrecord=record)


def give_back(till, receipt, *items, client_uuid=None):
    """Return ``items`` [(sale line, quantity)] of ``receipt`` in cash."""
    return returns.record_return(
        sale=receipt, session=till["session"], user=till["cashier"], refund_kind="cash",
        lines=[{"line": line.pk, "quantity": quantity} for line, quantity in items],
        client_uuid=client_uuid)


def taken(departure):
    departure.refresh_from_db()
    return departure.places_taken


def ticket(till):
    return till["tour"].stockrecords.get()


# --- tickets paid in the sale ----------------------------------------------------------------


def test_returning_all_tickets_cancels_the_booking_and_gives_the_places_back_once(till):
    departure = make_departure(till["tour"], days=2, places=10)
    receipt = sell(till, [(ticket(till), 2)], [visitor(departure, adults=2)])
    booking = Booking.objects.get(source=Booking.Source.TILL)
    assert taken(departure) == 2
    key = str(uuid.uuid4())
    till_return, created = give_back(till, receipt, (line_of(receipt, ticket(till)), 2),
                                     client_uuid=key)
    assert created
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and taken(departure) == 0
    assert booking.cancel_reason == (f"Khách trả hàng tại quầy "
                                     f"({receipt.receipt_label}/R{till_return.pk}).")
    assert booking.cancelled_by == till["cashier"]
    # the same return sent again: the one already written, nothing more
    again, created = give_back(till, receipt, (line_of(receipt, ticket(till)), 2), client_uuid=key)
    assert again == till_return and not created
    # the same units once more: refused, the places stay as they are
    with pytest.raises(TillError) as refused:
        give_back(till, receipt, (line_of(receipt, ticket(till)), 1))
    assert refused.value.code == "above_sold"
    assert taken(departure) == 0 and TillReturn.objects.count() == 1
    assert places.check_places() == []


def test_a_partial_return_keeps_the_others_children_first_and_never_the_same_place_twice(till):
    departure = make_departure(till["tour"], days=2, places=10)
    receipt = sell(till, [(ticket(till), 3)], [visitor(departure, adults=1, children=2)])
    booking = Booking.objects.get(source=Booking.Source.TILL)
    assert booking.amount == 750_000 and taken(departure) == 3
    line = line_of(receipt, ticket(till))

    first, _ = give_back(till, receipt, (line, 1))
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert (booking.adults, booking.children, booking.amount) == (1, 1, 500_000)
    assert taken(departure) == 2
    assert f"({receipt.receipt_label}/R{first.pk})" in booking.note

    give_back(till, receipt, (line, 1))
    booking.refresh_from_db()
    assert (booking.adults, booking.children, booking.amount) == (1, 0, 250_000)
    assert taken(departure) == 1

    give_back(till, receipt, (line, 1))
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and booking.adults == 1
    assert taken(departure) == 0 and places.check_places() == []


def test_the_newest_group_goes_first_and_a_spare_ticket_holds_no_place(till):
    departure = make_departure(till["tour"], days=2, places=10)
    # five tickets for two groups of two: one ticket is spare
    receipt = sell(till, [(ticket(till), 5)], [visitor(departure, adults=2, name="Đoàn A"),
                                            visitor(departure, adults=2, name="Đoàn B")])
    first, second = Booking.objects.filter(source=Booking.Source.TILL).order_by("pk")
    line = line_of(receipt, ticket(till))
    give_back(till, receipt, (line, 1))  # the spare ticket
    assert taken(departure) == 4
    give_back(till, receipt, (line, 2))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.state == Booking.State.CANCELLED and first.state == Booking.State.CONFIRMED
    assert taken(departure) == 2
    give_back(till, receipt, (line, 1))
    first.refresh_from_db()
    assert first.people == 1 and taken(departure) == 1
    assert places.check_places() == []


def test_a_checked_in_booking_refuses_the_whole_return(till):
    departure = make_departure(till["tour"], days=0, hour=23, places=10)
    receipt = sell(till, [(ticket(till), 2), (till["coffee"], 1)], [visitor(departure, adults=2)])
    booking = Booking.objects.get(source=Booking.Source.TILL)
    bookings.check_in(booking.code)
    shelf = Stock.objects.get(stockrecord=till["coffee"], location=till["location"]).quantity
    with pytest.raises(TillError) as refused:
        give_back(till, receipt, (line_of(receipt, ticket(till)), 1),
                  (line_of(receipt, till["coffee"]), 1))
    assert refused.value.code == "ticket_used"
    assert "Tour làng Kon Jơ Ri" in str(refused.value)
    # nothing written: no return, the coffee not back on the shelf, the places as they were
    assert not TillReturn.objects.exists()
    assert Stock.objects.get(stockrecord=till["coffee"],
                             location=till["location"]).quantity == shelf
    booking.refresh_from_db()
    assert booking.state == Booking.State.CHECKED_IN and booking.people == 2
    assert taken(departure) == 2
    # the coffee alone can still be returned
    give_back(till, receipt, (line_of(receipt, till["coffee"]), 1))
    assert taken(departure) == 2


def test_a_departure_started_refuses_and_a_usable_booking_is_taken_first(till):
    started = make_departure(till["tour"], days=0, hour=23, places=10)
    later = make_departure(till["tour"], days=3, places=10)
    receipt = sell(till, [(ticket(till), 4)], [visitor(later, adults=2, name="Đoàn A"),
                                            visitor(started, adults=2, name="Đoàn B")])
    Departure.objects.filter(pk=started.pk).update(start_time=datetime.time(8, 0))  # at noon
    line = line_of(receipt, ticket(till))
    give_back(till, receipt, (line, 2))  # the newest group's tour has started: the other's go
    assert taken(later) == 0 and taken(started) == 2
    with pytest.raises(TillError) as refused:
        give_back(till, receipt, (line, 1))
    assert refused.value.code == "ticket_used"
    assert taken(started) == 2 and TillReturn.objects.count() == 1


def test_the_refusal_comes_as_json_from_the_tills_api(till):
    departure = make_departure(till["tour"], days=0, hour=23, places=10)
    receipt = sell(till, [(ticket(till), 2)], [visitor(departure, adults=2)])
    bookings.check_in(Booking.objects.get(source=Booking.Source.TILL).code)
    body = {"session": till["session"].pk, "refund_kind": "cash",
            "client_uuid": str(uuid.uuid4()),
            "lines": [{"line": line_of(receipt, ticket(till)).pk, "quantity": 2}]}
    response = till["api"].post(url("api-returns", receipt.pk), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "ticket_used"
    assert "Tour làng Kon Jơ Ri" in response.json()["detail"]
    assert not TillReturn.objects.exists() and taken(departure) == 2


# --- gift combos ---------------------------------------------------------------------------


@pytest.fixture
def combo(till):
    """Coffee × 1 + the weaving class × 2: two vouchers per combo sold."""
    weaving = make_experience("Lớp dệt thổ cẩm", price=200_000)
    make_certificate(weaving, stars=3)
    weaving.refresh_from_db()
    combo = make_combo([(till["coffee"], 1), (weaving.stockrecords.get(), 2)],
                       price=Decimal("450000"), title="Combo quà Đăk Hà và lớp dệt")
    return combo_record(combo), weaving


def test_returning_a_combo_cancels_its_unused_vouchers_and_a_redeemed_one_refuses(till, combo):
    record, weaving = combo
    receipt = sell(till, [(record, 2)])
    vouchers = list(Booking.objects.filter(source=Booking.Source.GIFT).order_by("pk"))
    assert len(vouchers) == 4
    line = line_of(receipt, record)

    first, _ = give_back(till, receipt, (line, 1))
    states = [v.state for v in Booking.objects.filter(source=Booking.Source.GIFT).order_by("pk")]
    assert states == ["confirmed", "confirmed", "cancelled", "cancelled"]
    assert Booking.objects.get(pk=vouchers[3].pk).cancel_reason == (
        f"Khách trả hàng tại quầy ({receipt.receipt_label}/R{first.pk}).")

    # one of the other unit's vouchers is put on a departure: that unit cannot come back
    departure = make_departure(weaving, days=5, places=5)
    bookings.redeem_gift(vouchers[0], departure)
    shelf = Stock.objects.get(stockrecord=till["coffee"], location=till["location"]).quantity
    with pytest.raises(TillError) as refused:
        give_back(till, receipt, (line, 1))
    assert refused.value.code == "voucher_used"
    assert "Lớp dệt thổ cẩm" in str(refused.value)
    assert TillReturn.objects.count() == 1
    assert Stock.objects.get(stockrecord=till["coffee"],
                             location=till["location"]).quantity == shelf
    assert Booking.objects.get(pk=vouchers[1].pk).state == Booking.State.CONFIRMED
    assert taken(departure) == 1


def test_a_redeemed_voucher_does_not_stop_the_return_of_another_unit(till, combo):
    record, weaving = combo
    receipt = sell(till, [(record, 2)])
    vouchers = list(Booking.objects.filter(source=Booking.Source.GIFT).order_by("pk"))
    bookings.redeem_gift(vouchers[3], make_departure(weaving, days=5, places=5))
    give_back(till, receipt, (line_of(receipt, record), 1))
    states = [v.state for v in Booking.objects.filter(source=Booking.Source.GIFT).order_by("pk")]
    assert states == ["confirmed", "cancelled", "cancelled", "confirmed"]


# --- plain goods -----------------------------------------------------------------------------


def test_a_plain_return_costs_no_query_more(
        shop, session, sale, django_assert_max_num_queries):  # noqa: F811 - tests/pos's fixtures
    coffee_line = lines_of(sale)[shop.offers[0].pk]
    with django_assert_max_num_queries(PLAIN_RETURN_QUERIES):
        returns.record_return(sale=sale, session=session, user=shop.cashier, refund_kind="cash",
                              lines=[{"line": coffee_line.pk, "quantity": 1}])
