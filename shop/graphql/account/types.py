"""Saleor's account types over Django's user and Oscar's addresses.

``User`` → ``django.contrib.auth`` user (``User:<pk>``); ``addresses`` are the
user's Oscar ``UserAddress`` rows (``shop.graphql.account.addresses``), ``orders``
their Oscar orders, newest first (``shop.graphql.order.rules.orders_of``). An
account has no language of its own in this shop: ``languageCode`` is the
request's (Vietnamese unless the client asks for English).
"""

import graphene
from django.utils.translation import get_language

from shop.graphql.core.connection import connection_from_queryset
from shop.graphql.core.enums import AddressTypeEnum, LanguageCodeEnum
from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.mutations import error_type
from shop.graphql.core.types import Address, ModelNode, Node
from shop.graphql.order.addresses import user_address_dict

ACCOUNT_ERROR_CODES = (
    "ACTIVATE_OWN_ACCOUNT", "ACTIVATE_SUPERUSER_ACCOUNT", "DUPLICATED_INPUT_ITEM", "DEACTIVATE_OWN_ACCOUNT",
    "DEACTIVATE_SUPERUSER_ACCOUNT", "DELETE_NON_STAFF_USER", "DELETE_OWN_ACCOUNT", "DELETE_STAFF_ACCOUNT",
    "DELETE_SUPERUSER_ACCOUNT", "GRAPHQL_ERROR", "INACTIVE", "INVALID", "INVALID_PASSWORD",
    "LEFT_NOT_MANAGEABLE_PERMISSION", "INVALID_CREDENTIALS", "NOT_FOUND", "OUT_OF_SCOPE_USER",
    "OUT_OF_SCOPE_GROUP", "OUT_OF_SCOPE_PERMISSION", "PASSWORD_ENTIRELY_NUMERIC", "PASSWORD_TOO_COMMON",
    "PASSWORD_TOO_SHORT", "PASSWORD_TOO_SIMILAR", "PASSWORD_RESET_ALREADY_REQUESTED", "REQUIRED", "UNIQUE",
    "JWT_SIGNATURE_EXPIRED", "JWT_INVALID_TOKEN", "JWT_DECODE_ERROR", "JWT_MISSING_TOKEN",
    "JWT_INVALID_CSRF_TOKEN", "CHANNEL_INACTIVE", "MISSING_CHANNEL_SLUG", "ACCOUNT_NOT_CONFIRMED",
    "LOGIN_ATTEMPT_DELAYED", "UNKNOWN_IP_ADDRESS", "FILE_SIZE_LIMIT_EXCEEDED",
)

AccountErrorCode = graphene.Enum("AccountErrorCode", [(code, code.lower()) for code in ACCOUNT_ERROR_CODES])


AccountError = error_type("AccountError", AccountErrorCode, {
    "address_type": graphene.Field(AddressTypeEnum, description="A type of address that causes the error."),
})


def _order_connection():
    from shop.graphql.order.types import OrderCountableConnection

    return OrderCountableConnection


def _addresses(root):
    cache = getattr(root, "_graphql_addresses", None)
    if cache is None:
        cache = [user_address_dict(a) for a in root.addresses.select_related("country").order_by("-id")]
        root._graphql_addresses = cache
    return cache


class User(ModelNode, MetadataMixin, graphene.ObjectType):
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    is_confirmed = graphene.Boolean(required=True)
    addresses = graphene.NonNull(graphene.List(graphene.NonNull(Address)))
    checkout_ids = graphene.List(graphene.NonNull(graphene.ID), channel=graphene.String())
    orders = graphene.Field(lambda: _order_connection(), before=graphene.String(), after=graphene.String(),
                           first=graphene.Int(), last=graphene.Int())
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    default_shipping_address = graphene.Field(Address)
    default_billing_address = graphene.Field(Address)
    external_reference = graphene.String()
    last_login = graphene.DateTime()
    date_joined = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_is_confirmed(root, info):
        return True

    @staticmethod
    def resolve_addresses(root, info):
        return _addresses(root)

    @staticmethod
    def resolve_default_shipping_address(root, info):
        return next((a for a in _addresses(root) if a["is_default_shipping_address"]), None)

    @staticmethod
    def resolve_default_billing_address(root, info):
        return next((a for a in _addresses(root) if a["is_default_billing_address"]), None)

    @staticmethod
    def resolve_checkout_ids(root, info, channel=None):
        from shop.graphql.channel import channels
        from shop.graphql.models import Checkout

        if channel is not None and not channels.exists(channel):
            return []
        if not _is_self(info, root):
            return None
        tokens = Checkout.objects.filter(user_id=root.pk, order__isnull=True).values_list("token", flat=True)
        return [to_global_id("Checkout", token) for token in tokens]

    @staticmethod
    def resolve_orders(root, info, **args):
        from shop.graphql.order import rules
        from shop.graphql.order.types import OrderCountableConnection

        if not _is_self(info, root) and not getattr(info.context.user, "is_staff", False):
            return None
        return connection_from_queryset(rules.orders_of(root), args, OrderCountableConnection, info)

    @staticmethod
    def resolve_language_code(root, info):
        return LanguageCodeEnum.EN if (get_language() or "vi").startswith("en") else LanguageCodeEnum.VI

    @staticmethod
    def resolve_external_reference(root, info):
        return None

    @staticmethod
    def resolve_updated_at(root, info):
        return max(moment for moment in (root.date_joined, root.last_login) if moment is not None)


def _is_self(info, user):
    viewer = info.context.user
    return viewer is not None and viewer.is_authenticated and viewer.pk == user.pk
