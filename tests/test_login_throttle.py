"""Sign-in throttling (shop.core.signin, django-axes) on every door, and username-or-email sign-in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from shop.core.roles import DISTRICT_OFFICE, ensure_role_groups
from tests.factories import make_vendor
from vendors.access import grant_producer_access

pytestmark = pytest.mark.django_db
User = get_user_model()

PASSWORD = "PhongNN@2025"
WRONG = "sai-mat-khau-1"
LOCKED_TEXT = "tạm khoá đăng nhập"


@pytest.fixture
def office(db):
    """A demo-style user: staff of the district office, signing in at every web door."""
    user = User.objects.create_user("office", "office@ocop-dakha.vn", PASSWORD, is_staff=True)
    user.groups.add(ensure_role_groups()[DISTRICT_OFFICE])
    return user


@pytest.fixture
def producer(db):
    user = User.objects.create_user("producer_dakmar", "htx@dakmar.vn", PASSWORD)
    grant_producer_access(user, make_vendor(name="HTX Nông nghiệp Đăk Mar"))
    return user


def shop_door(client, username, password, **extra):
    return client.post(reverse("customer:login"), {
        "login-username": username, "login-password": password, "login_submit": "1",
    }, **extra)


def admin_door(client, username, password, **extra):
    return client.post(reverse("admin:login"), {
        "username": username, "password": password, "next": "/admin/",
    }, **extra)


def till_door(client, username, password, **extra):
    return client.post(reverse("pos:login"), {
        "username": username, "password": password, "next": "/pos/",
    }, **extra)


def token_door(client, username, password, **extra):
    return client.post(reverse("vendors-api:token"), {"username": username, "password": password},
                       content_type="application/json", **extra)


DOORS = {"shop": shop_door, "admin": admin_door, "till": till_door, "token": token_door}


def user_for(door, office, producer):
    return producer if door == "token" else office


def signed_in(door, client, response):
    if door == "token":
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302 and "_auth_user_id" in client.session


def lock(door, client, user, **extra):
    """Five wrong passwords: the first four are plain refusals, the fifth locks."""
    for attempt in range(1, 6):
        response = DOORS[door](client, user.username, WRONG, **extra)
        if attempt < 5:
            assert response.status_code in (200, 400), (door, attempt, response.status_code)
        else:
            assert response.status_code == 429, (door, response.status_code)
    return response


def assert_locked(door, response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    if door == "token":
        body = response.json()
        assert body["code"] == "login_locked" and LOCKED_TEXT in body["detail"]
        assert body["retry_after"] > 0
    else:
        text = response.content.decode()
        assert LOCKED_TEXT in text and "Phòng Nông nghiệp huyện" in text
        assert 'id="login-locked"' in text


@pytest.mark.parametrize("door", DOORS)
def test_the_right_password_works_at_every_door(door, office, producer):
    client = Client()
    user = user_for(door, office, producer)
    assert signed_in(door, client, DOORS[door](client, user.username, PASSWORD))


@pytest.mark.parametrize("door", DOORS)
def test_the_sixth_try_is_locked_even_with_the_right_password(door, office, producer):
    client = Client()
    user = user_for(door, office, producer)
    assert_locked(door, lock(door, client, user))
    response = DOORS[door](client, user.username, PASSWORD)
    assert_locked(door, response)
    assert not signed_in(door, client, response)
    if door != "token":
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("door", DOORS)
def test_the_lock_ends_after_the_cool_off(door, office, producer, settings):
    client = Client()
    user = user_for(door, office, producer)
    lock(door, client, user)
    # Not yet: a minute before the end of the cool-off.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
        + timedelta(minutes=1)
    )
    assert_locked(door, DOORS[door](client, user.username, PASSWORD))
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=1, seconds=1)
    )
    assert signed_in(door, client, DOORS[door](client, user.username, PASSWORD))


def test_a_right_password_before_the_limit_forgets_the_wrong_ones(office):
    client = Client()
    for _ in range(4):
        till_door(client, "office", WRONG)
    assert signed_in("till", client, till_door(client, "office", PASSWORD))
    client.logout()
    for _ in range(4):
        assert till_door(client, "office", WRONG).status_code == 200
    assert signed_in("till", client, till_door(client, "office", PASSWORD))


def test_the_office_lifts_a_lock_in_the_admin(office, producer):
    locked = Client()
    lock("token", locked, producer)
    assert_locked("token", token_door(locked, producer.username, PASSWORD))

    desk = Client()
    desk.force_login(office)
    listing = desk.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and producer.username in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=producer.username)
    response = desk.post(reverse("admin:axes_accessattempt_changelist"), {
        "action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in("token", locked, token_door(locked, producer.username, PASSWORD))


def test_email_and_username_count_as_one_person(office):
    client = Client()
    for name in ("office", "OFFICE@ocop-dakha.vn", "office", "office@ocop-dakha.vn"):
        assert shop_door(client, name, WRONG).status_code == 200
    assert_locked("shop", shop_door(client, "Office@OCOP-dakha.vn", WRONG))
    assert_locked("shop", shop_door(client, "office", PASSWORD))


def test_a_lock_is_per_person_and_address(office, producer):
    """A shared till or office address is not locked as a whole; nobody locks a user from afar."""
    cashier = User.objects.create_user("cashier_showcase", "tt1@ocop-dakha.vn", PASSWORD)
    client = Client()
    lock("till", client, office)
    # Another person at the same address signs in.
    other = Client()
    assert signed_in("till", other, till_door(other, cashier.username, PASSWORD))
    # The same person from another address signs in.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert signed_in("till", elsewhere, till_door(elsewhere, "office", PASSWORD))


# --- signing in with a username or an email (the shop's page) ---------------------------


def test_the_shop_login_page_asks_for_email_or_username():
    page = Client().get(reverse("customer:login")).content.decode()
    assert "Email hoặc tên đăng nhập" in page


@pytest.mark.parametrize("name", ["office", "office@ocop-dakha.vn", "Office@OCOP-DakHa.vn"])
def test_the_shop_login_takes_a_username_or_an_email(office, name):
    client = Client()
    response = shop_door(client, name, PASSWORD)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(office.pk)


def test_a_wrong_password_on_the_shop_login_is_a_form_error(office):
    client = Client()
    response = shop_door(client, "office", WRONG)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Nhập một địa chỉ email hợp lệ" not in response.content.decode()


# --- the other sign-ins of the shop: registration and the checkout gateway --------------


def test_a_new_customer_registers_and_is_signed_in(db):
    client = Client()
    response = client.post(reverse("customer:login"), {
        "registration-email": "khach.moi@example.vn", "registration-password1": "Mat-khau-dai-2025",
        "registration-password2": "Mat-khau-dai-2025", "registration_submit": "1",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="khach.moi@example.vn")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_checkout_gateway_signs_in_and_locks_like_every_door(office):
    from tests.checkout.support import add_to_basket, shop_data

    _locations, coffee, _honey = shop_data()
    client = Client()
    add_to_basket(client, coffee)
    url = reverse("checkout:index")
    for _ in range(4):
        response = client.post(url, {"username": office.email, "options": "existing", "password": WRONG})
        assert response.status_code == 200
    assert_locked("shop", client.post(url, {"username": office.email, "options": "existing",
                                            "password": WRONG}))
    AccessAttempt.objects.all().delete()  # the office lifts the lock
    response = client.post(url, {"username": office.email, "options": "existing", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(office.pk)
