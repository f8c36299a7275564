"""JWT access and refresh tokens as Saleor issues them.

Rules:

* Two kinds: an **access** token (``type: "access"``) signs requests in
  (``Authorization: Bearer <token>``, or ``JWT <token>``) and lives
  ``settings.GRAPHQL_ACCESS_TOKEN_MINUTES``; a **refresh** token
  (``type: "refresh"``) only buys new access tokens (``tokenRefresh``) and lives
  ``settings.GRAPHQL_REFRESH_TOKEN_DAYS``.
* The payload is Saleor's: ``iat``, ``exp``, ``iss`` (the API's address), ``owner``
  ``"saleor"``, ``type``, ``email``, ``user_id`` (the ``User`` global id),
  ``is_staff`` (staff only), ``token`` (the user's key, below), ``aud``
  (``"custom:<audience>"`` when ``tokenCreate`` was given one) and, in a refresh
  token, ``csrf_token``.
* Signed with HS256 under a key derived from ``SECRET_KEY`` for this purpose only
  (``salted_hmac``): rotating ``SECRET_KEY`` ends every token.
* The user's key is a short HMAC of their password hash: changing (or resetting)
  the password ends every token issued before. A token of an inactive or deleted
  account is refused.
* A refused token is a :class:`TokenError` with Saleor's codes:
  ``ExpiredSignatureError`` (past ``exp``), ``DecodeError`` (not a JWT, or not
  signed by us), ``InvalidTokenError`` (wrong type, unknown or inactive user,
  password changed since).
"""

import secrets
from datetime import timedelta

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from shop.graphql.core.ids import InvalidId, pk_of, to_global_id

ACCESS = "access"
REFRESH = "refresh"
OWNER = "saleor"
ALGORITHM = "HS256"
SCHEMES = ("bearer", "jwt")
_SALT = "shop.graphql.account.tokens"

EXPIRED = "ExpiredSignatureError"
DECODE = "DecodeError"
INVALID = "InvalidTokenError"


class TokenError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message, self.code = str(message), code


def _signing_key():
    return salted_hmac(f"{_SALT}.signing", "graphql-jwt", algorithm="sha256").hexdigest()


def user_key(user):
    """Changes when the password does: ends the tokens issued before."""
    return salted_hmac(f"{_SALT}.user", f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def _payload(user, token_type, lifetime, issuer="", audience=None):
    now = timezone.now()
    payload = {
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "iss": issuer or "",
        "owner": OWNER,
        "type": token_type,
        "token": user_key(user),
        "email": user.email,
        "user_id": to_global_id("User", user.pk),
    }
    if user.is_staff:
        payload["is_staff"] = True
    if audience:
        payload["aud"] = f"custom:{audience}"
    return payload


def encode(payload):
    return jwt.encode(payload, _signing_key(), algorithm=ALGORITHM)


def access_token(user, issuer="", audience=None):
    lifetime = timedelta(minutes=settings.GRAPHQL_ACCESS_TOKEN_MINUTES)
    return encode(_payload(user, ACCESS, lifetime, issuer, audience))


def refresh_token(user, issuer="", audience=None):
    """``(token, csrf token)``: the CSRF token is kept in the refresh token's payload."""
    csrf = secrets.token_urlsafe(32)
    payload = _payload(user, REFRESH, timedelta(days=settings.GRAPHQL_REFRESH_TOKEN_DAYS), issuer, audience)
    payload["csrf_token"] = csrf
    return encode(payload), csrf


def decode(token):
    """The payload of one of our tokens (any type), or TokenError."""
    try:
        payload = jwt.decode(str(token), _signing_key(), algorithms=[ALGORITHM],
                             options={"verify_aud": False, "require": ["exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise TokenError(_("Token đã hết hạn; hãy lấy token mới (tokenRefresh hoặc tokenCreate)."),
                         EXPIRED) from None
    except jwt.DecodeError:
        raise TokenError(_("Token không đúng định dạng hoặc không do cửa hàng cấp."), DECODE) from None
    except jwt.InvalidTokenError:
        raise TokenError(_("Token không hợp lệ; hãy tạo token mới bằng tokenCreate."), INVALID) from None
    if not isinstance(payload, dict) or payload.get("owner") != OWNER or payload.get("type") not in (
            ACCESS, REFRESH):
        raise TokenError(_("Token không hợp lệ; hãy tạo token mới bằng tokenCreate."), INVALID)
    return payload


def user_of(payload):
    """The active user a decoded payload names, if the token is still theirs; TokenError otherwise."""
    refused = TokenError(_("Tài khoản của token không còn hoạt động, đã bị xoá hoặc đã đổi mật khẩu."),
                         INVALID)
    try:
        pk = pk_of(payload.get("user_id"), "User")
    except InvalidId:
        raise refused from None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not user.is_active or not constant_time_compare(str(payload.get("token", "")),
                                                                       user_key(user)):
        raise refused
    return user


def user_from_token(token, token_type=ACCESS):
    payload = decode(token)
    if payload.get("type") != token_type:
        raise TokenError(_("Token không hợp lệ; hãy tạo token mới bằng tokenCreate."), INVALID)
    return user_of(payload)


def user_from_header(header):
    """The user an ``Authorization: Bearer <access token>`` header names, or None.

    None for no header or another scheme (e.g. ``Basic``); TokenError for a token
    that is refused (see the rules above).
    """
    scheme, _sep, token = str(header or "").strip().partition(" ")
    if scheme.lower() not in SCHEMES:
        return None
    token = token.strip()
    if not token:
        raise TokenError(_("Token không đúng định dạng hoặc không do cửa hàng cấp."), DECODE)
    return user_from_token(token, ACCESS)
