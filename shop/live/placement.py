"""What a placed order line owes livestream selling: the cap it used, and who brought it.

Called by Oscar's order placement through the pricing strategy
(``shop.live.strategy.LiveStrategy.on_line_placed``), inside the order's
transaction: a refusal here undoes the whole order.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder

from shop.live import pricing
from shop.live.models import Attribution, Link, Seller


class LiveCapReached(UnableToPlaceOrder):
    """The live price's cap was used up by other buyers while this one checked out."""


def _seller_of(strategy):
    """The active seller the buyer's attribution names (cached on the strategy), or None."""
    if not hasattr(strategy, "_live_seller"):
        visit = getattr(strategy, "visit", None)
        seller = None
        if visit is not None:
            seller = Seller.objects.filter(pk=visit.seller_id, is_active=True).first()
        strategy._live_seller = seller
        strategy._live_link_ok = bool(
            seller and visit.link_id and Link.objects.filter(pk=visit.link_id).exists()
        )
    return strategy._live_seller


def line_placed(strategy, order_line, basket_line):
    price = getattr(getattr(basket_line, "purchase_info", None), "price", None)
    offer = getattr(price, "offer", None) if getattr(price, "is_live", False) else None
    if offer is not None and not price.prepaid:
        if not pricing.consume_cap(offer.pk, order_line.quantity):
            raise LiveCapReached(
                _("Giá livestream của “%(title)s” vừa hết suất. Giỏ hàng đã trở về giá "
                  "niêm yết; vui lòng kiểm tra lại trước khi đặt.")
                % {"title": order_line.title}
            )
    hold = getattr(strategy, "hold", None)
    if hold is not None:
        Attribution.objects.create(
            line=order_line, seller_id=hold.session.seller_id, session_id=hold.session_id,
            offer=offer, hold=hold,
        )
        return
    seller = _seller_of(strategy)
    if seller is None:
        return
    visit = strategy.visit
    Attribution.objects.create(
        line=order_line, seller=seller, session_id=visit.session_id,
        link_id=visit.link_id if strategy._live_link_ok else None, offer=offer,
    )


def give_back_caps(order):
    """An order was cancelled: its live-priced units go back to their caps (once)."""
    for row in Attribution.objects.filter(line__order=order, offer__isnull=False).select_related(
        "line"
    ):
        pricing.return_cap(row.offer_id, row.line.quantity)
