from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from pos.models import TillSession

from .factories import make_cashier, make_manager, make_offer, make_register, three_locations


@pytest.fixture
def locs():
    return three_locations()


@pytest.fixture
def shop(locs, settings):
    """Point A (the showcase) with a register, a cashier, a manager and three priced offers."""
    settings.POS_CASH_ROUNDING = 500
    showcase, point_b, _point_c = locs
    register = make_register(showcase, code="sc-1")
    other_register = make_register(point_b, code="dm-1")
    cashier = make_cashier(showcase, username="thu.ngan.a")
    manager = make_manager(showcase)
    offers = [
        make_offer(title="Cà phê Đăk Hà rang xay", price=Decimal("120000"), stock={showcase: 10}),
        make_offer(title="Sâm dây Ngọc Linh", price=Decimal("85500"), stock={showcase: 2}),
        make_offer(title="Mật ong rừng", price=Decimal("64300"), stock={showcase: 5, point_b: 3}),
    ]
    return SimpleNamespace(**{
        "location": showcase, "other": point_b, "register": register,
        "other_register": other_register, "cashier": cashier, "manager": manager,
        "offers": offers,
    })


@pytest.fixture
def api(shop):
    client = APIClient()
    client.force_authenticate(shop.cashier)
    return client


@pytest.fixture
def session(shop):
    return TillSession.objects.create(register=shop.register, cashier=shop.cashier,
                                      opening_float=Decimal("500000"))
