"""A shopper in a real (headless) browser: home page → combo page → basket with one combo line."""

from decimal import Decimal

import pytest

from tests.factories import make_vendor
from tests.showroom.factories import three_locations

from .factories import certified_offer, make_combo, packaging_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_shopper_opens_a_combo_and_puts_it_in_the_basket(page, live_server):
    locs = three_locations()
    coffee = certified_offer("Cà phê rang xay Đăk Hà", vendor=make_vendor("HTX Cà phê Đăk Hà"),
                             price=Decimal("120000"), stock={locs[0]: 15})
    honey = certified_offer("Mật ong rừng Đăk Mar", vendor=make_vendor("THT Mật ong Đăk Mar"),
                            price=Decimal("185000"), stock={locs[0]: 7})
    box = packaging_offer(stock={locs[0]: 30})
    combo = make_combo([(coffee, 2), (honey, 1), (box, 1)], price=Decimal("399000"),
                       title="Hộp quà cà phê & mật ong")
    base = live_server.url

    page.goto(base + "/")
    page.click(f"#gift-combos a[href='{combo.get_absolute_url()}'] >> nth=-1")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Hộp quà cà phê & mật ong"
    parts = page.locator(".ocop-combo__part")
    assert parts.count() == 3
    assert "HTX Cà phê Đăk Hà" in parts.nth(0).inner_text()
    assert "THT Mật ong Đăk Mar" in parts.nth(1).inner_text()
    assert page.locator(".ocop-combo-meta__units").inner_text().strip() == "Còn 7 hộp"
    assert "tiết kiệm 56.000" in page.locator(".ocop-combo-meta__saving").inner_text()

    for _ in range(2):  # added twice: still one basket line, quantity 2
        page.goto(base + combo.get_absolute_url())
        page.click("#add_to_basket_form button[type=submit]")
        page.wait_for_load_state()
    page.goto(base + "/basket/")
    rows = page.locator(".basket-items")
    assert rows.count() == 1  # the combo is one line
    assert "Hộp quà cà phê & mật ong" in rows.first.inner_text()
    assert page.locator(".basket-items input[name$='quantity']").first.input_value() == "2"
    page.click(f".basket-items a[href='{combo.get_absolute_url()}'] >> nth=0")
    page.wait_for_load_state()
    parts.nth(1).locator("a").click()  # from the combo to a component's own page
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mật ong rừng Đăk Mar"
