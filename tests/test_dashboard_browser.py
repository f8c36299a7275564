"""Oscar's dashboard in a real (headless) browser, as the office opens it with the demo data:
no console error, no uncaught script error, no failed or refused request, nothing asked
of another site (jQuery and every script come from the shop), no 404 (the favicon
included); the dashboard carries the shop's name, and a till sale names its customer."""

import pytest
from django.core.management import call_command
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout.support import add_to_basket, checkout, delivery_zones

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url,
    }])
    return context.new_page()


class Trouble:
    """Everything a page reports going wrong while it loads."""

    def __init__(self, page, base):
        self.items = []
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.items.append(f"failed: {r.url} {r.failure}"))
        page.on("request", lambda r: r.url.startswith((base, "data:")) or self.items.append(
            f"another site: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.items.append(
            f"{r.status}: {r.url}"))

    def visit(self, page, url):
        self.items.clear()
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        return response


def test_the_office_opens_the_dashboard_without_a_script_error(chromium, live_server):
    delivery_zones()
    call_command("load_demo", quiet=True)
    from django.contrib.auth import get_user_model
    users = get_user_model().objects
    record = next(r for r in StockRecord.objects.filter(
        product__is_public=True, product__structure="standalone").order_by("pk")
        if (r.net_stock_level or 0) > 0)
    shopper = Client()
    add_to_basket(shopper, record)
    assert checkout(shopper).status_code == 302
    # the shopper's order (the demo's livestream orders are online orders too)
    online = Order.objects.filter(till_sale__isnull=True, guest_email="khach@example.vn").get()
    sale = Order.objects.filter(till_sale__isnull=False).select_related("till_sale__location").first()
    base = live_server.url

    page = signed_in(chromium, live_server, users.get(username="office"))
    trouble = Trouble(page, base)
    for path in ("/dashboard/", "/dashboard/orders/", f"/dashboard/orders/{online.number}/",
                 f"/dashboard/orders/{sale.number}/", "/dashboard/inventory/",
                 "/dashboard/inventory/ledger/", "/favicon.ico"):
        response = trouble.visit(page, base + path)
        assert response.ok, path
        assert trouble.items == [], path
        if path.startswith("/dashboard/"):
            brand = page.locator(".navbar-accounts .navbar-brand")
            assert brand.inner_text().strip() == "OCOP Đăk Hà"
            assert brand.locator("img[src*='ocop/img/logo.svg']").count() == 1
            assert "logo_oscar" not in brand.evaluate("e => getComputedStyle(e).backgroundImage")

    trouble.visit(page, f"{base}/dashboard/orders/{sale.number}/")
    customer = page.locator("#dashboard-till-sale").inner_text()
    assert "Khách lẻ tại quầy" in customer and sale.till_sale.location.name in customer
    # what initTable gives the order's lines: one box selects them all
    page.locator("form table thead th input[type=checkbox]").first.check()
    boxes = page.locator("input[name=selected_line]")
    assert boxes.count() > 0
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))

    trouble.visit(page, f"{base}/dashboard/orders/")
    row = page.locator("table tbody tr", has_text=sale.number).inner_text()
    assert "Khách lẻ tại quầy" in row and "Đã xóa" not in row

    admin = signed_in(chromium, live_server, users.get(username="admin"))
    trouble = Trouble(admin, base)
    response = trouble.visit(admin, f"{base}/dashboard/catalogue/")
    assert response.ok and trouble.items == []
