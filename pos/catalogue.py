"""What the till can sell: offers by scanned code or name, and the offline snapshot.

An *offer* is one producer's ``StockRecord`` of one product with its price
(whole đồng) and OCOP stars. ``resolve_code`` is the seam where a scanned code
becomes an offer: resolvers are tried in order, so gift combos can plug in
with :func:`register_code_resolver` (and expand into their components with
:func:`register_component_expander`) without touching the till.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.barcodes import gtin13_error
from catalogue.search import filter_products, normalize
from pos.errors import TillError, TillNotFound
from shop.money import dong
from showroom.models import Stock

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

MAX_CODE_LENGTH = 64
SEARCH_LIMIT = 20


@dataclass
class Offer:
    stockrecord: object
    product: object
    price: Decimal
    on_hand: int | None = None
    kind: str = "product"
    extra: dict = field(default_factory=dict)

    @property
    def code(self):
        return self.product.upc or ""

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
        }


def offers_queryset(location=None):
    """Priced offers of public, sellable products; one query, stock at ``location`` annotated."""
    qs = (
        StockRecord.objects.filter(
            product__is_public=True, price__isnull=False,
        )
        .exclude(product__structure=Product.PARENT)
        .select_related("product", "partner")
        .order_by("product_id", "pk")
    )
    if location is not None:
        on_hand = Stock.objects.filter(
            stockrecord_id=OuterRef("pk"), location_id=location.pk
        ).values("quantity")[:1]
        qs = qs.annotate(on_hand=Coalesce(Subquery(on_hand), Value(0), output_field=IntegerField()))
    return qs


def _offer(stockrecord):
    return Offer(
        stockrecord=stockrecord, product=stockrecord.product, price=dong(stockrecord.price),
        on_hand=getattr(stockrecord, "on_hand", None),
    )


def _best(stockrecords):
    """One offer per product: the one with most units at the location, then the oldest."""
    best = {}
    for sr in stockrecords:
        current = best.get(sr.product_id)
        if current is None or (getattr(sr, "on_hand", 0) or 0) > (getattr(current, "on_hand", 0) or 0):
            best[sr.product_id] = sr
    return [_offer(sr) for sr in best.values()]


def snapshot(location):
    """Every offer the till may sell at ``location`` (for the page's offline cache)."""
    return _best(offers_queryset(location))


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
