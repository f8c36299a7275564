"""Bookings: cut-off and lead-time boundaries, cancelling once, check-in once, who sees what."""

import datetime

import pytest
from django.utils import timezone

from shop.experiences import bookings, places
from shop.experiences.errors import CannotCancel, CheckInRefused, NotAllowed, NotBookable
from shop.experiences.models import Booking, Departure
from vendors import access

from .factories import make_departure, make_experience, make_user

pytestmark = pytest.mark.django_db


def test_a_booking_takes_places_and_gets_a_typeable_code():
    departure = make_departure(places=8)
    booking = bookings.create_booking(departure, adults=2, children=1, contact_name="Lan",
                                      contact_phone="0912345678", channel="office")
    departure.refresh_from_db()
    assert departure.places_taken == 3
    assert len(booking.code) == 8 and set(booking.code) <= set(bookings.CODE_ALPHABET)
    assert booking.display_code == f"{booking.code[:4]}-{booking.code[4:]}"
    assert bookings.find(booking.display_code.lower()) == booking
    assert bookings.find(f"https://shop.example/v/{booking.code}/") == booking
    codes = {bookings.new_code() for _i in range(500)}
    assert len(codes) == 500


def test_online_lead_time_boundary(settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 24
    departure = make_departure(days=3)
    edge = departure.starts_at - datetime.timedelta(hours=24)
    bookings.create_booking(departure, adults=1, source=Booking.Source.ONLINE, now=edge)
    with pytest.raises(NotBookable) as error:
        bookings.create_booking(departure, adults=1, source=Booking.Source.ONLINE,
                                now=edge + datetime.timedelta(seconds=1))
    assert error.value.code == "lead_time"
    # the till books a walk-in later than that
    bookings.create_booking(departure, adults=1, source=Booking.Source.TILL,
                            now=edge + datetime.timedelta(hours=23))
    departure.refresh_from_db()
    assert departure.places_taken == 2


def test_cutoff_boundary_for_the_till(settings):
    settings.EXPERIENCE_BOOKING_CUTOFF_HOURS = 2
    departure = make_departure(days=2)
    edge = departure.starts_at - datetime.timedelta(hours=2)
    bookings.create_booking(departure, source=Booking.Source.TILL, now=edge)
    with pytest.raises(NotBookable) as error:
        bookings.create_booking(departure, source=Booking.Source.TILL,
                                now=edge + datetime.timedelta(seconds=1))
    assert error.value.code == "cutoff"


def test_buyer_cancels_up_to_the_cutoff_and_places_come_back_once(settings):
    settings.EXPERIENCE_CANCEL_CUTOFF_HOURS = 24
    departure = make_departure(days=5, places=4)
    late = bookings.create_booking(departure, adults=1, channel="office")
    booking = bookings.create_booking(departure, adults=2, channel="office")
    deadline = departure.starts_at - datetime.timedelta(hours=24)
    with pytest.raises(CannotCancel) as error:
        bookings.cancel_booking(late, now=deadline + datetime.timedelta(seconds=1))
    assert error.value.code == "cancel_cutoff" and "Chỉ huỷ được trước" in str(error.value)
    assert bookings.cancel_booking(booking, now=deadline) is True
    assert bookings.cancel_booking(booking, now=deadline) is False
    departure.refresh_from_db()
    assert departure.places_taken == 1
    assert booking.state == Booking.State.CANCELLED and booking.cancelled_at == deadline
    assert booking.refund == Booking.Refund.NONE  # cash on arrival: nothing to refund
    # the provider may still cancel after the buyer's cut-off
    assert bookings.cancel_booking(late, by_buyer=False,
                                   now=deadline + datetime.timedelta(hours=1)) is True
    departure.refresh_from_db()
    assert departure.places_taken == 0
    assert places.check_places() == []


def test_refund_rule_per_payment_method():
    departure = make_departure(places=10)
    vietqr = bookings.create_booking(departure, payment=Booking.Payment.VIETQR, amount=400_000,
                                     paid=True, channel="office")
    till = bookings.create_booking(departure, payment=Booking.Payment.TILL, amount=200_000,
                                   paid=True, channel="office")
    card = bookings.create_booking(departure, payment=Booking.Payment.CARD, amount=200_000,
                                   paid=True, channel="office")
    for booking in (vietqr, till, card):
        bookings.cancel_booking(booking, by_buyer=False)
        booking.refresh_from_db()
    assert vietqr.refund == Booking.Refund.BANK_TRANSFER and "chuyển khoản" in vietqr.refund_note
    assert till.refund == Booking.Refund.TILL
    # no order payment to refund through Stripe here: recorded for the office
    assert card.refund == Booking.Refund.CARD_OFFICE and card.refund_note


def test_provider_cancels_a_departure_everyone_cancelled_once():
    departure = make_departure(places=10)
    made = [bookings.create_booking(departure, adults=2, channel="office") for _i in range(3)]
    bookings.cancel_booking(made[0], by_buyer=False)
    cancelled = bookings.cancel_departure(departure, reason="Mưa lớn")
    assert sorted(b.pk for b in cancelled) == sorted(b.pk for b in made[1:])
    departure.refresh_from_db()
    assert departure.status == Departure.Status.CANCELLED and departure.places_taken == 0
    assert departure.cancel_reason == "Mưa lớn"
    assert bookings.cancel_departure(departure) == []
    with pytest.raises(NotBookable):
        bookings.create_booking(departure, channel="office")


def test_check_in_once_on_the_day():
    departure = make_departure(days=1, hour=8, places=5)
    day = departure.starts_at
    booking = bookings.create_booking(departure, adults=2, channel="till")
    guide = make_user(staff=True, perm="experiences.manage_experiences")
    checked = bookings.check_in(booking.display_code.lower(), user=guide, now=day)
    assert checked.state == Booking.State.CHECKED_IN and checked.checked_in_at == day
    with pytest.raises(CheckInRefused) as error:
        bookings.check_in(booking.code, user=guide, now=day + datetime.timedelta(minutes=5))
    assert error.value.code == "already_checked_in"
    assert str(error.value).startswith("Phiếu đã check-in lúc ")
    with pytest.raises(CannotCancel):
        bookings.cancel_booking(checked, by_buyer=False)


def test_check_in_refusals():
    departure = make_departure(days=3, places=5)
    booking = bookings.create_booking(departure, channel="office")
    with pytest.raises(CheckInRefused) as error:
        bookings.check_in("ZZZZ-ZZZZ")
    assert error.value.code == "unknown_code"
    with pytest.raises(CheckInRefused) as error:
        bookings.check_in(booking.code)
    assert error.value.code == "wrong_day"
    assert bookings.check_in(booking.code, now=departure.starts_at).state == "checked_in"
    other = bookings.create_booking(departure, channel="office")
    bookings.cancel_booking(other, by_buyer=False)
    with pytest.raises(CheckInRefused) as error:
        bookings.check_in(other.code, now=departure.starts_at)
    assert error.value.code == "cancelled"


def test_a_provider_sees_only_its_own_departures_and_bookings():
    mine, theirs = make_experience(), make_experience()
    my_departure, their_departure = make_departure(mine), make_departure(theirs)
    my_booking = bookings.create_booking(my_departure, channel="office")
    their_booking = bookings.create_booking(their_departure, channel="office")
    provider = make_user()
    access.grant_producer_access(provider, mine.producer)
    office = make_user(staff=True, perm="experiences.manage_experiences")
    stranger = make_user()
    staff_without_perm = make_user(staff=True)

    assert list(bookings.departures_for(provider)) == [my_departure]
    assert list(bookings.bookings_for(provider)) == [my_booking]
    assert list(bookings.products_for(provider)) == [mine]
    assert set(bookings.bookings_for(office)) == {my_booking, their_booking}
    for nobody in (stranger, staff_without_perm):
        assert not bookings.departures_for(nobody).exists()
        assert not bookings.bookings_for(nobody).exists()
    assert bookings.can_manage(provider, my_departure)
    assert not bookings.can_manage(provider, their_booking)
    with pytest.raises(NotAllowed):
        bookings.require_manage(provider, their_departure)
    with pytest.raises(CheckInRefused) as error:
        bookings.check_in(their_booking.code, user=provider, now=their_departure.starts_at)
    assert error.value.code == "forbidden"


def test_gift_voucher_redeemed_within_its_period():
    product = make_experience()
    today = timezone.localdate()
    voucher = bookings.create_gift_voucher(product, valid_from=today,
                                           valid_until=today + datetime.timedelta(days=30),
                                           adults=2)
    assert voucher.departure is None
    late = make_departure(product, days=40)
    with pytest.raises(NotBookable) as error:
        bookings.redeem_gift(voucher, late)
    assert error.value.code == "gift_period"
    departure = make_departure(product, days=10, places=5)
    redeemed = bookings.redeem_gift(voucher, departure)
    departure.refresh_from_db()
    assert redeemed.departure == departure and departure.places_taken == 2
    with pytest.raises(NotBookable):
        bookings.redeem_gift(voucher, departure)
