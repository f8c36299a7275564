"""The schema: one Query and one Mutation made of each area's part, as Saleor composes its own."""

import graphene

from .account.schema import AccountMutations, AccountQueries
from .channel.types import ChannelQueries
from .checkout.schema import CheckoutMutations, CheckoutQueries
from .menu.schema import MenuQueries
from .page.schema import PageQueries
from .product.schema import ProductQueries
from .product.types import ASSIGNED_TYPES


class Query(ProductQueries, ChannelQueries, CheckoutQueries, AccountQueries, MenuQueries,
            PageQueries, graphene.ObjectType):
    pass


class Mutation(CheckoutMutations, AccountMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation if Mutation._meta.fields else None,
                        types=list(ASSIGNED_TYPES.values()), auto_camelcase=True)
