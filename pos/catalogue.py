"""What the till can sell: offers by scanned code or name, and the offline snapshot.

An *offer* is one producer's ``StockRecord`` of one product with its price
(whole đồng) and OCOP stars. ``resolve_code`` is the seam where a scanned code
becomes an offer: resolvers are tried in order, so gift combos can plug in
with :func:`register_code_resolver` (and expand into their components with
:func:`register_component_expander`) without touching the till.

Goods without a printed barcode — no code, or only an in-store code
(prefixes 20–29, which the shop prints itself) — and gift combos are also
shown as tiles on the till, with a small photo, grouped by their OCOP product
group (the top of the category tree): ``tile``, ``image`` and ``group`` in
:meth:`Offer.as_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import combos
from catalogue.barcodes import RESTRICTED_FIRST_DIGIT, gtin13_error
from catalogue.search import filter_products, normalize
from pos.errors import TillError, TillNotFound
from shop.money import dong
from showroom.models import Stock

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")

MAX_CODE_LENGTH = 64
SEARCH_LIMIT = 20
TILE_IMAGE_SIZE = "160x160"


@dataclass
class Offer:
    stockrecord: object
    product: object
    price: Decimal
    on_hand: int | None = None
    kind: str = "product"
    extra: dict = field(default_factory=dict)
    group: str = ""
    image: str = ""

    @property
    def code(self):
        return self.product.upc or ""

    @property
    def tile(self):
        """Shown as a tile: a combo, or goods with no barcode of their producer's on them."""
        code = self.code
        return self.kind == "combo" or not code or code.startswith(RESTRICTED_FIRST_DIGIT)

    def as_dict(self):
        product = self.product
        return {
            "stockrecord": self.stockrecord.pk,
            "product": product.pk,
            "kind": self.kind,
            "title": product.get_title(),
            "code": self.code,
            "price": int(self.price),
            "stars": product.ocop_stars,
            "producer": self.stockrecord.partner.name if self.stockrecord.partner_id else "",
            "on_hand": self.on_hand,
            "search": normalize(product.get_title()),
            "tile": self.tile,
            "group": self.group,
            "image": self.image,
        }


def offers_queryset(location=None, tiles=False):
    """Priced offers of public, sellable products; one query, stock at ``location`` annotated.

    ``tiles`` also fetches the photos and categories (two more queries) for the tiles.
    """
    qs = (
        StockRecord.objects.filter(
            product__is_public=True, price__isnull=False,
        )
        .exclude(product__structure=Product.PARENT)
        .select_related("product", "product__product_class", "partner")
        .order_by("product_id", "pk")
    )
    if tiles:
        qs = qs.prefetch_related("product__images", "product__categories")
    if location is not None:
        on_hand = Stock.objects.filter(
            stockrecord_id=OuterRef("pk"), location_id=location.pk
        ).values("quantity")[:1]
        qs = qs.annotate(on_hand=Coalesce(Subquery(on_hand), Value(0), output_field=IntegerField()))
    return qs


def _image_url(product):
    """A small square photo of ``product`` for its tile ("" when it has none)."""
    images = sorted(product.images.all(), key=lambda image: (image.display_order, image.pk))
    if not images or not images[0].original:
        return ""
    from oscar.core.thumbnails import get_thumbnailer

    try:
        rendition = get_thumbnailer().generate_thumbnail(
            images[0].original, size=TILE_IMAGE_SIZE, crop="center")
    except (OSError, ValueError):  # a missing or broken file: the tile shows its initial
        return ""
    return getattr(rendition, "url", "") or ""


def _group_names(products):
    """``{product pk: name of its OCOP group}``: the root of its first category, one query."""
    steplen = Category.steplen
    roots = {}
    for product in products:
        categories = sorted(product.categories.all(), key=lambda c: c.path)
        if categories:
            roots[product.pk] = categories[0].path[:steplen]
    names = dict(Category.objects.filter(path__in=set(roots.values()), depth=1)
                 .values_list("path", "name")) if roots else {}
    return {pk: names.get(path, "") for pk, path in roots.items()}


def _offer(stockrecord, group=None):
    product = stockrecord.product
    offer = Offer(
        stockrecord=stockrecord, product=product, price=dong(stockrecord.price),
        on_hand=getattr(stockrecord, "on_hand", None),
        kind="combo" if combos.is_combo(product) else "product", group=group or "",
    )
    if group is not None and offer.tile:
        offer.image = _image_url(product)
    return offer


def _best(stockrecords, tiles=False):
    """One offer per product: the one with most units at the location, then the oldest.

    ``tiles``: with each offer's group and, for a tile, its photo (``offers_queryset(tiles=True)``).
    """
    best = {}
    for sr in stockrecords:
        current = best.get(sr.product_id)
        if current is None or (getattr(sr, "on_hand", 0) or 0) > (getattr(current, "on_hand", 0) or 0):
            best[sr.product_id] = sr
    if not tiles:
        return [_offer(sr) for sr in best.values()]
    groups = _group_names([sr.product for sr in best.values()])
    return [_offer(sr, groups.get(sr.product_id, "")) for sr in best.values()]


def snapshot(location):
    """Every offer the till may sell at ``location`` (for the page's offline cache)."""
    return _best(offers_queryset(location, tiles=True), tiles=True)


def search(location, query):
    """Offers whose product matches ``query`` without accents (at most SEARCH_LIMIT)."""
    query = (query or "").strip()[:100]
    if len(normalize(query)) < 2:
        raise TillError(_("Hãy gõ ít nhất 2 chữ cái để tìm theo tên."))
    products = filter_products(Product.objects.all(), query).values("pk")
    return _best(offers_queryset(location).filter(product_id__in=products)[: SEARCH_LIMIT * 3])[
        :SEARCH_LIMIT
    ]


# --- code → offer: the seam ------------------------------------------------------------

def _product_resolver(code, location):
    stockrecords = list(offers_queryset(location).filter(product__upc=code)[:10])
    offers = _best(stockrecords)
    return offers[0] if offers else None


CODE_RESOLVERS = [_product_resolver]
COMPONENT_EXPANDERS = []


def register_code_resolver(resolver, first=True):
    """Add ``resolver(code, location) -> Offer | None`` (e.g. gift combos)."""
    if resolver not in CODE_RESOLVERS:
        CODE_RESOLVERS.insert(0 if first else len(CODE_RESOLVERS), resolver)


def register_component_expander(expander):
    """Add ``expander(stockrecord, quantity) -> [(stockrecord, qty), ...] | None``.

    The till moves stock for what the expander returns (a combo's components)
    instead of the sold offer itself.
    """
    if expander not in COMPONENT_EXPANDERS:
        COMPONENT_EXPANDERS.append(expander)


def stock_lines(stockrecord, quantity):
    for expander in COMPONENT_EXPANDERS:
        lines = expander(stockrecord, quantity)
        if lines is not None:
            return lines
    return [(stockrecord, quantity)]


def clean_code(code):
    code = "".join(str(code or "").split())
    if not code:
        raise TillError(_("Chưa có mã vạch."), code="empty_code")
    if len(code) > MAX_CODE_LENGTH:
        raise TillError(_("Mã vạch quá dài."), code="bad_code")
    return code


def resolve_code(code, location):
    """The offer a scanned ``code`` stands for at ``location``.

    Raises ``TillError`` (400) for a malformed code, ``TillNotFound`` (404)
    for a well-formed code nobody sells.
    """
    code = clean_code(code)
    for resolver in CODE_RESOLVERS:
        offer = resolver(code, location)
        if offer is not None:
            return offer
    problem = gtin13_error(code)
    if problem:
        raise TillError(problem, code="bad_code")
    raise TillNotFound(
        _("Không có sản phẩm nào mang mã “%(code)s”. Hãy tìm theo tên.") % {"code": code},
        code="unknown_code",
    )
