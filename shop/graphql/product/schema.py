import graphene

from shop.graphql.core.enums import LanguageCodeEnum

from . import filters, resolvers
from .types import (
    Category,
    CategoryCountableConnection,
    Collection,
    CollectionCountableConnection,
    Product,
    ProductCountableConnection,
    ProductVariant,
    ProductVariantCountableConnection,
)

PAGE_ARGS = {"before": graphene.String(), "after": graphene.String(), "first": graphene.Int(),
             "last": graphene.Int()}


class ProductQueries(graphene.ObjectType):
    products = graphene.Field(
        ProductCountableConnection,
        filter=graphene.Argument(filters.ProductFilterInput),
        where=graphene.Argument(filters.ProductWhereInput),
        sort_by=graphene.Argument(filters.ProductOrder),
        search=graphene.String(), channel=graphene.String(), **PAGE_ARGS,
    )
    product = graphene.Field(
        Product, id=graphene.ID(), slug=graphene.String(),
        slug_language_code=graphene.Argument(LanguageCodeEnum), external_reference=graphene.String(),
        channel=graphene.String(),
    )
    product_variant = graphene.Field(
        ProductVariant, id=graphene.ID(), sku=graphene.String(), external_reference=graphene.String(),
        channel=graphene.String(),
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        ids=graphene.List(graphene.NonNull(graphene.ID)), channel=graphene.String(),
        filter=graphene.Argument(filters.ProductVariantFilterInput),
        where=graphene.Argument(filters.ProductVariantWhereInput),
        search=graphene.String(), sort_by=graphene.Argument(filters.ProductVariantSortingInput),
        **PAGE_ARGS,
    )
    category = graphene.Field(Category, id=graphene.ID(), slug=graphene.String(),
                              slug_language_code=graphene.Argument(LanguageCodeEnum))
    categories = graphene.Field(
        CategoryCountableConnection,
        filter=graphene.Argument(filters.CategoryFilterInput),
        where=graphene.Argument(filters.CategoryWhereInput),
        sort_by=graphene.Argument(filters.CategorySortingInput), level=graphene.Int(), **PAGE_ARGS,
    )
    collection = graphene.Field(Collection, id=graphene.ID(), slug=graphene.String(),
                                slug_language_code=graphene.Argument(LanguageCodeEnum),
                                channel=graphene.String())
    collections = graphene.Field(
        CollectionCountableConnection,
        filter=graphene.Argument(filters.CollectionFilterInput),
        where=graphene.Argument(filters.CollectionWhereInput),
        sort_by=graphene.Argument(filters.CollectionSortingInput), channel=graphene.String(),
        **PAGE_ARGS,
    )

    @staticmethod
    def resolve_products(root, info, **args):
        return resolvers.resolve_products(info, **args)

    @staticmethod
    def resolve_product(root, info, external_reference=None, **args):
        if external_reference is not None and args.get("id") is None and args.get("slug") is None:
            from . import lookups

            product = lookups.product_queryset().filter(upc=external_reference).first()
            if product is not None:
                info.context.ocop.register("product", [product.pk])
            return product
        return resolvers.resolve_product(info, **args)

    @staticmethod
    def resolve_product_variant(root, info, external_reference=None, **args):
        if external_reference is not None and args.get("id") is None and args.get("sku") is None:
            args["sku"] = external_reference
        return resolvers.resolve_variant(info, **args)

    @staticmethod
    def resolve_product_variants(root, info, **args):
        return resolvers.resolve_variants(info, **args)

    @staticmethod
    def resolve_category(root, info, **args):
        return resolvers.resolve_category(info, **args)

    @staticmethod
    def resolve_categories(root, info, **args):
        return resolvers.resolve_categories(info, **args)

    @staticmethod
    def resolve_collection(root, info, **args):
        return resolvers.resolve_collection(info, **args)

    @staticmethod
    def resolve_collections(root, info, **args):
        return resolvers.resolve_collections(info, **args)
