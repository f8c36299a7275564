"""API tokens (vendors.tokens): role × endpoint, expiry, revocation; the till takes sessions only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from shop.core.roles import DISTRICT_OFFICE, LIVESTREAM_SELLER, ensure_role_groups
from tests.pos.factories import make_cashier, make_manager, make_register
from tests.vendors.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

TOKEN_URL = "/api/producer/token/"
PRODUCTS_URL = "/api/producer/products/"


@pytest.fixture
def people(producer_a, locations):
    """One user of every role, all with PASSWORD."""
    groups = ensure_role_groups()
    admin = make_user("quan-tri", is_staff=True, is_superuser=True)
    office = make_user("phong-nn", is_staff=True)
    office.groups.add(groups[DISTRICT_OFFICE])
    cashier = make_cashier(locations[0], username="thu-ngan", password=PASSWORD)
    manager = make_manager(locations[0])
    manager.set_password(PASSWORD)
    manager.save()
    live = make_user("ban-hang-live")
    live.groups.add(Group.objects.get(name=LIVESTREAM_SELLER))
    return {
        "producer": producer_a.user, "admin": admin, "office": office, "cashier": cashier,
        "manager": manager, "livestream": live, "customer": make_user("khach"),
    }


def obtain(user, fmt="json", password=PASSWORD, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": user.username, "password": password}, format=fmt, **extra
    )


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_a_producer_gets_an_expiring_hashed_token_that_works_on_its_api(people, fmt, settings):
    before = timezone.now()
    response = obtain(people["producer"], fmt)
    assert response.status_code == 200, response.content
    body = response.json()
    expiry = parse_datetime(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert before + ttl - timedelta(minutes=1) <= expiry <= timezone.now() + ttl
    stored = AuthToken.objects.get(user=people["producer"])
    assert body["token"] not in (stored.digest, stored.token_key) and len(stored.digest) == 128
    assert with_token(body["token"]).get(PRODUCTS_URL).status_code == 200


def test_a_producer_signs_in_for_a_token_with_its_email_too(people):
    response = APIClient().post(
        TOKEN_URL, {"username": people["producer"].email.upper(), "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize("role", ["admin", "office", "cashier", "manager", "livestream", "customer"])
def test_no_other_role_gets_a_token(people, role):
    user = people[role]
    for fmt in ("json", "multipart"):
        response = obtain(user, fmt)
        assert response.status_code == 403, (role, response.content)
        assert response.json()["code"] == "not_a_producer"
        assert "Chỉ tài khoản của chủ thể OCOP" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", ["admin", "office", "cashier", "livestream"])
def test_a_token_made_for_another_role_works_nowhere(people, shop_register, role):
    """Even a token put in the table by hand: refused by the producer API and by the till."""
    _instance, token = AuthToken.objects.create(user=people[role])
    client = with_token(token)
    assert client.get(PRODUCTS_URL).status_code == 403
    till = client.get(reverse("pos:api-registers"))
    assert till.status_code in (401, 403)
    opened = client.post(reverse("pos:api-session-open", args=[shop_register.pk]),
                         {"opening_float": 0}, format="json")
    assert opened.status_code in (401, 403)
    assert not shop_register.sessions.exists()


def test_bad_requests_for_a_token_are_clear_400s(people):
    client = APIClient()
    wrong = obtain(people["producer"], password="sai-mat-khau")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_credentials"
    assert "không đúng" in wrong.json()["detail"]
    for body in ({}, {"username": "htx-dak-mar"}, {"username": "", "password": "x"},
                 {"username": ["a"], "password": "x"}):
        response = client.post(TOKEN_URL, body, format="json")
        assert response.status_code == 400 and response.json()["code"] == "invalid", body
    response = client.post(TOKEN_URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_an_expired_token_is_refused(people):
    token = obtain(people["producer"]).json()["token"]
    assert with_token(token).get(PRODUCTS_URL).status_code == 200
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_token(token).get(PRODUCTS_URL)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused(people):
    first = obtain(people["producer"]).json()["token"]
    second = obtain(people["producer"]).json()["token"]
    assert with_token(first).post(reverse("vendors-api:token-revoke")).status_code == 204
    assert with_token(first).get(PRODUCTS_URL).status_code == 401
    assert with_token(second).get(PRODUCTS_URL).status_code == 200  # only that one ended
    assert with_token(second).delete(reverse("vendors-api:token-revoke")).status_code == 204
    assert with_token(second).get(PRODUCTS_URL).status_code == 401


def test_revoke_all_ends_every_token_of_the_producer(people, producer_b):
    tokens = [obtain(people["producer"]).json()["token"] for _ in range(3)]
    other = obtain(producer_b.user).json()["token"]
    response = with_token(tokens[0]).post(reverse("vendors-api:token-revoke-all"))
    assert response.status_code == 200 and response.json() == {"revoked": 3}
    for token in tokens:
        assert with_token(token).get(PRODUCTS_URL).status_code == 401
    assert with_token(other).get(PRODUCTS_URL).status_code == 200


def test_revoking_needs_a_token(people):
    assert APIClient().post(reverse("vendors-api:token-revoke")).status_code == 401
    assert with_token("nonsense").post(reverse("vendors-api:token-revoke")).status_code == 401


def test_at_most_the_configured_number_of_live_tokens(people, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    assert obtain(people["producer"]).status_code == 200
    assert obtain(people["producer"]).status_code == 200
    third = obtain(people["producer"])
    assert third.status_code == 403 and third.json()["code"] == "token_limit"
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))  # expired ones don't count
    assert obtain(people["producer"]).status_code == 200


def test_a_user_who_stops_being_a_producer_loses_the_api(people, producer_a):
    token = obtain(people["producer"]).json()["token"]
    producer_a.vendor.partner.users.remove(people["producer"])
    assert with_token(token).get(PRODUCTS_URL).status_code == 403


def test_the_old_plain_text_tokens_are_gone():
    assert "authtoken_token" not in connection.introspection.table_names()


# --- the till API: the till page's session, CSRF enforced --------------------------------


@pytest.fixture
def shop_register(locations):
    return make_register(locations[0], code="tt-1")


def test_the_till_api_refuses_a_session_post_without_csrf(people, shop_register):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["cashier"])
    url = reverse("pos:api-session-open", args=[shop_register.pk])
    response = client.post(url, {"opening_float": 500000}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not shop_register.sessions.exists()
    # Control: the same request with the page's CSRF token opens the session.
    page = client.get(reverse("pos:till", args=[shop_register.pk]))
    assert page.status_code == 200
    csrf = client.cookies["csrftoken"].value
    response = client.post(url, {"opening_float": 500000}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content
    assert shop_register.sessions.count() == 1


def test_the_till_api_refuses_a_token_even_of_a_till_user(people, shop_register):
    _instance, token = AuthToken.objects.create(user=people["cashier"])
    client = with_token(token)
    assert client.get(reverse("pos:api-registers")).status_code in (401, 403)
    # Control: the same user with a session is served.
    session = APIClient()
    session.force_login(people["cashier"])
    assert session.get(reverse("pos:api-registers")).status_code == 200
