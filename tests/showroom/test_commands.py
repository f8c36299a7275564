"""check_inventory, low_stock_digest, demo stock, and the dashboard's read-only totals."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from oscar.core.loading import get_class

from showroom import inventory
from showroom.demo import load_demo_stock
from showroom.models import Stock, StockMove

from .factories import make_offer, make_office_user, three_locations

pytestmark = pytest.mark.django_db


def test_check_inventory_passes_then_fails_on_a_mismatch(capsys):
    locs = three_locations()
    sr = make_offer(stock={locs[0]: 3})
    call_command("check_inventory", "--balances")
    assert "Inventory OK" in capsys.readouterr().out
    Stock.objects.filter(stockrecord=sr).update(quantity_allocated=1)
    with pytest.raises(CommandError):
        call_command("check_inventory")
    assert "allocated vs open allocations" in capsys.readouterr().err


def test_low_stock_digest_mails_the_office():
    locs = three_locations()
    make_office_user()
    make_offer(title="Chuối mật Đăk Hà", stock={locs[1]: 1})
    make_offer(title="Nhiều hàng", stock={locs[1]: 100})
    call_command("low_stock_digest")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Chuối mật Đăk Hà" in body and "Nhiều hàng" not in body


def test_low_stock_digest_without_low_stock_sends_nothing():
    call_command("low_stock_digest")
    assert mail.outbox == []


def test_demo_stock_is_idempotent():
    locs = three_locations()
    sr = make_offer()
    assert load_demo_stock() == 1
    moves = StockMove.objects.count()
    assert Stock.objects.filter(stockrecord=sr).exists()
    assert load_demo_stock() == 0
    assert StockMove.objects.count() == moves
    assert not inventory.check_invariants()
    sr.refresh_from_db()
    assert sr.net_stock_level == inventory.online_availability([sr])[sr.pk] > 0
    assert {s.location for s in Stock.objects.filter(stockrecord=sr)} <= set(locs)


def test_dashboard_stockrecord_form_shows_totals_read_only(client):
    locs = three_locations()
    sr = make_offer(stock={locs[0]: 4})
    form_class = get_class("dashboard.catalogue.forms", "StockRecordForm")
    user = make_office_user(is_superuser=True)
    form = form_class(sr.product.get_product_class(), user, instance=sr,
                      data={"partner": sr.partner_id, "partner_sku": sr.partner_sku,
                            "price_currency": "VND", "price": "1000", "num_in_stock": "999"})
    assert form.is_valid(), form.errors
    form.save()
    sr.refresh_from_db()
    assert sr.num_in_stock == 4 and sr.price == 1000
    client.force_login(user)
    page = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": sr.product.pk}))
    assert page.status_code == 200
    assert "Tồn kho" in client.get(reverse("dashboard:index")).content.decode()
