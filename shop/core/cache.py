"""Cached storefront fragments: the keys, and the rules that invalidate them.

The cache is Redis (django-redis) when ``REDIS_URL`` is set, the process's local
memory otherwise (``settings.CACHES``).

What is cached, and its key:

* A product card's parts (``oscar/catalogue/partials/product.html``), rendered
  HTML: ``card:<generation>:<product id>:<part>:<language>``. The part ``head`` is
  the photo, the OCOP star badge, the title, the producer and the place; the part
  ``price`` is the price and the stock line. The add-to-basket form is never
  cached (it carries the visitor's CSRF token).
* The price part is cached only for visitors priced by the plain strategy: a
  buyer who came through a live session's link sees live prices
  (``shop.live.strategy``), rendered for them alone.
* The navigation's product groups (the top-level categories, with their URLs):
  ``nav:groups:<generation>:<language>``, a list of plain dicts.
* The home page's product count of each group, ``home:group-counts:<generation>``
  (``{category id: count}``): counting every listed product is the one part of the
  home page that grows with the catalogue. Retired when a product, a category or a
  product's groups change.
* ``<generation>`` is a number kept in the cache; :func:`invalidate_all` moves it
  on, which retires every card at once (after the daily certificate job, or a
  producer's or place's rename). :data:`CARD_TEMPLATE_VERSION` is part of the
  keys too: raise it when the card's template changes, so that a new release
  never serves the old HTML.
* Entries live at most ``settings.FRAGMENT_SECONDS`` even if nothing invalidates them:
  an hour with Redis (shared by every process, so an invalidation reaches them all),
  30 seconds without (each process's own memory: another process's change reaches a
  process's cached fragments only when they expire).

When a card is invalidated (:func:`invalidate_products`):

* a price: a StockRecord is saved or deleted (``post_save`` / ``post_delete``);
* the stock figure: the one inventory rewrote Oscar's derived totals
  (``showroom.inventory`` calls :func:`invalidate_products` with the products
  whose totals changed: these are queryset updates, which send no signal);
* a listing: the Product is saved or deleted (title, ``is_public``, …), or one of
  its photos;
* a certificate: an ``OcopCertificate`` is saved or deleted (its product's stars).

Invalidation happens at once *and* again when the transaction commits: at once so
that a page rendered later in the same transaction shows the change, at the commit
so that a page another process rendered from the old rows meanwhile is retired too.

This module knows no app: receivers are connected with lazy model names.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

logger = logging.getLogger(__name__)

CARD_TEMPLATE_VERSION = 1
NAV_VERSION = 1
CARD_PARTS = ("head", "price")
GENERATION_KEY = "ocop:fragments:generation"


# --- Keys ---------------------------------------------------------------------------


def generation(request=None):
    """The current generation number (read once per request when given one)."""
    if request is not None:
        cached = getattr(request, "_ocop_fragment_generation", None)
        if cached is not None:
            return cached
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    if request is not None:
        request._ocop_fragment_generation = value
    return value


def language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def card_key(product_id, part, gen, lang=None):
    return f"card:{CARD_TEMPLATE_VERSION}.{gen}:{product_id}:{part}:{lang or language()}"


def nav_key(gen, lang=None):
    return f"nav:groups:{NAV_VERSION}.{gen}:{lang or language()}"


def group_counts_key(gen=None):
    return f"home:group-counts:{gen or generation()}"


def group_counts(compute):
    """``{category id: number of listed products}``, from the cache or ``compute()``."""
    key = group_counts_key()
    counts = cache.get(key)
    if counts is None:
        counts = compute()
        cache.set(key, counts, settings.FRAGMENT_SECONDS)
    return counts


def cached_group_counts():
    """The cached counts, or None when they must be computed."""
    return cache.get(group_counts_key())


def personal_prices(request):
    """True when the request's strategy may price products for this visitor alone."""
    strategy = getattr(request, "strategy", None)
    visit = getattr(strategy, "visit", None)
    return bool(getattr(visit, "session_id", None))


# --- Invalidation -------------------------------------------------------------------


def _card_keys(product_ids):
    gen = generation()
    return [
        card_key(pk, part, gen, lang)
        for pk in product_ids
        for part in CARD_PARTS
        for lang, _name in settings.LANGUAGES
    ]


def _delete(keys):
    if keys:
        cache.delete_many(keys)


def _now_and_at_commit(action):
    action()
    transaction.on_commit(action, robust=True)


def invalidate_products(product_ids):
    """Retire the cached cards of these products (ids or instances)."""
    ids = sorted({getattr(p, "pk", p) for p in product_ids if getattr(p, "pk", p) is not None})
    if not ids:
        return
    keys = _card_keys(ids)
    _now_and_at_commit(lambda: _delete(keys))


def invalidate_navigation():
    gen = generation()
    keys = [nav_key(gen, lang) for lang, _name in settings.LANGUAGES]
    _now_and_at_commit(lambda: _delete(keys))


def invalidate_group_counts():
    key = group_counts_key()
    _now_and_at_commit(lambda: cache.delete(key))


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new number retires the old keys
        cache.set(GENERATION_KEY, (cache.get(GENERATION_KEY) or 1) + 1, timeout=None)


def invalidate_all():
    """Retire every cached card and the navigation (a new generation)."""
    _now_and_at_commit(_bump)


# --- Receivers ----------------------------------------------------------------------


def _product_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = [instance.pk]
    if getattr(instance, "parent_id", None):
        ids.append(instance.parent_id)  # a parent's card shows its children's prices
    invalidate_products(ids)
    invalidate_group_counts()


def _stockrecord_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    product = getattr(instance, "product", None)
    ids = [instance.product_id]
    if product is not None and product.parent_id:
        ids.append(product.parent_id)
    invalidate_products(ids)


def _belongs_to_product(sender, instance, raw=False, **kwargs):
    if not raw:
        invalidate_products([instance.product_id])


def _seller_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        invalidate_all()  # a producer's or place's name is on many cards


def _category_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        invalidate_navigation()
        invalidate_group_counts()


def _groups_changed(sender, instance=None, raw=False, **kwargs):
    """A product joined or left a group (a ProductCategory row, or ``categories.add()``)."""
    if not raw:
        invalidate_group_counts()


RECEIVERS = (
    (_product_changed, "catalogue.Product"),
    (_stockrecord_changed, "partner.StockRecord"),
    (_belongs_to_product, "catalogue.ProductImage"),
    (_belongs_to_product, "catalogue.OcopCertificate"),
    (_category_changed, "catalogue.Category"),
    (_groups_changed, "catalogue.ProductCategory"),
    (_seller_changed, "vendors.Vendor"),
    (_seller_changed, "vendors.AdministrativeUnit"),
    (_seller_changed, "partner.Partner"),
)


def connect():
    from django.apps import apps
    from django.db.models.signals import m2m_changed

    product = apps.get_model("catalogue", "Product")
    m2m_changed.connect(_groups_changed, sender=product.categories.through, weak=False,
                        dispatch_uid="shop.core.cache._groups_changed.m2m")
    for receiver, model in RECEIVERS:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, weak=False,
                           dispatch_uid=f"shop.core.cache.{receiver.__name__}.{model}")
