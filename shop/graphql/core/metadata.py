"""Saleor's ``ObjectWithMetadata``: public key/value facts of an object.

A type lists its facts in ``metadata_dict(root, info)``; the mixin answers
``metadata``, ``metafield(key)`` and ``metafields(keys)`` from it. Private
metadata (staff only in Saleor) is not offered by this storefront API.
"""

import graphene


class Metadata(graphene.JSONString):
    """Saleor's ``Metadata`` scalar: a JSON object of string keys and values."""

    class Meta:
        name = "Metadata"

    @staticmethod
    def serialize(value):
        return dict(value)


class MetadataItem(graphene.ObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(required=True, description="Value of a metadata item.")


class ObjectWithMetadata(graphene.Interface):
    metadata = graphene.NonNull(graphene.List(graphene.NonNull(MetadataItem)))
    metafield = graphene.String(key=graphene.String(required=True))
    metafields = graphene.Field(Metadata, keys=graphene.List(graphene.NonNull(graphene.String)))


def _facts(root, info):
    return info.parent_type.graphene_type.metadata_dict(root, info) or {}


class MetadataMixin:
    """Resolvers of ``ObjectWithMetadata`` for an ObjectType defining ``metadata_dict``."""

    @staticmethod
    def metadata_dict(root, info):
        return {}

    @staticmethod
    def resolve_metadata(root, info):
        return [MetadataItem(key=k, value=str(v)) for k, v in _facts(root, info).items()]

    @staticmethod
    def resolve_metafield(root, info, key):
        value = _facts(root, info).get(key)
        return None if value is None else str(value)

    @staticmethod
    def resolve_metafields(root, info, keys=None):
        facts = _facts(root, info)
        return {k: str(v) for k, v in facts.items() if keys is None or k in keys}
