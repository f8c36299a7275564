"""The gift combo, end to end in a real (headless) browser: a guest buys it, the office ships it
and reads the ledger (every component leaves), each producer reads its share on its sales page."""

from decimal import Decimal

import pytest
from django.test import Client
from oscar.templatetags.currency_filters import currency

from catalogue import combos
from tests.checkout.support import delivery_zones
from tests.checkout.test_browser import add, guest_checkout
from tests.combos.factories import certified_offer, make_combo, packaging_offer
from vendors.models import RevenueShare

from .conftest import make_producer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(15_000)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
    }])
    return context.new_page()


def test_a_bought_combo_leaves_the_ledger_and_each_producer_sees_its_share(
    page, chromium, live_server, locations, office
):
    delivery_zones()
    first = make_producer("HTX Cà phê Đăk Hà", "htx-ca-phe", locations)
    second = make_producer("THT Mật ong Đăk Mar", "tht-mat-ong", locations)
    coffee = certified_offer("Cà phê hạt Robusta", vendor=first.vendor, price=Decimal("145000"),
                             stock={locations[0]: 10})
    honey = certified_offer("Mật ong hoa cà phê", vendor=second.vendor, price=Decimal("210000"),
                            stock={locations[0]: 10})
    box = packaging_offer(stock={locations[0]: 10}, price=Decimal("25000"))
    combo = make_combo([(coffee, 2), (honey, 1), (box, 1)], price=Decimal("499000"),
                       title="Hộp quà Tết Đăk Hà")
    base = live_server.url

    # the shopper
    add(page, base, combo.stockrecords.get())
    order = guest_checkout(page, base, method="cod", gift={
        "message": "Chúc Tết an khang", "name": "Lê Thị Hoa", "phone": "0905 111 222",
    })

    # the office ships it from Oscar's dashboard, then reads the ledger for that order
    office_page = signed_in(chromium, live_server, office)
    office_page.goto(f"{base}/dashboard/orders/{order.number}/")
    office_page.select_option("#order_status_form select[name=new_status]", "Đã giao")
    office_page.click("#order_status_form button[type=submit]")
    office_page.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == "Đã giao"
    office_page.goto(f"{base}/dashboard/inventory/ledger/?reference={order.number}")
    shipped = {}
    for row in office_page.locator("table tbody tr").all():
        text = row.inner_text()
        if "Xuất hàng cho đơn trực tuyến" in text:
            cells = row.locator("td").all_inner_texts()
            shipped[cells[2].splitlines()[0]] = int(cells[4])
    # every component left the shelf, the combo itself holds no stock
    assert shipped == {"Cà phê hạt Robusta": -2, "Mật ong hoa cà phê": -1,
                       box.product.get_title(): -1}

    # each producer reads its share of the combo
    shares = {
        s.partner_id: s.amount
        for s in RevenueShare.objects.filter(line__order=order, line__product=combo)
    }
    assert sum(shares.values()) == Decimal("499000")
    for producer, product_title in ((first, "Cà phê hạt Robusta"), (second, "Mật ong hoa cà phê")):
        producer_page = signed_in(chromium, live_server, producer.user)
        producer_page.goto(f"{base}/producer/sales/")
        table = producer_page.inner_text("#by-product")
        assert product_title in table and combo.get_title() in table
        assert currency(shares[producer.vendor.partner_id]) in table
        assert producer_page.locator(".ocop-chart svg rect.bar-combo").count() >= 1
    settlement_page = office_page
    settlement_page.goto(f"{base}/office/settlement/")
    rows = settlement_page.inner_text("#settlement")
    for name in ("HTX Cà phê Đăk Hà", "THT Mật ong Đăk Mar", combos.DISTRICT_PARTNER_NAME):
        assert name in rows
