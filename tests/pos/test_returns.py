"""Partial returns, never above what was sold; refunds; stock back to the shelf or damaged bin."""

from decimal import Decimal

import pytest

from pos import returns, sales, sessions
from pos.errors import TillConflict, TillError
from pos.models import TillReturn
from showroom.models import Location, Stock, StockMove
from tests.showroom.conftest import assert_invariants

from .factories import new_uuid

pytestmark = pytest.mark.django_db


@pytest.fixture
def sale(shop, session):
    coffee, _ginseng, honey = shop.offers
    sale, _ = sales.record_sale(
        register=shop.register, session=session, user=shop.cashier, client_uuid=new_uuid(),
        lines=[{"stockrecord": coffee.pk, "quantity": 3}, {"stockrecord": honey.pk, "quantity": 1}],
        tenders=[{"kind": "vietqr", "amount": 100000}, {"kind": "cash", "tendered": 400000}],
        order_discount_percent="10",
    )
    return sale


def lines_of(sale):
    return {sl.stockrecord_id: sl for sl in sale.lines.all()}


def do_return(shop, session, sale, lines, kind="cash", **kwargs):
    return returns.record_return(sale=sale, session=session, user=shop.cashier, lines=lines,
                                 refund_kind=kind, **kwargs)


def test_partial_returns_never_above_sold_and_add_up(shop, session, sale):
    coffee_line = lines_of(sale)[shop.offers[0].pk]
    first, _ = do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}])
    second, _ = do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}])
    with pytest.raises(TillError) as info:
        do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 2}])
    assert info.value.code == "above_sold"
    third, _ = do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}])
    # The three refunds add up exactly to what the line cost after discounts.
    assert first.refund_total + second.refund_total + third.refund_total == coffee_line.net_total
    with pytest.raises(TillError):
        do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}])
    # Goods are back on the shelf.
    assert Stock.objects.get(stockrecord=shop.offers[0], location=shop.location).quantity == 10
    assert_invariants()


def test_same_line_twice_in_one_return_counts_together(shop, session, sale):
    honey_line = lines_of(sale)[shop.offers[2].pk]
    with pytest.raises(TillError):
        do_return(shop, session, sale, [{"line": honey_line.pk, "quantity": 1},
                                        {"line": honey_line.pk, "quantity": 1}])
    assert not TillReturn.objects.exists()


def test_cash_refund_is_rounded_and_counted_in_the_z_report(shop, session, sale):
    honey_line = lines_of(sale)[shop.offers[2].pk]  # 64.300 − 10 % = 57.870
    till_return, _ = do_return(shop, session, sale, [{"line": honey_line.pk, "quantity": 1}])
    assert till_return.refund_total == Decimal("57870")
    assert till_return.cash_rounding == Decimal("130")  # paid back 58.000 at 500 đồng
    report = sessions.z_report(session)
    assert report["refunds"]["cash"] == 58000
    cash_in = sale.tenders.get(kind="cash").amount
    assert report["expected_cash"] == 500000 + cash_in - 58000


def test_refund_by_original_tender_is_capped_by_that_tender(shop, session, sale):
    coffee_line = lines_of(sale)[shop.offers[0].pk]  # 3 × 108.000 after 10 %
    honey_line = lines_of(sale)[shop.offers[2].pk]  # 57.870 after 10 %; 100.000 came by VietQR
    refund, _ = do_return(shop, session, sale, [{"line": honey_line.pk, "quantity": 1}], kind="vietqr")
    assert refund.refund_total == 57870 and refund.cash_rounding == 0  # transfers are never rounded
    with pytest.raises(TillError) as info:
        do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}], kind="vietqr")
    assert info.value.code == "refund_above_tender"
    with pytest.raises(TillError):  # never paid by card
        do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}], kind="card_terminal")


def test_damaged_goods_go_to_the_damaged_bin(shop, session, sale):
    coffee_line = lines_of(sale)[shop.offers[0].pk]
    do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1, "damaged": True}])
    bin_location = Location.objects.get(code=f"{shop.location.code}-hong")
    assert not bin_location.sells_online
    assert Stock.objects.get(stockrecord=shop.offers[0], location=bin_location).quantity == 1
    assert Stock.objects.get(stockrecord=shop.offers[0], location=shop.location).quantity == 7
    assert StockMove.objects.filter(kind=StockMove.Kind.POS_RETURN).count() == 1
    assert_invariants()


def test_return_is_idempotent_by_client_uuid(shop, session, sale):
    coffee_line = lines_of(sale)[shop.offers[0].pk]
    uuid = new_uuid()
    first, created = do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}],
                               client_uuid=uuid)
    again, created_again = do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}],
                                     client_uuid=uuid)
    assert created and not created_again and first.pk == again.pk


@pytest.mark.parametrize("lines", [[], None, [{"line": 0, "quantity": 1}], [{"line": "x"}],
                                   [{"quantity": 1}]])
def test_bad_return_lines(shop, session, sale, lines):
    with pytest.raises(TillError):
        do_return(shop, session, sale, lines)


def test_return_needs_an_open_session(shop, session, sale):
    coffee_line = lines_of(sale)[shop.offers[0].pk]
    sessions.close_session(session, shop.cashier, 0)
    session.refresh_from_db()
    with pytest.raises(TillConflict):
        do_return(shop, session, sale, [{"line": coffee_line.pk, "quantity": 1}])
