"""A gift combo at the till: scanned by its own barcode, sold as one line, every component leaves."""

from decimal import Decimal

import pytest
from django.urls import reverse

from showroom.models import Stock, StockMove
from tests.combos.factories import certified_offer, combo_record, make_combo
from tests.showroom.conftest import assert_invariants

from .factories import new_uuid

pytestmark = pytest.mark.django_db


def test_scan_a_combo_and_sell_it_moves_each_component(shop, api, session):
    coffee = certified_offer("Cà phê Robusta Đăk Hà", price=Decimal("120000"), stock={shop.location: 6})
    honey = certified_offer("Mật ong hoa cà phê", price=Decimal("180000"), stock={shop.location: 4})
    combo = make_combo([(coffee, 2), (honey, 1)], price=Decimal("390000"), title="Hộp quà Đăk Hà")
    record = combo_record(combo)

    found = api.get(reverse("pos:api-lookup", args=[shop.register.pk]), {"code": combo.upc})
    assert found.status_code == 200, found.content
    assert found.json()["stockrecord"] == record.pk and found.json()["price"] == 390000

    body = {
        "client_uuid": new_uuid(), "session": session.pk,
        "lines": [{"stockrecord": record.pk, "quantity": 2, "unit_price": 390000}],
        "tenders": [{"kind": "cash", "tendered": 800000}],
        "client_total": 780000,
    }
    sale = api.post(reverse("pos:api-sales", args=[shop.register.pk]), body, format="json")
    assert sale.status_code == 201, sale.content

    on_hand = dict(
        Stock.objects.filter(location=shop.location).values_list("stockrecord_id", "quantity")
    )
    assert on_hand[coffee.pk] == 6 - 4 and on_hand[honey.pk] == 4 - 2
    assert not Stock.objects.filter(stockrecord=record).exists()  # no stock of its own
    assert StockMove.objects.filter(kind="pos_sale").count() == 2
    record.refresh_from_db()
    assert record.num_in_stock == 1  # online: min(⌊2/2⌋, ⌊2/1⌋)
    assert_invariants()
