"""A live sale end to end in real (headless) browsers, phone-sized.

A seller signs in, schedules a session, features a gift combo with a live price
and a cap, starts it and pins the combo; the overlay (its own browser, as OBS
would open it) shows it with "còn N". A shopper on a phone follows the
session's link, buys the combo with cash on delivery and pays the live price;
the overlay's count drops within two seconds without a reload; the order line
carries the attribution; once the order is delivered the seller sees the
commission. After the end a new visitor pays the list price.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop import money
from shop.live.models import CommissionEntry, LiveOffer, LiveSession
from shop.payment import statuses
from tests.checkout.support import delivery_zones
from tests.combos.factories import certified_offer, make_combo
from tests.factories import make_vendor
from tests.live.factories import make_seller
from tests.showroom.factories import three_locations

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # tests.live.factories.make_seller
LIST_PRICE = Decimal(450000)
LIVE_PRICE = Decimal(390000)
CAP = 3
OVERLAY_LATENCY = 2.0  # seconds: the overlay follows within two seconds


def phone_context(chromium):
    """A phone-sized browser with its own cookies (an iPhone's 390 × 844 screen)."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    return context


def watch_errors(page):
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def text(page, selector="body"):
    """The visible text, with the no-break spaces of prices as plain spaces."""
    return page.inner_text(selector).replace("\xa0", " ")


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def contexts(chromium):
    opened = []

    def open_context():
        context = phone_context(chromium)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def buy_with_cash_on_delivery(page, base):
    page.goto(base + "/checkout/")
    page.fill("input[name=username]", "khach.live@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    page.fill("input[name=full_name]", "Y Thu Hà")
    page.fill("input[name=phone]", "0905 123 456")
    page.select_option("select[name=province]", "51")
    page.wait_for_selector("select[name=ward] option[value='23500']", state="attached")
    page.select_option("select[name=ward]", "23500")
    page.fill("input[name=line1]", "28 Hùng Vương")
    page.click("#continue-to-shipping")
    page.wait_for_url(re.compile(r"/checkout/shipping-method/"))
    page.click("form:has(input[name=method_code][value='delivery']) button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    page.check("#method-cod")
    page.click("#continue-to-preview")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    assert money.format_vnd(LIVE_PRICE) in text(page)
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))


def test_a_live_sale_from_schedule_to_commission(contexts, live_server):
    delivery_zones()
    locations = three_locations()
    coffee = certified_offer("Cà phê rang xay Đăk Hà 500 g", vendor=make_vendor("HTX Cà phê Đăk Hà"),
                             price=Decimal(150000), stock={locations[0]: 15})
    honey = certified_offer("Mật ong hoa cà phê Đăk Ui", vendor=make_vendor("HTX Đăk Ui"),
                            price=Decimal(340000), stock={locations[0]: 7})
    combo = make_combo([(coffee, 1), (honey, 1)], price=LIST_PRICE,
                       title="Combo cà phê & mật ong Đăk Hà")
    seller = make_seller("Tuổi trẻ Đăk Hà Live", rate=Decimal(8))
    base = live_server.url

    # 1. The seller signs in on a phone and schedules a session.
    host = watch_errors(contexts().new_page())
    host.goto(base + reverse("customer:login") + "?next=" + reverse("live:session-new"))
    host.fill("input[name=login-username]", seller.user.email)
    host.fill("input[name=login-password]", PASSWORD)
    host.click("button[name=login_submit]")
    host.wait_for_url(re.compile(r"/live/sessions/new/"))
    start = timezone.now() + datetime.timedelta(hours=1)
    host.fill("input[name=title]", "Đêm quà quê Đăk Hà")
    host.select_option("select[name=platform]", "facebook")
    host.fill("input[name=stream_url]", "https://www.facebook.com/tuoitredakha/live")
    host.fill("input[name=scheduled_start]", local_input(start))
    host.fill("input[name=scheduled_end]", local_input(start + datetime.timedelta(hours=2)))
    host.click("form.live-form button[type=submit]")
    host.wait_for_url(re.compile(r"/live/sessions/\d+/$"))
    session = LiveSession.objects.get(seller=seller)
    assert session.status == LiveSession.Status.SCHEDULED

    # 2. Features the combo with a live price and a cap, then starts the session.
    feature = host.locator(f"form[action='{reverse('live:feature', kwargs={'pk': session.pk})}']")
    feature.locator("select[name=product]").select_option(label=combo.get_title())
    feature.locator("input[name=code]").fill("QUA1")
    feature.locator("input[name=live_price]").fill("390.000")
    feature.locator("input[name=cap]").fill(str(CAP))
    feature.locator("button[type=submit]").click()
    host.wait_for_load_state()
    offer = LiveOffer.objects.get(session=session)
    assert (offer.product_id, offer.live_price, offer.cap) == (combo.pk, LIVE_PRICE, CAP)
    host.click("button[name=action][value=start]")
    host.wait_for_selector("[data-session-status]:has-text('Đang phát')")
    session.refresh_from_db()
    assert session.status == LiveSession.Status.LIVE
    link = host.locator(f"#offer-{offer.pk} [data-session-link]").get_attribute("href")
    assert re.search(r"/l/[a-z0-9]+$", link)

    # 3. The overlay, opened from the control page's address in its own browser (OBS).
    host.goto(base + reverse("live:control", kwargs={"pk": session.pk}))
    overlay_url = host.input_value("#overlay-url")
    assert "token=" in overlay_url
    overlay = watch_errors(contexts().new_page())
    overlay.goto(overlay_url if overlay_url.startswith("http") else base + overlay_url)
    overlay.evaluate("window.__notReloaded = true")
    card = overlay.locator(".live-overlay__card")
    assert card.is_hidden()  # nothing pinned yet

    # 4. The seller pins the combo on the session page; the overlay follows.
    host.goto(base + reverse("live:session", kwargs={"pk": session.pk}))
    host.click(f"#offer-{offer.pk} button:has-text('Ghim lên màn hình')")
    host.wait_for_load_state()
    overlay.wait_for_selector(".live-overlay__card:not([hidden])", timeout=OVERLAY_LATENCY * 1000 + 1000)
    assert overlay.inner_text("[data-o=title]") == combo.get_title()
    assert text(overlay, "[data-o=price_text]") == money.format_vnd(LIVE_PRICE)
    assert text(overlay, "[data-o=list_price_text]") == money.format_vnd(LIST_PRICE)
    assert overlay.inner_text("[data-o=left]") == f"còn {CAP}"

    # 5. A shopper on a phone follows the link, buys the combo, pays the live price.
    shopper = watch_errors(contexts().new_page())
    shopper.goto(link)
    shopper.wait_for_url(re.compile(re.escape(combo.get_absolute_url()) + "$"))
    assert money.format_vnd(LIVE_PRICE) in text(shopper, "[data-live-banner]")
    shopper.click("#add_to_basket_form button[type=submit]")
    shopper.wait_for_load_state()
    overlay.evaluate("""expected => {
        const left = document.querySelector('[data-o=left]');
        new MutationObserver(() => {
            if (!window.__droppedAt && left.textContent.trim() === expected) {
                window.__droppedAt = Date.now();
            }
        }).observe(left, {childList: true, characterData: true, subtree: true});
    }""", f"còn {CAP - 1}")
    buy_with_cash_on_delivery(shopper, base)

    # 6. The overlay's count drops within two seconds of the order, without a reload.
    overlay.wait_for_function("() => Boolean(window.__droppedAt)", timeout=OVERLAY_LATENCY * 1000)
    placed_at = Order.objects.get().date_placed.timestamp()  # the same machine's clock
    latency = overlay.evaluate("window.__droppedAt") / 1000 - placed_at
    assert 0 <= latency <= OVERLAY_LATENCY
    assert overlay.inner_text("[data-o=left]") == f"còn {CAP - 1}"
    assert overlay.evaluate("window.__notReloaded === true")

    # 7. The order: the live price, and who brought the buyer.
    order = Order.objects.get()
    line = order.lines.get()
    assert line.unit_price_incl_tax == LIVE_PRICE and order.basket_total_incl_tax == LIVE_PRICE
    assert order.total_incl_tax == LIVE_PRICE + order.shipping_incl_tax
    attribution = line.live_attribution
    assert (attribution.seller_id, attribution.session_id, attribution.offer_id) == (
        seller.pk, session.pk, offer.pk,
    )
    assert attribution.link.code == link.rsplit("/", 1)[1]

    # 8. The office marks it delivered: the commission accrues; the seller sees it.
    handler = EventHandler()
    handler.handle_order_status_change(order, statuses.SHIPPING)
    handler.handle_order_status_change(order, statuses.SHIPPED)
    commission = CommissionEntry.objects.get(attribution=attribution)
    assert commission.amount == money.dong(LIVE_PRICE * 8 / 100) == Decimal(31200)
    host.goto(base + reverse("live:earnings"))
    assert money.format_vnd(commission.amount) in text(host, f"[data-entry='{commission.pk}']")

    # 9. The seller ends the session; a new visitor following the same link pays the list price.
    host.goto(base + reverse("live:session", kwargs={"pk": session.pk}))
    host.click("button[name=action][value=end]")
    host.wait_for_selector("[data-session-status]:has-text('Đã kết thúc')")
    visitor = watch_errors(contexts().new_page())
    visitor.goto(link)
    visitor.wait_for_url(re.compile(re.escape(combo.get_absolute_url()) + "$"))
    assert visitor.locator("[data-live-banner]").count() == 0
    assert money.format_vnd(LIST_PRICE) in text(visitor)
    assert money.format_vnd(LIVE_PRICE) not in text(visitor)

    for page in (host, overlay, shopper, visitor):
        assert page.errors == [], page.url
    print(f"overlay followed the order in {latency:.2f} s")
