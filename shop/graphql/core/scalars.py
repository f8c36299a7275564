"""Saleor's scalars that graphene does not name the same way."""

import graphene
from graphene.types.generic import GenericScalar


class PositiveInt(graphene.Int):
    """Saleor's ``PositiveInt``: an integer ≥ 1 (``limit`` arguments)."""

    class Meta:
        name = "PositiveInt"

    @staticmethod
    def parse_value(value):
        number = graphene.Int.parse_value(value)
        return number if number is not None and number >= 1 else None

    @classmethod
    def parse_literal(cls, node, _variables=None):
        number = graphene.Int.parse_literal(node)
        return number if number is not None and number >= 1 else None


class JSON(GenericScalar):
    """Saleor's ``JSON``: any JSON value, sent as JSON (not as a string)."""

    class Meta:
        name = "JSON"


class PositiveDecimal(graphene.Decimal):
    """Saleor's ``PositiveDecimal`` scalar (a checkout line's ``price``: accepted, never used)."""

    class Meta:
        name = "PositiveDecimal"
