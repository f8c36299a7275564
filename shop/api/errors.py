"""How the JSON APIs (/api/ and /pos/api/) answer a refusal: one error body, everywhere.

Rules:

* Every error answer of the APIs is JSON of one shape::

      {"detail": "<a Vietnamese sentence for a person>", "code": "<a code for programs>"}

  ``code`` is the exception's code in Django REST framework (``not_found``,
  ``permission_denied``, ``not_authenticated``, ``authentication_failed``,
  ``throttled``, ``parse_error``, ``unsupported_media_type``,
  ``method_not_allowed``, ``not_acceptable``) or the till rule's own code
  (``pos.errors``: ``invalid``, ``conflict``, ``approval_required``, ...).
  Till refusals may add keys of their own (``field``).
* A 400 for invalid input (``code`` ``invalid``) also carries
  ``"errors": {"<field>": ["<message>", ...]}``; messages that belong to no field
  are under ``non_field_errors``.
* A path that names nothing under /api/ or /pos/api/ (an unknown address, an id
  that is not a number) answers the same JSON 404 (:func:`page_not_found`, the
  project's ``handler404``), not the HTML page of the shop.
* The schema documents these answers on every operation (``shop.api.schema``),
  with :class:`ErrorSerializer` and :class:`ValidationErrorSerializer` declared
  here once.
"""

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIXES = ("/api/", "/pos/api/")


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer of the APIs."""

    detail = serializers.CharField(help_text=gettext_lazy("Lời giải thích cho người dùng."))
    code = serializers.CharField(
        help_text=gettext_lazy("Mã lỗi cho chương trình, ví dụ not_found, invalid."),
    )


class ValidationErrorSerializer(ErrorSerializer):
    """A 400 for invalid input: the messages of each field that was refused."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text=gettext_lazy("Lỗi theo từng trường; lỗi chung nằm ở non_field_errors."),
    )


def not_found_body():
    return {"detail": _("Không tìm thấy."), "code": "not_found"}


def error_body(exc):
    """The body for a REST framework exception ``exc`` (see the module's rules)."""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        detail = (str(general[0]) if isinstance(general, list) and general
                  else _("Dữ liệu gửi lên chưa hợp lệ."))
        return {"detail": detail, "code": "invalid", "errors": errors}
    detail, code = exc.detail, exc.get_codes()
    if not isinstance(code, str):  # an APIException raised with a list or a dict
        detail, code = str(exc.default_detail), exc.default_code
    return {"detail": str(detail), "code": code}


def exception_handler(exc, context):
    """REST framework's ``EXCEPTION_HANDLER``: its answer, in the one error body.

    REST framework marks the request's transaction for rollback (``ATOMIC_REQUESTS``).
    A view that runs outside it (``non_atomic_requests``: the till's sale, which is its
    own transaction) has none; it must not mark a transaction it does not own — the
    caller's, e.g. a test's.
    """
    if isinstance(exc, Http404):
        # Django's message names the model, in English.
        exc = exceptions.NotFound(not_found_body()["detail"])
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    view = context.get("view")
    if view is not None and not getattr(view, "atomic_request", True):
        marks = {db.alias: db.needs_rollback for db in connections.all() if db.in_atomic_block}
        response = drf_exception_handler(exc, context)
        for alias, mark in marks.items():
            connections[alias].needs_rollback = mark
    else:
        response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
    return response


def page_not_found(request, exception):
    """``handler404``: JSON under the API prefixes, Django's page everywhere else."""
    if request.path_info.startswith(API_PREFIXES):
        return JsonResponse(not_found_body(), status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)
