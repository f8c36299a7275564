"""Which Oscar products the API may show, and how Saleor's ids and slugs find them.

* A shopper sees what the storefront shows: public products
  (``catalogue.browsing.browsable_products`` for listings: standalone and parent
  products; their public children as variants).
* ``Product:<pk>`` names a standalone or parent product, ``ProductVariant:<pk>``
  a standalone product (its own single variant) or a child product.
* An id of another type, or one that does not parse, finds nothing (the
  resolver answers null, or the mutation ``NOT_FOUND``/``INVALID``).
"""

from oscar.core.loading import get_model

from catalogue.browsing import browsable_products
from shop.graphql.core.ids import InvalidId, pk_of

Product = get_model("catalogue", "Product")


def product_queryset():
    """Public standalone/parent products with what a card needs (one query + prefetches)."""
    return browsable_products()


def variant_queryset():
    """Public sellable products: standalone ones and public children of public parents."""
    return (
        Product.objects.filter(is_public=True)
        .exclude(structure=Product.PARENT)
        .exclude(structure=Product.CHILD, parent__is_public=False)
        .select_related("product_class", "parent__product_class", "producer__partner",
                        "producer__commune", "origin_unit")
        .prefetch_related("stockrecords", "images")
    )


def product_from_global_id(global_id):
    try:
        pk = pk_of(global_id, "Product")
    except InvalidId:
        return None
    return product_queryset().filter(pk=pk).first()


def variant_from_global_id(global_id):
    """The Oscar product a ``ProductVariant`` id names, or None."""
    try:
        pk = pk_of(global_id, "ProductVariant")
    except InvalidId:
        return None
    return variant_queryset().filter(pk=pk).first()


def variant_from_sku(sku):
    if not sku:
        return None
    return variant_queryset().filter(stockrecords__partner_sku=sku).distinct().first()
