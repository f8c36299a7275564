"""Saleor's catalogue types over Oscar's: Product, ProductVariant, Category, Collection...

Roots: ``Product``/``ProductVariant`` → ``catalogue.Product`` (a standalone
product is its own single variant), ``Category`` → ``catalogue.Category``,
``Collection`` → ``offer.Range``, ``ProductType`` → ``catalogue.ProductClass``,
``ProductMedia`` → ``catalogue.ProductImage``. What a product shows beyond its
row comes from the batch loaders (``shop.graphql.product.loaders``), prices and
stock from the shop's strategy (``shop.graphql.product.pricing``), the OCOP facts
as attributes and metadata (``shop.graphql.product.attributes``).
"""

import graphene
from oscar.core.thumbnails import get_thumbnailer

from shop.graphql.core import editorjs
from shop.graphql.core.connection import CountableConnection, connection_from_queryset
from shop.graphql.core.enums import LanguageCodeEnum, ThumbnailFormatEnum
from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.money import TaxedMoney, TaxedMoneyRange
from shop.graphql.core.scalars import JSON, PositiveInt
from shop.graphql.core.types import ModelNode, Node

from . import attributes as ocop_attributes
from . import listing, loaders, pricing

# Saleor's thumbnail sizes; a requested size is rounded up to the next one.
THUMBNAIL_SIZES = (32, 64, 128, 256, 512, 1024, 2048, 4096)


def thumbnail_size(size):
    if not size:
        return None
    for allowed in THUMBNAIL_SIZES:
        if size <= allowed:
            return allowed
    return THUMBNAIL_SIZES[-1]


def image_url(info, image_file, size=None):
    """Absolute URL of ``image_file`` or of its rendition fitting a ``size``-pixel square."""
    if not image_file:
        return None
    size = thumbnail_size(size)
    if size is None:
        url = image_file.url
    else:
        rendition = get_thumbnailer().generate_thumbnail(image_file, size=f"{size}x{size}", upscale=False)
        if rendition is None:
            url = image_file.url
        else:
            url = rendition.url
    return info.context.build_absolute_uri(url)


# --- Enums ------------------------------------------------------------------------------


class AttributeInputTypeEnum(graphene.Enum):
    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    FILE = "file"
    REFERENCE = "reference"
    SINGLE_REFERENCE = "single-reference"
    NUMERIC = "numeric"
    RICH_TEXT = "rich-text"
    PLAIN_TEXT = "plain-text"
    SWATCH = "swatch"
    BOOLEAN = "boolean"
    DATE = "date"
    DATE_TIME = "date-time"


class AttributeEntityTypeEnum(graphene.Enum):
    PAGE = "Page"
    PRODUCT = "Product"
    PRODUCT_VARIANT = "ProductVariant"
    CATEGORY = "Category"
    COLLECTION = "Collection"


class AttributeTypeEnum(graphene.Enum):
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"


class ProductMediaType(graphene.Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"


class ProductTypeKindEnum(graphene.Enum):
    NORMAL = "normal"
    GIFT_CARD = "gift_card"


# --- Images ------------------------------------------------------------------------------


class Image(graphene.ObjectType):
    url = graphene.String(required=True, description="The URL of the image.")
    alt = graphene.String(description="Alt text for an image.")


class ProductMedia(ModelNode, MetadataMixin, graphene.ObjectType):
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    oembed_data = graphene.JSONString(required=True)
    url = graphene.String(required=True, size=graphene.Int(),
                          format=graphene.Argument(ThumbnailFormatEnum, default_value="original"))
    product_id = graphene.ID()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_sort_order(root, info):
        return root.display_order

    @staticmethod
    def resolve_alt(root, info):
        return root.caption or root.product.get_title() if root.product_id else root.caption or ""

    @staticmethod
    def resolve_type(root, info):
        return ProductMediaType.IMAGE

    @staticmethod
    def resolve_oembed_data(root, info):
        return {}

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        return image_url(info, root.original, size) or ""

    @staticmethod
    def resolve_product_id(root, info):
        return to_global_id("Product", root.product_id)


# --- Attributes ---------------------------------------------------------------------------


class AttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    value = graphene.String()
    input_type = graphene.Field(AttributeInputTypeEnum)
    reference = graphene.ID()
    rich_text = graphene.JSONString()
    plain_text = graphene.String()
    boolean = graphene.Boolean()
    date = graphene.Date()
    date_time = graphene.DateTime()

    class Meta:
        interfaces = (Node,)

    # roots: (Definition, Value) pairs
    @staticmethod
    def resolve_id(root, info):
        definition, value = root
        return to_global_id("AttributeValue", value.pk or f"{definition.slug}:{value.slug}")

    @staticmethod
    def resolve_name(root, info):
        return root[1].name

    @staticmethod
    def resolve_slug(root, info):
        return root[1].slug

    @staticmethod
    def resolve_value(root, info):
        return root[1].plain_text or root[1].name

    @staticmethod
    def resolve_input_type(root, info):
        return AttributeInputTypeEnum[root[0].input_type]

    @staticmethod
    def resolve_reference(root, info):
        reference = root[1].reference
        return to_global_id("Product", reference.pk) if reference is not None else None

    @staticmethod
    def resolve_rich_text(root, info):
        return editorjs.document(root[1].rich_text) if root[1].rich_text else None

    @staticmethod
    def resolve_plain_text(root, info):
        return root[1].plain_text

    @staticmethod
    def resolve_boolean(root, info):
        return root[1].boolean

    @staticmethod
    def resolve_date(root, info):
        return root[1].date


class Attribute(MetadataMixin, graphene.ObjectType):
    input_type = graphene.Field(AttributeInputTypeEnum)
    entity_type = graphene.Field(AttributeEntityTypeEnum)
    name = graphene.String()
    slug = graphene.String()
    type = graphene.Field(AttributeTypeEnum)
    value_required = graphene.Boolean(required=True)
    visible_in_storefront = graphene.Boolean(required=True)
    filterable_in_dashboard = graphene.Boolean(required=True)
    with_choices = graphene.Boolean(required=True)

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    # root: a Definition
    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Attribute", root.id_key)

    @staticmethod
    def resolve_input_type(root, info):
        return AttributeInputTypeEnum[root.input_type]

    @staticmethod
    def resolve_entity_type(root, info):
        return AttributeEntityTypeEnum[root.entity_type] if root.entity_type else None

    @staticmethod
    def resolve_type(root, info):
        return AttributeTypeEnum.PRODUCT_TYPE

    @staticmethod
    def resolve_value_required(root, info):
        return False

    @staticmethod
    def resolve_visible_in_storefront(root, info):
        return True

    @staticmethod
    def resolve_filterable_in_dashboard(root, info):
        return root.input_type in ("DROPDOWN", "MULTISELECT", "NUMERIC", "BOOLEAN", "DATE")

    @staticmethod
    def resolve_with_choices(root, info):
        return root.input_type in ("DROPDOWN", "MULTISELECT", "SWATCH")


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.NonNull(graphene.List(graphene.NonNull(AttributeValue)))

    # root: an Assigned
    @staticmethod
    def resolve_attribute(root, info):
        return root.definition

    @staticmethod
    def resolve_values(root, info):
        return [(root.definition, value) for value in root.values]


class AssignedAttribute(graphene.Interface):
    attribute = graphene.Field(Attribute, required=True)

    @classmethod
    def resolve_type(cls, instance, info):
        return ASSIGNED_TYPES.get(instance.definition.input_type, AssignedPlainTextAttribute)


class AssignedChoiceAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


def _attribute(root, info):
    return root.definition


def _first(root):
    return root.values[0] if root.values else None


def _first_value(field):
    """``resolve_value`` of a single-value attribute: ``field`` of its one value, or None."""
    return staticmethod(lambda root, info: getattr(_first(root), field, None))


class AssignedNumericAttribute(graphene.ObjectType):
    value = graphene.Float()
    resolve_attribute = staticmethod(_attribute)
    resolve_value = _first_value("numeric")

    class Meta:
        interfaces = (AssignedAttribute,)


class AssignedPlainTextAttribute(graphene.ObjectType):
    value = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum, required=True))
    resolve_attribute = staticmethod(_attribute)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info):
        value = _first(root)
        return value.plain_text if value else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class AssignedSingleChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedChoiceAttributeValue)
    resolve_attribute = staticmethod(_attribute)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info):
        value = _first(root)
        return AssignedChoiceAttributeValue(name=value.name, slug=value.slug) if value else None


class AssignedMultiChoiceAttribute(graphene.ObjectType):
    value = graphene.NonNull(graphene.List(graphene.NonNull(AssignedChoiceAttributeValue)),
                             limit=graphene.Argument(PositiveInt, default_value=100))
    resolve_attribute = staticmethod(_attribute)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info, limit=100):
        return [AssignedChoiceAttributeValue(name=v.name, slug=v.slug) for v in root.values[:limit]]


class AssignedBooleanAttribute(graphene.ObjectType):
    value = graphene.Boolean()
    resolve_attribute = staticmethod(_attribute)
    resolve_value = _first_value("boolean")

    class Meta:
        interfaces = (AssignedAttribute,)


class AssignedDateAttribute(graphene.ObjectType):
    value = graphene.Date()
    resolve_attribute = staticmethod(_attribute)
    resolve_value = _first_value("date")

    class Meta:
        interfaces = (AssignedAttribute,)


class AssignedTextAttribute(graphene.ObjectType):
    value = JSON()
    translation = JSON(language_code=graphene.Argument(LanguageCodeEnum, required=True))
    resolve_attribute = staticmethod(_attribute)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info):
        value = _first(root)
        return editorjs.document(value.rich_text) if value and value.rich_text else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class AssignedMultiProductReferenceAttribute(graphene.ObjectType):
    value = graphene.NonNull(graphene.List(graphene.NonNull(lambda: Product)),
                             limit=graphene.Argument(PositiveInt, default_value=100))
    resolve_attribute = staticmethod(_attribute)

    class Meta:
        interfaces = (AssignedAttribute,)

    @staticmethod
    def resolve_value(root, info, limit=100):
        return [v.reference for v in root.values[:limit] if v.reference is not None]


ASSIGNED_TYPES = {
    "NUMERIC": AssignedNumericAttribute,
    "PLAIN_TEXT": AssignedPlainTextAttribute,
    "DROPDOWN": AssignedSingleChoiceAttribute,
    "MULTISELECT": AssignedMultiChoiceAttribute,
    "BOOLEAN": AssignedBooleanAttribute,
    "DATE": AssignedDateAttribute,
    "RICH_TEXT": AssignedTextAttribute,
    "REFERENCE": AssignedMultiProductReferenceAttribute,
}


def assigned_attributes(info, product):
    """Every fact of ``product`` as :class:`~shop.graphql.product.attributes.Assigned` (batched)."""
    context = info.context.ocop
    source = product.parent if product.is_child else product
    certificate = context.loader(loaders.CertificateByProduct).load(source.pk)
    parts = context.loader(loaders.ComboPartsByProduct).load(source.pk)
    values = context.loader(loaders.AttributeValuesByProduct).load(product.pk)
    return (ocop_attributes.ocop_facts(source, certificate, parts, info.context)
            + ocop_attributes.oscar_attributes(values))


class ObjectWithAttributes(graphene.Interface):
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True))
    assigned_attributes = graphene.NonNull(graphene.List(graphene.NonNull(AssignedAttribute)),
                                           limit=graphene.Argument(PositiveInt, default_value=100))


class AttributesMixin:
    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        return next((a for a in assigned_attributes(info, root) if a.definition.slug == slug), None)

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return assigned_attributes(info, root)[:max(limit, 0)]

    @staticmethod
    def resolve_attributes(root, info, **kwargs):
        return assigned_attributes(info, root)

    @staticmethod
    def resolve_attribute(root, info, slug):
        return next((a for a in assigned_attributes(info, root) if a.definition.slug == slug), None)


# --- Pricing ------------------------------------------------------------------------------


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    display_gross_prices = graphene.Boolean(required=True)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


def _pricing_parts(info, product):
    price, listed = pricing.prices(info.context.ocop, product)
    if price is None:
        return None
    now = TaxedMoney.of_price(price)
    before = TaxedMoney.of(listed)
    saving = listed - (price.incl_tax if price.is_tax_known else price.excl_tax)
    discount = TaxedMoney.of(saving) if saving > 0 else None
    return now, before, discount


def product_pricing(info, product):
    parts = _pricing_parts(info, product)
    if parts is None:
        return None
    now, before, discount = parts
    return ProductPricingInfo(
        on_sale=discount is not None, discount=discount, display_gross_prices=True,
        price_range=TaxedMoneyRange(start=now, stop=now),
        price_range_undiscounted=TaxedMoneyRange(start=before, stop=before),
    )


def variant_pricing(info, product):
    parts = _pricing_parts(info, product)
    if parts is None:
        return None
    now, before, discount = parts
    return VariantPricingInfo(on_sale=discount is not None, discount=discount, price=now,
                              price_undiscounted=before)


# --- Translations -------------------------------------------------------------------------


class ProductTranslation(graphene.ObjectType):
    """The catalogue is written in Vietnamese only: ``translation`` answers null (Saleor's answer
    when a product has no translation), and storefronts fall back to the product's own fields."""

    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()

    class Meta:
        interfaces = (Node,)


# --- Product types, categories, collections -----------------------------------------------


class ProductType(ModelNode, MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    is_digital = graphene.Boolean(required=True)
    kind = graphene.Field(ProductTypeKindEnum, required=True)

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_has_variants(root, info):
        return False

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return bool(root.requires_shipping)

    @staticmethod
    def resolve_is_digital(root, info):
        return False

    @staticmethod
    def resolve_kind(root, info):
        return ProductTypeKindEnum.NORMAL


class Category(ModelNode, MetadataMixin, graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    parent = graphene.Field(lambda: Category)
    level = graphene.Int(required=True)
    updated_at = graphene.DateTime(required=True)
    ancestors = graphene.Field(lambda: CategoryCountableConnection, before=graphene.String(),
                               after=graphene.String(), first=graphene.Int(), last=graphene.Int())
    products = graphene.Field(lambda: ProductCountableConnection, **{
        "filter": graphene.Argument(lambda: _filters().ProductFilterInput),
        "where": graphene.Argument(lambda: _filters().ProductWhereInput),
        "sort_by": graphene.Argument(lambda: _filters().ProductOrder),
        "search": graphene.String(), "channel": graphene.String(), "before": graphene.String(),
        "after": graphene.String(), "first": graphene.Int(), "last": graphene.Int(),
    })
    children = graphene.Field(lambda: CategoryCountableConnection, before=graphene.String(),
                              after=graphene.String(), first=graphene.Int(), last=graphene.Int())
    background_image = graphene.Field(Image, size=graphene.Int(),
                                      format=graphene.Argument(ThumbnailFormatEnum, default_value="original"))
    translation = graphene.Field(lambda: CategoryTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_seo_title(root, info):
        return root.meta_title or None

    @staticmethod
    def resolve_seo_description(root, info):
        return root.meta_description or None

    @staticmethod
    def resolve_description(root, info):
        return editorjs.document(root.description)

    @staticmethod
    def resolve_parent(root, info):
        return root.get_parent()

    @staticmethod
    def resolve_level(root, info):
        return root.depth - 1

    @staticmethod
    def resolve_updated_at(root, info):
        from django.utils import timezone

        return timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)

    @staticmethod
    def resolve_ancestors(root, info, **args):
        return connection_from_queryset(root.get_ancestors(), args, CategoryCountableConnection, info)

    @staticmethod
    def resolve_children(root, info, **args):
        return connection_from_queryset(root.get_children().filter(is_public=True), args,
                                        CategoryCountableConnection, info)

    @staticmethod
    def resolve_products(root, info, **args):
        return listing.products_connection(info, ProductCountableConnection, category=root, **args)

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        if not root.image:
            return None
        return Image(url=image_url(info, root.image, size), alt=root.name)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class CategoryTranslation(graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()

    class Meta:
        interfaces = (Node,)


class Collection(ModelNode, MetadataMixin, graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    slug = graphene.String(required=True)
    channel = graphene.String()
    products = graphene.Field(lambda: ProductCountableConnection, **{
        "filter": graphene.Argument(lambda: _filters().ProductFilterInput),
        "where": graphene.Argument(lambda: _filters().ProductWhereInput),
        "search": graphene.String(),
        "sort_by": graphene.Argument(lambda: _filters().ProductOrder),
        "before": graphene.String(), "after": graphene.String(), "first": graphene.Int(),
        "last": graphene.Int(),
    })
    background_image = graphene.Field(Image, size=graphene.Int(),
                                      format=graphene.Argument(ThumbnailFormatEnum, default_value="original"))
    translation = graphene.Field(lambda: CollectionTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_seo_title(root, info):
        return root.name

    @staticmethod
    def resolve_seo_description(root, info):
        return editorjs.plain_text(root.description)[:300] or None

    @staticmethod
    def resolve_description(root, info):
        return editorjs.document(root.description)

    @staticmethod
    def resolve_channel(root, info):
        from shop.graphql.channel import channels

        return channels.default_channel().slug

    @staticmethod
    def resolve_products(root, info, **args):
        return listing.products_connection(info, ProductCountableConnection, collection=root, **args)

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        return None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class CollectionTranslation(graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()

    class Meta:
        interfaces = (Node,)


# --- Product and variant ------------------------------------------------------------------


def _media(product):
    return list(product.get_all_images()) if product.pk else []


class ProductVariant(ModelNode, MetadataMixin, AttributesMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    sku = graphene.String()
    product = graphene.Field(lambda: Product, required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    channel = graphene.String()
    pricing = graphene.Field(VariantPricingInfo, address=graphene.Argument(lambda: _address_input()))
    attributes = graphene.NonNull(graphene.List(graphene.NonNull(SelectedAttribute)),
                                  variant_selection=graphene.Argument(lambda: VariantAttributeScope))
    media = graphene.List(graphene.NonNull(ProductMedia))
    translation = graphene.Field(lambda: ProductVariantTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))
    quantity_available = graphene.Int(address=graphene.Argument(lambda: _address_input()),
                                      country_code=graphene.Argument(lambda: _country_code()))
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    external_reference = graphene.String()

    class Meta:
        interfaces = (Node, ObjectWithMetadata, ObjectWithAttributes)

    @staticmethod
    def metadata_dict(root, info):
        return {}

    @staticmethod
    def resolve_name(root, info):
        # a standalone product's single variant is named by the product (Saleor storefronts
        # print "Product — variant" only when they differ)
        return root.get_title() if root.is_child else ""

    @staticmethod
    def resolve_sku(root, info):
        stockrecord = pricing.purchase_info(info.context.ocop, root).stockrecord
        return (stockrecord.partner_sku if stockrecord is not None else None) or root.upc or None

    @staticmethod
    def resolve_product(root, info):
        return root.parent if root.is_child else root

    @staticmethod
    def resolve_track_inventory(root, info):
        return bool(root.get_product_class().track_stock)

    @staticmethod
    def resolve_quantity_limit_per_customer(root, info):
        return None

    @staticmethod
    def resolve_channel(root, info):
        from shop.graphql.channel import channels

        return channels.default_channel().slug

    @staticmethod
    def resolve_pricing(root, info, address=None):
        return variant_pricing(info, root)

    @staticmethod
    def resolve_media(root, info):
        return _media(root)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None

    @staticmethod
    def resolve_quantity_available(root, info, address=None, country_code=None):
        return pricing.quantity_available(info.context.ocop, root)

    @staticmethod
    def resolve_created(root, info):
        return root.date_created

    @staticmethod
    def resolve_updated_at(root, info):
        return root.date_updated

    @staticmethod
    def resolve_external_reference(root, info):
        return root.upc or None


class ProductVariantTranslation(graphene.ObjectType):
    name = graphene.String(required=True)

    class Meta:
        interfaces = (Node,)


class VariantAttributeScope(graphene.Enum):
    ALL = "all"
    VARIANT_SELECTION = "variant_selection"
    NOT_VARIANT_SELECTION = "not_variant_selection"


def _address_input():
    from shop.graphql.core.inputs import AddressInput

    return AddressInput


def _country_code():
    from shop.graphql.core.enums import CountryCode

    return CountryCode


def _filters():
    from . import filters

    return filters


class Product(ModelNode, MetadataMixin, AttributesMixin, graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = graphene.JSONString()
    product_type = graphene.Field(ProductType, required=True)
    slug = graphene.String(required=True)
    category = graphene.Field(Category)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    charge_taxes = graphene.Boolean(required=True)
    default_variant = graphene.Field(ProductVariant)
    rating = graphene.Float()
    channel = graphene.String()
    thumbnail = graphene.Field(Image, size=graphene.Int(),
                               format=graphene.Argument(ThumbnailFormatEnum, default_value="original"))
    pricing = graphene.Field(ProductPricingInfo, address=graphene.Argument(lambda: _address_input()))
    is_available = graphene.Boolean(address=graphene.Argument(lambda: _address_input()))
    attribute = graphene.Field(SelectedAttribute, slug=graphene.String(required=True))
    attributes = graphene.NonNull(graphene.List(graphene.NonNull(SelectedAttribute)))
    media_by_id = graphene.Field(ProductMedia, id=graphene.ID(required=True))
    variant = graphene.Field(ProductVariant, id=graphene.ID(), sku=graphene.String())
    variants = graphene.List(graphene.NonNull(ProductVariant))
    media = graphene.List(graphene.NonNull(ProductMedia),
                          sort_by=graphene.Argument(lambda: _filters().MediaSortingInput))
    collections = graphene.List(graphene.NonNull(Collection))
    translation = graphene.Field(ProductTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))
    available_for_purchase_at = graphene.DateTime()
    is_available_for_purchase = graphene.Boolean()
    external_reference = graphene.String()

    class Meta:
        interfaces = (Node, ObjectWithMetadata, ObjectWithAttributes)

    @staticmethod
    def metadata_dict(root, info):
        context = info.context.ocop
        certificate = context.loader(loaders.CertificateByProduct).load(root.pk)
        parts = context.loader(loaders.ComboPartsByProduct).load(root.pk)
        return ocop_attributes.metadata(root, certificate, parts, info.context)

    @staticmethod
    def resolve_seo_title(root, info):
        return root.meta_title or root.get_title()

    @staticmethod
    def resolve_seo_description(root, info):
        return root.meta_description or editorjs.plain_text(root.description)[:300] or None

    @staticmethod
    def resolve_name(root, info):
        return root.get_title()

    @staticmethod
    def resolve_description(root, info):
        text = root.description or ""
        if root.product_story:
            text = f"{text}\n\n{root.product_story}" if text else root.product_story
        return editorjs.document(text, time=root.date_updated.timestamp() * 1000 if root.date_updated else 0)

    @staticmethod
    def resolve_product_type(root, info):
        return root.get_product_class()

    @staticmethod
    def resolve_category(root, info):
        categories = info.context.ocop.loader(loaders.CategoriesByProduct).load(root.pk)
        return categories[0] if categories else None

    @staticmethod
    def resolve_created(root, info):
        return root.date_created

    @staticmethod
    def resolve_updated_at(root, info):
        return root.date_updated

    @staticmethod
    def resolve_charge_taxes(root, info):
        return True

    @staticmethod
    def resolve_default_variant(root, info):
        return root if not root.is_parent else next(iter(root.children.all()), None)

    @staticmethod
    def resolve_rating(root, info):
        return root.rating

    @staticmethod
    def resolve_channel(root, info):
        from shop.graphql.channel import channels

        return channels.default_channel().slug

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        image = root.primary_image()
        original = getattr(image, "original", None)
        if not original or isinstance(original, str):  # Oscar's "no image" placeholder
            return None
        return Image(url=image_url(info, original, size), alt=getattr(image, "caption", "") or root.get_title())

    @staticmethod
    def resolve_pricing(root, info, address=None):
        return product_pricing(info, root)

    @staticmethod
    def resolve_is_available(root, info, address=None):
        return pricing.is_available(info.context.ocop, root)

    @staticmethod
    def resolve_media_by_id(root, info, id):
        from shop.graphql.core.ids import InvalidId, pk_of

        try:
            pk = pk_of(id, "ProductMedia")
        except InvalidId:
            return None
        return next((image for image in _media(root) if image.pk == pk), None)

    @staticmethod
    def resolve_variant(root, info, id=None, sku=None):
        for variant in Product.resolve_variants(root, info):
            if id is not None and id == to_global_id("ProductVariant", variant.pk):
                return variant
            if sku is not None and sku == ProductVariant.resolve_sku(variant, info):
                return variant
        return None

    @staticmethod
    def resolve_variants(root, info):
        if root.is_parent:
            return [child for child in root.children.all() if child.is_public]
        return [root]

    @staticmethod
    def resolve_media(root, info, sort_by=None):
        images = _media(root)
        if sort_by is not None and getattr(sort_by, "direction", None) == "DESC":
            images = list(reversed(images))
        return images

    @staticmethod
    def resolve_collections(root, info):
        return info.context.ocop.loader(loaders.CollectionsByProduct).load(root.pk)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        return root.date_created

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        return pricing.purchase_info(info.context.ocop, root).stockrecord is not None

    @staticmethod
    def resolve_external_reference(root, info):
        return root.upc or None


# --- Connections --------------------------------------------------------------------------


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product
        strict_types = True


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant
        strict_types = True


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category
        strict_types = True


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection
        strict_types = True


register_products = listing.register_products

