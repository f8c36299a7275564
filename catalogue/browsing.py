"""What shoppers browse: public products, filtered by group, commune, stars; sorted.

Rules that keep a listing's cost independent of the catalogue's size:

* A listing never joins a to-many relation, so a product is one row and no
  ``DISTINCT`` is needed (PostgreSQL would otherwise sort every matching row,
  whole, to drop duplicates): a group's products are picked with
  ``pk IN (SELECT product_id FROM the product–group links …)``, and the price
  sort reads the price of the product's first stock record (by pk, the one
  Oscar's ``UseFirstStockRecord`` sells) through a subquery, products without
  one last.
* The newest-first default order is served by an index on
  (``date_created``, ``id``) restricted to browsable products
  (``catalogue.models.Product.Meta.indexes``).
* A listing counts its products only up to a bound (``count_bound``: the
  first thousand, or the next thousand past the page asked for), so a group or
  a search holding 50,000 products costs what one holding a thousand does; past
  the bound the page says "more than 1,000 products" and the pages up to the
  bound are offered (``BoundedCountPaginator``). ``OCOP_LISTING_COUNT_BOUND``
  (setting, default 1000) sets the step.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.search import filter_products

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

FIRST_PRICE = "first_stockrecord_price"

SORTS = {
    "newest": (_("Mới nhất"), (F("date_created").desc(), F("pk").desc())),
    "title": (_("Tên A–Z"), (F("title").asc(), F("pk").asc())),
    "price_asc": (_("Giá thấp đến cao"), (F(FIRST_PRICE).asc(nulls_last=True), F("pk").asc())),
    "price_desc": (
        _("Giá cao đến thấp"), (F(FIRST_PRICE).desc(nulls_last=True), F("pk").asc()),
    ),
    "stars": (_("Nhiều sao nhất"), (F("ocop_stars").desc(nulls_last=True), F("title").asc())),
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


def in_categories(queryset, categories):
    """Products of any of ``categories`` (a queryset of categories), one row each."""
    links = ProductCategory.objects.filter(category__in=categories.values("pk"))
    return queryset.filter(pk__in=links.values("product_id"))


def with_first_price(queryset):
    """Annotate the price of each product's first stock record (by pk), as Oscar sells it."""
    first = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    return queryset.annotate(**{FIRST_PRICE: Subquery(first)})


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
    if sort.startswith("price"):
        queryset = with_first_price(queryset)
    return queryset.order_by(*SORTS[sort][1])


def count_bound(page, per_page):
    """How far a listing counts for page ``page`` (a GET value): a multiple of the
    step covering at least one product past that page."""
    step = getattr(settings, "OCOP_LISTING_COUNT_BOUND", 1000)
    number = int(page) if str(page or "").isdigit() and int(page) > 0 else 1
    return step * (number * per_page // step + 1)


class BoundedCountPaginator(Paginator):
    """Django's paginator, counting at most ``bound`` objects.

    ``count`` is exact below the bound and equals it otherwise;
    ``count_is_exact`` tells which.
    """

    def __init__(self, object_list, per_page, bound, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound

    @cached_property
    def _counted(self):
        return self.object_list.order_by().values("pk")[: self.bound + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.bound)

    @property
    def count_is_exact(self):
        return self._counted <= self.bound


def sort_options():
    return [(key, label) for key, (label, _order) in SORTS.items()]
