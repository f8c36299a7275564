"""Hostile URLs and text: a 400 or a form error, never a 500 (shop.middleware, shop.core.text).

The walk expands every URL pattern of the project (Django's resolver, Oscar's
apps included) with ``%00`` in each converter, then in all of them, then in the
query string, and requests each as a visitor, the office's administrator, a
cashier, a producer and a livestream seller. On PostgreSQL a NUL byte reaching a query is a
``DataError``: 14 of those URLs were 500s before the middleware.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.utils.regex_helper import normalize
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from pos.models import CashMovement, TillSession
from shop.checkout.models import GiftOptions
from shop.core.text import validate_free_text
from tests.checkout.support import ADDRESS, add_to_basket, shop_data
from tests.live.factories import make_seller
from tests.pos.factories import make_cashier, make_register
from tests.vendors.conftest import make_producer, snapshot
from vendors.models import ChangeRequest

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")

NUL = "%00"
# the query parameters the project's and Oscar's views read (search, filters, the till)
QUERY_NAMES = ("q", "page", "next", "code", "receipt", "search", "sort", "ordering", "amount",
               "reference", "order_number", "number", "name", "email", "province", "status",
               "date_from", "date_to", "upc", "title", "format", "product_class", "copies")
BEL, RLO = "\x07", "\u202e"


def _patterns(patterns=None, fmt="", params=()):
    """(format string, ((name, converter), ...)) of every URL pattern, includes expanded."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        level_fmt, level_params = normalize(pattern.pattern.regex.pattern)[0]
        converters = getattr(pattern.pattern, "converters", {})
        here = (fmt + level_fmt, params + tuple((p, converters.get(p)) for p in level_params))
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, *here)
        elif isinstance(pattern, URLPattern):
            yield here


def _sample(converter):
    if isinstance(converter, IntConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return str(uuid.uuid4())
    return "a"


def hostile_urls(bad=NUL):
    """Every pattern with ``bad`` in each parameter, in all of them, and in the query string."""
    urls = set()
    for fmt, params in _patterns():
        sample = {name: _sample(conv) for name, conv in params}
        for name, _conv in params:
            urls.add("/" + fmt % {**sample, name: bad})
        if params:
            urls.add("/" + fmt % {name: bad for name, _conv in params})
        query = "&".join(f"{name}={bad}" for name in QUERY_NAMES)
        urls.add(f"/{fmt % sample}?{query}&{bad}=1")
    # signing out (Oscar's GET logout) last, so each person stays signed in for the walk
    return sorted(urls, key=lambda url: ("logout" in url, url))


@pytest.fixture
def people(db):
    locations, coffee, _honey = shop_data()
    admin = get_user_model().objects.create_superuser("quan-tri", "qt@example.vn", "x-secret-123")
    make_register(locations[0], code="tt-1")
    cashier = make_cashier(locations[0])
    producer = make_producer("HTX Đăk Mar", "htx-dak-mar", locations)
    seller = make_seller()
    return {"khách": None, "quản trị": admin, "thu ngân": cashier, "chủ thể": producer.user,
            "người bán live": seller.user}


def _walk(people, urls):
    statuses = {}
    for who, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for url in urls:
            statuses[who, url] = client.get(url).status_code
    return statuses


def test_every_url_with_a_nul_byte_is_refused_never_a_500(people, capsys):
    urls = hostile_urls(NUL)
    assert len(urls) > 300  # the whole project: Oscar, the admin, the APIs, the till
    statuses = _walk(people, urls)
    errors = sorted(key for key, status in statuses.items() if status >= 500)
    assert not errors, errors
    refused = sum(status == 400 for status in statuses.values())
    with capsys.disabled():
        print(f"\nNUL walk: {len(urls)} URLs × {len(people)} people = {len(statuses)} requests, "
              f"{refused} answered 400, none 5xx")


def test_invalid_utf8_in_a_path_or_query_is_400(people):
    urls = ["/t/%ff/", "/catalogue/%c3%28/", "/pos/api/registers/1/lookup/%ff/",
            "/search/?q=%ff", "/api/producer/products/?search=%e2%82", "/?q=caf%e9"]
    statuses = _walk(people, urls)
    assert set(statuses.values()) == {400}, statuses


def test_the_refusal_is_json_under_the_apis_and_a_page_elsewhere(people):
    client = Client()
    client.force_login(people["thu ngân"])
    api = client.get("/pos/api/registers/1/lookup/?code=%00")
    assert api.status_code == 400
    assert api.json() == {"detail": "Yêu cầu có ký tự NUL (mã 0), không được chấp nhận.",
                          "code": "bad_request"}
    page = client.get("/t/%00/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 400 and "Yêu cầu không hợp lệ" in page.content.decode()
    long_path = client.get("/catalogue/" + "a" * 2100 + "/")
    assert long_path.status_code == 400 and "quá dài" in long_path.content.decode()
    long_query = client.get("/search/?q=" + "a" * 5000)
    assert long_query.status_code == 400


@pytest.mark.parametrize("post", [
    {"data": {"username": "a\x00b", "password": "x"}},
    {"data": {"user\x00name": "a", "password": "x"}},
    {"data": b"--x\r\nbroken", "content_type": "multipart/form-data"},  # no boundary
    {"data": "username=a%00&password=b", "content_type": "application/x-www-form-urlencoded"},
    {"data": "username=%ff%fe", "content_type": "application/x-www-form-urlencoded"},
    {"data": '{"username": "a\\u0000"}', "content_type": "application/json"},
    {"data": '{"a\\u0000": 1}', "content_type": "application/json"},
    {"data": "[" * 100_000, "content_type": "application/json"},
], ids=["form value", "form key", "multipart without boundary",
        "urlencoded NUL", "urlencoded invalid UTF-8", "JSON string", "JSON key", "JSON too deep"])
def test_hostile_bodies_are_400(db, post):
    client = Client(raise_request_exception=False)
    for path in ("/accounts/login/", "/api/producer/token/", "/pos/login/"):
        assert client.post(path, **post).status_code == 400, path


def test_an_unfinished_multipart_body_is_no_500(db):
    client = Client(raise_request_exception=False)
    body = b'--x\r\nContent-Disposition: form-data; name="username"\r\n\r\nlan'
    for path in ("/accounts/login/", "/api/producer/token/", "/pos/login/"):
        assert client.post(path, body, content_type="multipart/form-data; boundary=x"
                           ).status_code < 500, path


def test_a_nul_in_a_cookie_or_header_is_400(db):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400
    token = Client(raise_request_exception=False)
    assert token.get("/api/producer/products/",
                     HTTP_AUTHORIZATION="Token abc\x00def").status_code == 400


# --- control and bidi characters in free text (shop.core.text) -----------------------------


@pytest.mark.parametrize("value, ok", [
    ("Nguyễn Thị Lan\tthôn 3\r\nĐăk Hà", True),
    ("👨‍👩‍👧 quà tặng", True),  # zero-width joiners of an emoji: not refused
    ("a\x00b", False), ("a\x07b", False), ("a\x1bb", False), ("a\x7fb", False),
    ("a\x85b", False), ("a\u202ab", False), ("abc\u202e", False), ("a\u2066b", False),
    ("a\u2069b", False),
])
def test_the_rule(value, ok):
    from django.core.exceptions import ValidationError

    if ok:
        validate_free_text(value)
    else:
        with pytest.raises(ValidationError) as refused:
            validate_free_text(value)
        assert f"U+{ord(next(c for c in value if not c.isalnum() and c not in ' ')):04X}" in (
            refused.value.messages[0])


def _every_form_class():
    from django import forms

    seen, stack = set(), [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return seen


def test_every_form_char_field_refuses_control_characters():
    """Every CharField of every form class loaded (Oscar's, the admin's, ours) applies the rule."""
    from django import forms

    checked = 0
    for form_class in _every_form_class():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if not isinstance(field, forms.CharField):
                continue
            with pytest.raises(forms.ValidationError) as refused:
                field.run_validators("Đăk" + RLO + "Hà")
            assert "U+202E" in str(refused.value), (form_class, name)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("bad", [BEL, RLO])
def test_the_delivery_address_form_refuses_control_characters(db, bad):
    _locations, coffee, _honey = shop_data()
    client = Client()
    add_to_basket(client, coffee)
    assert client.post(reverse("checkout:index"),
                       {"username": "khach@example.vn", "options": "anonymous"}).status_code == 302
    for field in ("full_name", "line1", "notes"):
        response = client.post(reverse("checkout:shipping-address"),
                               {**ADDRESS, field: f"12 Hùng{bad} Vương"})
        assert response.status_code == 200, field
        errors = response.context["form"].errors
        assert f"U+{ord(bad):04X}" in " ".join(errors[field]), (field, errors)
        assert "ký tự điều khiển" in response.content.decode()
    # nothing kept: the checkout has no address, no address or order was saved
    assert client.get(reverse("checkout:shipping-method")).status_code == 302
    assert not ShippingAddress.objects.exists() and not UserAddress.objects.exists()
    assert not Order.objects.exists()


def test_oscar_registration_and_profile_refuse_control_characters(db):
    client = Client()
    response = client.post(reverse("customer:register"), {
        "registration-email": "lan@example.vn", "registration-password1": "mat-khau-dai-123",
        "registration-password2": "mat-khau-dai-123", "registration_submit": "1",
        "registration-first_name": f"Lan{RLO}",
    })
    assert not get_user_model().objects.filter(email="lan@example.vn").exists()
    assert response.status_code == 200


def test_a_gift_message_with_a_nul_byte_is_refused_before_the_form(db):
    _locations, coffee, _honey = shop_data()
    client = Client()
    add_to_basket(client, coffee)
    response = client.post(reverse("checkout:payment-method"),
                           {"method": "cod", "gift-message": "Chúc\x00mừng"})
    assert response.status_code == 400
    assert not GiftOptions.objects.exists()


@pytest.mark.parametrize("bad", [BEL, RLO])
def test_a_producer_api_field_with_control_characters_is_400(db, bad):
    from knox.models import AuthToken

    from tests.showroom.factories import three_locations

    producer = make_producer("HTX Đăk Mar", "htx-dak-mar", three_locations())
    api = APIClient()
    _instance, token = AuthToken.objects.create(user=producer.user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before, changes = snapshot(producer), ChangeRequest.objects.count()
    response = api.patch(reverse("vendors-api:product-detail", args=[producer.product.pk]),
                         {"product_story": f"Cà phê{bad} Đăk Hà"}, format="json")
    assert response.status_code == 400
    body = response.json()
    errors = body.get("errors", body)  # the API's error shape, with or without an envelope
    assert f"U+{ord(bad):04X}" in " ".join(errors["product_story"])
    assert snapshot(producer) == before and ChangeRequest.objects.count() == changes


@pytest.mark.parametrize("bad", [BEL, RLO])
def test_a_till_note_with_control_characters_is_400(db, bad):
    from tests.showroom.factories import three_locations

    locations = three_locations()
    register = make_register(locations[0], code="tt-1")
    cashier = make_cashier(locations[0])
    session = TillSession.objects.create(register=register, cashier=cashier, opening_float=0)
    api = APIClient()
    api.force_authenticate(cashier)
    move = api.post(reverse("pos:api-cash-movements", args=[session.pk]),
                    {"kind": "in", "amount": 1000, "reason": f"Nộp{bad} tiền"}, format="json")
    assert move.status_code == 400
    assert move.json()["code"] == "control_characters" and move.json()["field"] == "reason"
    assert f"U+{ord(bad):04X}" in move.json()["detail"]
    assert not CashMovement.objects.exists()
    close = api.post(reverse("pos:api-session-close", args=[session.pk]),
                     {"counted_cash": 0, "note": f"Đủ{bad}"}, format="json")
    assert close.status_code == 400 and close.json()["field"] == "note"
    session.refresh_from_db()
    assert session.status == TillSession.Status.OPEN and session.note == ""
