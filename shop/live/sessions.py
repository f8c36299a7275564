"""Live sessions: schedule, feature products with live prices and caps, go live, pin, end.

The rules
---------
* A seller features only what they may sell: any listed product or combo, or —
  for a producer who sells live — only their own products.
* A product whose OCOP certificate has lapsed (expired, revoked, none valid
  today) cannot be featured; for a combo, every component needs a valid one.
  Vietnam's E-commerce Law makes the livestreamer answer for the goods'
  quality papers, so the control page shows them for each item
  (:func:`quality_papers`).
* A live price passes :func:`shop.live.pricing.check_live_price` (below list,
  not below the seller's floor); a cap is never set below what was already sold.
* Sessions move scheduled → live → ended (or scheduled → cancelled). Each change
  the overlay shows bumps the session's ``version``, which the overlay follows.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import certification, combos
from shop.live import pricing
from shop.live.models import LiveOffer, LiveSession

Status = LiveSession.Status
CODE = re.compile(r"^[A-Z0-9]{1,16}$")


def _bump(session):
    LiveSession.objects.filter(pk=session.pk).update(version=F("version") + 1)
    session.refresh_from_db(fields=["version"])


# --- What a seller may sell ------------------------------------------------------------------


def sellable_products(seller):
    """Listed products and combos this seller may feature or link to."""
    Product = get_model("catalogue", "Product")
    queryset = Product.objects.browsable().filter(stockrecords__isnull=False)
    if seller.partner_id:
        queryset = queryset.filter(stockrecords__partner_id=seller.partner_id)
    return queryset.distinct()


def may_sell(seller, product):
    return sellable_products(seller).filter(pk=product.pk).exists()


def _certified_parts(combo):
    """A combo's products that need an OCOP certificate (the gift box, packaging, does not)."""
    return [part.product for part in combos.parts_of(combo) if not combos.is_packaging(part.product)]


def lapsed(product, on=None):
    """Titles of what lacks a valid OCOP certificate today (the product, or a combo's parts)."""
    if combos.is_combo(product):
        return [
            item.get_title() for item in _certified_parts(product)
            if certification.current_certificate(item, on) is None
        ]
    if certification.current_certificate(product, on) is None:
        return [product.get_title()]
    return []


def quality_papers(product, on=None):
    """The papers a livestreamer must have at hand: per product (each part of a combo)."""
    items = _certified_parts(product) if combos.is_combo(product) else [product]
    papers = []
    for item in items:
        certificate = certification.current_certificate(item, on)
        producer = item.producer
        papers.append({
            "product": item,
            "certificate": certificate,
            "certificate_status": (
                certification.STATUS_LABELS[certification.certificate_status(certificate, on)]
                if certificate else _("Không có giấy chứng nhận còn hiệu lực")
            ),
            "batch": max(item.batches.all(), key=lambda batch: batch.pk, default=None),
            "trace_url": item.get_trace_url(),
            "producer": producer,
            "registration": (
                f"{producer.legal_name} — MST {producer.tax_code}"
                if producer is not None and producer.tax_code else
                (producer.legal_name if producer is not None else "")
            ),
        })
    return papers


# --- Sessions --------------------------------------------------------------------------------


def schedule(seller, title, platform, scheduled_start, scheduled_end, stream_url="",
             page_feed_id=""):
    session = LiveSession(
        seller=seller, title=title, platform=platform, stream_url=stream_url,
        scheduled_start=scheduled_start, scheduled_end=scheduled_end, page_feed_id=page_feed_id,
    )
    session.full_clean()
    session.save()
    return session


def _locked(session):
    return LiveSession.objects.select_for_update().get(pk=session.pk)


def start(session):
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != Status.SCHEDULED:
            raise ValidationError(_("Chỉ phiên đã lên lịch mới bắt đầu được."), code="state")
        locked.status, locked.started_at = Status.LIVE, timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "started_at", "version"])
    return locked


def end(session):
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != Status.LIVE:
            raise ValidationError(_("Phiên chưa phát nên không kết thúc được."), code="state")
        locked.status, locked.ended_at = Status.ENDED, timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "ended_at", "version"])
    return locked


def cancel(session):
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != Status.SCHEDULED:
            raise ValidationError(_("Chỉ huỷ được phiên chưa phát."), code="state")
        locked.status = Status.CANCELLED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
    return locked


def pin(session, offer=None):
    """Pin ``offer`` on the overlay (None unpins)."""
    if offer is not None and offer.session_id != session.pk:
        raise ValidationError(_("Sản phẩm không thuộc phiên này."), code="invalid")
    if session.status in (Status.ENDED, Status.CANCELLED):
        raise ValidationError(_("Phiên đã kết thúc."), code="state")
    LiveSession.objects.filter(pk=session.pk).update(
        pinned=offer, version=F("version") + 1
    )
    session.refresh_from_db(fields=["pinned", "version"])
    return session


# --- Offers ----------------------------------------------------------------------------------


def _clean_code(code):
    code = (code or "").strip().upper()
    if not CODE.match(code):
        raise ValidationError(
            {"code": _("Mã chốt đơn gồm 1–16 chữ cái không dấu hoặc chữ số, ví dụ SAM2.")}
        )
    return code


def _check_cap(cap, sold=0):
    if cap is None:
        return
    if cap < 1:
        raise ValidationError({"cap": _("Giới hạn phải từ 1 trở lên (để trống nếu không giới hạn).")})
    if cap < sold:
        raise ValidationError(
            {"cap": _("Đã bán %(sold)s suất giá live; giới hạn không thể nhỏ hơn.") % {"sold": sold}}
        )


def feature(session, product, code, live_price=None, cap=None, position=None):
    """Feature ``product`` in ``session``; refuses lapsed certificates and bad live prices."""
    if session.status in (Status.ENDED, Status.CANCELLED):
        raise ValidationError(_("Phiên đã kết thúc."), code="state")
    if not may_sell(session.seller, product):
        raise ValidationError(
            {"product": _("Bạn không được bán sản phẩm này (chưa niêm yết hoặc không phải của bạn).")}
        )
    missing = lapsed(product)
    if missing:
        raise ValidationError({"product": _(
            "Không thể giới thiệu: giấy chứng nhận OCOP đã hết hiệu lực hoặc chưa có (%(items)s)."
        ) % {"items": ", ".join(missing)}})
    code = _clean_code(code)
    _check_cap(cap)
    stockrecord = product.stockrecords.order_by("pk").first()
    try:
        pricing.check_live_price(live_price, stockrecord)
    except ValidationError as error:
        raise ValidationError({"live_price": error.messages}) from error
    if position is None:
        position = session.offers.count()
    try:
        with transaction.atomic():
            offer = LiveOffer.objects.create(
                session=session, product=product, code=code, position=position,
                live_price=pricing.money.dong(live_price) if live_price is not None else None,
                cap=cap,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Sản phẩm hoặc mã %(code)s đã có trong phiên.") % {"code": code}
        ) from error
    _bump(session)
    return offer


def update_offer(offer, live_price=None, cap=None):
    """Change an offer's live price and cap (the cap never below what was sold)."""
    if offer.session.status in (Status.ENDED, Status.CANCELLED):
        raise ValidationError(_("Phiên đã kết thúc."), code="state")
    with transaction.atomic():
        locked = LiveOffer.objects.select_for_update().get(pk=offer.pk)
        _check_cap(cap, locked.sold)
        stockrecord = locked.product.stockrecords.order_by("pk").first()
        try:
            pricing.check_live_price(live_price, stockrecord)
        except ValidationError as error:
            raise ValidationError({"live_price": error.messages}) from error
        locked.live_price = pricing.money.dong(live_price) if live_price is not None else None
        locked.cap = cap
        locked.save(update_fields=["live_price", "cap"])
    _bump(offer.session)
    return locked


def remove_offer(offer):
    session = offer.session
    if offer.sold or offer.holds.exists() or offer.attributions.exists():
        raise ValidationError(_("Sản phẩm đã có đơn hoặc giữ hàng trong phiên; không gỡ được."))
    if session.pinned_id == offer.pk:
        pin(session, None)
    offer.delete()
    _bump(session)


# --- What the overlay shows ------------------------------------------------------------------


def available(offer):
    """Units a buyer can still get: the one inventory, and the live cap while it applies."""
    stockrecord = next(iter(offer.product.stockrecords.all()), None)
    stock = 0
    if stockrecord is not None:
        stock = max(0, (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0))
    if offer.live_price is not None and offer.cap is not None and offer.session.is_live:
        return min(stock, offer.remaining_cap)
    return stock
