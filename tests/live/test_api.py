"""The live-session API (/live/api/) behind the control page and the overlay, and those pages."""

import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from shop.core.roles import ensure_role_groups
from shop.live import holds, overlay, sessions
from shop.live.models import LiveSession
from tests.factories import jpeg_bytes
from tests.live.factories import certified_offer, live_session_with_offer, make_seller, make_session
from tests.showroom.factories import make_office_user

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
PHONE = "0987654321"


@pytest.fixture
def world():
    ensure_role_groups()  # the office's group with live.manage_live
    seller = make_seller("Chị Hoa")
    seller.phone = "0905111222"
    seller.save()
    session, offer, stockrecord = live_session_with_offer(seller, live_price=120000, cap=5, stock=10)
    image = ProductImage(product=offer.product, display_order=0)
    image.original.save("ca-phe.jpg", ContentFile(jpeg_bytes()), save=True)
    customer = get_user_model().objects.create_user(
        username="khach", email="khach@example.vn", password="secret-pass-123")
    return {
        "seller": seller, "session": session, "offer": offer, "stockrecord": stockrecord,
        "other": make_seller("Anh Nam"), "office": make_office_user(), "customer": customer,
    }


def api_for(user=None):
    client = APIClient(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def csrf_post(client, url, data=None, method="post"):
    """A change as the control page sends it: JSON with the CSRF cookie's token in the header."""
    client.get(reverse("live:control", kwargs={"pk": int(url.split("/")[4])}))
    token = client.cookies["csrftoken"].value
    return getattr(client, method)(url, data, format="json", HTTP_X_CSRFTOKEN=token)


def url(name, session, **kwargs):
    return reverse(f"live:api-{name}", kwargs={"pk": session.pk, **kwargs})


# --- who reaches what ------------------------------------------------------------------------


@pytest.mark.parametrize("who, expected", [
    ("seller", 200), ("office", 200), ("other", 404), ("customer", 403), ("anonymous", 403),
])
def test_session_detail_access_matrix(world, who, expected):
    user = {"seller": world["seller"].user, "office": world["office"],
            "other": world["other"].user, "customer": world["customer"], "anonymous": None}[who]
    response = api_for(user).get(url("session", world["session"]))
    assert response.status_code == expected, response.content
    body = response.json()
    if expected == 200:
        assert body["offers"][0]["code"] == "SAM2"
        assert body["offers"][0]["papers"][0]["certificate_number"]
    else:
        assert set(body) == {"detail", "code"}
        assert body["code"] in {"not_found", "permission_denied", "not_authenticated"}


def test_session_list_holds_only_own_sessions(world):
    mine = api_for(world["seller"].user).get(reverse("live:api-sessions")).json()
    assert [row["id"] for row in mine] == [world["session"].pk]
    make_session(world["other"], title="Phiên của người khác")
    assert [row["id"] for row in api_for(world["other"].user).get(
        reverse("live:api-sessions")).json()] != [world["session"].pk]
    office = api_for(world["office"]).get(reverse("live:api-sessions")).json()
    assert len(office) == 2


@pytest.mark.parametrize("who, token, expected", [
    ("anonymous", "good", 200), ("anonymous", None, 403), ("anonymous", "forged", 403),
    ("anonymous", "other-session", 403), ("seller", None, 200), ("office", None, 200),
    ("other", None, 404), ("customer", None, 403), ("other", "good", 200),
])
def test_state_access_matrix(world, who, token, expected):
    user = {"seller": world["seller"].user, "office": world["office"], "other": world["other"].user,
            "customer": world["customer"], "anonymous": None}[who]
    other_session = make_session(world["other"])
    tokens = {"good": overlay.token_for(world["session"]), "forged": "abc:def",
              "other-session": overlay.token_for(other_session), None: None}
    query = {"token": tokens[token]} if tokens[token] else {}
    response = api_for(user).get(url("state", world["session"]), query)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert set(response.json()) == {"detail", "code"}


def test_changes_need_the_csrf_token(world):
    client = api_for(world["seller"].user)
    response = client.post(url("pin", world["session"]), {"offer": world["offer"].pk}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_other_seller_cannot_pin_or_end(world):
    client = api_for(world["other"].user)
    assert csrf_post(client, url("end", world["session"])).status_code == 404
    world["session"].refresh_from_db()
    assert world["session"].status == LiveSession.Status.LIVE


# --- actions change the session --------------------------------------------------------------


def test_start_pin_cap_unpin_end(world):
    seller = world["seller"]
    stockrecord = certified_offer(price=90000, stock=4)
    session = make_session(seller, title="Phiên mật ong")
    offer = sessions.feature(session, stockrecord.product, "MO1", live_price=80000, cap=3)
    client = api_for(seller.user)

    started = csrf_post(client, url("start", session))
    assert started.status_code == 200 and started.json()["status"] == "live"
    again = csrf_post(client, url("start", session))
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    assert again.json()["detail"] == "Chỉ phiên đã lên lịch mới bắt đầu được."

    version = LiveSession.objects.get(pk=session.pk).version
    pinned = csrf_post(client, url("pin", session), {"offer": offer.pk})
    assert pinned.status_code == 200 and pinned.json()["pinned"] == offer.pk
    assert pinned.json()["version"] > version
    assert [o["pinned"] for o in pinned.json()["offers"]] == [True]

    capped = csrf_post(client, url("offer", session, offer_pk=offer.pk), {"cap": 2}, method="patch")
    assert capped.status_code == 200, capped.content
    assert capped.json()["cap"] == 2 and capped.json()["live_price"] == 80000
    assert capped.json()["available"] == 2  # the cap, below the 4 in stock
    state = api_for(seller.user).get(url("state", session)).json()
    assert state["pinned"]["available"] == 2 and state["pinned"]["price"] == 80000

    unpinned = csrf_post(client, url("pin", session), {"offer": None})
    assert unpinned.json()["pinned"] is None
    assert api_for(seller.user).get(url("state", session)).json()["pinned"] is None

    ended = csrf_post(client, url("end", session))
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    late = csrf_post(client, url("pin", session), {"offer": offer.pk})
    assert late.status_code == 400 and late.json()["detail"] == "Phiên đã kết thúc."


def test_pin_of_an_offer_of_another_session_is_refused(world):
    stockrecord = certified_offer()
    elsewhere = make_session(world["seller"])
    foreign = sessions.feature(elsewhere, stockrecord.product, "X1")
    response = csrf_post(api_for(world["seller"].user), url("pin", world["session"]),
                         {"offer": foreign.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {"offer": ["Sản phẩm không thuộc phiên này."]}


def test_a_cap_below_what_was_sold_is_refused_in_vietnamese(world):
    session, offer = world["session"], world["offer"]
    for phone in ("0911000001", "0911000002", "0911000003"):
        holds.create_hold(session, offer, phone, 1)
    offer.refresh_from_db()
    assert offer.sold == 3
    response = csrf_post(api_for(world["seller"].user), url("offer", session, offer_pk=offer.pk),
                         {"cap": 2}, method="patch")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Đã bán 3 suất giá live; giới hạn không thể nhỏ hơn."
    assert body["errors"]["cap"] == [body["detail"]]
    offer.refresh_from_db()
    assert offer.cap == 5


def test_invalid_input_is_a_400_in_the_project_shape(world):
    client = api_for(world["seller"].user)
    response = csrf_post(client, url("offer", world["session"], offer_pk=world["offer"].pk),
                         {"cap": "nhiều"}, method="patch")
    assert response.status_code == 400 and "cap" in response.json()["errors"]
    missing = csrf_post(client, url("pin", world["session"]), {})
    assert missing.status_code == 400 and "offer" in missing.json()["errors"]
    nothing = api_for(world["seller"].user).get("/live/api/khong-co/")
    assert nothing.status_code == 404 and nothing.json() == {"detail": "Không tìm thấy.",
                                                             "code": "not_found"}


# --- the overlay's state ---------------------------------------------------------------------


def test_state_shows_the_pinned_item_and_never_a_phone(world):
    session, offer = world["session"], world["offer"]
    hold, outcome, _note = holds.create_hold(session, offer, PHONE, 2)
    assert outcome == "hold"
    sessions.pin(session, offer)
    response = api_for().get(url("state", session), {"token": overlay.token_for(session)})
    text = response.content.decode()
    assert PHONE not in text and hold.phone not in text
    assert world["seller"].phone not in text
    assert "0987" not in text and "0905" not in text
    item = response.json()["pinned"]
    assert item["code"] == "SAM2" and item["price"] == 120000 and item["list_price"] == 150000
    assert item["price_text"] == "120.000\u00a0₫" and item["list_price_text"] == "150.000\u00a0₫"
    assert item["is_live_price"] is True
    assert item["available"] == 3  # cap 5, 2 held at the live price
    assert item["qr"].startswith("data:image/svg+xml;base64,")
    assert item["image_url"] and item["image_url"].endswith(".jpg")
    assert item["link_text"].startswith("testserver/l/") and item["link_url"].endswith(
        item["link_text"].split("/")[-1])


def test_an_expired_hold_gives_its_units_back_when_the_overlay_polls(world):
    session, offer = world["session"], world["offer"]
    hold, _outcome, _note = holds.create_hold(session, offer, PHONE, 2)
    sessions.pin(session, offer)
    client = api_for(world["seller"].user)
    assert client.get(url("state", session)).json()["pinned"]["available"] == 3
    type(hold).objects.filter(pk=hold.pk).update(expires_at=hold.created_at)
    assert client.get(url("state", session)).json()["pinned"]["available"] == 5


def test_state_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    session = world["session"]
    sessions.pin(session, world["offer"])
    client = api_for(world["seller"].user)
    client.get(url("state", session))  # the link is made once
    with django_assert_max_num_queries(12):
        assert client.get(url("state", session)).status_code == 200
    for n in range(4):
        holds.create_hold(session, world["offer"], f"091100000{n}", 1)
    with django_assert_max_num_queries(12):
        assert client.get(url("state", session)).status_code == 200
    for n in range(3):
        sessions.feature(session, certified_offer().product, f"X{n}")
    with django_assert_max_num_queries(12):
        assert client.get(url("state", session)).status_code == 200


def test_session_detail_costs_one_query_per_item_at_most(world, django_assert_max_num_queries):
    # the one query per item is the latest batch in sessions.quality_papers
    session = world["session"]
    client = api_for(world["seller"].user)
    with django_assert_max_num_queries(11):
        assert len(client.get(url("session", session)).json()["offers"]) == 1
    for n in range(5):
        sessions.feature(session, certified_offer().product, f"X{n}")
    with django_assert_max_num_queries(11 + 5):
        assert len(client.get(url("session", session)).json()["offers"]) == 6


def test_events_long_poll_answers_at_once_or_after_the_wait(world):
    session = world["session"]
    client = api_for()
    token = overlay.token_for(session)
    first = client.get(url("events", session), {"token": token}).json()
    assert first["changed"] is True and first["etag"]
    started = time.monotonic()
    same = client.get(url("events", session), {"token": token, "since": first["etag"], "wait": 1})
    assert same.json()["changed"] is False and same.json()["etag"] == first["etag"]
    assert 0.4 <= time.monotonic() - started < 3
    sessions.pin(session, world["offer"])
    moved = client.get(url("events", session), {"token": token, "since": first["etag"], "wait": 20})
    assert moved.json()["changed"] is True and moved.json()["pinned"]["code"] == "SAM2"
    too_long = client.get(url("events", session), {"token": token, "wait": 600})
    assert too_long.status_code == 400 and "wait" in too_long.json()["errors"]


# --- the pages -------------------------------------------------------------------------------


def test_control_page_shows_figures_papers_and_the_overlay_address(world, client,
                                                                   django_assert_max_num_queries):
    client.force_login(world["seller"].user)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("live:control", kwargs={"pk": world["session"].pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "SAM2" in html and 'data-field="available">5<' in html
    assert "?token=" in html and reverse("live:session", kwargs={"pk": world["session"].pk}) in html
    assert "Giấy chứng nhận OCOP" in html
    assert "live-control.js" in html and "onclick" not in html


def test_control_page_refuses_others(world, client):
    page = reverse("live:control", kwargs={"pk": world["session"].pk})
    assert client.get(page).status_code == 302
    client.force_login(world["other"].user)
    assert client.get(page).status_code == 404
    client.force_login(world["customer"])
    assert client.get(page).status_code == 403


def test_overlay_page_opens_with_its_token_only(world, client):
    session = world["session"]
    sessions.pin(session, world["offer"])
    page = reverse("live:overlay", kwargs={"pk": session.pk})
    response = client.get(page, {"token": overlay.token_for(session)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "còn 5" in html and "120.000" in html and "150.000" in html
    assert PHONE not in html and world["seller"].phone not in html
    assert "<script>" not in html and "onclick" not in html
    assert client.get(page, {"token": "gia-mao"}).status_code == 403
    assert client.get(page).status_code == 302  # to the sign-in page


def test_overlay_token_names_one_session():
    assert overlay.session_pk_from_token(overlay.signing.dumps({"s": 7}, salt="live.overlay")) == 7
    assert overlay.session_pk_from_token(overlay.signing.dumps({"s": 7}, salt="other")) is None
    assert overlay.session_pk_from_token(json.dumps({"s": 7})) is None
