"""Sellers' short links (``/l/<code>``) and their QR codes."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue import traceability
from shop.core import links as site_links
from shop.live.models import Link

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud on a live stream
CODE_LENGTH = 7


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def link_for(seller, product, session=None):
    """The seller's link to ``product`` (for ``session``, if given), made once."""
    existing = Link.objects.filter(seller=seller, product=product, session=session).first()
    if existing is not None:
        return existing
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return Link.objects.create(
                    code=new_code(), seller=seller, product=product, session=session
                )
        except IntegrityError:
            existing = Link.objects.filter(seller=seller, product=product, session=session).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free link code")  # 31^7 codes: practically unreachable


def path(link):
    return reverse("live-link", kwargs={"code": link.code})


def absolute_url(link, request=None):
    return site_links.absolute(path(link), request)


def qr_png(link, request=None, box_size=10):
    return traceability.qr_png(absolute_url(link, request), box_size=box_size)


def qr_svg(link, request=None):
    return traceability.qr_svg(absolute_url(link, request))
