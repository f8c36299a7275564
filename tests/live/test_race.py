"""Livestream races on PostgreSQL: buyers racing for a live cap, viewers racing for held stock.

Each buyer or commenter is a thread with its own database connection; a
barrier starts them together (as tests/showroom/test_race.py does). SQLite
has no row locks, so these tests are skipped there.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.live import holds, links, placement
from shop.live.attribution import Visit
from shop.live.models import Attribution, Comment, Hold, LiveOffer
from shop.partner.strategy import LiveStrategy
from showroom import inventory
from showroom.models import Allocation, Stock
from tests.live.factories import live_session_with_offer
from tests.showroom.test_race import _run  # threads started together, one connection each

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
UnableToPlaceOrder = placement.UnableToPlaceOrder

LIST, LIVE = Decimal(150000), Decimal(120000)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks and one conditional UPDATE")


def _sound():
    mismatches = inventory.check_invariants()
    assert not mismatches, "\n".join(str(m) for m in mismatches)
    for stock in Stock.objects.all():
        balances = inventory.check_ledger_balances(stock)
        assert not balances, "\n".join(str(m) for m in balances)


def _buyer(visit, stockrecord, number):
    def work():
        basket = Basket.objects.create()
        basket.strategy = LiveStrategy(visit=visit)
        basket.add_product(stockrecord.product, 1)
        return create_order(basket=basket, number=number)

    return work


def test_fifty_buyers_race_for_a_live_cap_of_ten(capsys):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=10, stock=100)
    link = links.link_for(session.seller, offer.product, session)
    visit = Visit(session.seller_id, link.pk, session.pk)
    results, seconds = _run([_buyer(visit, stockrecord, f"CAP{i:03d}") for i in range(50)])

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, UnableToPlaceOrder)]
    other = [r for r in results if not isinstance(r, Order | UnableToPlaceOrder)]
    assert not other, other
    assert all(isinstance(r, placement.LiveCapReached) for r in refused), refused
    live = [o for o in orders if o.lines.get().unit_price_incl_tax == LIVE]
    listed = [o for o in orders if o.lines.get().unit_price_incl_tax == LIST]
    assert len(live) == 10
    assert len(live) + len(listed) == len(orders)
    assert len(orders) + len(refused) == 50
    offer = LiveOffer.objects.get(pk=offer.pk)
    assert offer.sold == 10
    assert Attribution.objects.filter(offer=offer).count() == 10
    assert Attribution.objects.count() == len(orders)  # every placed order is the seller's
    # a refused order wrote nothing: orders and allocations are exactly the placed ones
    assert Order.objects.count() == len(orders)
    allocations = Allocation.objects.filter(stock__stockrecord=stockrecord)
    assert sum(a.quantity for a in allocations) == len(orders)
    assert {a.line.order_id for a in allocations} == {o.pk for o in orders}
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == len(orders)
    _sound()
    with capsys.disabled():
        print(
            f"\n[live cap race] 50 buyers, cap 10, stock 100: {len(live)} live-priced orders, "
            f"{len(listed)} at list price, {len(refused)} refused (cap reached), "
            f"sold {offer.sold}, {seconds:.2f} s"
        )


def _commenter(session, phone, n):
    def work():
        created = holds.receive(session, [(f"race-{n}", f"Khách {n}", f"{phone} SAM2")])
        return created[0].outcome if created else None

    return work


def test_fifty_comments_race_for_ten_units(capsys):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=30, stock=10)
    phones = [f"0912{n:06d}" for n in range(50)]
    results, seconds = _run([_commenter(session, phone, n) for n, phone in enumerate(phones)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(Comment.Outcome.HOLD) == 10
    assert results.count(Comment.Outcome.REFUSED) == 40
    assert Hold.objects.filter(status=Hold.Status.OPEN).count() == 10
    assert len(set(Hold.objects.values_list("phone", flat=True))) == 10
    assert Comment.objects.count() == 50
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 10
    assert sum(a.quantity for a in Allocation.objects.filter(status="open")) == 10
    offer = LiveOffer.objects.get(pk=offer.pk)
    assert offer.sold == 10  # the refused holds' live-price units went back with them
    _sound()
    with capsys.disabled():
        print(
            f"\n[live hold race] 50 comments, 50 phones, stock 10: "
            f"{results.count(Comment.Outcome.HOLD)} holds, "
            f"{results.count(Comment.Outcome.REFUSED)} refused, allocated 10, {seconds:.2f} s"
        )


def test_twenty_duplicate_comments_of_one_phone_make_one_hold(capsys):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=30, stock=10)
    results, seconds = _run([_commenter(session, "0987654321", n) for n in range(20)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(Comment.Outcome.HOLD) == 1
    assert results.count(Comment.Outcome.DUPLICATE) == 19
    assert Hold.objects.count() == 1
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 1
    assert LiveOffer.objects.get(pk=offer.pk).sold == 1
    _sound()
    with capsys.disabled():
        print(
            f"\n[live duplicate race] 20 identical comments of one phone: "
            f"{results.count(Comment.Outcome.HOLD)} hold, "
            f"{results.count(Comment.Outcome.DUPLICATE)} duplicates, {seconds:.2f} s"
        )
