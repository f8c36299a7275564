"""The till survives a reload (or a reopened tab) without a connection.

Open the till online, let the service worker take the page, open the session,
lose the network, reload: the kept copy of the page (made before the session was
opened) starts from what the page stored (the open session, the catalogue), a known barcode is rung up for cash, a temporary receipt is
printed; back online, the sale lands once, with its total and stock moved.
Signing out leaves neither the kept page nor the stored catalogue behind.
"""

import re
import time
from decimal import Decimal

import pytest

from pos.models import TillSale, TillSession
from showroom.models import Stock

from .factories import make_cashier, make_offer, make_register, three_locations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def till(settings):
    settings.POS_CASH_ROUNDING = 500
    showcase, _b, _c = three_locations()
    register = make_register(showcase, code="tt-9")
    make_cashier(showcase, username="lan", password="ThuNgan@TT9")
    offer = make_offer(title="Cà phê Đăk Hà rang xay", price=Decimal("120500"), stock={showcase: 10})
    return register, offer, showcase


def test_reload_without_a_connection_keeps_selling(page, live_server, till):
    register, offer, showcase = till
    started = time.monotonic()
    context = page.context
    context.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{live_server.url}/pos/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", "ThuNgan@TT9")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/pos/register/{register.pk}/$"))
    till_url = page.url

    # Online: the service worker takes the page and keeps a copy; the catalogue is stored.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null && document.body.dataset.offlineReady")
    page.wait_for_function("(k) => !!localStorage.getItem(k)", arg=f"pos:{register.pk}:catalogue")
    assert page.evaluate("document.body.dataset.shell") == "network"

    # The session is opened after the page was kept.
    page.fill("#open-float", "500000")
    page.click("#open-session")
    page.wait_for_selector("#scan", state="visible")
    session = TillSession.objects.get(register=register, status="open")

    # No connection; reload: the kept copy opens, with the session open and a Vietnamese banner.
    context.set_offline(True)
    page.reload()
    assert page.url == till_url
    assert page.evaluate("document.body.dataset.shell") == "cache"
    page.wait_for_selector("#offline-banner:not([hidden])")
    assert "Mất mạng" in page.inner_text("#offline-banner")
    assert "0 hoá đơn đang chờ gửi" in page.inner_text("#offline-banner")
    assert page.is_visible("#scan") and not page.is_visible("#open-panel")

    # Ring up two of a known barcode for cash, from the stored catalogue.
    page.fill("#scan", f"2*{offer.product.upc}")
    page.press("#scan", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 1")
    assert page.inner_text("#total").replace("\u00a0", " ") == "241.000 ₫"
    page.fill("#cash-tendered", "250000")
    page.keyboard.press("F4")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 0")
    assert "1 hoá đơn đang chờ gửi" in page.inner_text("#offline-banner")
    assert TillSale.objects.count() == 0

    # The temporary receipt: its own number, the total and the change.
    page.click("#print-temp")
    page.wait_for_function("() => window.__printed >= 1")
    temp = page.inner_text("#temp-number")
    assert temp.startswith("tt-9-T") and temp in page.inner_text("#last-sale")
    assert page.text_content("#temp-total").replace("\u00a0", " ") == "241.000 ₫"
    assert page.text_content("#temp-change").replace("\u00a0", " ") == "9.000 ₫"

    # A second reload still offline: the queued sale is still there.
    page.reload()
    page.wait_for_selector("#offline-banner:not([hidden])")
    assert "1 hoá đơn đang chờ gửi" in page.inner_text("#offline-banner")

    # Back online: the sale lands, once.
    context.set_offline(False)
    page.wait_for_function("() => document.getElementById('offline-banner').hidden", timeout=15_000)
    sale = TillSale.objects.get()
    assert sale.total == Decimal("241000") and sale.was_offline and sale.session_id == session.pk
    assert sale.change_due == Decimal("9000")
    assert Stock.objects.get(stockrecord=offer, location=showcase).quantity == 8
    assert page.evaluate("(k) => localStorage.getItem(k)", f"pos:{register.pk}:queue") == "[]"

    # Online again, the page comes from the server, and nothing is sent twice.
    page.reload()
    assert page.evaluate("document.body.dataset.shell") == "network"
    page.wait_for_timeout(300)
    assert TillSale.objects.count() == 1

    # Signing out forgets the kept page and the stored catalogue on this computer.
    page.click("#logout-form button[type=submit]")
    page.wait_for_url(re.compile(r"/pos/login/"))
    left = page.evaluate("""async () => {
        const names = await caches.keys();
        const pages = [];
        for (const name of names.filter(n => n.startsWith('ocop-pos-pages-'))) {
            pages.push(...(await (await caches.open(name)).keys()).map(r => r.url));
        }
        return {pages, keys: Object.keys(localStorage)};
    }""")
    assert left["pages"] == []
    assert not [k for k in left["keys"] if k.endswith((":catalogue", ":boot"))]
    # Without a connection the till's address now gives the offline notice, not a stale till.
    context.set_offline(True)
    page.goto(till_url)
    page.wait_for_selector("#offline-page")
    assert "Không kết nối được máy chủ" in page.inner_text("#offline-page")
    assert not errors, errors
    assert time.monotonic() - started < 20


def test_a_new_version_replaces_the_old_caches(page, live_server, till, settings):
    from pos.views import offline_version

    register, _offer, _showcase = till
    old = offline_version()
    page.goto(f"{live_server.url}/pos/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", "ThuNgan@TT9")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/pos/register/{register.pk}/$"))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null && document.body.dataset.offlineReady")
    assert page.evaluate("document.body.dataset.offlineReady") == old
    assert sorted(page.evaluate("caches.keys()")) == [f"ocop-pos-pages-{old}", f"ocop-pos-static-{old}"]

    # A new version (here by the setting; new static files do the same): the next update
    # check installs it, which keeps the till page again and deletes the old caches.
    settings.POS_OFFLINE_VERSION = "2"
    new = offline_version()
    assert new != old
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_function("""async (v) => {
        const names = (await caches.keys()).sort();
        if (names.join() !== ['ocop-pos-pages-' + v, 'ocop-pos-static-' + v].join()) return false;
        return (await (await caches.open('ocop-pos-pages-' + v)).keys()).length === 1;
    }""", arg=new)
    page.context.set_offline(True)
    page.reload()
    assert page.evaluate("document.body.dataset.shell") == "cache"
    page.wait_for_selector("#offline-banner:not([hidden])")
