"""Every kind of page works under the Content-Security-Policy, in a real browser.

Headless Chromium walks the storefront (home, a product, the basket, a guest checkout
to the thank-you page with its VietQR code), the till as a cashier, the producer corner,
the office's dashboard pages, the printable sheets (packing slip, barcode labels),
Django admin and the API documentation, on the demo data.
The browser reports every refusal of the policy as a `securitypolicyviolation` event
(listened for in every frame before any page script runs) and as a console error;
any such report, console error or uncaught script error fails the test, naming the page.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout.support import delivery_zones
from tests.checkout.test_browser import guest_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
    window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
        + " at " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""

# Oscar 4.2's dashboard order page calls a function its dashboard.js does not define
# (with or without a policy); everything before it in the start-up script has run.
OSCAR_BUGS = {"oscar.dashboard.orders.initTable is not a function"}


class Watch:
    """Collects what the browser refused or failed at, page by page."""

    def __init__(self, context):
        self.problems = []
        context.add_init_script(LISTEN)
        context.on("page", self.attach)
        for page in context.pages:
            self.attach(page)

    def attach(self, page):
        # (A failed load is reported below with its address, except the favicon.ico
        # the till page's browser asks for.)
        page.on("console", lambda m: m.type == "error" and not m.text.startswith(
            "Failed to load resource") and self.problems.append(f"console on {page.url}: {m.text}"))
        page.on("pageerror", lambda e: str(e) not in OSCAR_BUGS and self.problems.append(
            f"script error on {page.url}: {e}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"{r.status} for {r.url} on {page.url}"))

    def check(self, page, what):
        """Wait until the page settles, then collect its policy reports."""
        page.wait_for_load_state("networkidle")
        for frame in page.frames:
            try:
                reports = frame.evaluate("window.__csp || []")
            except Exception:  # a cross-origin or detached frame: nothing of ours
                continue
            self.problems += [f"{what} ({frame.url}): {r}" for r in reports]
        return page


def signed_in(chromium, live_server, username):
    """A browser context already signed in as `username` (session made by Django's client)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
    }])
    return context


@pytest.fixture
def demo(settings):
    delivery_zones()
    call_command("load_demo", quiet=True)


def test_every_kind_of_page_works_under_the_policy(chromium, live_server, demo):
    base = live_server.url
    product = Product.objects.filter(is_public=True, structure="standalone").exclude(
        stockrecords=None).order_by("pk").first()
    combo = Product.objects.filter(is_public=True, product_class__slug__contains="combo").first()
    problems = []

    # The storefront and a guest checkout, paid by VietQR (QR code on the thank-you page).
    context = chromium.new_context(locale="vi-VN")
    context.set_default_timeout(15_000)
    watch = Watch(context)
    page = context.new_page()
    response = page.goto(base + "/")
    header = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in header and "'unsafe-inline'" not in header.split(
        "style-src-attr")[0]
    watch.check(page, "home")
    page.goto(base + product.get_absolute_url())
    watch.check(page, "product page")
    page.click("#add_to_basket_form button[type=submit]")
    watch.check(page, "after adding to the basket")
    if combo:
        page.goto(base + combo.get_absolute_url())
        watch.check(page, "gift combo page")
    page.goto(base + "/basket/")
    watch.check(page, "basket")
    page.goto(base + "/search/?q=sam+ngoc+linh")
    watch.check(page, "search")
    guest_checkout(page, base, method="vietqr")
    assert page.locator("#vietqr svg").count() == 1
    watch.check(page, "checkout to the thank-you page")
    page.goto(base + product.get_trace_url())
    watch.check(page, "trace page")
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    watch.check(page, "API documentation")
    problems += watch.problems
    context.close()

    # The till, as a cashier: open a session, the till page and its service worker.
    context = signed_in(chromium, live_server, "cashier_showcase")
    watch = Watch(context)
    page = context.new_page()
    page.goto(base + "/pos/")
    page.wait_for_url(re.compile(r"/pos/register/\d+/$"))
    page.fill("#open-float", "500000")
    page.click("#open-session")
    page.wait_for_selector("#scan", state="visible")
    assert page.evaluate("async () => !!(await navigator.serviceWorker.ready).active")
    watch.check(page, "till")
    problems += watch.problems
    context.close()

    # The producer corner: home, a listing, the combo form.
    context = signed_in(chromium, live_server, "producer_dakmar")
    watch = Watch(context)
    page = context.new_page()
    for path in ("/producer/", "/producer/products/", "/producer/combos/new/",
                 "/producer/stock/", "/producer/sales/"):
        page.goto(base + path)
        watch.check(page, f"producer corner {path}")
    page.goto(base + "/producer/products/")
    page.click("a[href^='/producer/products/'][href$='/']:not([href$='/new/'])")
    watch.check(page, "producer's product")
    problems += watch.problems
    context.close()

    # The office: Oscar's dashboard, inventory, producers' changes, settlement.
    context = signed_in(chromium, live_server, "office")
    watch = Watch(context)
    page = context.new_page()
    for path in ("/dashboard/", "/dashboard/orders/", "/dashboard/inventory/",
                 "/dashboard/inventory/ledger/", "/office/changes/", "/office/settlement/"):
        page.goto(base + path)
        watch.check(page, f"office {path}")
    problems += watch.problems
    context.close()

    # The administrator: Oscar's product form (TinyMCE, image widgets) and Django admin.
    context = signed_in(chromium, live_server, "admin")
    watch = Watch(context)
    page = context.new_page()
    order = get_model("order", "Order").objects.order_by("-pk").first()
    for path in ("/dashboard/catalogue/", f"/dashboard/catalogue/products/{product.pk}/",
                 f"/dashboard/orders/{order.number}/",
                 f"/checkout/packing-slip/{order.number}/",
                 f"/labels/barcodes/?product={product.pk}",
                 "/admin/", "/admin/catalogue/product/",
                 f"/admin/catalogue/product/{product.pk}/change/"):
        page.goto(base + path)
        watch.check(page, f"admin {path}")
    problems += watch.problems
    context.close()

    assert not problems, "\n".join(problems)
