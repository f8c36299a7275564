"""Catalogue feeds for social shops and marketplaces: Meta (CSV, XML) and Google Merchant (XML).

What is in a feed
-----------------
* Every **listed** product and combo (public, parent-level: the storefront's
  ``catalogue.browsing.browsable_products``) that has a stock record with a
  price and is **certified today**: a valid OCOP certificate
  (``catalogue.certification.current_certificate``); for a combo, every
  component (gift packaging aside, which needs none) is public and certified.
* ... and that has a photo: both Meta and Google reject an item without
  ``image_link`` (and placeholder pictures), so an item without one is left
  out rather than sent to be refused. A combo without its own photo shows its
  first component's photo.
* With ``?seller=<id>`` (an active seller): a producer who sells live
  (``Seller.partner``) gets only their own products, as on their link page.

The fields
----------
* ``id`` is the product's number (stable, the pixel's content id);
  ``title`` ≤ 150 characters, ``description`` plain text (HTML stripped,
  characters XML cannot carry removed) ≤ 5000, the title when it is empty.
* Availability and quantity come from the one inventory: the stock record's
  net level (``num_in_stock − num_allocated``; a combo's record carries the
  totals the inventory derives from its components). Meta says "in stock" /
  "out of stock", Google ``in_stock`` / ``out_of_stock``; condition is "new".
* Prices are whole đồng written ``150000 VND``.
* ``brand`` is the producer's name (a combo's: its seller, e.g. "OCOP Đăk
  Hà"); ``gtin`` the product's barcode when it is a real GTIN (8, 12, 13 or
  14 digits, right check digit, not an in-store code of the restricted ranges
  02, 04, 2x): otherwise Google gets ``identifier_exists`` = no.
* A feed is written in the shop's language (``LANGUAGE_CODE``, Vietnamese),
  whoever fetches it: the marketplaces want one language per feed, and the
  titles and descriptions are Vietnamese.
* ``custom_label_0`` is the OCOP stars ("OCOP 4 sao"); a combo carries the
  lowest stars among its certified components (what every part of it holds).
* ``product_type`` is our group path ("Thực phẩm > Cà phê"). No
  ``google_product_category``: that field takes Google's own taxonomy, which
  our groups are not; sending our path there would be wrong.

Links and live prices — the decisions
-------------------------------------
* Without a seller, links go to the product page and no sale price is sent: a
  live price applies only to buyers who came through that session's link
  (``shop.live.pricing``), so advertising it to everyone would promise a price
  the shop does not charge.
* With a seller, each item's link is that seller's short link ``/l/<code>``
  (``shop.live.links``), so a purchase through the feed is attributed to them.
  When the product is featured with a live price in one of **that seller's**
  sessions, the item carries ``sale_price`` and ``sale_price_effective_date``
  and its link is the seller's link **for that session** (the attribution then
  names the session, which is what the live price needs):

  - a session that is **live** now: from its start to its scheduled end (or,
    when it runs past that, to an hour from now: the feed is fetched again
    well before);
  - a session **scheduled** to start later: its scheduled window;
  - a scheduled session whose start time has passed without going live is
    not used (its price would be promised while nobody is charged it);
  - a live session wins over a scheduled one, then the one starting first.

  No sale price when the live price is not below the list price any more or
  the live quantity cap is used up.
* Links are made in bulk (one query for those already made, one insert for the
  rest), with ``links.link_for``'s rule (one link per seller × product ×
  session), so a feed costs the same number of queries whatever the size of
  the catalogue.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import barcodes, certification, combos
from catalogue.browsing import browsable_products
from shop import money
from shop.core import links as site_links
from shop.core.numbers import is_digits
from shop.live import links
from shop.live.models import Link, LiveOffer, LiveSession, Seller

G_NS = "http://base.google.com/ns/1.0"
ET.register_namespace("g", G_NS)

TITLE_MAX = 150
DESCRIPTION_MAX = 5000
BRAND_MAX = 70
LABEL_MAX = 100
MAX_ADDITIONAL_IMAGES = 10
CURRENCY = "VND"
LIVE_OVERRUN = datetime.timedelta(hours=1)
CACHE_SECONDS = 300

META_FIELDS = [
    "id", "title", "description", "availability", "condition", "price", "link", "image_link",
    "brand", "quantity_to_sell_on_facebook", "sale_price", "sale_price_effective_date", "gtin",
    "custom_label_0", "product_type", "additional_image_link",
]
META_REQUIRED = [
    "id", "title", "description", "availability", "condition", "price", "link", "image_link",
    "brand",
]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_RESTRICTED_GTIN13 = ("02", "04", "2")


class UnknownSeller(LookupError):
    """``?seller=`` names no active seller; ``message`` says so in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Sale:
    price: Decimal
    start: datetime.datetime
    end: datetime.datetime
    offer: LiveOffer

    @property
    def effective_date(self):
        return f"{_iso(self.start)}/{_iso(self.end)}"


@dataclass
class FeedItem:
    id: str
    title: str
    description: str
    link: str
    image_link: str
    price: Decimal
    in_stock: bool
    quantity: int | None
    brand: str
    stars: int
    product_type: str = ""
    gtin: str = ""
    sale: Sale | None = None
    additional_image_links: list = field(default_factory=list)
    product: object = None


# --- Small rules -------------------------------------------------------------------------------


def _iso(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M%z")


def plain_text(value, limit):
    """``value`` as plain text on one line: no tags, entities read, no XML-illegal characters."""
    text = html.unescape(strip_tags(value or ""))
    text = _SPACES.sub(" ", _NOT_XML.sub("", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def feed_price(amount):
    return f"{money.to_int(money.dong(amount))} {CURRENCY}"


def valid_gtin(code):
    """``code`` when it is a GTIN a marketplace accepts (see the module doc), else ''."""
    code = (code or "").strip()
    if not (code.isascii() and code.isdigit()) or len(code) not in (8, 12, 13, 14):
        return ""
    if barcodes.check_digit(code[:-1]) != int(code[-1]):
        return ""
    as13 = code.zfill(13) if len(code) in (12, 13) else (code[1:] if code[0] == "0" else "")
    if len(code) != 8 and as13.startswith(_RESTRICTED_GTIN13):
        return ""
    return code


def stars_label(stars):
    return _("OCOP %(stars)d sao") % {"stars": stars}


def _absolute(url, request):
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return site_links.absolute(url, request)


# --- The seller -------------------------------------------------------------------------------


def seller_from(value):
    """The active seller named by ``?seller=`` (None when not given); :class:`UnknownSeller` else."""
    if value is None or value == "":
        return None
    seller = None
    if is_digits(str(value)):
        seller = (
            Seller.objects.select_related("partner").filter(pk=int(value), is_active=True).first()
        )
    if seller is None:
        raise UnknownSeller(
            _("Không có người bán nào đang hoạt động với mã “%(seller)s”.") % {"seller": value}
        )
    return seller


# --- What goes in ----------------------------------------------------------------------------


def _products(seller):
    StockRecord = get_model("partner", "StockRecord")
    ComboComponent = get_model("catalogue", "ComboComponent")
    priced = StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
    if seller is not None and seller.partner_id:
        priced = priced.filter(partner_id=seller.partner_id)
    return (
        browsable_products()
        .filter(Exists(priced))
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner").order_by("pk"),
            ),
            "images",
            "ocop_certificates",
            "categories",
            Prefetch(
                "combo_components",
                queryset=ComboComponent.objects.select_related(
                    "component__product__product_class",
                ).order_by("display_order", "pk"),
            ),
            "combo_components__component__product__ocop_certificates",
            "combo_components__component__product__images",
        )
        .order_by("pk")
    )


def _stockrecord(product, seller):
    for record in product.stockrecords.all():
        if record.price is None:
            continue
        if seller is not None and seller.partner_id and record.partner_id != seller.partner_id:
            continue
        return record
    return None


def certified_stars(product, on=None):
    """The stars ``product`` holds today (a combo: its lowest certified part); None if not certified."""
    if not combos.is_combo(product):
        certificate = certification.current_certificate(product, on)
        return certificate.stars if certificate else None
    stars = []
    parts = list(product.combo_components.all())
    if not parts:
        return None
    for row in parts:
        part = row.component.product
        if combos.is_packaging(part):
            continue  # gift packaging: sold by the district, no certificate, not listed alone
        if not part.is_public:
            return None
        certificate = certification.current_certificate(part, on)
        if certificate is None:
            return None
        stars.append(certificate.stars)
    return min(stars) if stars else None


def _images(product):
    images = list(product.images.all())
    if not images and combos.is_combo(product):
        for row in product.combo_components.all():
            images = list(row.component.product.images.all())
            if images:
                break
    return sorted(images, key=lambda image: (image.display_order, image.pk))


def _category_paths():
    Category = get_model("catalogue", "Category")
    rows = Category.objects.only("path", "depth", "name")
    names = {row.path: row.name for row in rows}
    steplen = Category.steplen
    return lambda category: " > ".join(
        names.get(category.path[: steplen * level], "") for level in range(1, category.depth + 1)
    )


def _sales(seller, now):
    """``{product_id: LiveOffer}``: the seller's offer whose live price the feed shows."""
    Status = LiveSession.Status
    offers = (
        LiveOffer.objects.filter(session__seller=seller, live_price__isnull=False)
        .filter(
            Q(session__status=Status.LIVE)
            | Q(session__status=Status.SCHEDULED, session__scheduled_start__gt=now)
        )
        .select_related("session")
    )
    chosen = {}
    for offer in sorted(
        offers, key=lambda o: (not o.session.is_live, o.session.scheduled_start, o.pk)
    ):
        if offer.remaining_cap == 0:
            continue
        chosen.setdefault(offer.product_id, offer)
    return chosen


def sale_for(offer, list_price, now):
    """The :class:`Sale` ``offer`` gives in the feed, or None (see the module doc)."""
    if offer is None or offer.live_price is None or list_price is None:
        return None
    if offer.live_price >= list_price or offer.remaining_cap == 0:
        return None
    session = offer.session
    if session.is_live:
        start = session.started_at or now
        end = session.scheduled_end if session.scheduled_end > now else now + LIVE_OVERRUN
    elif session.status == LiveSession.Status.SCHEDULED and session.scheduled_start > now:
        start, end = session.scheduled_start, session.scheduled_end
    else:
        return None
    return Sale(price=money.dong(offer.live_price), start=start, end=end, offer=offer)


def seller_links(seller, wanted):
    """``{(product_id, session_id): Link}`` for ``wanted`` pairs, made where missing (in bulk)."""
    wanted = set(wanted)
    if not wanted:
        return {}
    session_ids = {session_id for _product, session_id in wanted if session_id}
    found = {
        (link.product_id, link.session_id): link
        for link in Link.objects.filter(
            seller=seller, product_id__in={product for product, _session in wanted},
        ).filter(Q(session__isnull=True) | Q(session_id__in=session_ids))
    }
    missing = sorted(pair for pair in wanted if pair not in found)
    if missing:
        new = [
            Link(code=links.new_code(), seller=seller, product_id=product, session_id=session)
            for product, session in missing
        ]
        try:
            with transaction.atomic():
                Link.objects.bulk_create(new)
            found.update({(link.product_id, link.session_id): link for link in new})
        except IntegrityError:  # a code taken, or the same link made meanwhile: one at a time
            Product = get_model("catalogue", "Product")
            sessions = {s.pk: s for s in LiveSession.objects.filter(pk__in=session_ids)}
            products = Product.objects.in_bulk([product for product, _session in missing])
            for product, session in missing:
                found[(product, session)] = links.link_for(
                    seller, products[product], sessions.get(session)
                )
    return {pair: found[pair] for pair in wanted}


def items(request=None, seller=None, now=None):
    """The feed's items (:class:`FeedItem`), in product order; see the module doc for the rules."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    products = list(_products(seller))
    category_path = _category_paths() if products else None
    offers = _sales(seller, now) if seller is not None else {}
    drafts = []
    for product in products:
        record = _stockrecord(product, seller)
        if record is None:
            continue
        stars = certified_stars(product, today)
        if stars is None:
            continue
        images = _images(product)
        if not images:
            continue
        sale = sale_for(offers.get(product.pk), record.price, now) if seller else None
        drafts.append((product, record, stars, images, sale))

    seller_link = {}
    if seller is not None:
        seller_link = seller_links(seller, [
            (product.pk, sale.offer.session_id if sale else None)
            for product, _record, _stars, _images, sale in drafts
        ])

    result = []
    for product, record, stars, images, sale in drafts:
        if seller is not None:
            key = (product.pk, sale.offer.session_id if sale else None)
            link = links.absolute_url(seller_link[key], request)
        else:
            link = site_links.absolute(product.get_absolute_url(), request)
        tracks = product.get_product_class().track_stock
        quantity = max(0, record.net_stock_level) if tracks else None
        categories = sorted(product.categories.all(), key=lambda c: c.path)
        brand = product.producer.name if product.producer_id else record.partner.name
        result.append(FeedItem(
            id=str(product.pk),
            title=plain_text(product.get_title(), TITLE_MAX),
            description=(
                plain_text(product.description, DESCRIPTION_MAX)
                or plain_text(product.get_title(), DESCRIPTION_MAX)
            ),
            link=link,
            image_link=_absolute(images[0].original.url, request),
            additional_image_links=[
                _absolute(image.original.url, request)
                for image in images[1: MAX_ADDITIONAL_IMAGES + 1]
            ],
            price=money.dong(record.price),
            in_stock=quantity is None or quantity > 0,
            quantity=quantity,
            brand=plain_text(brand, BRAND_MAX),
            stars=stars,
            product_type=category_path(categories[0]) if categories else "",
            gtin=valid_gtin(product.upc),
            sale=sale,
            product=product,
        ))
    return result


def render(write, request=None, seller=None):
    """The bytes of a feed: ``write`` (:func:`meta_csv`, :func:`meta_xml`, :func:`google_xml`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return write(items(request, seller), request, seller)


# --- Writing them ----------------------------------------------------------------------------


def meta_row(item):
    """The item as Meta's catalogue fields (every column of :data:`META_FIELDS`)."""
    return {
        "id": item.id,
        "title": item.title,
        "description": item.description,
        "availability": "in stock" if item.in_stock else "out of stock",
        "condition": "new",
        "price": feed_price(item.price),
        "link": item.link,
        "image_link": item.image_link,
        "brand": item.brand,
        "quantity_to_sell_on_facebook": "" if item.quantity is None else str(item.quantity),
        "sale_price": feed_price(item.sale.price) if item.sale else "",
        "sale_price_effective_date": item.sale.effective_date if item.sale else "",
        "gtin": item.gtin,
        "custom_label_0": plain_text(stars_label(item.stars), LABEL_MAX),
        "product_type": plain_text(item.product_type, 750),
        "additional_image_link": ",".join(item.additional_image_links),
    }


def meta_csv(feed_items, request=None, seller=None):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=META_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in feed_items:
        writer.writerow(meta_row(item))
    return out.getvalue().encode("utf-8")


def _channel(title_suffix, link):
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    title = _("Sản phẩm OCOP Đăk Hà")
    if title_suffix:
        title = f"{title} — {title_suffix}"
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = _(
        "Sản phẩm OCOP có giấy chứng nhận còn hiệu lực, bán trên cửa hàng trực tuyến."
    )
    return rss, channel


def _g(parent, name, text):
    if text is None or text == "":
        return None
    element = ET.SubElement(parent, f"{{{G_NS}}}{name}")
    element.text = str(text)
    return element


def _xml(rss):
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def meta_xml(feed_items, request=None, seller=None):
    """Meta's RSS 2.0 feed: every field in the ``g:`` namespace, as Meta's sample feed."""
    rss, channel = _channel(seller.display_name if seller else "", site_links.absolute("/", request))
    for item in feed_items:
        row = meta_row(item)
        node = ET.SubElement(channel, "item")
        for name in META_FIELDS:
            if name == "additional_image_link":
                for url in item.additional_image_links:
                    _g(node, name, url)
            else:
                _g(node, name, row[name])
    return _xml(rss)


def google_xml(feed_items, request=None, seller=None):
    """Google Merchant's RSS 2.0 feed (``title``, ``link``, ``description`` plain; the rest ``g:``)."""
    rss, channel = _channel(seller.display_name if seller else "", site_links.absolute("/", request))
    for item in feed_items:
        node = ET.SubElement(channel, "item")
        _g(node, "id", item.id)
        ET.SubElement(node, "title").text = item.title
        ET.SubElement(node, "description").text = item.description
        ET.SubElement(node, "link").text = item.link
        _g(node, "image_link", item.image_link)
        for url in item.additional_image_links:
            _g(node, "additional_image_link", url)
        _g(node, "availability", "in_stock" if item.in_stock else "out_of_stock")
        _g(node, "price", feed_price(item.price))
        if item.sale:
            _g(node, "sale_price", feed_price(item.sale.price))
            _g(node, "sale_price_effective_date", item.sale.effective_date)
        _g(node, "brand", item.brand)
        if item.gtin:
            _g(node, "gtin", item.gtin)
        else:
            _g(node, "identifier_exists", "no")
        _g(node, "condition", "new")
        _g(node, "custom_label_0", plain_text(stars_label(item.stars), LABEL_MAX))
        _g(node, "product_type", plain_text(item.product_type, 750))
    return _xml(rss)
