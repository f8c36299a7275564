"""The producer API's token endpoints: thin views over ``vendors.tokens``.

``POST /api/producer/token/`` (username or email + password, form or JSON) answers
``{"token", "expiry"}`` to a producer, 403 to everybody else; wrong passwords count
towards the sign-in lock (``shop.core.signin``: 429 ``login_locked``).
``POST``/``DELETE /api/producer/token/revoke/`` ends the token it is called with,
``.../revoke-all/`` every token of the producer.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField
from rest_framework.views import APIView

from vendors import tokens

ERROR = inline_serializer("TokenError", {"detail": serializers.CharField(), "code": serializers.CharField()})
CREDENTIALS = inline_serializer("TokenCredentials", {
    "username": serializers.CharField(help_text="Tên đăng nhập hoặc email"),
    "password": serializers.CharField(),
})
TOKEN = inline_serializer("ProducerToken", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()})


def _error(message, code, status_code):
    return Response({"detail": message, "code": code}, status=status_code)


class ObtainTokenView(APIView):
    """Username (or email) and password in, a producer's token out."""

    authentication_classes = []  # credentials in the body; no session, so no CSRF to pass
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        tags=["producer"], request=CREDENTIALS, auth=[],
        responses={200: TOKEN, 400: ERROR, 403: ERROR, 429: ERROR},
        summary=gettext_lazy("Lấy token API của chủ thể OCOP"),
    )
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            return _error(_("Dữ liệu gửi lên phải là một đối tượng JSON."), "invalid", 400)
        username, password = data.get("username"), data.get("password")
        if not isinstance(username, str) or not isinstance(password, str) \
                or not username.strip() or not password:
            return _error(_("Hãy nhập tên đăng nhập (hoặc email) và mật khẩu."), "invalid", 400)
        # The plain HttpRequest: axes marks it, and its middleware answers a lock-out (429).
        django_request = request._request
        user = authenticate(django_request, username=username.strip(), password=password)
        if user is None:
            return _error(_("Tên đăng nhập hoặc mật khẩu không đúng."), "invalid_credentials", 400)
        try:
            instance, token = tokens.issue(user)
        except tokens.TokenRefused as refused:
            return _error(str(refused), refused.code, status.HTTP_403_FORBIDDEN)
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": token, "expiry": DateTimeField().to_representation(instance.expiry)})


class RevokeTokenView(APIView):
    """End the token this request carries."""

    authentication_classes = [KnoxTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["producer"], request=None, responses={204: None},
                   summary=gettext_lazy("Thu hồi token đang dùng"))
    def post(self, request):
        tokens.revoke(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(tags=["producer"], request=None, responses={204: None},
                   summary=gettext_lazy("Thu hồi token đang dùng"))
    def delete(self, request):
        return self.post(request)


class RevokeAllTokensView(APIView):
    """End every token of the producer (a lost laptop, a leaked script)."""

    authentication_classes = tokens.TOKEN_AUTHENTICATION
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["producer"], request=None,
                   responses={200: inline_serializer("RevokedTokens", {"revoked": serializers.IntegerField()})},
                   summary=gettext_lazy("Thu hồi mọi token của tài khoản"))
    def post(self, request):
        return Response({"revoked": tokens.revoke_all(request.user)})
