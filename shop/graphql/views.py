"""``/graphql/``: the Saleor-compatible storefront API (thin: parse, limit, run, answer).

* ``POST`` a JSON body ``{"query", "variables", "operationName"}`` (or a list of
  them, as Saleor's batching accepts); ``GET ?query=`` runs queries only.
* ``Authorization: Bearer <access token>`` signs the buyer in
  (``shop.graphql.account.tokens``); no cookie session is read, so no CSRF token
  is needed and none is exempted for a cookie-authenticated user.
* Every answer is GraphQL's ``{"data", "errors"}``; a document that does not
  parse or validate is a 400, anything else a 200. An unexpected error in a
  resolver is logged and answered as a GraphQL error (never a 500 page), and
  the request's transaction is rolled back.
"""

import json
import logging

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphql import GraphQLError, OperationType, execute_sync, get_operation_ast, parse, validate

from .account import tokens
from .core import limits
from .core.context import RequestContext
from .schema import schema

logger = logging.getLogger(__name__)

MAX_BATCH = 10


def _error(message, code):
    return {"message": str(message), "extensions": {"exception": {"code": code}}}


def _format(error):
    formatted = error.formatted
    original = getattr(error, "original_error", None)
    if original is not None and not isinstance(original, GraphQLError):
        logger.error("GraphQL resolver failed", exc_info=original)
        formatted["message"] = _("Lỗi máy chủ khi xử lý yêu cầu; đã ghi lại để xử lý.")
        formatted["extensions"] = {"exception": {"code": "INTERNAL_ERROR"}}
    # every error carries a code, as Saleor's do (a variable of the wrong type, say)
    formatted.setdefault("extensions", {}).setdefault("exception", {"code": "GRAPHQL_ERROR"})
    return formatted


@method_decorator(csrf_exempt, name="dispatch")  # Bearer tokens only: no cookie is trusted here
class GraphQLView(View):
    def get(self, request):
        if "query" not in request.GET:
            return render(request, "graphql/index.html", {"endpoint": request.path})
        variables = request.GET.get("variables")
        try:
            variables = json.loads(variables) if variables else None
        except ValueError:
            return JsonResponse({"errors": [_error(_("`variables` không phải JSON hợp lệ."),
                                                   "INVALID")]}, status=400)
        body, status = self.execute(request, {
            "query": request.GET.get("query"), "variables": variables,
            "operationName": request.GET.get("operationName")}, allow_mutations=False)
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})

    def post(self, request):
        try:
            payload = json.loads(request.body or b"null")
        except ValueError:
            return self.answer({"errors": [_error(_("Nội dung gửi lên không phải JSON hợp lệ."),
                                                  "JSON_ERROR")]}, 400)
        if isinstance(payload, list):
            if not payload or len(payload) > MAX_BATCH:
                return self.answer({"errors": [_error(
                    _("Một lần gửi được từ 1 đến %(n)s truy vấn.") % {"n": MAX_BATCH}, "INVALID")]}, 400)
            results = [self.execute(request, item)[0] for item in payload]
            return self.answer(results, 200)
        body, status = self.execute(request, payload)
        return self.answer(body, status)

    @staticmethod
    def answer(body, status):
        return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})

    def authenticate(self, request):
        try:
            return tokens.user_from_header(request.META.get("HTTP_AUTHORIZATION", ""))
        except tokens.TokenError as error:
            raise GraphQLError(error.message, extensions={"exception": {"code": error.code}}) from None

    def execute(self, request, payload, allow_mutations=True):
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return {"errors": [_error(_("Thiếu truy vấn (`query`)."), "GRAPHQL_ERROR")]}, 400
        variables = payload.get("variables") or {}
        operation_name = payload.get("operationName") or None
        if not isinstance(variables, dict) or not (operation_name is None or isinstance(operation_name, str)):
            return {"errors": [_error(_("`variables` phải là một đối tượng JSON."), "INVALID")]}, 400
        try:
            document = parse(payload["query"])
        except GraphQLError as error:
            return {"errors": [_format(error)]}, 400
        errors = validate(schema.graphql_schema, document)
        if errors:
            return {"errors": [_format(e) for e in errors]}, 400
        errors = limits.check(document, variables, operation_name)
        if errors:
            return {"errors": [_format(e) for e in errors]}, 400
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return {"errors": [_error(_("Không xác định được thao tác cần chạy (`operationName`)."),
                                      "GRAPHQL_ERROR")]}, 400
        if operation.operation == OperationType.MUTATION and not allow_mutations:
            return {"errors": [_error(_("Thao tác thay đổi dữ liệu phải gửi bằng POST."),
                                      "GRAPHQL_ERROR")]}, 405
        try:
            request.user = self.authenticate(request) or AnonymousUser()
        except GraphQLError as error:
            return {"errors": [error.formatted]}, 200
        request.ocop = RequestContext(request)
        with transaction.atomic():
            result = execute_sync(schema.graphql_schema, document, variable_values=variables,
                                  operation_name=operation_name, context_value=request)
            body = {}
            if result.errors:
                body["errors"] = [_format(e) for e in result.errors]
                if any(getattr(e, "original_error", None) is not None
                       and not isinstance(e.original_error, GraphQLError) for e in result.errors):
                    transaction.set_rollback(True)
        body["data"] = result.data
        return body, 200
