"""The account area's root fields: ``me``, ``order``, ``orderByToken`` and the token mutations.

Who sees what: ``me`` is the signed-in user (null for a guest); ``order`` and
``orderByToken`` follow ``shop.graphql.order.rules``.
"""

import graphene
from django.utils.translation import gettext as _

from shop.graphql.core.errors import query_error
from shop.graphql.core.ids import InvalidId, pk_of
from shop.graphql.order import rules as order_rules
from shop.graphql.order.types import Order

from .mutations import AccountRegister, CreateToken, RefreshToken, VerifyToken
from .types import User


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User, description="Return the currently authenticated user.")
    order = graphene.Field(Order, id=graphene.ID(), external_reference=graphene.String())
    order_by_token = graphene.Field(Order, token=graphene.UUID(required=True),
                                    deprecation_reason="No longer supported")

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user is not None and user.is_authenticated else None

    @staticmethod
    def resolve_order(root, info, id=None, external_reference=None):
        if id is None and external_reference is None:
            raise query_error(_("Hãy cho một trong hai tham số: 'id' hoặc 'externalReference'."))
        if id is not None and external_reference is not None:
            raise query_error(_("Chỉ cho một trong hai tham số: 'id' hoặc 'externalReference'."))
        if id is None:
            return None  # orders of this shop have no external reference
        try:
            pk = pk_of(id, "Order")
        except InvalidId:
            raise query_error(_("Mã '%(id)s' không phải mã của một đơn hàng (Order).") % {"id": id}) from None
        return order_rules.visible_order(info.context.user, pk)

    @staticmethod
    def resolve_order_by_token(root, info, token):
        return order_rules.order_by_token(token)


class AccountMutations(graphene.ObjectType):
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    account_register = AccountRegister.Field()
