"""Input types several areas share (Saleor's names and fields)."""

import graphene

from .enums import CountryCode


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"


class MetadataInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.String(required=True)


class MetadataFilter(graphene.InputObjectType):
    key = graphene.String(required=True)
    value = graphene.String()


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    company_name = graphene.String()
    street_address_1 = graphene.String(name="streetAddress1")
    street_address_2 = graphene.String(name="streetAddress2")
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country = CountryCode()
    country_area = graphene.String()
    phone = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    skip_validation = graphene.Boolean(default_value=False)


class StringFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class GlobalIDFilterInput(graphene.InputObjectType):
    eq = graphene.ID()
    one_of = graphene.List(graphene.NonNull(graphene.ID))


class DecimalRangeInput(graphene.InputObjectType):
    gte = graphene.Decimal()
    lte = graphene.Decimal()


class DecimalFilterInput(graphene.InputObjectType):
    eq = graphene.Decimal()
    one_of = graphene.List(graphene.NonNull(graphene.Decimal))
    range = graphene.InputField(DecimalRangeInput)


class IntRangeInput(graphene.InputObjectType):
    gte = graphene.Int()
    lte = graphene.Int()


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime()
    lte = graphene.DateTime()
