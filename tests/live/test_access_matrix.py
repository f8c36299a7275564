"""Every livestream page and API endpoint × every kind of user: who gets in, who is refused.

Roles: a visitor (signed out), a customer, a cashier, a producer who does not
sell live, another seller, the seller who owns the session, and the district
office. An allowed request never answers 401/403/404 or 5xx; a refused one is
403 or 404 when signed in, the sign-in page (pages) or 401/403 (API) when not,
and leaves the session as it was.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from shop.core.roles import ensure_role_groups
from shop.live import holds, links, overlay
from shop.live.models import LiveSession
from tests.live.factories import live_session_with_offer, make_seller
from tests.pos.factories import make_cashier
from tests.showroom.factories import make_office_user, three_locations
from tests.vendors.conftest import make_producer

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "customer", "cashier", "producer", "other seller", "seller", "office")
OWNER = {"seller", "office"}
SELLERS = {"seller", "other seller", "office"}

# (name, method, url name, kwargs from the world, data, roles allowed, API?)
ENDPOINTS = [
    ("home", "get", "live:home", {}, None, SELLERS, False),
    ("links", "get", "live:links", {}, None, SELLERS, False),
    ("new link", "post", "live:links", {}, {"product": "product"}, {"seller", "other seller"}, False),
    ("link QR", "get", "live:link-qr", {"pk": "link", "fmt": "png"}, None, OWNER, False),
    ("link card", "get", "live:link-card", {"pk": "link"}, None, OWNER, False),
    ("new session form", "get", "live:session-new", {}, None, {"seller", "other seller"}, False),
    ("session page", "get", "live:session", {"pk": "session"}, None, OWNER, False),
    ("session edit", "get", "live:session-edit", {"pk": "session"}, None, OWNER, False),
    ("feature", "post", "live:feature", {"pk": "session"}, {"code": "X"}, OWNER, False),
    ("offer edit", "post", "live:offer", {"pk": "session", "offer_pk": "offer"},
     {"action": "save"}, OWNER, False),
    ("pin", "post", "live:session-action", {"pk": "session"}, {"action": "unpin"}, OWNER, False),
    ("comments", "get", "live:comments", {"pk": "session"}, None, OWNER, False),
    ("paste", "post", "live:comments", {"pk": "session"}, {"text": "0911222333 SAM2"}, OWNER, False),
    ("hold", "get", "live:hold", {"pk": "hold"}, None, OWNER, False),
    ("control", "get", "live:control", {"pk": "session"}, None, OWNER, False),
    ("report", "get", "live:session-report", {"pk": "session"}, None, OWNER, False),
    ("report csv", "get", "live:session-report-csv", {"pk": "session"}, None, OWNER, False),
    ("earnings", "get", "live:earnings", {}, None, SELLERS, False),
    ("settlement", "get", "live:settlement", {}, None, {"office"}, False),
    ("settlement csv", "get", "live:settlement-csv", {}, None, {"office"}, False),
    ("office sellers", "get", "live:office-sellers", {}, None, {"office"}, False),
    ("office seller", "get", "live:office-seller", {"pk": "seller"}, None, {"office"}, False),
    ("floors", "get", "live:floors", {}, None, {"producer", "office"}, False),
    ("api sessions", "get", "live:api-sessions", {}, None, SELLERS, True),
    ("api session", "get", "live:api-session", {"pk": "session"}, None, OWNER, True),
    ("api pin", "post", "live:api-pin", {"pk": "session"}, {"offer": None}, OWNER, True),
    ("api offer", "patch", "live:api-offer", {"pk": "session", "offer_pk": "offer"},
     {"cap": 50}, OWNER, True),
    ("api state", "get", "live:api-state", {"pk": "session"}, None, OWNER, True),
]


@pytest.fixture
def world(zones):
    ensure_role_groups()
    locations = three_locations()
    session, offer, stockrecord = live_session_with_offer(stock=40)
    hold, _outcome, _note = holds.create_hold(session, offer, "0987654321", 1)
    customer = get_user_model().objects.create_user("khach", "khach@example.vn", "secret-pass-123")
    people = {
        "visitor": None,
        "customer": customer,
        "cashier": make_cashier(locations[0]),
        "producer": make_producer("HTX Đăk Mar", "htx-dak-mar", locations).user,
        "other seller": make_seller().user,
        "seller": session.seller.user,
        "office": make_office_user(),
    }
    objects = {
        "session": session.pk, "offer": offer.pk, "hold": hold.pk, "seller": session.seller.pk,
        "link": links.link_for(session.seller, stockrecord.product, session).pk,
        "product": stockrecord.product.pk,
    }
    return people, objects, session


def _request(user, method, url, data, api):
    client = Client()
    if user is not None:
        client.force_login(user)
    if api:
        return getattr(client, method)(url, data, content_type="application/json") \
            if method != "get" else client.get(url)
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_who_reaches_each_endpoint(world, endpoint):
    people, objects, session = world
    name, method, url_name, kwargs, data, allowed, api = endpoint
    url = reverse(url_name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})
    data = {k: objects.get(v, v) if isinstance(v, str) else v for k, v in (data or {}).items()}
    before = LiveSession.objects.values().get(pk=session.pk)
    for role in ROLES:
        response = _request(people[role], method, url, data, api)
        status = response.status_code
        assert status < 500, (name, role, status)
        if role in allowed:
            assert status not in (401, 403, 404), (name, role, status)
        elif role == "visitor":
            if api:
                assert status in (401, 403), (name, role, status)
            else:
                assert status == 302 and "/accounts/login/" in response["Location"], (name, role)
        else:
            assert status in (403, 404), (name, role, status)
            if method != "get":
                assert LiveSession.objects.values().get(pk=session.pk) == before, (name, role)
        if role in allowed and method != "get":
            before = LiveSession.objects.values().get(pk=session.pk)


def test_the_overlay_needs_its_token_or_the_owner(world):
    people, objects, session = world
    url = reverse("live:overlay", args=[session.pk])
    token = overlay.token_for(session)
    assert Client().get(url, {"token": token}).status_code == 200
    assert Client().get(url, {"token": token + "x"}).status_code in (403, 404)
    other = LiveSession.objects.create(
        seller=session.seller, title="Khác", scheduled_start=session.scheduled_start,
        scheduled_end=session.scheduled_end,
    )
    assert Client().get(reverse("live:overlay", args=[other.pk]), {"token": token}).status_code in (403, 404)
    state = Client().get(reverse("live:api-state", args=[session.pk]), {"token": token})
    assert state.status_code == 200 and "0987654321" not in state.content.decode()
