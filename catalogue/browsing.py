"""What shoppers browse: public products, filtered by group, commune, stars; sorted."""

from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.search import filter_products

Product = get_model("catalogue", "Product")

SORTS = {
    "newest": (_("Mới nhất"), ("-date_created", "-pk")),
    "title": (_("Tên A–Z"), ("title", "pk")),
    "price_asc": (_("Giá thấp đến cao"), ("stockrecords__price", "pk")),
    "price_desc": (_("Giá cao đến thấp"), ("-stockrecords__price", "pk")),
    "stars": (_("Nhiều sao nhất"), ("-ocop_stars", "title")),
}
DEFAULT_SORT = "newest"
STAR_CHOICES = (3, 4, 5)


def browsable_products():
    """Public, parent-level products with what a product card needs, prefetched."""
    return (
        Product.objects.browsable()
        .base_queryset()
        .select_related("producer__partner", "producer__commune", "origin_unit")
    )


def apply_filters(queryset, params):
    """Narrow ``queryset`` by the shopper's GET parameters: q, stars, commune, sort."""
    query = (params.get("q") or "").strip()
    if query:
        queryset = filter_products(queryset, query)
    stars = params.get("stars")
    if stars and stars.isdigit() and int(stars) in STAR_CHOICES:
        queryset = queryset.filter(ocop_stars__gte=int(stars))
    commune = params.get("commune")
    if commune:
        queryset = queryset.filter(origin_unit__code=commune)
    sort = params.get("sort_by")
    if sort not in SORTS:
        sort = DEFAULT_SORT
    return queryset.order_by(*SORTS[sort][1]).distinct()


def sort_options():
    return [(key, label) for key, (label, _order) in SORTS.items()]
