"""The OpenAPI schema (/api/schema/) documents the error answers of every operation.

drf-spectacular documents what a view declares; this ``AutoSchema`` (REST
framework's ``DEFAULT_SCHEMA_CLASS``) adds, to every operation, the refusals it
can answer with the one error body of ``shop.api.errors``, unless the view
documents that status itself:

* 400 (``ValidationError``: ``detail``, ``code``, ``errors`` by field) when the
  operation takes input: a request body, a POST/PUT/PATCH, or query parameters;
* 401 and 403 (``Error``) when it needs a signed-in user (which of the two
  depends on the credential sent: a token that is wrong or expired is 401);
* 404 (``Error``) when its path names an object or its list is paginated (a page
  past the end);
* 415 (``Error``) when it has a request body (a body of another media type);
* 429 (``Error``) when it is throttled.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from shop.api.errors import ErrorSerializer, ValidationErrorSerializer

BODY_METHODS = ("POST", "PUT", "PATCH")


def _errors():
    return {
        "400": OpenApiResponse(ValidationErrorSerializer, _("Dữ liệu gửi lên chưa hợp lệ.")),
        "401": OpenApiResponse(ErrorSerializer, _("Chưa đăng nhập, hoặc mã truy cập sai hay đã hết hạn.")),
        "403": OpenApiResponse(ErrorSerializer, _("Tài khoản này không được làm việc này.")),
        "404": OpenApiResponse(ErrorSerializer, _("Không tìm thấy.")),
        "415": OpenApiResponse(ErrorSerializer, _("Kiểu dữ liệu gửi lên không được hỗ trợ.")),
        "429": OpenApiResponse(ErrorSerializer, _("Quá nhiều yêu cầu; hãy thử lại sau.")),
    }


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        errors = _errors()
        for code in self.error_codes(operation):
            if code not in responses:
                responses[code] = self._get_response_for_code(errors[code], code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation):
        parameters = operation.get("parameters", [])
        query = [p["name"] for p in parameters if p["in"] == "query"]
        has_body = "requestBody" in operation
        if has_body or self.method in BODY_METHODS or query:
            yield "400"
        if self.view.get_authenticators() and any(
            not isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        ):
            yield "401"
            yield "403"
        paginator = self._get_paginator()
        if "{" in self.path or (getattr(paginator, "page_query_param", None) in query):
            yield "404"
        if has_body:
            yield "415"
        if self.view.get_throttles():
            yield "429"
