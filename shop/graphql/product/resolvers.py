"""The catalogue queries (thin): arguments → ``filtering`` → a page → loaders registered."""

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.search import normalize
from shop.graphql.channel import channels
from shop.graphql.core.connection import connection_from_queryset
from shop.graphql.core.errors import query_error
from shop.graphql.core.ids import InvalidId, pk_of

from . import filtering, listing, lookups
from .collections import collection_queryset

Category = get_model("catalogue", "Category")


def _one_of(id, slug, what):
    if id is not None and slug is not None:
        raise query_error(_("Chỉ cho một trong hai: `id` hoặc `slug` của %(what)s.") % {"what": what},
                          "GRAPHQL_ERROR")
    if id is None and slug is None:
        raise query_error(_("Hãy cho `id` hoặc `slug` của %(what)s.") % {"what": what}, "GRAPHQL_ERROR")


def _pk(id, type_name):
    try:
        return pk_of(id, type_name)
    except InvalidId:
        raise query_error(_("Không tìm thấy: `%(id)s` không phải mã %(type)s hợp lệ.")
                          % {"id": id, "type": type_name}, "GRAPHQL_ERROR") from None


def resolve_products(info, **args):
    from .types import ProductCountableConnection

    return listing.products_connection(info, ProductCountableConnection, **args)


def resolve_product(info, id=None, slug=None, channel=None, **kwargs):
    _one_of(id, slug, _("sản phẩm"))
    channels.get(channel)
    queryset = lookups.product_queryset()
    product = (queryset.filter(pk=_pk(id, "Product")) if id is not None else queryset.filter(slug=slug)).first()
    if product is not None:
        listing.register_products(info, [product])
    return product


def resolve_variant(info, id=None, sku=None, channel=None, **kwargs):
    channels.get(channel)
    if id is not None:
        variant = lookups.variant_queryset().filter(pk=_pk(id, "ProductVariant")).first()
    else:
        variant = lookups.variant_from_sku(sku)
    if variant is not None:
        listing.register_products(info, [variant.parent if variant.is_child else variant])
    return variant


def resolve_variants(info, ids=None, channel=None, search=None, filter=None, where=None, sort_by=None, **args):
    from .types import ProductVariantCountableConnection

    channels.get(channel)
    queryset = lookups.variant_queryset()
    if ids is not None:
        queryset = queryset.filter(pk__in=filtering.pks_of(ids, "ProductVariant"))
    for data in (filter, where):
        if data and data.get("ids") is not None:
            queryset = queryset.filter(pk__in=filtering.pks_of(data["ids"], "ProductVariant"))
        sku = (data or {}).get("sku")
        if isinstance(sku, list):
            queryset = queryset.filter(stockrecords__partner_sku__in=sku)
        elif sku:
            if sku.get("eq") is not None:
                queryset = queryset.filter(stockrecords__partner_sku=sku["eq"])
            if sku.get("one_of") is not None:
                queryset = queryset.filter(stockrecords__partner_sku__in=sku["one_of"])
    text = search or (filter or {}).get("search")
    if text:
        from catalogue.search import filter_products

        queryset = filter_products(queryset, text)
    descending = sort_by is not None and getattr(sort_by.get("direction"), "name", "ASC") == "DESC"
    queryset = queryset.distinct().order_by("-date_updated" if descending else "date_updated", "pk") \
        if sort_by else queryset.distinct().order_by("title", "pk")

    def on_page(rows):
        listing.register_products(info, [row.parent if row.is_child else row for row in rows])
        listing.register_products(info, rows)

    return connection_from_queryset(queryset, args, ProductVariantCountableConnection, info, on_page=on_page)


def public_categories():
    return Category.objects.filter(is_public=True, ancestors_are_public=True)


def resolve_category(info, id=None, slug=None, **kwargs):
    _one_of(id, slug, _("danh mục"))
    queryset = public_categories()
    if id is not None:
        return queryset.filter(pk=_pk(id, "Category")).first()
    return queryset.filter(slug=slug).first()


def resolve_categories(info, filter=None, where=None, sort_by=None, level=None, **args):
    from .types import CategoryCountableConnection

    queryset = public_categories()
    if level is not None:
        queryset = queryset.filter(depth=level + 1)
    for data in (filter, where):
        if data and data.get("ids") is not None:
            queryset = queryset.filter(pk__in=filtering.pks_of(data["ids"], "Category"))
    if filter and filter.get("slugs") is not None:
        queryset = queryset.filter(slug__in=filter["slugs"])
    if filter and filter.get("search"):
        words = normalize(filter["search"]).split()
        matching = [c.pk for c in queryset if all(w in normalize(c.name) for w in words)]
        queryset = queryset.filter(pk__in=matching)
    field = getattr(sort_by.get("field"), "name", "NAME") if sort_by else None
    descending = sort_by is not None and getattr(sort_by.get("direction"), "name", "ASC") == "DESC"
    if field == "NAME":
        queryset = queryset.order_by("-name" if descending else "name", "pk")
    elif field in ("PRODUCT_COUNT", "SUBCATEGORY_COUNT"):
        from django.db.models import Count

        column = "product" if field == "PRODUCT_COUNT" else "numchild"
        if column == "product":
            queryset = queryset.annotate(_n=Count("product", distinct=True))
            column = "_n"
        queryset = queryset.order_by(f"-{column}" if descending else column, "pk")
    else:
        queryset = queryset.order_by("path")
    return connection_from_queryset(queryset, args, CategoryCountableConnection, info)


def resolve_collection(info, id=None, slug=None, channel=None, **kwargs):
    _one_of(id, slug, _("bộ sưu tập"))
    channels.get(channel)
    queryset = collection_queryset()
    if id is not None:
        return queryset.filter(pk=_pk(id, "Collection")).first()
    return queryset.filter(slug=slug).first()


def resolve_collections(info, filter=None, where=None, sort_by=None, channel=None, **args):
    from .types import CollectionCountableConnection

    channels.get(channel or (filter or {}).get("channel"))
    queryset = collection_queryset()
    for data in (filter, where):
        if data and data.get("ids") is not None:
            queryset = queryset.filter(pk__in=filtering.pks_of(data["ids"], "Collection"))
    if filter and filter.get("slugs") is not None:
        queryset = queryset.filter(slug__in=filter["slugs"])
    if filter and getattr(filter.get("published"), "name", None) == "HIDDEN":
        queryset = queryset.none()
    if filter and filter.get("search"):
        words = normalize(filter["search"]).split()
        queryset = queryset.filter(pk__in=[c.pk for c in queryset if all(w in normalize(c.name) for w in words)])
    descending = sort_by is not None and getattr(sort_by.get("direction"), "name", "ASC") == "DESC"
    queryset = queryset.order_by("-name" if descending else "name", "pk")
    return connection_from_queryset(queryset, args, CollectionCountableConnection, info)
