"""How Saleor's product arguments narrow and order the storefront's products.

Rules (``products``, ``category.products``, ``collection.products``):

* Only what the storefront lists: public standalone and parent products
  (``catalogue.browsing.browsable_products``).
* ``search`` is the storefront's accent-insensitive search
  (``catalogue.search.filter_products``: "sam ngoc linh" finds "Sâm Ngọc Linh").
* ``categories`` / ``where.category`` match a category *or any of its
  sub-categories*, as Saleor does; ``collections`` / ``where.collection`` match
  Oscar ranges (``shop.graphql.product.collections``).
* ``price`` / ``minimalPrice`` compare the listed price in đồng (the first stock
  record's, Oscar's ``UseFirstStockRecord``); ``isAvailable`` and
  ``stockAvailability`` read what may be sold online from the one inventory
  (``StockRecord`` totals, derived by ``showroom.inventory``).
* ``where`` takes ``AND`` / ``OR`` lists of itself; ids that are not ours match
  nothing (never an error, as Saleor).
* Sort: ``NAME``, ``PRICE``/``MINIMAL_PRICE``, ``CREATED_AT``/``DATE``/
  ``PUBLISHED*``, ``LAST_MODIFIED*``, ``RATING``, ``TYPE``, and ``RANK`` (with a
  search: the whole query at the start of the product's text first, then
  anywhere, then the rest); ties broken by id so pages never overlap. Without
  ``sortBy`` a search sorts by rank and a listing by name.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from catalogue.search import filter_products, normalize
from shop.core.numbers import is_digits
from shop.graphql.core.ids import InvalidId, from_global_id

from .collections import collection_queryset

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")


def pks_of(global_ids, type_name):
    """The numeric pks of ``global_ids`` naming ``type_name`` (others dropped)."""
    pks = []
    for global_id in global_ids or ():
        try:
            kind, pk = from_global_id(global_id)
        except InvalidId:
            continue
        if kind == type_name and is_digits(pk) and len(pk) < 19:
            pks.append(int(pk))
    return pks


def _in_categories(category_pks):
    categories = list(Category.objects.filter(pk__in=category_pks))
    if not categories:
        return Q(pk__in=[])
    tree = Q()
    for category in categories:
        tree |= Q(category__path__startswith=category.path)
    return Q(pk__in=ProductCategory.objects.filter(tree).values("product_id"))


def _in_collections(collection_pks):
    query = Q(pk__in=[])
    for collection in collection_queryset().filter(pk__in=collection_pks):
        query |= Q(pk__in=collection.all_products().values("pk"))
    return query


def listed_price():
    return Subquery(StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1])


def _available():
    sellable = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
    in_stock = sellable.filter(num_in_stock__gt=Coalesce("num_allocated", 0))
    return Q(Exists(sellable), product_class__track_stock=False) | Q(Exists(in_stock))


def _price_range(low, high):
    query = Q()
    if low is not None:
        query &= Q(_price__gte=low)
    if high is not None:
        query &= Q(_price__lte=high)
    return query


def _metadata(items):
    # public metadata are derived OCOP facts; the storable ones (stars) can be filtered
    query = Q()
    for item in items or ():
        if item.key == "ocop.stars":
            query &= Q(ocop_stars=int(item.value)) if is_digits(item.value or "") else Q(ocop_stars__isnull=False)
        else:
            query &= Q(pk__in=[])
    return query


def filter_query(data):
    """A ``Q`` for a ``ProductFilterInput`` (the deprecated ``filter`` argument)."""
    query = Q()
    if not data:
        return query
    if data.get("ids") is not None:
        query &= Q(pk__in=pks_of(data["ids"], "Product"))
    if data.get("slugs") is not None:
        query &= Q(slug__in=data["slugs"])
    if data.get("categories"):
        query &= _in_categories(pks_of(data["categories"], "Category"))
    if data.get("collections"):
        query &= _in_collections(pks_of(data["collections"], "Collection"))
    if data.get("product_types"):
        query &= Q(product_class_id__in=pks_of(data["product_types"], "ProductType"))
    if data.get("has_category") is not None:
        has = Q(pk__in=ProductCategory.objects.values("product_id"))
        query &= has if data["has_category"] else ~has
    if data.get("gift_card"):
        query &= Q(pk__in=[])
    if data.get("is_published") is False or data.get("is_visible_in_listing") is False:
        query &= Q(pk__in=[])
    query &= _availability(data.get("is_available"), data.get("stock_availability"))
    for key in ("price", "minimal_price"):
        if data.get(key):
            query &= _price_range(data[key].get("gte"), data[key].get("lte"))
    if data.get("search"):
        query &= Q(pk__in=filter_products(Product.objects.all(), data["search"]).values("pk"))
    query &= _metadata(data.get("metadata"))
    return query


def _availability(is_available, stock_availability):
    query = Q()
    if is_available is not None:
        query &= _available() if is_available else ~_available()
    if stock_availability is not None:
        wanted = getattr(stock_availability, "name", stock_availability) in ("IN_STOCK", "in_stock")
        query &= _available() if wanted else ~_available()
    return query


def _global_id_filter(data, type_name):
    if data is None:
        return None
    ids = [data["eq"]] if data.get("eq") is not None else []
    ids += list(data.get("one_of") or [])
    return pks_of(ids, type_name)


def _string_filter(field, data):
    if data is None:
        return Q()
    query = Q()
    if data.get("eq") is not None:
        query &= Q(**{field: data["eq"]})
    if data.get("one_of") is not None:
        query &= Q(**{f"{field}__in": data["one_of"]})
    return query


def _decimal_filter(data):
    if not data:
        return Q()
    query = Q()
    if data.get("eq") is not None:
        query &= Q(_price=data["eq"])
    if data.get("one_of") is not None:
        query &= Q(_price__in=data["one_of"])
    if data.get("range"):
        query &= _price_range(data["range"].get("gte"), data["range"].get("lte"))
    return query


def where_query(data):
    """A ``Q`` for a ``ProductWhereInput`` (with its ``AND``/``OR`` lists)."""
    query = Q()
    if not data:
        return query
    if data.get("ids") is not None:
        query &= Q(pk__in=pks_of(data["ids"], "Product"))
    query &= _string_filter("title", data.get("name"))
    query &= _string_filter("slug", data.get("slug"))
    for key, type_name, build in (
        ("category", "Category", _in_categories),
        ("collection", "Collection", _in_collections),
        ("product_type", "ProductType", lambda pks: Q(product_class_id__in=pks)),
    ):
        pks = _global_id_filter(data.get(key), type_name)
        if pks is not None:
            query &= build(pks)
    if data.get("has_category") is not None:
        has = Q(pk__in=ProductCategory.objects.values("product_id"))
        query &= has if data["has_category"] else ~has
    if data.get("is_published") is False or data.get("is_visible_in_listing") is False or data.get("gift_card"):
        query &= Q(pk__in=[])
    query &= _availability(data.get("is_available"), data.get("stock_availability"))
    query &= _decimal_filter(data.get("price"))
    query &= _decimal_filter(data.get("minimal_price"))
    query &= _metadata(data.get("metadata"))
    if data.get("AND"):
        for part in data["AND"]:
            query &= where_query(part)
    if data.get("OR"):
        either = Q(pk__in=[])
        for part in data["OR"]:
            either |= where_query(part)
        query &= either
    return query


def _field_name(sort_by):
    field = sort_by.get("field") if sort_by else None
    return getattr(field, "name", None) or (str(field).upper() if field else None)


def _direction(sort_by):
    direction = sort_by.get("direction") if sort_by else None
    return getattr(direction, "name", str(direction or "ASC")).upper()


ORDERINGS = {
    "NAME": ("title",),
    "PRICE": ("_price",),
    "MINIMAL_PRICE": ("_price",),
    "CREATED_AT": ("date_created",),
    "DATE": ("date_created",),
    "PUBLISHED": ("date_created",),
    "PUBLICATION_DATE": ("date_created",),
    "PUBLISHED_AT": ("date_created",),
    "LAST_MODIFIED": ("date_updated",),
    "LAST_MODIFIED_AT": ("date_updated",),
    "RATING": ("rating",),
    "TYPE": ("product_class__name", "title"),
    "COLLECTION": ("title",),
    "RANK": ("_rank",),
}


def apply(queryset, *, search=None, filter=None, where=None, sort_by=None):
    """``queryset`` narrowed by Saleor's arguments and ordered (see the module's rules)."""
    queryset = queryset.annotate(_price=listed_price())
    queryset = queryset.filter(filter_query(filter)).filter(where_query(where))
    query = (search or "").strip()
    if query:
        queryset = filter_products(queryset, query)
    field = _field_name(sort_by) or ("RANK" if query else "NAME")
    if field == "RANK":
        phrase = normalize(query)
        if phrase:
            queryset = queryset.annotate(_rank=Case(
                When(search_text__startswith=phrase, then=Value(3)),
                When(search_text__contains=phrase, then=Value(2)),
                default=Value(1), output_field=IntegerField(),
            ))
            # best first whatever the direction, as a relevance sort is read
            return queryset.order_by("-_rank" if _direction(sort_by) != "ASC" or not sort_by else "_rank",
                                     "title", "pk")
        field = "NAME"
    descending = _direction(sort_by) == "DESC"
    columns = ORDERINGS[field]
    order = [f"-{c}" if descending else c for c in columns]
    if field in ("PRICE", "MINIMAL_PRICE", "RATING"):
        from django.db.models import F

        order = [F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True) for c in columns]
    return queryset.order_by(*order, "-pk" if descending else "pk")
