"""The producer API's tokens: who gets one, how long it lives, how it ends.

Rules (README, "Signing in"):

* Only a producer's user (``vendors.access.is_producer``) gets a token, for scripts
  and apps that work on its own listings through ``/api/producer/``. Every other
  role (administrator, district office, cashier, till manager, livestream seller,
  customer) works in the browser with a session and CSRF: nobody else has a
  program that needs one. The till API takes sessions only.
* A token is a django-rest-knox token: stored hashed (the plain token is shown once,
  in the answer that issues it), valid ``REST_KNOX["TOKEN_TTL"]``
  (``PRODUCER_TOKEN_HOURS``, 30 days by default), at most
  ``REST_KNOX["TOKEN_LIMIT_PER_USER"]`` (``PRODUCER_TOKEN_LIMIT``, 10) alive at once
  per producer. An expired token is refused (knox deletes it on the producer's next
  authenticated request).
* A token ends when it expires, when the producer revokes it
  (``/api/producer/token/revoke/``) or all of its tokens
  (``/api/producer/token/revoke-all/``), when an administrator deletes it in
  ``/admin/knox/authtoken/``, or, in effect, when its user is deactivated or stops
  being a producer (the API refuses them).
* Tokens are accepted by the producer API only (``TOKEN_AUTHENTICATION``); the
  rest of the site and the till read the session.
* Wrong passwords at the token endpoint count like any sign-in (``shop.core.signin``).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework.authentication import SessionAuthentication

from vendors import access

# The producer API's authentication: a token or a session (browser, CSRF enforced).
# The token comes first so that a request without either is answered 401 with
# ``WWW-Authenticate: Token``.
TOKEN_AUTHENTICATION = [KnoxTokenAuthentication, SessionAuthentication]


class TokenRefused(Exception):
    """This user may not have a token now; ``code`` names why."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def live_tokens(user, now=None):
    now = now or timezone.now()
    return get_token_model().objects.filter(user=user).filter(
        Q(expiry__gt=now) | Q(expiry__isnull=True)
    )


def issue(user):
    """A new token for ``user``: ``(AuthToken, plain token)``, or ``TokenRefused``."""
    if not access.is_producer(user):
        raise TokenRefused(
            _(
                "Chỉ tài khoản của chủ thể OCOP được cấp token API. Các vai trò khác "
                "đăng nhập trên trang web."
            ),
            code="not_a_producer",
        )
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and live_tokens(user).count() >= limit:
        raise TokenRefused(
            _(
                "Tài khoản này đã có %(count)s token còn hạn: hãy thu hồi token không "
                "dùng nữa trước khi xin token mới."
            ) % {"count": limit},
            code="token_limit",
        )
    return get_token_model().objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def revoke(token):
    """End one token (the one the request came with)."""
    token.delete()


def revoke_all(user):
    """End every token of ``user``; returns how many there were."""
    count, _by_model = get_token_model().objects.filter(user=user).delete()
    return count
