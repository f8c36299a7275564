"""Signing in: who is counted, when a door locks, what a locked person is told.

The doors: the shop's page ``/accounts/login/`` (username or email, the forked
``shop.customer`` form), Django admin ``/admin/login/``, the till ``/pos/login/``
and the producer API's ``/api/producer/token/``. Every one of them signs in through
``django.contrib.auth.authenticate(request, ...)``, so django-axes counts them all
(``axes.backends.AxesStandaloneBackend`` is the first backend).

Rules (settings, README "Signing in"):

* ``AXES_FAILURE_LIMIT`` (5) wrong tries for one person from one IP address lock that
  person at that address for ``AXES_COOLOFF_TIME`` (15 minutes); while locked even the
  right password is refused, tries do not lengthen the lock, and a right sign-in
  before the limit forgets the wrong ones.
* The person is their username: an email address is turned into the username of
  the one account that has it (``username_of``), so switching between email and
  username does not buy more tries. Usernames and emails of nobody are counted as
  typed (lower-cased emails).
* Keyed by person + address, not address alone: the cashiers of one till and the
  staff behind the office's one NAT address are not locked together by one
  person's typos, and nobody elsewhere can lock a user out.
* The office (``district_office`` group) lifts a lock early by deleting the
  "access attempt" in ``/admin/axes/accessattempt/``; an administrator can also run
  ``manage.py axes_reset_username <username>``.
* A locked person gets 429 with a Vietnamese message saying until when: a page on
  the web doors, ``{"detail", "code": "login_locked", "retry_after"}`` on the API.

The till's manager approvals (PIN) keep their own per-register limit in
``pos.approvals``: it is counted per register, inside the sale's rules (which have no
request), and its refusal is part of the till's JSON and offline protocol.
"""

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LOCKED_CODE = "login_locked"
API_PREFIXES = ("/api/",)


def _typed_username(request, credentials):
    """What the person typed as their name, from the credentials or the posted form."""
    if credentials:
        value = credentials.get("username") or credentials.get("email")
        if value:
            return value
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    for field in ("username", "login-username", "email"):
        try:
            value = data.get(field)
        except AttributeError:  # a JSON list or a string body
            return ""
        if value:
            return value
    return ""


def username_of(request, credentials=None):
    """The key axes counts tries under (``AXES_USERNAME_CALLABLE``): see the rules above."""
    typed = str(_typed_username(request, credentials) or "").strip()[:254]
    if "@" not in typed:
        return typed
    email = typed.lower()
    usernames = list(
        get_user_model().objects.filter(email__iexact=email).values_list("username", flat=True)[:2]
    )
    return usernames[0] if len(usernames) == 1 else email


def locked_until(request, credentials=None):
    """When the lock of this person at this address ends (the last wrong try + cool-off)."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    last = AccessAttempt.objects.filter(
        username=username_of(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    now = timezone.now()
    if cool_off is None:
        return None
    return (last or now) + cool_off


def lockout_message(until, now=None):
    now = now or timezone.now()
    if until is None:
        return _(
            "Đã nhập sai mật khẩu quá %(count)s lần: tài khoản tạm khoá đăng nhập từ máy này. "
            "Hãy liên hệ Phòng Nông nghiệp huyện để mở khoá."
        ) % {"count": settings.AXES_FAILURE_LIMIT}
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return _(
        "Đã nhập sai mật khẩu %(count)s lần: tài khoản tạm khoá đăng nhập từ máy này "
        "đến %(until)s (còn %(minutes)s phút). Phòng Nông nghiệp huyện có thể mở khoá sớm hơn."
    ) % {
        "count": settings.AXES_FAILURE_LIMIT,
        "until": timezone.localtime(until).strftime("%H:%M"),
        "minutes": minutes,
    }


def _wants_json(request):
    path = request.path_info or ""
    return (
        path.startswith(API_PREFIXES)
        or "/api/" in path
        or "application/json" in request.META.get("HTTP_ACCEPT", "")
        or "application/json" in request.META.get("CONTENT_TYPE", "")
    )


def _door(path):
    """The sign-in page to come back to (the door the person knocked on)."""
    if path.startswith("/admin/"):
        return reverse("admin:login")
    if path.startswith("/pos/"):
        return reverse("pos:login")
    return reverse("customer:login")


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 with the Vietnamese message (page or JSON)."""
    now = timezone.now()
    until = locked_until(request, credentials)
    message = lockout_message(until, now)
    retry_after = max(60, math.ceil((until - now).total_seconds())) if until else None
    if _wants_json(request):
        body = {"detail": message, "code": LOCKED_CODE}
        if retry_after:
            body["retry_after"] = retry_after
        response = JsonResponse(body, status=429)
    else:
        response = render(
            request, "signin/locked.html",
            {"message": message, "until": until, "login_url": _door(request.path_info or "")},
            status=429,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
