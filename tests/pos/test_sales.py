"""Pricing on the server, tenders and change, cash rounding, discounts and approval,
the Oscar order and the stock moves of a till sale."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from pos import sales
from pos.errors import ApprovalRequired, TillError
from pos.models import TillSale
from pos.money import round_cash
from showroom.models import Stock, StockMove
from tests.showroom.conftest import assert_invariants

from .factories import new_uuid

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def sell(shop, session, lines, tenders, user=None, **kwargs):
    return sales.record_sale(
        register=shop.register, session=session, user=user or shop.cashier,
        client_uuid=kwargs.pop("client_uuid", new_uuid()), lines=lines, tenders=tenders, **kwargs,
    )


def line(offer, quantity=1, **kwargs):
    return {"stockrecord": offer.pk, "quantity": quantity, **kwargs}


def test_a_sale_is_an_oscar_order_and_moves_stock(shop, session):
    coffee, ginseng, honey = shop.offers
    sale, created = sell(shop, session, [line(coffee, 2), line(honey)],
                         [{"kind": "cash", "tendered": 500000}])
    assert created
    assert sale.receipt_number == 1 and sale.receipt_label == "sc-1-000001"
    assert sale.total == 2 * 120000 + 64300 == 304300
    assert sale.cash_rounding == 200  # 304.300 → 304.500 at 500 đồng
    assert sale.change_due == 500000 - 304500
    order = Order.objects.get(pk=sale.order_id)
    assert order.number == "POS-sc-1-000001"
    assert order.shipping_code == "pos" and order.total_incl_tax == 304300
    assert [(ol.product_id, ol.quantity) for ol in order.lines.order_by("pk")] == [
        (coffee.product_id, 2), (honey.product_id, 1)
    ]
    assert order.sources.get().amount_debited == 304500
    assert Stock.objects.get(stockrecord=coffee, location=shop.location).quantity == 8
    moves = StockMove.objects.filter(kind=StockMove.Kind.POS_SALE, reference="sc-1-000001")
    assert moves.count() == 2
    # Receipt numbers are sequential per register.
    second, _ = sell(shop, session, [line(coffee)], [{"kind": "card_terminal", "amount": 120000}])
    assert second.receipt_number == 2
    assert_invariants()


def test_the_till_never_refuses_goods_and_flags_the_location(shop, session):
    ginseng = shop.offers[1]  # 2 on the shelf
    sale, _ = sell(shop, session, [line(ginseng, 3)], [{"kind": "cash", "tendered": 300000}])
    stock = Stock.objects.get(stockrecord=ginseng, location=shop.location)
    assert stock.quantity == -1 and stock.needs_reconciliation
    ginseng.refresh_from_db()
    assert ginseng.num_in_stock - ginseng.num_allocated == 0  # never sold online
    assert_invariants()


@pytest.mark.parametrize("unit, remaining, expected", [
    (500, 304300, 304500), (500, 304200, 304000), (500, 304250, 304500),
    (1000, 304500, 305000), (1000, 304499, 304000), (0, 304321, 304321),
])
def test_round_cash(unit, remaining, expected):
    assert round_cash(Decimal(remaining), unit) == expected


def test_split_tenders_only_cash_is_rounded(shop, session, settings):
    settings.POS_CASH_ROUNDING = 1000
    honey = shop.offers[2]  # 64.300
    sale, _ = sell(shop, session, [line(honey)], [
        {"kind": "vietqr", "amount": 30000, "reference": "FT123"},
        {"kind": "card_terminal", "amount": 20000, "reference": "T-9"},
        {"kind": "cash", "tendered": 20000},
    ])
    tenders = {t.kind: t for t in sale.tenders.all()}
    assert tenders["vietqr"].amount == 30000 and tenders["card_terminal"].amount == 20000
    assert tenders["cash"].amount == 14000  # 14.300 → 14.000
    assert sale.cash_rounding == -300
    assert tenders["cash"].change == sale.change_due == 6000
    assert sale.total == 64300 and sale.paid_total == 64000


def test_exact_non_cash_is_never_rounded(shop, session, settings):
    settings.POS_CASH_ROUNDING = 1000
    sale, _ = sell(shop, session, [line(shop.offers[2])], [{"kind": "vietqr", "amount": 64300}])
    assert sale.cash_rounding == 0 and sale.paid_total == 64300 and sale.change_due == 0


@pytest.mark.parametrize("tenders, code", [
    ([], "underpaid"),
    ([{"kind": "cash", "tendered": 100000}], "underpaid"),
    ([{"kind": "vietqr", "amount": 200000}], "overpaid"),
    ([{"kind": "vietqr", "amount": 120000}, {"kind": "cash", "tendered": 5000}], "overpaid"),
    ([{"kind": "vietqr", "amount": 50000}], "underpaid"),
    ([{"kind": "cash", "tendered": -5}], "invalid"),
    ([{"kind": "cash", "tendered": 150000.5}], "invalid"),
    ([{"kind": "bitcoin", "amount": 1}], "invalid"),
    ([{"kind": "cash"}, {"kind": "cash"}], "invalid"),
    ([{"kind": "card_terminal", "amount": 0}], "invalid"),
])
def test_bad_tenders_are_refused_and_nothing_is_written(shop, session, tenders, code):
    with pytest.raises(TillError) as info:
        sell(shop, session, [line(shop.offers[0])], tenders)
    assert info.value.code == code
    assert str(info.value)
    assert not TillSale.objects.exists() and not Order.objects.exists()


@pytest.mark.parametrize("lines", [
    [], None, "x", [{"stockrecord": 999999, "quantity": 1}], [{"quantity": 1}],
    [{"stockrecord": 1, "quantity": 0}], [{"stockrecord": 1, "quantity": -2}],
    [{"stockrecord": 1, "quantity": "two"}], [{"stockrecord": 1, "quantity": 1, "discount_percent": 120}],
])
def test_bad_lines_are_refused(shop, session, lines):
    with pytest.raises(TillError):
        sell(shop, session, lines, [{"kind": "cash", "tendered": 1000000}])
    assert not TillSale.objects.exists()


def test_discounts_within_limit_line_and_order(shop, session):
    coffee, ginseng, _ = shop.offers
    # The cashier's role allows 10 %: 10 % on a line, then 0 % order.
    sale, _ = sell(shop, session, [line(coffee, 1, discount_percent="10"), line(ginseng)],
                   [{"kind": "cash", "tendered": 200000}])
    assert sale.line_discount_total == 12000 and sale.total == 108000 + 85500
    lines = {sl.stockrecord_id: sl for sl in sale.lines.all()}
    assert lines[coffee.pk].net_total == 108000


def test_order_discount_is_spread_exactly(shop, session):
    coffee, ginseng, honey = shop.offers
    sale, _ = sell(shop, session, [line(coffee), line(ginseng), line(honey)],
                   [{"kind": "cash", "tendered": 300000}], order_discount_percent="7.5")
    subtotal = 120000 + 85500 + 64300
    assert sale.order_discount == round(Decimal(subtotal) * Decimal("0.075"))
    assert sum(sl.net_total for sl in sale.lines.all()) == sale.total == subtotal - sale.order_discount
    assert sum(sl.order_discount_share for sl in sale.lines.all()) == sale.order_discount


def test_discount_above_limit_needs_a_manager(shop, session):
    coffee = shop.offers[0]
    with pytest.raises(ApprovalRequired) as info:
        sell(shop, session, [line(coffee, discount_percent=20)], [{"kind": "cash", "tendered": 200000}])
    assert info.value.status_code == 403
    # Combined line + order discount counts: 8 % then 5 % is above 10 %.
    with pytest.raises(ApprovalRequired):
        sell(shop, session, [line(coffee, discount_percent=8)], [{"kind": "cash", "tendered": 200000}],
             order_discount_percent=5)
    for bad in ({"manager": shop.manager.username, "pin": "0000"},
                {"manager": shop.cashier.username, "password": "secret-pass-123"},
                {"manager": "nobody", "pin": "2468"}, "2468"):
        with pytest.raises(ApprovalRequired):
            sell(shop, session, [line(coffee, discount_percent=20)],
                 [{"kind": "cash", "tendered": 200000}], approval=bad)
    sale, _ = sell(shop, session, [line(coffee, discount_percent=20)],
                   [{"kind": "cash", "tendered": 100000}],
                   approval={"manager": shop.manager.username, "pin": "2468"})
    assert sale.discount_approved_by == shop.manager and sale.total == 96000
    # The manager may also approve with their password; but not above their own limit (50 %).
    sale, _ = sell(shop, session, [line(coffee, discount_percent=30)],
                   [{"kind": "cash", "tendered": 100000}],
                   approval={"manager": shop.manager.username, "password": "secret-pass-123"})
    assert sale.discount_approved_by == shop.manager
    with pytest.raises(ApprovalRequired):
        sell(shop, session, [line(coffee, discount_percent=60)], [{"kind": "cash", "tendered": 100000}],
             approval={"manager": shop.manager.username, "pin": "2468"})


def test_a_manager_of_another_point_cannot_approve(shop, session):
    from .factories import make_manager

    other_manager = make_manager(shop.other, pin="1357")
    with pytest.raises(ApprovalRequired):
        sell(shop, session, [line(shop.offers[0], discount_percent=20)],
             [{"kind": "cash", "tendered": 200000}],
             approval={"manager": other_manager.username, "pin": "1357"})


def test_the_server_price_wins_and_the_difference_is_reported(shop, session):
    coffee = shop.offers[0]  # the server says 120.000; the page still had 110.000
    sale, _ = sell(shop, session, [line(coffee, 2, unit_price=110000)],
                   [{"kind": "cash", "tendered": 220000}], client_total=220000, offline=True)
    assert sale.total == 240000 and sale.client_total == 220000
    assert sale.price_difference == 20000
    assert sale.price_differences == [{
        "stockrecord": coffee.pk, "title": coffee.product.get_title(),
        "server_unit_price": 120000, "client_unit_price": 110000, "quantity": 2,
    }]
    assert sale.order.total_incl_tax == 240000
    assert sale.review_notes


def test_same_client_uuid_records_once(shop, session):
    uuid = new_uuid()
    args = dict(lines=[line(shop.offers[0])], tenders=[{"kind": "cash", "tendered": 120000}])
    first, created = sell(shop, session, client_uuid=uuid, **args)
    again, created_again = sell(shop, session, client_uuid=uuid, **args)
    assert created and not created_again and first.pk == again.pk
    assert TillSale.objects.count() == 1 and Order.objects.count() == 1
    assert Stock.objects.get(stockrecord=shop.offers[0], location=shop.location).quantity == 9


def test_bad_uuid(shop, session):
    with pytest.raises(TillError):
        sell(shop, session, [line(shop.offers[0])], [{"kind": "cash", "tendered": 120000}],
             client_uuid="not-a-uuid")


def test_closed_session_refuses_new_sales_but_takes_offline_ones_rung_before(shop, session):
    from django.utils import timezone

    from pos import sessions

    rung = timezone.now()
    sessions.close_session(session, shop.cashier, 500000)
    session.refresh_from_db()
    with pytest.raises(TillError):
        sell(shop, session, [line(shop.offers[0])], [{"kind": "cash", "tendered": 120000}])
    sale, created = sell(shop, session, [line(shop.offers[0])], [{"kind": "cash", "tendered": 120000}],
                         offline=True, rung_at=rung.isoformat())
    assert created and sale.session == session and sale.review_notes
    from pos.sessions import z_report

    assert z_report(session)["late_sales"] == 1


def test_offline_sale_with_unapproved_discount_is_recorded_and_flagged(shop, session):
    sale, created = sell(shop, session, [line(shop.offers[0], discount_percent=20)],
                         [{"kind": "cash", "tendered": 96000}], offline=True)
    assert created and sale.discount_approved_by is None and sale.review_notes
