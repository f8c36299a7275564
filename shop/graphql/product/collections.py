"""Saleor's collections are Oscar's ranges: named, hand-picked sets of products.

The office builds them in Oscar's dashboard (Ranges): "Quà tặng OCOP", "Sản
phẩm OCOP 4–5 sao"... A public range (``is_public``) is a collection on the
storefront API. Its products are those of Oscar's ``Range.all_products()``: the
included products, the products of the included classes and of the included
categories (and their sub-categories), or every product when the range includes
all; minus the excluded products and categories.

``memberships`` answers "which collections is each of these products in" for a
whole page in a fixed number of queries, whatever the number of collections
(Oscar's own ``all_products()`` costs several queries per range).
"""

from collections import defaultdict

from oscar.core.loading import get_model

Range = get_model("offer", "Range")
RangeProduct = get_model("offer", "RangeProduct")


def collection_queryset():
    return Range.objects.filter(is_public=True)


def public_collections():
    return list(collection_queryset().order_by("name", "pk").prefetch_related(
        "classes", "included_categories", "excluded_categories", "excluded_products"))


def _under(paths, category_paths):
    return any(path.startswith(prefix) for path in category_paths for prefix in paths)


def memberships(products, categories_of):
    """``{product pk: [collection, ...]}`` for ``products``; ``categories_of(pk)`` lists a
    product's categories (the batch loader's answer)."""
    collections = public_collections()
    if not collections or not products:
        return {}
    pks = [product.pk for product in products]
    included = defaultdict(set)
    for range_id, product_id in RangeProduct.objects.filter(
            range__in=collections, product_id__in=pks).values_list("range_id", "product_id"):
        included[range_id].add(product_id)
    result = defaultdict(list)
    for collection in collections:
        classes = {c.pk for c in collection.classes.all()}
        paths = [c.path for c in collection.included_categories.all()]
        excluded_paths = [c.path for c in collection.excluded_categories.all()]
        excluded = {p.pk for p in collection.excluded_products.all()}
        for product in products:
            category_paths = [c.path for c in categories_of(product.pk)]
            member = (
                collection.includes_all_products
                or product.pk in included[collection.pk]
                or product.product_class_id in classes
                or (paths and _under(paths, category_paths))
            )
            if member and product.pk not in excluded and not (
                    excluded_paths and _under(excluded_paths, category_paths)):
                result[product.pk].append(collection)
    return result
