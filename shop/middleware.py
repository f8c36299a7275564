"""Hostile requests are refused with a 400 before any view sees them.

The rules (``HostileInputMiddleware``, near the top of ``MIDDLEWARE``):

* **NUL.** A NUL byte (``%00``, ``\\u0000`` in JSON, ``\\000`` in a quoted
  cookie) in the path, the query string (names or values), a form field's name
  or value, an uploaded file's name, a JSON body's keys or strings, a cookie or
  a header is refused. PostgreSQL text cannot hold NUL: such a value reaching a
  query was a 500.
* **Invalid UTF-8.** A path or query string whose percent-decoded bytes are
  not UTF-8 (``%ff``) is refused. (Django would otherwise re-percent a broken
  path, ``/t/%FF/``, and replace broken query bytes by U+FFFD: a value nobody
  sent.) Form bodies sent as ``application/x-www-form-urlencoded`` get the
  same check.
* **Over-long.** A path over :data:`MAX_PATH` characters, a query string over
  :data:`MAX_QUERY`, or one form / JSON value over :data:`MAX_VALUE` is
  refused. (The whole body is bounded by Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``.)
* **Unreadable bodies** — a broken multipart body, too many fields, a body
  over the limit, JSON nested too deep to parse — are refused here too, so
  that checking can never itself be a 500. A body that merely is not valid
  JSON is left to the view (DRF and the till answer it with their own 400).

The answer is a 400: under ``/api/`` and ``/pos/api/`` a JSON body
``{"detail": <message>, "code": "bad_request"}``; under ``/graphql/`` GraphQL's
``{"errors": [{"message": <message>, ...}]}``; elsewhere a short themed page
(``ocop/bad_request.html``) rendered without context processors (no database,
nothing read from the refused request). The message is in the visitor's
language (cookie or ``Accept-Language``; Vietnamese by default).

Characters that are valid but unwanted in text people type (controls, bidi
overrides) are a form's business: ``shop.core.text``.
"""

import json
import logging
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponseBadRequest, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_PATH = 2048
MAX_QUERY = 4096
MAX_VALUE = 100_000

API_PREFIXES = ("/api/", "/pos/api/")
GRAPHQL_PREFIX = "/graphql/"

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")

MESSAGES = {
    "nul": _("Yêu cầu có ký tự NUL (mã 0), không được chấp nhận."),
    "utf8": _("Địa chỉ hoặc tham số có mã ký tự không hợp lệ (không phải UTF-8)."),
    "too_long": _("Địa chỉ, tham số hoặc một giá trị gửi lên quá dài."),
    "unreadable": _("Không đọc được dữ liệu gửi lên."),
}


class Refused(Exception):
    """A request refused for ``reason`` (a key of ``MESSAGES``)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _check_text(value, max_length=MAX_VALUE):
    if "\x00" in value:
        raise Refused("nul")
    if len(value) > max_length:
        raise Refused("too_long")


def _check_encoded(raw, max_length):
    """A percent-encoded string of bytes (a query string, a form body)."""
    if len(raw) > max_length:
        raise Refused("too_long")
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        raise Refused("nul")
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("utf8") from None


def check_path(request):
    # Django's WSGIRequest has already decoded the path, re-percenting the bytes that
    # are not UTF-8 (``/t/%ff/`` becomes ``/t/%FF/``): decoding it once more finds them.
    path = request.path_info
    if len(path) > MAX_PATH:
        raise Refused("too_long")
    if "\x00" in path:
        raise Refused("nul")
    try:
        unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("utf8") from None


def check_query(request):
    _check_encoded(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""), MAX_QUERY)


def check_headers(request):
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            raise Refused("nul")
    for key, value in request.COOKIES.items():
        _check_text(key)
        _check_text(value)


def check_form(request):
    if request.method == "POST":
        for key, values in request.POST.lists():
            _check_text(key)
            for value in values:
                _check_text(value)
        for key, files in request.FILES.lists():
            _check_text(key)
            for upload in files:
                _check_text(upload.name or "")
    if request.content_type == "application/x-www-form-urlencoded":
        _check_encoded(request.body, len(request.body))


def check_json(request):
    try:
        data = json.loads(request.body)
    except RecursionError:
        raise Refused("unreadable") from None
    except ValueError:
        return  # not JSON: the view's parser answers that
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)


def is_json(content_type):
    return content_type == "application/json" or content_type.endswith("+json")


def check_request(request):
    """Raise :class:`Refused` when ``request`` breaks a rule of the module docstring."""
    check_path(request)
    check_query(request)
    check_headers(request)
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    content_type = (request.content_type or "").lower()
    try:
        if content_type in FORM_TYPES:
            check_form(request)
        elif is_json(content_type):
            check_json(request)
    except RawPostDataException:
        pass  # the body was already read as a stream before this middleware: nothing to check
    except (MultiPartParserError, SuspiciousOperation, BadRequest, UnreadablePostError):
        raise Refused("unreadable") from None


def refusal(request, reason):
    """The 400 answer: JSON under the APIs, a short themed page elsewhere."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = str(MESSAGES[reason])
        if request.path_info.startswith(GRAPHQL_PREFIX):
            # the GraphQL API answers in GraphQL's error shape (shop.graphql.views)
            return JsonResponse({"errors": [{"message": message, "extensions": {
                "exception": {"code": "bad_request"}}}]}, status=400,
                json_dumps_params={"ensure_ascii": False})
        if request.path_info.startswith(API_PREFIXES):
            return JsonResponse({"detail": message, "code": "bad_request"}, status=400,
                                json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(render_to_string("ocop/bad_request.html",
                                                       {"message": message}))


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except Refused as refused:
            logger.info("Refused %s %r: %s", request.method, request.path_info[:200],
                        refused.reason)
            return refusal(request, refused.reason)
        return self.get_response(request)
