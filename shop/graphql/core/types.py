"""Types several areas share: countries, languages, addresses (Saleor's account types)."""

import graphene
from django.utils.translation import gettext as _

from .enums import LanguageCodeEnum
from .ids import to_global_id
from .metadata import MetadataMixin, ObjectWithMetadata


class VAT(graphene.ObjectType):
    country_code = graphene.String(required=True)
    standard_rate = graphene.Float()


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True, description="Country code.")
    country = graphene.String(required=True, description="Country name.")

    @staticmethod
    def of(code):
        names = {"VN": _("Việt Nam")}
        return CountryDisplay(code=code, country=str(names.get(code, code)))


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True)
    language = graphene.String(required=True)


class Node(graphene.Interface):
    """Saleor's (and Relay's) ``Node``: an object with a global id."""

    id = graphene.ID(required=True, description="The ID of the object.")

    class Meta:
        name = "Node"


class ModelNode:
    """``id`` = base64 ``"<GraphQL type>:<pk>"`` of a model row (or anything with ``pk``)."""

    @staticmethod
    def resolve_id(root, info):
        pk = root["pk"] if isinstance(root, dict) else root.pk
        return to_global_id(info.parent_type.name, pk)


ADDRESS_FIELDS = ("first_name", "last_name", "company_name", "street_address_1", "street_address_2",
                  "city", "city_area", "postal_code", "country", "country_area", "phone")


class Address(ModelNode, MetadataMixin, graphene.ObjectType):
    """An address in Saleor's fields; the root is a dict with every key of ``ADDRESS_FIELDS``
    (strings, "" when unknown), ``pk`` and the two default flags."""

    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address_1 = graphene.String(required=True, name="streetAddress1")
    street_address_2 = graphene.String(required=True, name="streetAddress2")
    city = graphene.String(required=True)
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True)
    country_area = graphene.String(required=True)
    phone = graphene.String()
    is_default_shipping_address = graphene.Boolean()
    is_default_billing_address = graphene.Boolean()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_country(root, info):
        return CountryDisplay.of(root.get("country") or "VN")
