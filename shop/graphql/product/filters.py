"""Saleor's product filter, where and sort inputs (the rules: ``shop.graphql.product.filtering``)."""

import graphene

from shop.graphql.core.inputs import (
    DateTimeRangeInput,
    DecimalFilterInput,
    GlobalIDFilterInput,
    MetadataFilter,
    OrderDirection,
    StringFilterInput,
)


class StockAvailability(graphene.Enum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class ProductFilterInput(graphene.InputObjectType):
    is_published = graphene.Boolean()
    collections = graphene.List(graphene.NonNull(graphene.ID))
    categories = graphene.List(graphene.NonNull(graphene.ID))
    has_category = graphene.Boolean()
    stock_availability = StockAvailability()
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    is_available = graphene.Boolean()
    is_visible_in_listing = graphene.Boolean()
    price = graphene.InputField(PriceRangeInput)
    minimal_price = graphene.InputField(PriceRangeInput)
    updated_at = graphene.InputField(DateTimeRangeInput)
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    gift_card = graphene.Boolean()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String()


class ProductWhereInput(graphene.InputObjectType):
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.InputField(StringFilterInput)
    slug = graphene.InputField(StringFilterInput)
    product_type = graphene.InputField(GlobalIDFilterInput)
    category = graphene.InputField(GlobalIDFilterInput)
    collection = graphene.InputField(GlobalIDFilterInput)
    is_available = graphene.Boolean()
    is_published = graphene.Boolean()
    is_visible_in_listing = graphene.Boolean()
    has_category = graphene.Boolean()
    price = graphene.InputField(DecimalFilterInput)
    minimal_price = graphene.InputField(DecimalFilterInput)
    stock_availability = StockAvailability()
    gift_card = graphene.Boolean()
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput), name="AND")
    OR = graphene.List(graphene.NonNull(lambda: ProductWhereInput), name="OR")


class ProductOrderField(graphene.Enum):
    NAME = "name"
    RANK = "rank"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    LAST_MODIFIED = "last_modified"
    DATE = "date"
    TYPE = "type"
    PUBLISHED = "published"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"
    LAST_MODIFIED_AT = "last_modified_at"
    COLLECTION = "collection"
    RATING = "rating"
    CREATED_AT = "created_at"


class ProductOrder(graphene.InputObjectType):
    direction = OrderDirection(required=True)
    channel = graphene.String()
    attribute_id = graphene.ID()
    field = ProductOrderField()


class MediaChoicesSortField(graphene.Enum):
    ID = "id"


class MediaSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True)
    field = MediaChoicesSortField(required=True)


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String()
    sku = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    updated_at = graphene.InputField(DateTimeRangeInput)


class ProductVariantWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    sku = graphene.InputField(StringFilterInput)
    AND = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput), name="AND")
    OR = graphene.List(graphene.NonNull(lambda: ProductVariantWhereInput), name="OR")


class ProductVariantSortField(graphene.Enum):
    LAST_MODIFIED_AT = "last_modified_at"


class ProductVariantSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True)
    field = ProductVariantSortField(required=True)


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class CategoryWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CategoryWhereInput), name="AND")
    OR = graphene.List(graphene.NonNull(lambda: CategoryWhereInput), name="OR")


class CategorySortField(graphene.Enum):
    NAME = "name"
    PRODUCT_COUNT = "product_count"
    SUBCATEGORY_COUNT = "subcategory_count"


class CategorySortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True)
    channel = graphene.String()
    field = CategorySortField(required=True)


class CollectionPublished(graphene.Enum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CollectionFilterInput(graphene.InputObjectType):
    published = CollectionPublished()
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String()


class CollectionWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    AND = graphene.List(graphene.NonNull(lambda: CollectionWhereInput), name="AND")
    OR = graphene.List(graphene.NonNull(lambda: CollectionWhereInput), name="OR")


class CollectionSortField(graphene.Enum):
    NAME = "name"
    AVAILABILITY = "availability"
    PRODUCT_COUNT = "product_count"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"


class CollectionSortingInput(graphene.InputObjectType):
    direction = OrderDirection(required=True)
    channel = graphene.String()
    field = CollectionSortField(required=True)
