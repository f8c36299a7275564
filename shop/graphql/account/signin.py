"""Signing in through the API (``tokenCreate``): the shop's sign-in rules, one more door.

Rules (``shop.core.signin``):

* The email and password go through ``django.contrib.auth.authenticate(request,
  username=<email>, password=...)`` like every other door, so django-axes counts a
  wrong password under the person (``username_of``: an email becomes the one
  account's username) and the request's IP address, and locks the pair after
  ``AXES_FAILURE_LIMIT`` wrong tries for ``AXES_COOLOFF_TIME``. Oscar's
  ``EmailBackend`` finds the account by email (case-insensitive).
* A locked person is refused even with the right password, with Saleor's code
  ``LOGIN_ATTEMPT_DELAYED`` and the shop's lockout message (until when). The answer
  stays GraphQL's (HTTP 200, the error in the payload): the request's lock flag is
  cleared after it is read so that axes' middleware does not swap the answer for
  the web doors' 429 page; the lock itself (the access attempt) stays recorded.
* Any other refusal is ``INVALID_CREDENTIALS`` (the same for an unknown email, a
  wrong password or an inactive account: nothing tells which).
* A successful sign-in sends ``user_logged_in`` (last login, and axes forgets the
  wrong tries before it).

The tries are written outside the mutation's savepoint: a refused sign-in must
still count.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _

from shop.core import signin as shop_signin
from shop.graphql.core.errors import InputError


def sign_in(request, email, password):
    """The user these credentials sign in, or InputError (``email`` field)."""
    email = str(email or "").strip()
    if not email or not password:
        raise InputError("email", "INVALID_CREDENTIALS", _("Hãy nhập email và mật khẩu."))
    user = authenticate(request, username=email, password=password)
    if getattr(request, "axes_locked_out", False):
        credentials = getattr(request, "axes_credentials", None) or {"username": email}
        # answered here, in the GraphQL payload, not by axes' middleware
        request.axes_locked_out = False
        until = shop_signin.locked_until(request, credentials)
        raise InputError("email", "LOGIN_ATTEMPT_DELAYED", shop_signin.lockout_message(until))
    if user is None or not user.is_active:
        raise InputError("email", "INVALID_CREDENTIALS",
                         _("Email hoặc mật khẩu không đúng."))
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return user
