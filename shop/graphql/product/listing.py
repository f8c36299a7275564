"""A page of the storefront's products for ``products``, ``category.products`` and
``collection.products`` (the narrowing and ordering rules: ``filtering``)."""

from shop.graphql.channel import channels
from shop.graphql.core.connection import connection_from_queryset

from . import filtering, lookups


def register_products(info, rows):
    """Tell the batch loaders which products the page shows (``shop.graphql.core.loaders``)."""
    info.context.ocop.register("product", [row.pk for row in rows])


def products_connection(info, connection_type, category=None, collection=None, channel=None,
                        search=None, filter=None, where=None, sort_by=None, **args):
    channels.get(channel or (filter or {}).get("channel"))
    queryset = lookups.product_queryset()
    if category is not None:
        queryset = queryset.filter(filtering._in_categories([category.pk]))
    if collection is not None:
        queryset = queryset.filter(pk__in=collection.all_products().values("pk"))
    queryset = filtering.apply(queryset, search=search, filter=filter, where=where, sort_by=sort_by)
    return connection_from_queryset(queryset, args, connection_type, info,
                                    on_page=lambda rows: register_products(info, rows))
