"""What the overlay of a live session shows, as data (for the API, the overlay page and tests).

The rules
---------
* The overlay (OBS, or a phone's screen turned to the camera) shows the
  **pinned** item only: its photo, the live price against the list price, how
  many a buyer can still get ("còn N": :func:`shop.live.sessions.available`,
  the one inventory and, while live, the live cap), a QR code of the seller's
  link for that item in the session and the link's short text. Nothing is
  pinned: nothing is shown.
* **Phone numbers never appear** in it: not the seller's, not a buyer's from a
  comment hold. The state holds only what is listed above.
* Reading the state first releases the session's holds that are due
  (:func:`shop.live.holds.expire_due`), so a hold that expired gives its units
  back to "còn N" while the overlay is on screen, without a scheduler.
* The overlay is opened without signing in (OBS has no session): its address
  carries a signed token naming the session (:func:`token_for`,
  :func:`session_pk_from_token`); the token reveals nothing but this state.
* ``etag`` changes whenever anything shown changes (the session's ``version``,
  which every pin, start, end and hold bumps, and the figures, which an order
  on the shop changes without a version): the overlay re-renders only then.
* A bounded number of queries, whatever the session holds.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json

from django.core import signing
from oscar.core.thumbnails import get_thumbnailer

from catalogue import traceability
from shop import money
from shop.live import holds, links, pricing, sessions
from shop.live.models import LiveOffer, LiveSession

TOKEN_SALT = "live.overlay"
IMAGE_SIZE = "600x600"


def token_for(session):
    """The signed token that lets the overlay of ``session`` (and only it) be read."""
    return signing.dumps({"s": session.pk}, salt=TOKEN_SALT)


def session_pk_from_token(token):
    """The session pk a token names, or None for anything not signed by us."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    pk = data.get("s") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None


@functools.lru_cache(maxsize=256)
def _qr_data_url(url):
    """An SVG QR code of ``url`` as a ``data:`` URL (the CSP allows data: images)."""
    svg = traceability.qr_svg(url, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _image_url(product):
    image = product.primary_image()
    if isinstance(image, dict):  # Oscar's "missing image" stand-in: show no photo
        return None
    rendition = get_thumbnailer().generate_thumbnail(image.original, size=IMAGE_SIZE)
    return rendition.url if rendition is not None else None


def _pinned_offer(session):
    if not session.pinned_id:
        return None
    offer = (
        LiveOffer.objects.filter(pk=session.pinned_id, session=session)
        .select_related("product")
        .prefetch_related("product__stockrecords", "product__images")
        .first()
    )
    if offer is not None:
        offer.session = session  # sessions.available reads session.is_live: no second query
    return offer


def _item(session, offer, request):
    product = offer.product
    stockrecord = next(iter(product.stockrecords.all()), None)
    list_price = stockrecord.price if stockrecord is not None else None
    live_price = pricing.live_price_for(offer)  # only while live, only while the cap has room
    price = live_price if live_price is not None else list_price
    link = links.link_for(session.seller, product, session)
    url = links.absolute_url(link, request)
    return {
        "offer": offer.pk,
        "code": offer.code,
        "title": product.get_title(),
        "image_url": _image_url(product),
        "price": money.to_int(price) if price is not None else None,
        "price_text": money.display_vnd(price) if price is not None else "",
        "list_price": money.to_int(list_price) if list_price is not None else None,
        "list_price_text": money.display_vnd(list_price) if list_price is not None else "",
        "is_live_price": live_price is not None,
        "available": sessions.available(offer),
        "cap": offer.cap,
        "sold": offer.sold,
        "link_text": url.split("://", 1)[-1] if url else links.path(link),
        "link_url": url or links.path(link),
        "qr": _qr_data_url(url or links.path(link)),
    }


def _etag(data):
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def state(session, request=None):
    """The overlay of ``session`` as a dict (see the module's rules); never a phone number."""
    holds.expire_due(session=session)
    session = LiveSession.objects.select_related("seller").get(pk=session.pk)
    offer = _pinned_offer(session)
    data = {
        "session": session.pk,
        "status": session.status,
        "status_label": str(LiveSession.Status(session.status).label),
        "is_live": session.is_live,
        "version": session.version,
        "pinned": _item(session, offer, request) if offer is not None else None,
    }
    data["etag"] = _etag(data)
    return data
