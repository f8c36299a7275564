"""Comment orders: a recognised comment holds stock in the one inventory until confirmed or expired."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout.forms import DeliveryAddressForm
from shop.live import holds, orders
from shop.live.models import Attribution, Comment, Hold
from shop.payment import payments
from showroom import inventory
from showroom.models import Allocation, StockMove
from tests.checkout.support import ADDRESS
from tests.live.factories import live_session_with_offer

Order = get_model("order", "Order")
OrderPayment = get_model("payment", "OrderPayment")
StockRecord = get_model("partner", "StockRecord")
RevenueShare = get_model("vendors", "RevenueShare")

LIST, LIVE = Decimal(150000), Decimal(120000)

pytestmark = pytest.mark.django_db


def _sound():
    mismatches = inventory.check_invariants()
    assert not mismatches, "\n".join(str(m) for m in mismatches)
    from showroom.models import Stock

    for stock in Stock.objects.all():
        balances = inventory.check_ledger_balances(stock)
        assert not balances, "\n".join(str(m) for m in balances)


def _allocated(stockrecord):
    return StockRecord.objects.get(pk=stockrecord.pk).num_allocated or 0


def _address():
    form = DeliveryAddressForm(data=ADDRESS)
    assert form.is_valid(), form.errors
    return form.address_fields()


def _comment(session, text, external_id=""):
    created = holds.receive(session, [(external_id, "Khách xem live", text)])
    assert len(created) == 1
    return created[0]


def test_a_comment_holds_stock_in_the_one_inventory():
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5, stock=10)
    comment = _comment(session, "0987654321 SAM2 x2")
    assert comment.outcome == Comment.Outcome.HOLD
    hold = Hold.objects.get()
    assert (hold.phone, hold.quantity, hold.unit_price, hold.live_priced) == (
        "0987654321", 2, LIVE, True
    )
    assert hold.comment == comment and hold.status == Hold.Status.OPEN
    assert _allocated(stockrecord) == 2
    moves = StockMove.objects.filter(reference=hold.reference).order_by("pk")
    assert [(m.kind, m.allocated) for m in moves] == [("hold", 2)]
    assert Allocation.objects.get(hold=hold.reference).line_id is None
    offer.refresh_from_db()
    assert offer.sold == 2  # the live cap is taken by the hold
    _sound()


@pytest.mark.parametrize("text", [
    "chốt 2 hộp sam2 sdt 0987.654.321",
    "lay 2 SAM2 +84987654321",
    "0987 654 321 sam2 x2",
])
def test_phone_shapes_make_the_same_hold(text):
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    assert _comment(session, text).outcome == Comment.Outcome.HOLD
    hold = Hold.objects.get()
    assert hold.phone.endswith("987654321") and hold.quantity == 2
    assert _allocated(stockrecord) == 2


def test_a_repeated_comment_of_the_same_phone_and_item_adds_no_second_hold():
    session, offer, stockrecord = live_session_with_offer(stock=10)
    first = _comment(session, "0987654321 SAM2 x1")
    again = _comment(session, "chốt SAM2 0987.654.321")
    assert first.outcome == Comment.Outcome.HOLD
    assert again.outcome == Comment.Outcome.DUPLICATE and again.handled
    assert Hold.objects.count() == 1
    assert _allocated(stockrecord) == 1
    offer.refresh_from_db()
    assert offer.sold == 1
    # another phone is another buyer
    assert _comment(session, "0905123456 SAM2").outcome == Comment.Outcome.HOLD
    assert Hold.objects.count() == 2 and _allocated(stockrecord) == 2
    _sound()


def test_the_same_webhook_comment_twice_is_recorded_once():
    session, _offer, _stockrecord = live_session_with_offer(stock=10)
    holds.receive(session, [("fb_1", "A", "0987654321 SAM2")], source=Comment.Source.FACEBOOK)
    holds.receive(session, [("fb_1", "A", "0987654321 SAM2")], source=Comment.Source.FACEBOOK)
    assert Comment.objects.count() == 1 and Hold.objects.count() == 1


def test_unreadable_comments_stay_in_the_queue_marked():
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    created = holds.receive(session, [
        ("", "A", "đẹp quá shop ơi"),
        ("", "B", "0987654321 lấy 2"),
        ("", "C", "SAM2 x2 nha"),
    ])
    assert len(created) == 3
    by_author = {c.author: c for c in Comment.objects.all()}
    assert by_author["A"].outcome in (Comment.Outcome.UNREADABLE, Comment.Outcome.UNKNOWN_CODE)
    assert by_author["B"].outcome == Comment.Outcome.UNKNOWN_CODE  # a phone, no known item
    assert by_author["C"].outcome == Comment.Outcome.UNREADABLE  # an item, no phone
    assert "Không thấy số điện thoại" in by_author["C"].note
    assert not any(c.handled for c in by_author.values())
    assert not Hold.objects.exists()
    assert _allocated(stockrecord) == 0


def test_a_hold_for_more_than_is_available_is_refused_and_writes_nothing():
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=20, stock=3)
    comment = _comment(session, "0987654321 SAM2 x5")
    assert comment.outcome == Comment.Outcome.REFUSED
    assert comment.note  # the inventory's reason, for the seller
    assert not Hold.objects.exists()
    assert not Allocation.objects.exists()
    assert _allocated(stockrecord) == 0
    offer.refresh_from_db()
    assert offer.sold == 0  # the cap taken for it went back with the rollback
    assert _comment(session, "0905123456 SAM2 x3").outcome == Comment.Outcome.HOLD
    _sound()


def test_a_hold_past_the_cap_is_made_at_the_list_price():
    session, offer, _stockrecord = live_session_with_offer(live_price=LIVE, cap=1, stock=10)
    _comment(session, "0987654321 SAM2")
    _comment(session, "0905123456 SAM2")
    first, second = Hold.objects.order_by("pk")
    assert (first.live_priced, first.unit_price) == (True, LIVE)
    assert (second.live_priced, second.unit_price) == (False, LIST)
    offer.refresh_from_db()
    assert offer.sold == 1


def test_no_hold_when_the_session_is_not_live():
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    from shop.live import sessions

    sessions.end(session)
    session.refresh_from_db()
    comment = _comment(session, "0987654321 SAM2")
    assert comment.outcome == Comment.Outcome.REFUSED
    assert not Hold.objects.exists() and _allocated(stockrecord) == 0


def test_expiry_gives_the_stock_and_the_cap_back(settings):
    settings.LIVE_HOLD_MINUTES = 15
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5, stock=10)
    _comment(session, "0987654321 SAM2 x2")
    hold = Hold.objects.get()
    assert hold.expires_at - hold.created_at < datetime.timedelta(minutes=15, seconds=5)
    # not yet due
    assert holds.expire_due(now=hold.expires_at - datetime.timedelta(seconds=1)) == 0
    assert _allocated(stockrecord) == 2
    assert holds.expire_due(now=hold.expires_at) == 1
    hold.refresh_from_db()
    assert hold.status == Hold.Status.EXPIRED
    assert _allocated(stockrecord) == 0
    assert Allocation.objects.get(hold=hold.reference).status == Allocation.Status.RELEASED
    kinds = list(StockMove.objects.filter(reference=hold.reference).order_by("pk")
             .values_list("kind", "allocated"))
    assert kinds == [("hold", 2), ("hold_release", -2)]
    offer.refresh_from_db()
    assert offer.sold == 0
    # expiring again changes nothing
    assert holds.expire_due(now=hold.expires_at + datetime.timedelta(hours=1)) == 0
    offer.refresh_from_db()
    assert offer.sold == 0 and _allocated(stockrecord) == 0
    # the phone may comment again: a new hold
    assert _comment(session, "0987654321 SAM2 x2").outcome == Comment.Outcome.HOLD
    _sound()


def test_cancel_gives_the_stock_back_once():
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5, stock=10)
    _comment(session, "0987654321 SAM2 x3")
    hold = Hold.objects.get()
    holds.cancel(hold)
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED
    assert _allocated(stockrecord) == 0
    offer.refresh_from_db()
    assert offer.sold == 0
    with pytest.raises(ValidationError):
        holds.cancel(hold)
    assert holds.expire_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    _sound()


@pytest.mark.parametrize("method", ["cod", "vietqr"])
def test_confirm_makes_an_order_that_owns_the_held_units(method, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5, stock=10)
    comment = _comment(session, "0987654321 SAM2 x2")
    hold = Hold.objects.get()
    allocated_before = _allocated(stockrecord)
    assert allocated_before == 2
    order, path = orders.confirm(hold, _address(), method)
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CONFIRMED and hold.order == order
    comment.refresh_from_db()
    assert comment.handled
    line = order.lines.get()
    assert (line.quantity, line.unit_price_incl_tax) == (2, LIVE)
    # no double allocation: the hold's allocation is now the line's
    assert _allocated(stockrecord) == allocated_before
    allocations = list(Allocation.objects.filter(stock__stockrecord=stockrecord))
    assert len(allocations) == 1
    assert allocations[0].line_id == line.pk and allocations[0].hold == hold.reference
    assert allocations[0].status == Allocation.Status.OPEN
    assert not StockMove.objects.filter(kind="allocation").exists()
    # the cap was taken by the hold, not a second time by the order
    offer.refresh_from_db()
    assert offer.sold == 2
    attribution = Attribution.objects.get(line=line)
    assert (attribution.seller_id, attribution.session_id, attribution.offer_id,
            attribution.hold_id) == (session.seller_id, session.pk, offer.pk, hold.pk)
    assert RevenueShare.objects.get(line=line).amount == 2 * LIVE
    payment = OrderPayment.objects.get(order=order)
    assert payment.method == method
    assert order.status == payments.initial_order_status(method)
    assert path
    # a confirmed hold neither expires nor is confirmed twice
    assert holds.expire_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert _allocated(stockrecord) == 2
    with pytest.raises(ValidationError):
        orders.confirm(hold, _address(), method)
    assert Order.objects.count() == 1
    _sound()


def test_confirmed_cod_order_delivered_consumes_the_held_units(zones):
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    _comment(session, "0987654321 SAM2 x2")
    order, _path = orders.confirm(Hold.objects.get(), _address(), "cod")
    payments._set_order_status(order, "Đã giao")
    stockrecord.refresh_from_db()
    assert (stockrecord.num_in_stock, stockrecord.num_allocated) == (8, 0)
    _sound()


def test_cancelling_a_confirmed_order_returns_stock_and_cap(zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5, stock=10)
    _comment(session, "0987654321 SAM2 x2")
    order, _path = orders.confirm(Hold.objects.get(), _address(), "cod")
    payments.cancel_order(order)
    assert _allocated(stockrecord) == 0
    offer.refresh_from_db()
    assert offer.sold == 0
    _sound()


def test_an_expired_hold_cannot_be_confirmed(zones):
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    _comment(session, "0987654321 SAM2")
    hold = Hold.objects.get()
    holds.expire_due(now=hold.expires_at)
    with pytest.raises(ValidationError) as refused:
        orders.confirm(hold, _address(), "cod")
    assert "hết hạn giữ" in " ".join(refused.value.messages)
    assert not Order.objects.exists() and _allocated(stockrecord) == 0
    _sound()


def test_confirm_refuses_an_unknown_payment_method(zones):
    session, _offer, stockrecord = live_session_with_offer(stock=10)
    _comment(session, "0987654321 SAM2")
    with pytest.raises(ValidationError):
        orders.confirm(Hold.objects.get(), _address(), "card")
    assert not Order.objects.exists()
    assert Hold.objects.get().status == Hold.Status.OPEN and _allocated(stockrecord) == 1
