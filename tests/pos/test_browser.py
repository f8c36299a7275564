"""The cashier's day in a real browser (Playwright, Debian's headless Chromium).

Open a session, scan three items (one a gift combo, by its own barcode), split cash + VietQR (QR on the customer
screen), print the receipt, return one item, lose the network, ring up two
sales, get it back, see both land once, close the session with a variance.
The combo leaves the till's location as its components (each × its quantity).
"""

import os
import shutil
from decimal import Decimal

import pytest

from pos.models import TillReturn, TillSale, TillSession
from showroom.models import Stock
from tests.combos.factories import certified_offer, make_combo

from .browser import open_till
from .factories import make_cashier, make_offer, make_register, three_locations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def day(settings):
    settings.POS_CASH_ROUNDING = 500
    showcase, dak_mar, _ngok_wang = three_locations()
    register = make_register(showcase, code="tt-1")
    make_register(dak_mar, code="dm-1")
    make_cashier(showcase, username="thao", password="ThuNgan@TT1")
    offers = [
        make_offer(title="Cà phê Đăk Hà rang xay", price=Decimal("120000"), stock={showcase: 10}),
        make_offer(title="Sâm dây Ngọc Linh", price=Decimal("85500"), stock={showcase: 5}),
        make_offer(title="Mật ong rừng Ngọk Wang", price=Decimal("64300"), stock={showcase: 5}),
    ]
    # A gift combo (scanned by its own barcode) in place of the honey in the first sale.
    parts = [
        (certified_offer("Trà dây Đăk Hà", price=Decimal("40000"), stock={showcase: 6}), 2),
        (certified_offer("Măng khô Ngọk Wang", price=Decimal("30000"), stock={showcase: 4}), 1),
    ]
    combo = make_combo(parts, price=Decimal("64300"), title="Hộp quà Tết Đăk Hà")
    return register, offers, showcase, combo, parts


def test_a_cashiers_day(browser, live_server, day):
    register, offers, showcase, combo, parts = day
    # Sign in (the only till of the cashier's point opens directly), open the session.
    context, page, errors = open_till(browser, live_server.url)
    # The customer-facing screen, in its own window.
    with context.expect_page() as display_info:
        page.click("#open-display")
    display = display_info.value
    display.wait_for_load_state()

    # Scan three items (a USB scanner types digits + Enter), the third a gift combo by its
    # own barcode; a bad code beeps.
    on_hand = {
        record.pk: Stock.objects.get(stockrecord=record, location=showcase).quantity
        for record, _quantity in parts
    }
    scanned = [offers[0].product, offers[1].product, combo]
    scan = page.locator("#scan")
    for product in scanned:
        scan.fill(product.upc)
        scan.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 3")
    titles = page.locator("#lines .title").all_inner_texts()
    assert [t.split(" ★")[0] for t in titles] == [p.title for p in scanned]
    scan.fill("8930000000001")
    scan.press("Enter")
    page.wait_for_selector("#message.error")
    assert "Số kiểm tra" in page.inner_text("#message")
    total = 120000 + 85500 + 64300
    assert page.inner_text("#total").replace("\u00a0", " ") == "269.800 ₫"

    # Split: 100.000 by VietQR (QR on the customer's screen) + cash for the rest.
    page.fill("#vietqr-amount", "100000")
    page.click("#show-qr")
    page.wait_for_selector("#qr-box svg")
    display.wait_for_selector("#display-qr svg")
    assert "100.000" in display.inner_text("#display-qr-text")
    assert display.inner_text("#display-total") == "269.800 ₫"
    assert page.inner_text("#cash-due") == "170.000 ₫"  # 169.800 rounded to 500 đồng
    page.fill("#cash-tendered", "200000")
    assert page.inner_text("#change") == "30.000 ₫"
    page.click("#commit")
    page.wait_for_selector("#last-sale:not([hidden])")
    sale = TillSale.objects.get()
    assert sale.total == total and sale.change_due == 30000 and sale.cash_rounding == 200
    assert sorted(t.kind for t in sale.tenders.all()) == ["cash", "vietqr"]
    # The combo left the showcase as its components, each by its quantity.
    for record, quantity in parts:
        stock = Stock.objects.get(stockrecord=record, location=showcase)
        assert stock.quantity == on_hand[record.pk] - quantity, record.product.title

    # Print the receipt (80 mm layout) and fetch its PDF.
    with context.expect_page() as receipt_info:
        page.click("#print-link")
    receipt = receipt_info.value
    receipt.wait_for_load_state()
    receipt.wait_for_function("() => window.__printed >= 1")
    assert sale.receipt_label in receipt.inner_text("#receipt-number")
    assert "★★★★" in receipt.inner_text("#receipt")
    receipt.emulate_media(media="print")
    assert not receipt.is_visible(".receipt-actions")
    pdf = receipt.request.get(f"{live_server.url}/pos/receipt/{sale.pk}.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    receipt.close()

    # Return one coffee from that receipt, refunded in cash.
    page.keyboard.press("F6")
    page.fill("#return-receipt", sale.receipt_label)
    page.click("#return-find")
    page.wait_for_selector("#return-lines tr")
    page.locator("#return-lines tr", has_text="Cà phê").locator(".return-qty").fill("1")
    page.select_option("#refund-kind", "cash")
    page.click("#return-submit")
    page.wait_for_function("() => document.getElementById('return-panel').hidden")
    till_return = TillReturn.objects.get()
    assert till_return.refund_total == 120000 and till_return.refund_kind == "cash"
    assert Stock.objects.get(stockrecord=offers[0], location=showcase).quantity == 10

    # The network drops: two sales are rung up from the cached catalogue and queued.
    context.set_offline(True)
    page.wait_for_selector("#offline-banner:not([hidden])")
    for offer, tendered in ((offers[1], "100000"), (offers[2], "70000")):
        page.fill("#scan", offer.product.upc)
        page.press("#scan", "Enter")
        page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 1")
        page.fill("#cash-tendered", tendered)
        page.keyboard.press("F4")
        page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 0")
    assert "2" in page.inner_text("#offline-banner")
    assert TillSale.objects.count() == 1
    queued = page.evaluate(
        "(id) => JSON.parse(localStorage.getItem('pos:' + id + ':queue'))", register.pk
    )
    assert len(queued) == 2 and all(body["offline"] for body in queued)

    # Back online: both land, once each.
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('offline-banner').hidden", timeout=20_000)
    assert TillSale.objects.count() == 3
    late = list(TillSale.objects.filter(was_offline=True).order_by("receipt_number"))
    assert [s.receipt_number for s in late] == [2, 3]
    assert Stock.objects.get(stockrecord=offers[1], location=showcase).quantity == 3
    # Sending the same queued sales twice more, newest first, changes nothing.
    statuses = page.evaluate("""async ([url, bodies]) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const out = [];
        for (const body of bodies) {
            const r = await fetch(url, {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify(body)});
            out.push(r.status);
        }
        return out; }""", [f"/pos/api/registers/{register.pk}/sales/", list(reversed(queued)) * 2])
    assert statuses == [200, 200, 200, 200]
    assert TillSale.objects.count() == 3

    # Close the session with a count 1.000 đồng short.
    session = TillSession.objects.get(register=register)
    from pos.sessions import z_report

    expected = z_report(session)["expected_cash"]
    page.keyboard.press("F9")
    page.fill("#close-counted", str(int(expected) - 1000))
    page.click("#close-submit")
    page.wait_for_selector("#z-summary:not([hidden])")
    assert page.inner_text("#z-variance") == "-1.000 ₫"
    session.refresh_from_db()
    assert not session.is_open and session.counted_cash == expected - 1000
    assert not errors, errors
    context.close()
