"""Saleor's account mutations: tokens (``tokenCreate/Refresh/Verify``) and ``accountRegister``.

Thin: the rules are in ``tokens`` (JWT), ``signin`` (axes-counted sign-in) and
``registration`` (Oscar's sign-up). ``accountErrors`` (deprecated in Saleor) repeats
``errors``.
"""

import graphene
from graphene.types.generic import GenericScalar

from shop.graphql.core.enums import LanguageCodeEnum
from shop.graphql.core.errors import InputError
from shop.graphql.core.inputs import MetadataInput
from shop.graphql.core.mutations import BaseMutation

from . import registration, signin, tokens
from .types import AccountError, AccountErrorCode, User

TOKEN_CODES = {
    tokens.EXPIRED: "JWT_SIGNATURE_EXPIRED",
    tokens.DECODE: "JWT_DECODE_ERROR",
    tokens.INVALID: "JWT_INVALID_TOKEN",
}


def _errors_field():
    return graphene.NonNull(graphene.List(graphene.NonNull(AccountError)))


def _account_errors_field():
    return graphene.Field(graphene.NonNull(graphene.List(graphene.NonNull(AccountError))),
                          deprecation_reason="Use `errors` field instead.")


def _token_error(error, field="token"):
    return InputError(field, TOKEN_CODES.get(error.code, "JWT_INVALID_TOKEN"), error.message)


def _issuer(request):
    return request.build_absolute_uri(request.path)


class AccountMutation(BaseMutation):
    class Meta:
        abstract = True

    error_class = AccountError
    error_enum = AccountErrorCode

    @staticmethod
    def resolve_account_errors(root, info):
        return root.errors


class CreateToken(AccountMutation):
    """Sign in: an access token, a refresh token and its CSRF token."""

    class Arguments:
        audience = graphene.String(description="The audience that will be included to JWT tokens.")
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    token = graphene.String()
    refresh_token = graphene.String()
    csrf_token = graphene.String()
    user = graphene.Field(User)
    account_errors = _account_errors_field()
    errors = _errors_field()

    @classmethod
    def mutate(cls, root, info, email, password, audience=None):
        # no savepoint: a refused sign-in must stay counted (shop.graphql.account.signin)
        request = info.context
        try:
            user = signin.sign_in(request, email, password)
        except InputError as error:
            return cls(errors=[cls.make_error(error)])
        issuer = _issuer(request)
        refresh, csrf = tokens.refresh_token(user, issuer, audience)
        request.user = user
        return cls(token=tokens.access_token(user, issuer, audience), refresh_token=refresh, csrf_token=csrf,
                   user=user, errors=[])


class RefreshToken(AccountMutation):
    """A new access token for a refresh token."""

    class Arguments:
        csrf_token = graphene.String()
        refresh_token = graphene.String()

    token = graphene.String()
    user = graphene.Field(User)
    account_errors = _account_errors_field()
    errors = _errors_field()

    @classmethod
    def perform(cls, root, info, csrf_token=None, refresh_token=None):
        from django.utils.crypto import constant_time_compare
        from django.utils.translation import gettext as _

        if not refresh_token:
            raise InputError("refreshToken", "JWT_MISSING_TOKEN", _("Thiếu refresh token."))
        try:
            payload = tokens.decode(refresh_token)
            if payload.get("type") != tokens.REFRESH:
                raise tokens.TokenError(_("Token không hợp lệ; hãy tạo token mới bằng tokenCreate."),
                                        tokens.INVALID)
            user = tokens.user_of(payload)
        except tokens.TokenError as error:
            raise _token_error(error, "refreshToken") from None
        if csrf_token is not None and not constant_time_compare(str(csrf_token),
                                                                str(payload.get("csrf_token", ""))):
            raise InputError("csrfToken", "JWT_INVALID_CSRF_TOKEN",
                             _("CSRF token không khớp với refresh token."))
        audience = str(payload.get("aud", ""))
        audience = audience[len("custom:"):] if audience.startswith("custom:") else None
        return {"token": tokens.access_token(user, _issuer(info.context), audience), "user": user}


class VerifyToken(AccountMutation):
    """Whether a token is valid, its payload and its user."""

    class Arguments:
        token = graphene.String(required=True)

    user = graphene.Field(User)
    is_valid = graphene.Boolean(required=True)
    payload = GenericScalar()
    account_errors = _account_errors_field()
    errors = _errors_field()

    @classmethod
    def mutate(cls, root, info, token):
        try:
            payload = tokens.decode(token)
            user = tokens.user_of(payload)
        except tokens.TokenError as error:
            return cls(is_valid=False, errors=[cls.make_error(_token_error(error))])
        return cls(is_valid=True, payload=payload, user=user, errors=[])


class AccountRegisterInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.Field(LanguageCodeEnum)
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    redirect_url = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    channel = graphene.String()


class AccountRegister(AccountMutation):
    """A new customer account (no confirmation needed: ``shop.graphql.account.registration``)."""

    class Arguments:
        input = AccountRegisterInput(required=True)

    user = graphene.Field(User, deprecation_reason=(
        "The field always returns a `User` object constructed from the input data. The `user.id` is "
        "always empty. To determine whether the user exists in Saleor, query via an external app with the "
        "required permissions."))
    requires_confirmation = graphene.Boolean()
    account_errors = _account_errors_field()
    errors = _errors_field()

    @classmethod
    def perform(cls, root, info, input):
        user = registration.register(
            info.context, input.get("email"), input.get("password"), first_name=input.get("first_name"),
            last_name=input.get("last_name"), channel=input.get("channel"))
        return {"user": user, "requires_confirmation": False}
