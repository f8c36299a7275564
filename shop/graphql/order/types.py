"""Saleor's ``Order`` over an Oscar order (placeholder: the account area fills it)."""

import graphene

from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.types import ModelNode, Node


class Order(ModelNode, MetadataMixin, graphene.ObjectType):
    number = graphene.String(required=True)

    class Meta:
        interfaces = (Node, ObjectWithMetadata)
