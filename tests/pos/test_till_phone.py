"""The till on a phone (390 px, touch): sell by tapping tiles, pay with the quick-cash notes
and the keypad, the quantity prefix on a name search, "Thành tiền" filled, no console errors,
nothing wider than the screen."""

import os
import re
import shutil
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalogue.barcodes import with_check_digit
from pos.models import TillSale
from tests.combos.factories import certified_offer, make_combo

from .factories import make_cashier, make_offer, make_register, three_locations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def phone():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                      has_touch=True, is_mobile=True, device_scale_factor=2)
        context.set_default_timeout(10_000)
        yield context
        context.close()
        browser.close()


@pytest.fixture
def shop(settings):
    settings.POS_CASH_ROUNDING = 500
    Category = get_model("catalogue", "Category")
    crafts = Category.add_root(name="Thủ công mỹ nghệ")
    showcase, _dak_mar, _ngok_wang = three_locations()
    register = make_register(showcase, code="tt-7")
    make_cashier(showcase, username="hoa", password="ThuNgan@TT7")
    # Goods without a producer's barcode (an in-store code): a tile.
    basket = make_offer(title="Gùi mây tre đan", price=Decimal("45500"), stock={showcase: 9},
                        category=crafts)
    # Goods with a GS1 Vietnam barcode: scanned, not a tile.
    coffee = make_offer(title="Cà phê Đăk Hà rang xay", price=Decimal("120000"),
                        stock={showcase: 5}, upc=with_check_digit("893000000001"))
    parts = [(certified_offer("Trà dây Đăk Hà", price=Decimal("40000"), stock={showcase: 6},
                              upc=with_check_digit("893000000002")), 1)]
    combo = make_combo(parts, price=Decimal("85000"), title="Hộp quà trà Đăk Hà")
    return register, basket, coffee, combo


def test_selling_on_a_phone_by_tiles_quick_cash_and_keypad(phone, live_server, shop):
    from playwright.sync_api import expect

    register, basket, coffee, combo = shop
    page = phone.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text} {m.location}"))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    page.goto(f"{live_server.url}/pos/")
    page.fill("#id_username", "hoa")
    page.fill("#id_password", "ThuNgan@TT7")
    page.tap("button[type=submit]")
    page.wait_for_url(re.compile(r"/pos/register/\d+/$"))
    assert page.title().startswith(register.name + " — ")  # not "Quầy Quầy 1"

    # Open the session with the keypad: 500.000.
    page.tap("#open-float")
    for key in ("5", "0", "0", "000"):
        page.tap(f"#open-panel .keypad [data-key='{key}']")
    expect(page.locator("#open-float")).to_have_value("500000")
    page.tap("#open-session")
    page.locator("#scan").wait_for(state="visible")

    # Tiles: the goods without a barcode and the combo, by group; not the barcoded coffee.
    tiles = page.locator("#tiles .tile")
    expect(tiles).to_have_count(2)
    assert "Cà phê" not in page.inner_text("#tiles")
    page.locator("#tile-groups .chip", has_text="Thủ công mỹ nghệ").tap()
    expect(tiles).to_have_count(1)
    box = tiles.first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a finger's target

    # Sale 1: tap the basket's tile; the customer hands a 100.000 note.
    tiles.first.tap()
    expect(page.locator("#lines tr")).to_have_count(1)
    expect(page.locator("#lines .line-total")).to_have_text("45.500 ₫")
    page.tap(".quick-cash [data-note='100000']")
    expect(page.locator("#cash-tendered")).to_have_value("100000")
    expect(page.locator("#change")).to_have_text("54.500 ₫")
    page.tap("#commit")
    page.locator("#last-sale:not([hidden])").wait_for()
    first = TillSale.objects.get()
    assert first.total == Decimal("45500") and first.change_due == Decimal("54500")
    assert first.lines.get().stockrecord_id == basket.pk

    # Sale 2: the combo's tile twice and a line discount; cash typed on the keypad.
    page.locator("#tile-groups .chip").first.tap()
    expect(tiles).to_have_count(2)
    combo_tile = page.locator("#tiles .tile.combo")
    combo_tile.tap()
    combo_tile.tap()
    expect(page.locator("#lines .qty")).to_have_value("2")
    page.fill("#lines .disc", "10")
    page.locator("#lines .disc").dispatch_event("change")
    expect(page.locator("#lines .line-total")).to_have_text("153.000 ₫")  # 170.000 − 10 %
    page.tap("#cash-tendered")
    for key in ("2", "000", "000", "back", "0"):  # 2000000 → 200000 after the correction
        page.tap(f".pay .keypad [data-key='{key}']")
    expect(page.locator("#cash-tendered")).to_have_value("2000000")
    page.tap(".pay .keypad [data-key='clear']")
    for key in ("2", "0", "0", "000"):
        page.tap(f".pay .keypad [data-key='{key}']")
    expect(page.locator("#cash-tendered")).to_have_value("200000")
    expect(page.locator("#change")).to_have_text("47.000 ₫")
    page.tap("#commit")
    expect(page.locator("#lines tr")).to_have_count(0)
    second = TillSale.objects.order_by("-pk").first()
    assert second.pk != first.pk and second.total == Decimal("153000")
    assert second.change_due == Decimal("47000")

    # A quantity prefix works for a name search as for a code.
    page.fill("#scan", "3*gui may")
    page.press("#scan", "Enter")
    page.locator("#search-results button").first.tap()
    expect(page.locator("#lines .qty")).to_have_value("3")
    expect(page.locator("#lines .line-total")).to_have_text("136.500 ₫")

    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors, errors
