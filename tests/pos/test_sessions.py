"""Session life cycle and the Z-report arithmetic."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos import sales, sessions
from pos.errors import TillConflict, TillError
from pos.models import TillSession

from .factories import new_uuid

pytestmark = pytest.mark.django_db


def sell(shop, session, tenders, lines=None, **kwargs):
    lines = lines or [{"stockrecord": shop.offers[0].pk, "quantity": 1}]
    sale, created = sales.record_sale(
        register=shop.register, session=session, user=shop.cashier, client_uuid=new_uuid(),
        lines=lines, tenders=tenders, **kwargs,
    )
    assert created
    return sale


def test_open_then_one_open_session_per_register(shop):
    session = sessions.open_session(shop.register, shop.cashier, 300000)
    assert session.is_open and session.opening_float == Decimal("300000")
    with pytest.raises(TillConflict):
        sessions.open_session(shop.register, shop.cashier, 0)
    # The database says so too, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        TillSession.objects.create(register=shop.register, cashier=shop.cashier)
    # Another register is free.
    assert sessions.open_session(shop.other_register, shop.cashier, 0).is_open


@pytest.mark.parametrize("bad", [-1, "abc", 1.5, None, True, "1e99"])
def test_bad_opening_float(shop, bad):
    with pytest.raises(TillError):
        sessions.open_session(shop.register, shop.cashier, bad)


def test_close_counts_and_z_report(shop, session):
    # Cash sale of 120.000 paid with 200.000: 120.000 stays in the drawer.
    sell(shop, session, [{"kind": "cash", "tendered": 200000}])
    # Split: 85.500 = 50.000 VietQR + 35.500 cash (no rounding needed at 500).
    sell(shop, session, [{"kind": "vietqr", "amount": 50000}, {"kind": "cash", "tendered": 40000}],
         lines=[{"stockrecord": shop.offers[1].pk, "quantity": 1}])
    # Card for all of 64.300.
    sell(shop, session, [{"kind": "card_terminal", "amount": 64300, "reference": "T-1"}],
         lines=[{"stockrecord": shop.offers[2].pk, "quantity": 1}])
    sessions.add_cash_movement(session, shop.cashier, "in", 100000, "Đổi tiền lẻ")
    sessions.add_cash_movement(session, shop.cashier, "out", 50000, "Mua túi đựng hàng")
    report = sessions.close_session(session, shop.cashier, 700000)
    expected = 500000 + 120000 + 35500 + 100000 - 50000
    assert report["expected_cash"] == expected
    assert report["tenders"] == {"cash": 155500, "vietqr": 50000, "card_terminal": 64300}
    assert report["sales_count"] == 3 and report["sales_total"] == 269800
    assert report["counted_cash"] == 700000
    assert report["variance"] == 700000 - expected
    session.refresh_from_db()
    assert not session.is_open and session.expected_cash == expected
    with pytest.raises(TillConflict):
        sessions.close_session(session, shop.cashier, 0)
    with pytest.raises(TillConflict):
        sessions.add_cash_movement(session, shop.cashier, "in", 1000, "muộn")


def test_cash_movement_needs_reason_and_positive_amount_and_cash_to_take(shop, session):
    with pytest.raises(TillError):
        sessions.add_cash_movement(session, shop.cashier, "in", 1000, "  ")
    with pytest.raises(TillError):
        sessions.add_cash_movement(session, shop.cashier, "in", 0, "x")
    with pytest.raises(TillError):
        sessions.add_cash_movement(session, shop.cashier, "sideways", 10, "x")
    with pytest.raises(TillError):
        sessions.add_cash_movement(session, shop.cashier, "out", 500001, "more than the drawer")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    float_=st.integers(0, 2_000_000),
    cash_sales=st.lists(st.integers(0, 5), max_size=4),
    moves=st.lists(st.tuples(st.sampled_from(["in", "out"]), st.integers(1, 200_000)), max_size=4),
    counted=st.integers(0, 5_000_000),
)
def test_z_report_arithmetic_property(shop, float_, cash_sales, moves, counted):
    """expected = float + cash sales − cash refunds ± cash in/out; variance = counted − expected."""
    TillSession.objects.filter(register=shop.register, status="open").update(status="closed")
    session = sessions.open_session(shop.register, shop.cashier, float_)
    cash_total = Decimal(0)
    for extra in cash_sales:
        sale = sell(shop, session, [{"kind": "cash", "tendered": 120000 + extra * 1000}])
        cash_total += sale.tenders.get().amount
    flow = Decimal(0)
    for kind, amount in moves:
        available = sessions.z_report(session)["expected_cash"]
        if kind == "out" and amount > available:
            continue
        sessions.add_cash_movement(session, shop.cashier, kind, amount, "kiểm thử")
        flow += amount if kind == "in" else -amount
    report = sessions.close_session(session, shop.cashier, counted)
    assert report["expected_cash"] == float_ + cash_total + flow
    assert report["variance"] == counted - report["expected_cash"]
