"""Saleor's ``ShippingMethod`` over the shop's home delivery (``shop.shipping.methods.Delivery``).

The root is an Oscar shipping method (possibly wrapped by a shipping offer)
with the checkout's basket: ``(method, basket)``. Id: ``ShippingMethod:<code>``
(``ShippingMethod:delivery``); ``price`` is the fee for this basket (zone ×
weight table, free above the zone's threshold), ``description`` the method's
note as an Editor.js document.
"""

import graphene

from shop.graphql.core import editorjs
from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.money import Money
from shop.graphql.core.types import Node


class ShippingMethod(MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    description = graphene.JSONString()
    maximum_delivery_days = graphene.Int()
    minimum_delivery_days = graphene.Int()
    price = graphene.Field(Money, required=True)
    maximum_order_price = graphene.Field(Money)
    minimum_order_price = graphene.Field(Money)
    active = graphene.Boolean(required=True)
    message = graphene.String()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("ShippingMethod", root[0].code)

    @staticmethod
    def resolve_name(root, info):
        return str(root[0].name)

    @staticmethod
    def resolve_description(root, info):
        return editorjs.document(str(getattr(root[0], "description", "") or ""))

    @staticmethod
    def resolve_maximum_delivery_days(root, info):
        return None

    @staticmethod
    def resolve_minimum_delivery_days(root, info):
        return None

    @staticmethod
    def resolve_price(root, info):
        method, basket = root
        return Money.of(method.calculate(basket).incl_tax)

    @staticmethod
    def resolve_maximum_order_price(root, info):
        return None

    @staticmethod
    def resolve_minimum_order_price(root, info):
        return None

    @staticmethod
    def resolve_active(root, info):
        return True

    @staticmethod
    def resolve_message(root, info):
        return None
