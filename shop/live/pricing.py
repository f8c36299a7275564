"""Live prices: the price a featured product has for a buyer who came through its session.

The rules
---------
* A live offer (:class:`~shop.live.models.LiveOffer`) may carry a **live price**
  and a **live quantity cap**. The live price applies only to a buyer whose
  attribution (:mod:`shop.live.attribution`) names that offer's session, and
  only **while the session is live**.
* A basket line added while the session was live keeps the live price for a
  **grace time** after the session ends (setting ``LIVE_PRICE_GRACE_MINUTES``),
  so a buyer in the middle of checkout is not surprised; a line added after
  the end, or a product page seen after the end, has the list price.
* The cap counts units sold (or held for comment orders) at the live price.
  It is consumed **atomically** when the order is placed (one conditional
  ``UPDATE``: 50 buyers racing for a cap of 10 get 10); a buyer whose line
  would pass the cap sees the list price again, and an order refused for it
  writes nothing. A released hold or a cancelled order gives its units back.
* A live price must be below the list price and not below the **floor** the
  offer's seller set (:class:`~shop.live.models.LivePriceFloor`; the office
  sets it for district combos).

Oscar's pricing carries it: the strategy (``shop.live.strategy``) asks
:func:`live_price_for` and returns a :class:`LivePrice`, so the product page,
basket, checkout, order lines and receipts all show and charge the same price.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.partner.prices import FixedPrice

from shop import money
from shop.live.models import LiveOffer, LivePriceFloor, LiveSession


def grace():
    return datetime.timedelta(minutes=int(getattr(settings, "LIVE_PRICE_GRACE_MINUTES", 30)))


class LivePrice(FixedPrice):
    """Oscar's fixed price, at a live offer's price, remembering the list price and the offer."""

    def __init__(self, currency, excl_tax, tax, offer, list_price, prepaid=False):
        super().__init__(currency=currency, excl_tax=excl_tax, tax=tax)
        self.offer = offer
        self.list_price = list_price
        self.is_live = True
        # the cap was consumed before the order (a confirmed comment hold)
        self.prepaid = prepaid

    @property
    def saving(self):
        return max(Decimal(0), self.list_price - self.excl_tax)


def session_offers(session_id):
    """``{product_id: LiveOffer}`` of the session's offers that have a live price (one query)."""
    if not session_id:
        return {}
    offers = (
        LiveOffer.objects.filter(session_id=session_id, live_price__isnull=False)
        .select_related("session")
    )
    return {offer.product_id: offer for offer in offers}


def window_open(session, now=None, added_at=None):
    """Is the live price of ``session`` due now (for a basket line added at ``added_at``)?"""
    now = now or timezone.now()
    if session.status == LiveSession.Status.LIVE:
        return True
    if session.status != LiveSession.Status.ENDED or session.ended_at is None or added_at is None:
        return False
    return added_at <= session.ended_at and now <= session.ended_at + grace()


def live_price_for(offer, quantity=1, now=None, added_at=None):
    """The live unit price ``offer`` gives now, or None (window closed, cap reached)."""
    if offer is None or offer.live_price is None:
        return None
    if not window_open(offer.session, now, added_at):
        return None
    if offer.cap is not None and offer.cap - offer.sold < max(1, quantity or 1):
        return None
    return offer.live_price


def consume_cap(offer_id, quantity):
    """Take ``quantity`` units of the offer's cap atomically; False when the cap would pass."""
    updated = LiveOffer.objects.filter(pk=offer_id).filter(
        Q(cap__isnull=True) | Q(sold__lte=F("cap") - quantity)
    ).update(sold=F("sold") + quantity)
    return bool(updated)


def return_cap(offer_id, quantity):
    """Give ``quantity`` units back to the cap (a hold released, an order cancelled)."""
    LiveOffer.objects.filter(pk=offer_id, sold__gte=quantity).update(sold=F("sold") - quantity)


def floor_for(stockrecord):
    """The lowest live price the offer's seller accepts, or None."""
    if stockrecord is None:
        return None
    row = LivePriceFloor.objects.filter(stockrecord=stockrecord).only("min_price").first()
    return row.min_price if row else None


def check_live_price(live_price, stockrecord):
    """Raise ValidationError (in the user's language) for a live price that is not allowed."""
    if live_price is None:
        return
    live_price = money.dong(live_price)
    if live_price <= 0:
        raise ValidationError(_("Giá livestream phải lớn hơn 0."), code="invalid")
    if stockrecord is None or stockrecord.price is None:
        raise ValidationError(_("Sản phẩm chưa có giá niêm yết."), code="no_price")
    if live_price >= stockrecord.price:
        raise ValidationError(
            _("Giá livestream phải thấp hơn giá niêm yết (%(price)s).")
            % {"price": money.format_vnd(stockrecord.price)},
            code="not_lower",
        )
    floor = floor_for(stockrecord)
    if floor is not None and live_price < floor:
        raise ValidationError(
            _("Chủ thể chỉ chấp nhận giá livestream từ %(floor)s trở lên.")
            % {"floor": money.format_vnd(floor)},
            code="below_floor",
        )


def set_floor(stockrecord, min_price, user=None):
    """The seller (or the office) sets its lowest accepted live price for an offer."""
    min_price = money.dong(min_price)
    if min_price <= 0:
        raise ValidationError(_("Giá sàn phải lớn hơn 0."), code="invalid")
    floor, _created = LivePriceFloor.objects.update_or_create(
        stockrecord=stockrecord, defaults={"min_price": min_price, "set_by": user},
    )
    return floor
