"""Saleor's ``Warehouse`` over a sales point (``showroom.models.Location``).

Saleor shows click-and-collect points as warehouses in
``Checkout.availableCollectionPoints``; the shop's collect points are its sales
points. ``clickAndCollectOption`` is ``LOCAL`` when the point holds everything
the checkout needs (its own stock: ``shop.shipping.availability``), else
``DISABLED``. Id: ``Warehouse:<location pk>``; the root is a
``shop.shipping.methods.CollectAt`` (the location and what it lacks) or a
``Location``.
"""

import graphene

from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.types import Address, Node


class WarehouseClickAndCollectOptionEnum(graphene.Enum):
    DISABLED = "disabled"
    LOCAL = "local"
    ALL = "all"


def _location(root):
    return getattr(root, "location", root)


class Warehouse(MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    email = graphene.String(required=True)
    is_private = graphene.Boolean(required=True)
    address = graphene.Field(Address, required=True)
    company_name = graphene.String(required=True)
    click_and_collect_option = graphene.Field(WarehouseClickAndCollectOptionEnum, required=True)
    external_reference = graphene.String()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def metadata_dict(root, info):
        location = _location(root)
        facts = {"kind": location.kind}
        if location.phone:
            facts["phone"] = location.phone
        shortages = getattr(root, "shortages", None)
        if shortages:
            facts["shortages"] = "; ".join(str(s) for s in shortages)
        return facts

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Warehouse", _location(root).pk)

    @staticmethod
    def resolve_name(root, info):
        return _location(root).name

    @staticmethod
    def resolve_slug(root, info):
        return _location(root).code

    @staticmethod
    def resolve_email(root, info):
        return ""

    @staticmethod
    def resolve_is_private(root, info):
        return False

    @staticmethod
    def resolve_company_name(root, info):
        return _location(root).name

    @staticmethod
    def resolve_address(root, info):
        location = _location(root)
        return {
            "pk": f"warehouse-{location.pk}", "first_name": "", "last_name": "",
            "company_name": location.name, "street_address_1": location.address or "",
            "street_address_2": "", "city": "", "city_area": "", "postal_code": "",
            "country": "VN", "country_area": "", "phone": location.phone or "",
            "is_default_shipping_address": None, "is_default_billing_address": None,
        }

    @staticmethod
    def resolve_click_and_collect_option(root, info):
        if getattr(root, "can_serve", True):
            return WarehouseClickAndCollectOptionEnum.LOCAL
        return WarehouseClickAndCollectOptionEnum.DISABLED

    @staticmethod
    def resolve_external_reference(root, info):
        return _location(root).code
