"""Saleor's collections are Oscar's ranges: named, hand-picked sets of products.

The office builds them in Oscar's dashboard (Ranges): "Quà Tết OCOP", "Sản phẩm
5 sao"... A public range (``is_public``) is a collection on the storefront API;
its products are Oscar's ``Range.all_products()`` (included products, classes
and categories, minus the excluded ones), filtered to what the storefront shows.
"""

from oscar.core.loading import get_model

Range = get_model("offer", "Range")


def public_collections():
    return list(Range.objects.filter(is_public=True).order_by("name", "pk"))


def collection_queryset():
    return Range.objects.filter(is_public=True)
