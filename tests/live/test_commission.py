"""Commission: accrues once paid or delivered, reverses on cancellation and refunds, whole đồng."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.checkout.forms import DeliveryAddressForm
from shop.live import commission, holds, links, orders
from shop.live.attribution import Visit
from shop.live.models import Attribution, CommissionEntry, Hold
from shop.partner.strategy import LiveStrategy
from shop.payment import payments, statuses
from tests.checkout.support import ADDRESS
from tests.live.factories import certified_offer, live_session_with_offer, make_seller
from vendors.settlement import Period

Basket = get_model("basket", "Basket")
OrderPayment = get_model("payment", "OrderPayment")
PaymentRefund = get_model("payment", "PaymentRefund")

LIVE = Decimal(120000)
_numbers = itertools.count(1)

pytestmark = pytest.mark.django_db


def _order(session, items, method="vietqr"):
    """An order placed through the shop's OrderCreator by a buyer who followed the session's link."""
    seller = session.seller
    first_product = items[0][0].product
    link = links.link_for(seller, first_product, session)
    basket = Basket.objects.create()
    basket.strategy = LiveStrategy(visit=Visit(seller.pk, link.pk, session.pk))
    for stockrecord, quantity in items:
        basket.add_product(stockrecord.product, quantity)
    order = create_order(
        basket=basket, number=f"LC{next(_numbers):05d}",
        status=payments.initial_order_status(method),
    )
    payments.open_payment(order, method)
    return order


def _net(order):
    return CommissionEntry.objects.filter(attribution__line__order=order).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)


def _by_line(order):
    return {
        row["attribution__line_id"]: row["total"]
        for row in CommissionEntry.objects.filter(attribution__line__order=order)
        .values("attribution__line_id").annotate(total=Sum("amount")).order_by()
    }


def _entries(order):
    return list(
        CommissionEntry.objects.filter(attribution__line__order=order)
        .order_by("pk").values_list("kind", "base", "rate", "amount")
    )


def test_nothing_accrues_before_payment_then_the_transfer_accrues_it():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)  # seller at 10 %
    order = _order(session, [(stockrecord, 2)])
    assert order.lines.get().line_price_incl_tax == 2 * LIVE
    assert commission.sync_order(order) == []
    assert _net(order) == 0
    payments.confirm_transfer(order, order.total_incl_tax)
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    assert _entries(order) == [("accrual", 2 * LIVE, Decimal("10.00"), Decimal(24000))]


def test_syncing_twice_writes_nothing_more():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(order, order.total_incl_tax)
    before = _entries(order)
    assert commission.sync_order(order) == []
    assert commission.sync_order(order, reason="again") == []
    # the payment saved again (a replayed webhook) changes nothing either
    OrderPayment.objects.get(order=order).save()
    assert _entries(order) == before == [("accrual", LIVE, Decimal("10.00"), Decimal(12000))]


def test_a_card_payment_accrues():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)], method="card")
    assert _net(order) == 0
    payments.mark_paid(order, order.total_incl_tax, reference="pi_test")
    assert _net(order) == Decimal(12000)


def test_cash_on_delivery_accrues_when_delivered_not_before():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)], method="cod")
    assert order.status == statuses.PROCESSING
    assert _net(order) == 0
    payments._set_order_status(order, statuses.SHIPPING)
    assert _net(order) == 0  # on its way is not collected
    payments._set_order_status(order, statuses.SHIPPED)
    assert _net(order) == Decimal(12000)
    assert commission.sync_order(order) == []


def test_a_collected_order_accrues():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)], method="cod")
    payments._set_order_status(order, statuses.READY_TO_COLLECT)
    assert _net(order) == 0
    payments._set_order_status(order, statuses.COLLECTED)
    assert _net(order) == Decimal(12000)


def test_cancellation_reverses_it_fully():
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5)
    order = _order(session, [(stockrecord, 2)])
    payments.confirm_transfer(order, order.total_incl_tax)
    assert _net(order) == Decimal(24000)
    order.refresh_from_db()
    payments._set_order_status(order, statuses.CANCELLED)
    assert _net(order) == 0
    assert [e[0] for e in _entries(order)] == ["accrual", "reversal"]
    assert _entries(order)[1][3] == Decimal(-24000)
    offer.refresh_from_db()
    assert offer.sold == 0
    assert commission.sync_order(order) == []


def test_cancelling_an_unpaid_order_writes_no_entry():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)])
    payments.cancel_order(order)
    assert not CommissionEntry.objects.exists()


def test_a_partial_refund_reverses_each_line_proportionally_in_whole_dong():
    session, offer, live_sr = live_session_with_offer(live_price=LIVE)  # 10 %
    plain_sr = certified_offer(price=150000)
    order = _order(session, [(live_sr, 2), (plain_sr, 1)])
    live_line = order.lines.get(stockrecord=live_sr)
    plain_line = order.lines.get(stockrecord=plain_sr)
    assert (live_line.line_price_incl_tax, plain_line.line_price_incl_tax) == (240000, 150000)
    payments.confirm_transfer(order, order.total_incl_tax)
    assert _by_line(order) == {live_line.pk: Decimal(24000), plain_line.pk: Decimal(15000)}
    payment = OrderPayment.objects.get(order=order)
    # 100.001 đ of the 390.000 đ goods back: split 61.539 / 38.462 (largest remainder)
    payments.record_refund_total(payment, Decimal(100001))
    # live line: (240.000 − 61.539) × 10 % = 17.846,1 → 17.846; plain: 111.538 × 10 % → 11.154
    assert _by_line(order) == {live_line.pk: Decimal(17846), plain_line.pk: Decimal(11154)}
    for entry in CommissionEntry.objects.filter(kind="reversal"):
        assert entry.amount == entry.amount.to_integral_value()
    assert commission.sync_order(order) == []
    # the rest of the goods and the shipping back: nothing left
    payments.record_refund_total(payment, order.total_incl_tax)
    assert _net(order) == 0


def test_a_refund_recorded_as_a_refund_row_reverses_too():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(order, order.total_incl_tax)
    payment = OrderPayment.objects.get(order=order)
    payments.record_refund_total(payment, Decimal(60000), refunds=[("re_1", 60000, "succeeded")])
    assert PaymentRefund.objects.filter(payment=payment).count() == 1
    assert _net(order) == Decimal(6000)
    # Stripe repeats the same refund: nothing changes
    payments.record_refund_total(payment, Decimal(60000), refunds=[("re_1", 60000, "succeeded")])
    assert _net(order) == Decimal(6000)
    assert len(_entries(order)) == 2


def test_the_rate_is_fixed_at_the_first_accrual():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    order = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(order, order.total_incl_tax)
    assert _net(order) == Decimal(12000)
    seller = session.seller
    seller.commission_rate = Decimal(20)
    seller.save()
    assert commission.sync_order(order) == []  # what was earned is not rewritten
    payments.record_refund_total(OrderPayment.objects.get(order=order), Decimal(20000))
    # (120.000 − 20.000) × 10 %, not 20 %
    assert _net(order) == Decimal(10000)
    assert set(CommissionEntry.objects.values_list("rate", flat=True)) == {Decimal("10.00")}
    # a new order of the same seller takes the new rate
    second = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(second, second.total_incl_tax)
    assert _net(second) == Decimal(24000)


def test_the_session_rate_overrides_the_seller_rate():
    seller = make_seller(rate=Decimal(10))
    session, _offer, stockrecord = live_session_with_offer(seller=seller, live_price=LIVE)
    session.commission_rate = Decimal("3.5")
    session.save(update_fields=["commission_rate"])
    order = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(order, order.total_incl_tax)
    assert _entries(order) == [("accrual", LIVE, Decimal("3.50"), Decimal(4200))]


def test_commission_rounds_half_up_to_whole_dong():
    seller = make_seller(rate=Decimal("7.25"))
    session, _offer, stockrecord = live_session_with_offer(
        seller=seller, live_price=Decimal(123458)
    )
    order = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(order, order.total_incl_tax)
    # 123.458 × 7,25 % = 8.950,705 → 8.951
    assert _net(order) == Decimal(8951)


def test_an_order_without_attribution_earns_nothing():
    stockrecord = certified_offer()
    basket = Basket.objects.create()
    basket.strategy = LiveStrategy(visit=None)
    basket.add_product(stockrecord.product, 1)
    order = create_order(basket=basket, number="PLAIN1", status=statuses.AWAITING_PAYMENT)
    payments.open_payment(order, "vietqr")
    payments.confirm_transfer(order, order.total_incl_tax)
    assert not Attribution.objects.exists() and not CommissionEntry.objects.exists()


def test_a_confirmed_comment_hold_earns_commission_once_paid(zones):
    session, _offer, _stockrecord = live_session_with_offer(live_price=LIVE, cap=3)
    holds.receive(session, [("", "Khách", "0987654321 SAM2 x2")])
    form = DeliveryAddressForm(data=ADDRESS)
    assert form.is_valid()
    order, _path = orders.confirm(Hold.objects.get(), form.address_fields(), "vietqr")
    assert _net(order) == 0
    payments.confirm_transfer(order, order.total_incl_tax)
    assert _net(order) == Decimal(24000)
    entry = CommissionEntry.objects.get()
    assert (entry.seller_id, entry.session_id) == (session.seller_id, session.pk)


def test_totals_for_the_settlement():
    session, _offer, stockrecord = live_session_with_offer(live_price=LIVE)
    paid = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(paid, paid.total_incl_tax)
    refunded = _order(session, [(stockrecord, 1)])
    payments.confirm_transfer(refunded, refunded.total_incl_tax)
    payments.record_refund_total(OrderPayment.objects.get(order=refunded), refunded.total_incl_tax)
    today = timezone.localdate()
    totals = commission.seller_totals(Period(today - datetime.timedelta(days=1), today))
    assert len(totals) == 1
    row = totals[0]
    assert row["seller"] == session.seller
    assert (row["earned"], row["reversed"], row["net"], row["lines"]) == (24000, 12000, 12000, 2)
    assert commission.totals_by_session(session.seller)[session.pk] == 12000
