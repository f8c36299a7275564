"""Attribution: which livestream seller brought a buyer, and which of their sessions.

The rules, for sellers and the office
-------------------------------------
* Following a seller's short link (``/l/<code>``) lands on the product page and
  sets a first-party cookie naming the seller, the link and the link's session
  (if any), for :data:`ATTRIBUTION_DAYS` days (setting ``LIVE_ATTRIBUTION_DAYS``).
  The **last link followed wins**: a new link replaces the cookie.
* An order placed while the cookie is valid carries it: each of its lines gets
  one :class:`~shop.live.models.Attribution` (seller, session, link, and the
  live offer whose price it got, if any) — written in the order's transaction.
* A product put in the basket by a buyer carrying a session's attribution is
  recorded (:class:`~shop.live.models.BasketAddition`): the session report's
  "baskets" are the distinct visitors who did.
* A click is counted when a person (not a bot, by its user agent) follows a
  link; the same visitor following the same link again within a minute is not
  counted twice. A visitor is a random first-party id kept in a cookie.

The cookie is signed (Django's signing with the secret key): a buyer cannot
forge a seller or a session into it.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils import timezone

from shop.live.models import BasketAddition, Click, Link

COOKIE = "ocop_live"
VISITOR_COOKIE = "ocop_vid"
SALT = "shop.live.attribution"
REPEAT_WINDOW = datetime.timedelta(minutes=1)
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|facebot|preview|curl|wget|python-requests|"
    r"headless(?!chrome)|monitor|fetch|zalo.*link|tiktokspider|bytespider",
    re.IGNORECASE,
)


def attribution_days():
    return int(getattr(settings, "LIVE_ATTRIBUTION_DAYS", 30))


@dataclass(frozen=True)
class Visit:
    """The attribution a buyer carries: the seller, the link followed and its session."""

    seller_id: int
    link_id: int | None
    session_id: int | None


def is_bot(request):
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(BOT_AGENTS.search(agent))


def from_request(request):
    """The buyer's :class:`Visit`, or None (no cookie, expired, or tampered with)."""
    if hasattr(request, "_live_visit"):
        return request._live_visit
    visit = None
    try:
        raw = request.get_signed_cookie(
            COOKIE, salt=SALT, max_age=datetime.timedelta(days=attribution_days())
        )
        seller, link, session = (int(x) if x else None for x in raw.split(":"))
        if seller:
            visit = Visit(seller, link, session)
    except (KeyError, ValueError, TypeError, signing.BadSignature):
        visit = None
    request._live_visit = visit
    return visit


def remember(response, request, link):
    """Set the attribution cookie for ``link`` on ``response`` (the last link followed wins)."""
    value = f"{link.seller_id}:{link.pk}:{link.session_id or ''}"
    response.set_signed_cookie(
        COOKIE, value, salt=SALT, max_age=attribution_days() * 86400,
        secure=request.is_secure(), httponly=True, samesite="Lax",
    )
    request._live_visit = Visit(link.seller_id, link.pk, link.session_id)
    return response


def visitor_id(request):
    """The visitor's first-party id (a new one when the browser has none)."""
    value = request.COOKIES.get(VISITOR_COOKIE, "")
    if re.fullmatch(r"[0-9a-f]{32}", value or ""):
        return value, False
    return secrets.token_hex(16), True


def count_click(request, link, now=None):
    """Count a click on ``link`` unless a bot or a repeat within a minute; returns visitor id."""
    visitor, _new = visitor_id(request)
    if is_bot(request):
        return visitor
    now = now or timezone.now()
    repeat = Click.objects.filter(
        link=link, visitor=visitor, at__gt=now - REPEAT_WINDOW
    ).exists()
    if not repeat:
        Click.objects.create(link=link, session_id=link.session_id, visitor=visitor, at=now)
        Link.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return visitor


def follow(request, link, response):
    """A visitor followed ``link``: count it and remember the seller on ``response``."""
    visitor = count_click(request, link)
    response.set_cookie(
        VISITOR_COOKIE, visitor, max_age=365 * 86400, secure=request.is_secure(),
        httponly=True, samesite="Lax",
    )
    return remember(response, request, link)


def record_basket_addition(sender, product, user=None, request=None, **kwargs):
    """Oscar's ``basket_addition`` signal: note it when the buyer came through a session."""
    if request is None or product is None:
        return
    visit = from_request(request)
    if visit is None or not visit.session_id:
        return
    visitor = request.COOKIES.get(VISITOR_COOKIE, "")
    if not re.fullmatch(r"[0-9a-f]{32}", visitor):
        visitor = f"s:{request.session.session_key or ''}"[:40]
    BasketAddition.objects.create(session_id=visit.session_id, product=product, visitor=visitor)
