"""The seller's workplace pages, end to end through the test client, and who may reach them."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from shop.live import links, meta, sessions
from shop.live.models import Comment, Hold, LiveOffer, LivePriceFloor, LiveSession, Seller
from tests.factories import make_vendor
from tests.live.factories import certified_offer, live_session_with_offer, make_seller, make_session
from tests.showroom.factories import make_office_user

pytestmark = pytest.mark.django_db

ADDRESS = {
    "fulfilment": "delivery", "full_name": "Nguyễn Văn Bình", "phone": "0987654321",
    "province": "51", "ward": "23500", "line1": "5 Trần Phú", "notes": "", "payment": "vietqr",
}


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_seller_schedules_features_goes_live_and_turns_a_comment_into_an_order(zones):
    seller = make_seller()
    coffee = certified_offer("Cà phê Đăk Hà", price=150000, stock=8)
    client = login(seller.user)

    response = client.post(reverse("live:session-new"), {
        "title": "Cà phê tối thứ Sáu", "platform": "facebook", "stream_url": "",
        "scheduled_start": "2026-12-04T19:00", "scheduled_end": "2026-12-04T21:00",
        "page_feed_id": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    session = LiveSession.objects.get(seller=seller)

    # a live price above the list price is refused in Vietnamese, nothing written
    response = client.post(reverse("live:feature", args=[session.pk]), {
        "product": coffee.product.pk, "code": "cf1", "live_price": "160.000", "cap": "5",
    })
    assert response.status_code == 400
    assert "thấp hơn giá niêm yết" in response.content.decode()
    assert not LiveOffer.objects.exists()

    response = client.post(reverse("live:feature", args=[session.pk]), {
        "product": coffee.product.pk, "code": "cf1", "live_price": "120.000", "cap": "5",
    })
    assert response.status_code == 302
    offer = LiveOffer.objects.get()
    assert (offer.code, offer.live_price, offer.cap) == ("CF1", Decimal(120000), 5)

    page = client.get(reverse("live:session", args=[session.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "CF1" in body and "Giấy chứng nhận OCOP" in body and "/l/" in body

    assert client.post(reverse("live:session-action", args=[session.pk]), {"action": "start"}).status_code == 302
    assert client.post(reverse("live:session-action", args=[session.pk]),
                       {"action": "pin", "offer": offer.pk}).status_code == 302
    session.refresh_from_db()
    assert session.status == "live" and session.pinned_id == offer.pk

    response = client.post(reverse("live:comments", args=[session.pk]), {
        "text": "Chị Lan: chốt 2 hộp cf1 sdt 0905.123.456\nđẹp quá\nAnh Tú: 0905123456 CF1 x2",
    })
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert (hold.phone, hold.quantity, hold.live_priced) == ("0905123456", 2, True)
    assert Comment.objects.filter(outcome="duplicate").count() == 1
    assert Comment.objects.filter(outcome="unreadable").count() == 1
    coffee.refresh_from_db()
    assert coffee.num_allocated == 2

    queue = client.get(reverse("live:comments", args=[session.pk]))
    assert "0905123456" in queue.content.decode() and "đẹp quá" in queue.content.decode()

    response = client.post(reverse("live:hold", args=[hold.pk]), {**ADDRESS, "action": "confirm"})
    assert response.status_code == 302, response.content.decode()[:3000]
    hold.refresh_from_db()
    assert hold.status == "confirmed" and hold.order is not None
    line = hold.order.lines.get()
    assert line.line_price_incl_tax == Decimal(240000)
    assert line.live_attribution.seller == seller and line.live_attribution.session == session
    coffee.refresh_from_db()
    assert coffee.num_allocated == 2  # handed over, never allocated twice
    done = client.get(reverse("live:hold", args=[hold.pk])).content.decode()
    assert hold.order.number in done and "/checkout/" in done


def test_confirming_an_expired_hold_is_refused_clearly(zones):
    session, offer, stockrecord = live_session_with_offer()
    client = login(session.seller.user)
    client.post(reverse("live:comments", args=[session.pk]), {"text": "0987654321 SAM2"})
    hold = Hold.objects.get()
    client.post(reverse("live:hold", args=[hold.pk]), {"action": "cancel"})
    response = client.post(reverse("live:hold", args=[hold.pk]), {**ADDRESS, "action": "confirm"})
    assert response.status_code == 400
    assert "không tạo đơn được" in response.content.decode()


def test_links_page_makes_one_link_per_product_and_serves_its_qr():
    seller = make_seller()
    coffee = certified_offer()
    client = login(seller.user)
    assert client.get(reverse("live:links")).status_code == 200
    client.post(reverse("live:links"), {"product": coffee.product.pk})
    client.post(reverse("live:links"), {"product": coffee.product.pk})
    link = seller.links.get()
    png = client.get(reverse("live:link-qr", args=[link.pk, "png"]))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get(reverse("live:link-qr", args=[link.pk, "svg"]))
    assert b"<svg" in svg.content
    card = client.get(reverse("live:link-card", args=[link.pk]))
    assert link.code in card.content.decode()
    assert client.get(reverse("live:link-qr", args=[link.pk, "gif"])).status_code == 404
    # a link to somebody else's product is refused for a producer who sells live
    vendor = make_vendor()
    own = certified_offer(vendor=vendor)
    producer_seller = make_seller(partner=vendor.partner)
    producer_client = login(producer_seller.user)
    producer_client.post(reverse("live:links"), {"product": coffee.product.pk})
    assert not producer_seller.links.exists()
    producer_client.post(reverse("live:links"), {"product": own.product.pk})
    assert producer_seller.links.get().product == own.product


def test_following_a_link_lands_on_the_product_and_counts_once_a_minute():
    seller = make_seller()
    coffee = certified_offer()
    link = links.link_for(seller, coffee.product)
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    response = browser.get(f"/l/{link.code}")
    assert response.status_code == 302 and response["Location"] == coffee.product.get_absolute_url()
    assert "ocop_live" in response.cookies
    browser.get(f"/l/{link.code}")
    bot = Client(HTTP_USER_AGENT="facebookexternalhit/1.1")
    bot.get(f"/l/{link.code}")
    link.refresh_from_db()
    assert link.clicks == 1
    assert Client().get("/l/nothere").status_code == 404


def test_who_reaches_what():
    session, offer, stockrecord = live_session_with_offer()
    other = make_seller()
    customer = get_user_model().objects.create_user("khach", "khach@example.vn", "secret-pass-123")
    office = make_office_user()
    from shop.core.roles import ensure_role_groups

    ensure_role_groups()
    mine = [
        reverse("live:session", args=[session.pk]),
        reverse("live:comments", args=[session.pk]),
        reverse("live:session-edit", args=[session.pk]),
    ]
    for url in mine:
        assert login(other.user).get(url).status_code == 404, url
        assert login(customer).get(url).status_code == 403, url
        assert Client().get(url).status_code == 302, url
        assert login(office).get(url).status_code in (200, 302), url
    assert login(other.user).post(reverse("live:session-action", args=[session.pk]),
                                  {"action": "end"}).status_code == 404
    session.refresh_from_db()
    assert session.status == "live"
    assert login(session.seller.user).get(reverse("live:office-sellers")).status_code == 403
    assert login(office).get(reverse("live:office-sellers")).status_code == 200


def test_the_office_adds_a_seller_and_sets_the_rate():
    office = make_office_user()
    from shop.core.roles import ensure_role_groups

    ensure_role_groups()
    user = get_user_model().objects.create_user("tuoitre", "tt@example.vn", "secret-pass-123")
    client = login(office)
    response = client.post(reverse("live:office-sellers"), {
        "username": "tuoitre", "display_name": "Đoàn Thanh niên xã Hà Mòn", "phone": "",
        "commission_rate": "7.5", "bank_name": "", "bank_account": "", "bank_account_name": "",
        "is_active": "on",
    })
    assert response.status_code == 302
    seller = Seller.objects.get(user=user)
    assert seller.commission_rate == Decimal("7.5")
    assert user.groups.filter(name="livestream_seller").exists()
    response = client.post(reverse("live:office-sellers"), {"username": "khongco", "display_name": "x",
                                                             "commission_rate": "5"})
    assert response.status_code == 400 and "Không có tài khoản" in response.content.decode()


def test_a_producer_sets_a_floor_and_a_live_price_below_it_is_refused():
    vendor = make_vendor()
    coffee = certified_offer(vendor=vendor, price=150000)
    producer = get_user_model().objects.create_user("nsx", "nsx@example.vn", "secret-pass-123")
    vendor.partner.users.add(producer)
    client = login(producer)
    assert client.get(reverse("live:floors")).status_code == 200
    client.post(reverse("live:floors"), {"stockrecord": coffee.pk, "min_price": "130.000"})
    assert LivePriceFloor.objects.get().min_price == Decimal(130000)
    other = certified_offer()
    assert client.post(reverse("live:floors"), {"stockrecord": other.pk, "min_price": "1"}).status_code == 404
    session = make_session(make_seller())
    with pytest.raises(Exception) as refused:
        sessions.feature(session, coffee.product, "CF1", live_price=120000)
    assert "130.000" in str(refused.value)


def test_meta_webhook_refuses_bad_signatures_and_records_comments_once(settings):
    settings.META_APP_SECRET = "app-secret"
    settings.META_VERIFY_TOKEN = "verify-me"
    session, offer, stockrecord = live_session_with_offer()
    LiveSession.objects.filter(pk=session.pk).update(page_feed_id="123_456")
    url = reverse("live:meta-webhook")
    ok = Client().get(url, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"})
    assert ok.status_code == 200 and ok.content == b"42"
    assert Client().get(url, {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"}).status_code == 403
    payload = json.dumps({"object": "page", "entry": [{"id": "123", "time": 1, "changes": [{
        "field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "c1",
                                   "post_id": "123_456", "from": {"id": "9", "name": "Hoa"},
                                   "message": "0912345678 sam2 x3", "created_time": 1}}]}]}).encode()
    client = Client()
    refused = client.post(url, payload, content_type="application/json",
                          HTTP_X_HUB_SIGNATURE_256=meta.sign(payload, "wrong"))
    assert refused.status_code == 403 and not Comment.objects.exists()
    tampered = payload.replace(b"x3", b"x9")
    assert client.post(url, tampered, content_type="application/json",
                       HTTP_X_HUB_SIGNATURE_256=meta.sign(payload, "app-secret")).status_code == 403
    for _ in range(2):
        accepted = client.post(url, payload, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=meta.sign(payload, "app-secret"))
        assert accepted.status_code == 200
    assert Comment.objects.count() == 1
    hold = Hold.objects.get()
    assert (hold.phone, hold.quantity) == ("0912345678", 3)


def test_pages_query_counts_do_not_grow_with_the_queue(django_assert_max_num_queries, zones):
    session, offer, stockrecord = live_session_with_offer(stock=60)
    client = login(session.seller.user)
    client.post(reverse("live:comments", args=[session.pk]), {"text": "0987654321 SAM2"})
    with django_assert_max_num_queries(40):
        assert client.get(reverse("live:comments", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(reverse("live:session", args=[session.pk])).status_code == 200
    lines = "\n".join(f"09{n:08d} SAM2" for n in range(12345600, 12345620))
    client.post(reverse("live:comments", args=[session.pk]), {"text": lines})
    assert Hold.objects.count() == 21
    with django_assert_max_num_queries(40):
        assert client.get(reverse("live:comments", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(reverse("live:home")).status_code == 200
