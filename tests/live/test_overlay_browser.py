"""The overlay follows the control page within two seconds, without a reload (headless Chromium).

The overlay is opened as OBS opens it: its address with the signed token, no
sign-in. The seller works the control page on a phone-sized screen in another
browser. The measured latency is printed ("[overlay] latency 0.8 s").
"""

import time

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.live import api
from tests.factories import jpeg_bytes
from tests.live.factories import live_session_with_offer, make_seller

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(chromium, errors, **options):
    context = chromium.new_context(locale="vi-VN", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def test_the_overlay_follows_the_control_page(chromium, live_server):
    seller = make_seller("Chị Hoa")
    seller.phone = "0905111222"
    seller.save()
    session, offer, _stockrecord = live_session_with_offer(seller, live_price=120000, cap=5, stock=10)
    image = ProductImage(product=offer.product, display_order=0)
    image.original.save("ca-phe.jpg", ContentFile(jpeg_bytes()), save=True)
    title = offer.product.get_title()

    errors = []
    obs, overlay_page = _page(chromium, errors, viewport={"width": 1280, "height": 720})
    phone, control = _page(chromium, errors, viewport={"width": 390, "height": 844},
                           is_mobile=True, has_touch=True)
    signed_in = Client()
    signed_in.force_login(seller.user)
    phone.add_cookies([{"name": "sessionid", "value": signed_in.cookies["sessionid"].value,
                        "url": live_server.url}])
    try:
        overlay_page.goto(live_server.url + api.overlay_url(session))
        card = overlay_page.locator(".live-overlay__card")
        assert card.is_hidden()  # nothing pinned: nothing shown
        assert overlay_page.evaluate(
            "getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"

        control.goto(live_server.url + reverse("live:control", kwargs={"pk": session.pk}))
        assert control.evaluate("document.documentElement.scrollWidth") <= 390
        # the overlay address offered to copy into OBS opens without signing in
        assert "?token=" in control.input_value("#overlay-url")
        offer_card = control.locator(f"#control-offer-{offer.pk}")
        assert offer_card.locator("[data-field=available]").inner_text() == "5"

        # the overlay's latency: from the moment the server has the change (the control
        # page's API call answered) to the moment the overlay shows it, without a reload
        with control.expect_response(lambda r: "/pin/" in r.url):
            offer_card.locator("form[data-api=pin] button").click()
        started = time.monotonic()
        overlay_page.locator(".live-overlay__card:not([hidden])").wait_for(timeout=5_000)
        latency = time.monotonic() - started
        print(f"\n[overlay] latency {latency:.1f} s (pin → shown)")
        assert latency < 2
        assert overlay_page.locator(".live-overlay__title").inner_text() == title
        assert "120.000" in overlay_page.locator(".live-overlay__price").inner_text()
        assert "150.000" in overlay_page.locator(".live-overlay__list-price").inner_text()
        assert overlay_page.locator(".live-overlay__left").inner_text() == "còn 5"
        assert overlay_page.locator(".live-overlay__photo").is_visible()
        assert overlay_page.locator(".live-overlay__qr-img").get_attribute("src").startswith("data:image/svg")
        assert "/l/" in overlay_page.locator(".live-overlay__link").inner_text()
        assert offer_card.locator("[data-pinned-badge]").is_visible()

        offer_card.locator("input[type=number]").fill("2")
        with control.expect_response(lambda r: "/offers/" in r.url and r.request.method == "PATCH"):
            offer_card.locator("form[data-api=cap] button").click()
        started = time.monotonic()
        overlay_page.locator(".live-overlay__left", has_text="còn 2").wait_for(timeout=5_000)
        latency = time.monotonic() - started
        print(f"[overlay] latency {latency:.1f} s (cap 5 → 2, \"còn N\")")
        assert latency < 2
        control.locator(f"#control-offer-{offer.pk} [data-field=cap]", has_text="2").wait_for()

        offer.refresh_from_db()
        assert offer.cap == 2

        started = time.monotonic()
        offer_card.locator("form[data-api=unpin] button").click()
        overlay_page.locator(".live-overlay__card[hidden]").wait_for(state="attached", timeout=5_000)
        print(f"[overlay] latency {time.monotonic() - started:.1f} s (unpin → hidden)")

        html = overlay_page.content()
        assert "0905111222" not in html
        assert errors == []
    finally:
        obs.close()
        phone.close()
