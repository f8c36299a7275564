"""The account and order areas of /graphql/: JWT sign-in as Saleor issues it, sign-up,
``me`` with its addresses and order history, who may see an order, the sign-in lock."""

import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.graphql.account import tokens
from tests.checkout.support import ADDRESS, add_to_basket, shop_data
from tests.showroom.factories import make_offer, order_for, three_locations

pytestmark = pytest.mark.django_db
User = get_user_model()
Order = get_model("order", "Order")

PASSWORD = "Ca-phe-Dak-Ha-2026"

TOKEN_CREATE = """
mutation SignIn($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token refreshToken csrfToken
    user { id email }
    errors { field code message }
  }
}"""

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { email firstName lastName }
    errors { field code message }
  }
}"""

ME = """
query Me {
  me {
    id email firstName lastName isStaff isActive dateJoined languageCode
    addresses { id streetAddress1 city countryArea phone country { code } isDefaultShippingAddress }
    defaultShippingAddress { streetAddress1 }
  }
}"""

ORDERS = """
fragment Money on TaxedMoney { gross { amount currency } net { amount } }
query MyOrders($first: Int) {
  me {
    orders(first: $first) {
      totalCount
      edges { node {
        id number created status statusDisplay paymentStatus isPaid userEmail token
        total { ...Money } subtotal { ...Money } shippingPrice { ...Money }
        shippingAddress { lastName streetAddress1 city countryArea }
        lines {
          id productName variantName productSku quantity
          unitPrice { ...Money } totalPrice { ...Money } undiscountedUnitPrice { ...Money }
          thumbnail(size: 64) { url }
        }
      } }
    }
  }
}"""

ORDER = """
query Order($id: ID!) { order(id: $id) { id number total { gross { amount } } } }"""

ORDER_BY_TOKEN = """
query OrderByToken($token: UUID!) { orderByToken(token: $token) { number userEmail } }"""


def post(client, query, variables=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    assert response.status_code == 200, response.content[:2000]
    return response.json()


def data(client, query, variables=None, token=None):
    answer = post(client, query, variables, token)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def make_customer(email="lan@example.vn", password=PASSWORD, **kwargs):
    return User.objects.create_user(username=email.split("@")[0], email=email, password=password, **kwargs)


def sign_in(client, email="lan@example.vn", password=PASSWORD):
    result = data(client, TOKEN_CREATE, {"email": email, "password": password})["tokenCreate"]
    assert result["errors"] == [], result["errors"]
    return result


def gid(type_name, pk):
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


# --- sign-up and sign-in -------------------------------------------------------------------


def test_register_sign_in_me_and_refresh(client, settings):
    settings.OSCAR_SEND_REGISTRATION_EMAIL = True
    result = data(client, REGISTER, {"input": {
        "email": "Lan.Nguyen@Example.VN", "password": PASSWORD, "firstName": "Lan", "lastName": "Nguyễn",
        "channel": "default-channel", "languageCode": "VI", "redirectUrl": "https://shop.example/confirm",
    }})["accountRegister"]
    assert result["errors"] == []
    assert result["requiresConfirmation"] is False
    assert result["user"] == {"email": "Lan.Nguyen@example.vn", "firstName": "Lan", "lastName": "Nguyễn"}
    user = User.objects.get(email="Lan.Nguyen@example.vn")
    assert user.is_active and user.check_password(PASSWORD) and user.username  # Oscar's generated username
    assert len(mail.outbox) == 1  # Oscar's welcome email, as the sign-up page sends

    # email without case, as Oscar's EmailBackend finds it
    signed = sign_in(client, "lan.nguyen@example.vn")
    assert signed["user"]["email"] == "Lan.Nguyen@example.vn"
    assert signed["user"]["id"] == gid("User", user.pk)
    payload = jwt.decode(signed["token"], options={"verify_signature": False})
    assert payload["type"] == "access" and payload["owner"] == "saleor"
    assert payload["user_id"] == gid("User", user.pk) and payload["email"] == user.email
    assert payload["exp"] - payload["iat"] == settings.GRAPHQL_ACCESS_TOKEN_MINUTES * 60
    refresh = jwt.decode(signed["refreshToken"], options={"verify_signature": False})
    assert refresh["type"] == "refresh" and refresh["csrf_token"] == signed["csrfToken"]
    assert refresh["exp"] - refresh["iat"] == settings.GRAPHQL_REFRESH_TOKEN_DAYS * 86400

    me = data(client, ME, token=signed["token"])["me"]
    assert me["email"] == "Lan.Nguyen@example.vn" and me["firstName"] == "Lan"
    assert me["isStaff"] is False and me["isActive"] is True and me["addresses"] == []
    assert me["languageCode"] == "VI"
    # a guest has no "me"
    assert data(client, ME)["me"] is None

    refreshed = data(client, """
      mutation Refresh($refreshToken: String, $csrfToken: String) {
        tokenRefresh(refreshToken: $refreshToken, csrfToken: $csrfToken) {
          token user { email } errors { field code message } } }""",
                     {"refreshToken": signed["refreshToken"], "csrfToken": signed["csrfToken"]})["tokenRefresh"]
    assert refreshed["errors"] == [] and refreshed["user"]["email"] == user.email
    assert data(client, ME, token=refreshed["token"])["me"]["id"] == me["id"]

    verified = data(client, """mutation V($t: String!) { tokenVerify(token: $t) {
        isValid payload user { email } errors { code } } }""", {"t": refreshed["token"]})["tokenVerify"]
    assert verified["isValid"] is True and verified["payload"]["type"] == "access"


def test_refresh_refuses_an_access_token_a_wrong_csrf_and_nothing(client):
    make_customer()
    signed = sign_in(client)
    query = """mutation R($r: String, $c: String) { tokenRefresh(refreshToken: $r, csrfToken: $c) {
        token errors { field code message } } }"""
    answer = data(client, query, {"r": signed["token"]})["tokenRefresh"]
    assert answer["token"] is None
    assert answer["errors"][0]["code"] == "JWT_INVALID_TOKEN" and answer["errors"][0]["field"] == "refreshToken"
    answer = data(client, query, {"r": signed["refreshToken"], "c": "not-the-csrf"})["tokenRefresh"]
    assert answer["token"] is None and answer["errors"][0]["code"] == "JWT_INVALID_CSRF_TOKEN"
    answer = data(client, query, {})["tokenRefresh"]
    assert answer["errors"][0]["code"] == "JWT_MISSING_TOKEN"
    answer = data(client, query, {"r": "not.a.jwt"})["tokenRefresh"]
    assert answer["errors"][0]["code"] == "JWT_DECODE_ERROR"


def _expired_access_token(user):
    payload = tokens._payload(user, tokens.ACCESS, timedelta(minutes=5))
    payload["iat"] -= 3600
    payload["exp"] = int((timezone.now() - timedelta(minutes=1)).timestamp())
    return tokens.encode(payload)


def test_an_expired_or_foreign_token_is_refused(client):
    user = make_customer()
    answer = post(client, ME, token=_expired_access_token(user))
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "ExpiredSignatureError"
    assert "hết hạn" in answer["errors"][0]["message"]
    assert "me" not in (answer.get("data") or {}) or answer["data"] is None

    # signed with another key
    forged = jwt.encode({"type": "access", "owner": "saleor", "user_id": gid("User", user.pk),
                         "iat": int(timezone.now().timestamp()),
                         "exp": int((timezone.now() + timedelta(minutes=5)).timestamp())}, "another-key-of-at-least-thirty-two-bytes",
                        algorithm="HS256")
    answer = post(client, ME, token=forged)
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "DecodeError"
    answer = post(client, ME, token="garbage")
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "DecodeError"

    # a refresh token does not sign requests in
    signed = sign_in(client)
    answer = post(client, ME, token=signed["refreshToken"])
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"

    verified = data(client, """mutation V($t: String!) { tokenVerify(token: $t) {
        isValid payload user { email } errors { field code } } }""",
                    {"t": _expired_access_token(user)})["tokenVerify"]
    assert verified == {"isValid": False, "payload": None, "user": None,
                        "errors": [{"field": "token", "code": "JWT_SIGNATURE_EXPIRED"}]}


def test_a_password_change_or_deactivation_ends_the_tokens(client):
    user = make_customer()
    signed = sign_in(client)
    assert data(client, ME, token=signed["token"])["me"]["email"] == user.email
    user.set_password("Mat-khau-moi-2026")
    user.save()
    answer = post(client, ME, token=signed["token"])
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"

    signed = sign_in(client, password="Mat-khau-moi-2026")
    User.objects.filter(pk=user.pk).update(is_active=False)
    answer = post(client, ME, token=signed["token"])
    assert answer["errors"][0]["extensions"]["exception"]["code"] == "InvalidTokenError"
    refreshed = data(client, """mutation R($r: String) { tokenRefresh(refreshToken: $r) {
        token errors { code } } }""", {"r": signed["refreshToken"]})["tokenRefresh"]
    assert refreshed == {"token": None, "errors": [{"code": "JWT_INVALID_TOKEN"}]}


def test_header_schemes():
    assert tokens.user_from_header("") is None
    assert tokens.user_from_header("Basic dXNlcjpwdw==") is None
    with pytest.raises(tokens.TokenError) as refused:
        tokens.user_from_header("Bearer ")
    assert refused.value.code == "DecodeError"
    user = make_customer()
    token = tokens.access_token(user)
    assert tokens.user_from_header(f"Bearer {token}") == user
    assert tokens.user_from_header(f"JWT {token}") == user


def test_wrong_credentials_and_the_lock(client, settings):
    user = make_customer()
    answer = data(client, TOKEN_CREATE, {"email": "nobody@example.vn", "password": PASSWORD})["tokenCreate"]
    assert answer["token"] is None
    assert answer["errors"] == [{"field": "email", "code": "INVALID_CREDENTIALS",
                                 "message": "Email hoặc mật khẩu không đúng."}]
    AccessAttempt.objects.all().delete()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        answer = data(client, TOKEN_CREATE, {"email": user.email, "password": f"sai-{attempt}"})["tokenCreate"]
        assert answer["token"] is None
        expected = "LOGIN_ATTEMPT_DELAYED" if attempt == settings.AXES_FAILURE_LIMIT else "INVALID_CREDENTIALS"
        assert answer["errors"][0]["code"] == expected, (attempt, answer)
    # counted under the person (the username the email belongs to) and the address
    attempt = AccessAttempt.objects.get()
    assert attempt.username == user.username and attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # locked: even the right password is refused, with the shop's message
    answer = data(client, TOKEN_CREATE, {"email": user.email, "password": PASSWORD})["tokenCreate"]
    assert answer["token"] is None
    assert answer["errors"][0]["code"] == "LOGIN_ATTEMPT_DELAYED"
    assert "tạm khoá đăng nhập" in answer["errors"][0]["message"]
    # the shop's web door is locked for this person too
    response = client.post(reverse("customer:login"), {
        "login-username": user.email, "login-password": PASSWORD, "login_submit": "1"})
    assert response.status_code == 429
    # the office lifts the lock: the right password works again
    AccessAttempt.objects.all().delete()
    assert sign_in(client)["token"]


def test_a_right_password_forgets_the_wrong_tries(client):
    user = make_customer()
    for _attempt in range(3):
        data(client, TOKEN_CREATE, {"email": user.email, "password": "sai"})
    assert AccessAttempt.objects.get().failures_since_start == 3
    sign_in(client)
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("password, code", [
    ("ab1", "PASSWORD_TOO_SHORT"),
    ("lan.nguyen.dakha", "PASSWORD_TOO_SIMILAR"),
])
def test_register_refuses_weak_passwords(client, password, code):
    answer = data(client, REGISTER, {"input": {"email": "lan.nguyen.dakha@example.vn", "password": password}})
    result = answer["accountRegister"]
    assert code in [e["code"] for e in result["errors"]]
    assert all(e["field"] == "password" for e in result["errors"])
    assert result["user"] is None and not User.objects.exists()


def test_register_refuses_a_taken_email_a_bad_email_and_a_bad_channel(client):
    make_customer("lan@example.vn")
    result = data(client, REGISTER, {"input": {"email": "LAN@example.vn", "password": PASSWORD}})["accountRegister"]
    assert result["errors"] == [{"field": "email", "code": "UNIQUE", "message": "Đã có tài khoản dùng email này."}]
    result = data(client, REGISTER, {"input": {"email": "not-an-email", "password": PASSWORD}})["accountRegister"]
    assert result["errors"][0]["field"] == "email" and result["errors"][0]["code"] == "INVALID"
    result = data(client, REGISTER, {"input": {"email": "x@example.vn", "password": PASSWORD,
                                               "channel": "other"}})["accountRegister"]
    assert result["errors"][0] == {"field": "channel", "code": "NOT_FOUND",
                                   "message": "Không có kênh bán có slug 'other'."}
    assert User.objects.count() == 1


# --- orders --------------------------------------------------------------------------------


@pytest.fixture
def shop(db):
    return shop_data()


def place_on_the_web(client, user, stockrecord, quantity, method="cod"):
    client.force_login(user)
    add_to_basket(client, stockrecord, quantity)
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    assert client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"}).status_code == 302
    assert client.post(reverse("checkout:payment-method"), {"method": method}).status_code == 302
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    client.logout()
    return Order.objects.filter(user=user).order_by("-pk").first()


def test_order_history_of_a_customer(client, shop):
    _locations, coffee, honey = shop
    user = make_customer()
    first = place_on_the_web(client, user, coffee, 2)
    second = place_on_the_web(client, user, honey, 1, method="vietqr")
    other = place_on_the_web(client, make_customer("binh@example.vn"), coffee, 1)
    token = sign_in(client)["token"]

    me = data(client, ME, token=token)["me"]
    # the checkout kept the address in the customer's address book
    assert me["addresses"][0]["streetAddress1"] == "12 Hùng Vương"
    assert me["addresses"][0]["countryArea"] == "Quảng Ngãi" and me["addresses"][0]["phone"] == "+84912345678"
    assert me["addresses"][0]["country"] == {"code": "VN"}

    orders = data(client, ORDERS, {"first": 20}, token=token)["me"]["orders"]
    assert orders["totalCount"] == 2
    nodes = [edge["node"] for edge in orders["edges"]]
    assert [n["number"] for n in nodes] == [second.number, first.number]  # newest first
    cod = nodes[1]
    assert cod["id"] == gid("Order", first.pk)
    assert cod["status"] == "UNFULFILLED" and cod["statusDisplay"] == "Chờ xử lý"
    assert cod["paymentStatus"] == "NOT_CHARGED" and cod["isPaid"] is False
    assert cod["userEmail"] == user.email
    assert cod["total"]["gross"] == {"amount": float(first.total_incl_tax), "currency": "VND"}
    assert cod["shippingPrice"]["gross"]["amount"] == float(first.shipping_incl_tax)
    assert cod["subtotal"]["gross"]["amount"] == 300000.0
    assert cod["shippingAddress"]["streetAddress1"] == "12 Hùng Vương"
    assert cod["shippingAddress"]["countryArea"] == "Quảng Ngãi"
    [line] = cod["lines"]
    assert line["productName"] == "Cà phê Đăk Hà rang mộc" and line["variantName"] == ""
    assert line["quantity"] == 2 and line["productSku"] == coffee.partner_sku
    assert line["unitPrice"]["gross"]["amount"] == 150000.0
    assert line["totalPrice"]["gross"]["amount"] == 300000.0
    assert nodes[0]["status"] == "UNCONFIRMED"  # VietQR: waits for the transfer

    # the owner may open an order; another customer may not, a guest neither
    assert data(client, ORDER, {"id": gid("Order", first.pk)}, token=token)["order"]["number"] == first.number
    assert data(client, ORDER, {"id": gid("Order", other.pk)}, token=token)["order"] is None
    assert data(client, ORDER, {"id": gid("Order", first.pk)})["order"] is None
    answer = post(client, ORDER, {"id": gid("Product", first.pk)}, token=token)
    assert answer["data"]["order"] is None and answer["errors"][0]["message"]
    # staff may
    staff = make_customer("office@example.vn", is_staff=True)
    staff_token = tokens.access_token(staff)
    assert data(client, ORDER, {"id": gid("Order", other.pk)}, token=staff_token)["order"]["number"] == other.number

    # the order's token opens it without signing in; a made-up one does not
    order_token = cod["token"]
    assert uuid.UUID(order_token)
    assert data(client, ORDER_BY_TOKEN, {"token": order_token})["orderByToken"] == {
        "number": first.number, "userEmail": user.email}
    forged = uuid.UUID(bytes=first.pk.to_bytes(6, "big") + bytes(10), version=4)
    assert data(client, ORDER_BY_TOKEN, {"token": str(forged)})["orderByToken"] is None
    assert post(client, ORDER_BY_TOKEN, {"token": "not-a-uuid"}).get("errors")
    # the token shows the order, not the customer's account
    with_user = "query T($token: UUID!) { orderByToken(token: $token) { user { email addresses { id } } } }"
    assert data(client, with_user, {"token": order_token})["orderByToken"] == {"user": None}
    assert data(client, with_user, {"token": order_token}, token=token)["orderByToken"]["user"]["email"] \
        == user.email


@pytest.mark.parametrize("query, variables", [
    ("query { order { id } }", {}),
    ("query { order(id: \"bm90LWFuLWlk\") { id } }", {}),
    ("query { order(id: \"%%%\") { id } }", {}),
    ("query { order(id: \"T3JkZXI6MQ==\", externalReference: \"x\") { id } }", {}),
    ("query Q($t: UUID!) { orderByToken(token: $t) { id } }", {"t": "123"}),
    ("query { me { orders(first: 101) { totalCount } } }", {}),
    ("mutation { tokenCreate(email: \"\", password: \"\") { errors { code } } }", {}),
    ("mutation { tokenVerify(token: \"\") { isValid errors { code } } }", {}),
])
def test_bad_input_is_answered_in_saleors_shape(client, query, variables):
    user = make_customer()
    answer = post(client, query, variables, token=tokens.access_token(user))
    assert "errors" in answer or any(
        payload.get("errors") for payload in (answer.get("data") or {}).values()), answer
    for error in answer.get("errors", []):
        assert error["message"]
        assert error.get("extensions", {}).get("exception", {}).get("code") != "INTERNAL_ERROR"


def test_orders_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    locations = three_locations()
    products = [make_offer(f"Sản phẩm {i}", stock={locations[0]: 100}, price=10000 * (i + 1))
                for i in range(4)]
    user = make_customer()
    token = tokens.access_token(user)
    order_for([(products[0], 1)], user=user)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            answer = data(client, ORDERS, {"first": 20}, token=token)
        return len(queries), answer

    few, answer = count()
    assert len(answer["me"]["orders"]["edges"]) == 1
    for i in range(7):
        order_for([(p, 1 + i % 2) for p in products], user=user)
    many, answer = count()
    assert len(answer["me"]["orders"]["edges"]) == 8
    assert sum(len(e["node"]["lines"]) for e in answer["me"]["orders"]["edges"]) == 29
    print("orders page queries:", few, many)
    assert many == few, (few, many)
    with django_assert_max_num_queries(few):
        data(client, ORDERS, {"first": 20}, token=token)
