"""Live price windows, floors and the cap, through the storefront's real pages and checkout.

A buyer who followed a session's link (``/l/<code>``) sees and pays the live
price while the session is live; a basket line added before the end keeps it
for ``LIVE_PRICE_GRACE_MINUTES``; everyone else pays the list price. The
revenue share of the producer follows what the buyer paid.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.live import links, placement, pricing, sessions
from shop.live.attribution import Visit
from shop.live.models import Attribution, LiveOffer, LiveSession
from shop.partner.strategy import LiveStrategy
from shop.payment import payments
from showroom import inventory
from showroom.models import Allocation
from tests.checkout.support import add_to_basket, checkout
from tests.factories import make_certificate, make_vendor
from tests.live.factories import (
    certified_offer,
    live_session_with_offer,
    make_seller,
    make_session,
)

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
RevenueShare = get_model("vendors", "RevenueShare")
OcopCertificate = get_model("catalogue", "OcopCertificate")

LIST, LIVE = Decimal(150000), Decimal(120000)
AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1"

pytestmark = pytest.mark.django_db


def _no_inventory_mismatch():
    mismatches = inventory.check_invariants()
    assert not mismatches, "\n".join(str(m) for m in mismatches)


def _follow(client, session, offer):
    link = links.link_for(session.seller, offer.product, session)
    response = client.get(links.path(link), HTTP_USER_AGENT=AGENT)
    assert response.status_code == 302
    assert response.url == offer.product.get_absolute_url()
    return link


def _product_page(client, product):
    response = client.get(product.get_absolute_url(), HTTP_USER_AGENT=AGENT)
    assert response.status_code == 200
    return response.content.decode()


def _shows(html, amount):
    """The page shows ``amount`` as the shop writes đồng (150.000 ₫)."""
    digits = f"{int(amount):,}".replace(",", ".")
    return digits in html


def _basket_line(client):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    basket = response.context["basket"]
    lines = basket.all_lines()
    assert len(lines) == 1
    return basket, lines[0], response.content.decode()


def _place(client, method="cod"):
    response = checkout(client, method=method)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.order_by("-pk").first()


def _end(session, minutes_ago=0):
    session = sessions.end(session)
    if minutes_ago:
        LiveSession.objects.filter(pk=session.pk).update(
            ended_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
        )
        session.refresh_from_db()
    return session


# --- The window --------------------------------------------------------------------------------


def test_before_the_session_starts_the_link_gives_the_list_price(client, zones):
    seller = make_seller()
    stockrecord = certified_offer(price=LIST)
    session = make_session(seller)
    offer = sessions.feature(session, stockrecord.product, "SAM2", live_price=LIVE)
    assert session.status == LiveSession.Status.SCHEDULED
    _follow(client, session, offer)
    html = _product_page(client, stockrecord.product)
    assert _shows(html, LIST) and not _shows(html, LIVE)
    add_to_basket(client, stockrecord)
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIST
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIST
    attribution = Attribution.objects.get(line__order=order)
    assert attribution.offer is None  # attributed to the seller, but no live price used
    offer.refresh_from_db()
    assert offer.sold == 0


def test_while_live_every_step_charges_the_live_price(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=5)
    link = _follow(client, session, offer)
    html = _product_page(client, stockrecord.product)
    assert _shows(html, LIVE)
    add_to_basket(client, stockrecord, quantity=2)
    basket, line, html = _basket_line(client)
    assert line.unit_price_incl_tax == LIVE
    assert basket.total_incl_tax == 2 * LIVE
    assert _shows(html, 2 * LIVE)
    # checkout preview shows the same figure
    checkout_response = checkout(client, method="cod")
    assert checkout_response.status_code == 302
    order = Order.objects.get()
    order_line = order.lines.get()
    assert order_line.unit_price_incl_tax == LIVE
    assert order_line.line_price_incl_tax == 2 * LIVE
    assert order.total_excl_tax == 2 * LIVE or order.basket_total_incl_tax == 2 * LIVE
    attribution = Attribution.objects.get(line=order_line)
    assert (attribution.seller_id, attribution.session_id, attribution.link_id,
            attribution.offer_id) == (session.seller_id, session.pk, link.pk, offer.pk)
    offer.refresh_from_db()
    assert offer.sold == 2
    # the producer's share follows what the buyer paid, not the list price
    share = RevenueShare.objects.get(line=order_line)
    assert share.amount == 2 * LIVE
    _no_inventory_mismatch()


def test_the_receipt_page_shows_the_paid_live_price(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord)
    response = checkout(client, method="cod")
    order = Order.objects.get()
    page = client.get(response.url, follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert order.number in html
    assert _shows(html, LIVE)


def test_a_visitor_without_the_cookie_pays_the_list_price_while_live(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    html = _product_page(client, stockrecord.product)
    assert _shows(html, LIST) and not _shows(html, LIVE)
    add_to_basket(client, stockrecord)
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIST
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIST
    assert not Attribution.objects.exists()
    offer.refresh_from_db()
    assert offer.sold == 0
    assert RevenueShare.objects.get(line__order=order).amount == LIST


def test_a_link_to_another_sessions_product_gives_no_live_price(client, zones):
    """The cookie names session A; session B's live price is not A's buyer's."""
    session_a, offer_a, _sr_a = live_session_with_offer(live_price=LIVE)
    session_b, _offer_b, stockrecord_b = live_session_with_offer(live_price=Decimal(100000))
    _follow(client, session_a, offer_a)
    html = _product_page(client, stockrecord_b.product)
    assert not _shows(html, Decimal(100000))
    add_to_basket(client, stockrecord_b)
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIST


def test_a_line_added_before_the_end_keeps_the_live_price_during_the_grace_time(
    client, zones, settings
):
    settings.LIVE_PRICE_GRACE_MINUTES = 20
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord)
    _end(session)
    # ten minutes after the end: still within the grace time
    LiveSession.objects.filter(pk=session.pk).update(
        ended_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    BasketLine.objects.update(date_created=timezone.now() - datetime.timedelta(minutes=11))
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIVE
    # the product page (a new look, no basket line) is back at the list price
    html = _product_page(client, stockrecord.product)
    assert _shows(html, LIST)
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIVE
    assert RevenueShare.objects.get(line__order=order).amount == LIVE
    offer.refresh_from_db()
    assert offer.sold == 1


def test_after_the_grace_time_the_same_line_pays_the_list_price(client, zones, settings):
    settings.LIVE_PRICE_GRACE_MINUTES = 20
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord)
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIVE
    _end(session)
    LiveSession.objects.filter(pk=session.pk).update(
        ended_at=timezone.now() - datetime.timedelta(minutes=21)
    )
    BasketLine.objects.update(date_created=timezone.now() - datetime.timedelta(minutes=30))
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIST
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIST
    assert RevenueShare.objects.get(line__order=order).amount == LIST
    assert Attribution.objects.get(line__order=order).offer is None
    offer.refresh_from_db()
    assert offer.sold == 0


def test_the_grace_boundary_is_the_setting(settings):
    """One minute either side of end + grace (the rule itself, at exact times)."""
    settings.LIVE_PRICE_GRACE_MINUTES = 15
    session, offer, _stockrecord = live_session_with_offer(live_price=LIVE)
    session = sessions.end(session)
    offer.refresh_from_db()
    ended = session.ended_at
    added = ended - datetime.timedelta(minutes=5)
    inside = ended + datetime.timedelta(minutes=15)
    outside = inside + datetime.timedelta(seconds=1)
    assert pricing.live_price_for(offer, now=inside, added_at=added) == LIVE
    assert pricing.live_price_for(offer, now=outside, added_at=added) is None
    # a line added after the end never gets it, even within the grace time
    assert pricing.live_price_for(
        offer, now=ended + datetime.timedelta(minutes=1),
        added_at=ended + datetime.timedelta(seconds=1),
    ) is None
    # no basket line (a product page): no live price once ended
    assert pricing.live_price_for(offer, now=ended) is None


def test_a_line_added_after_the_end_pays_the_list_price(client, zones, settings):
    settings.LIVE_PRICE_GRACE_MINUTES = 30
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    _follow(client, session, offer)
    _end(session)
    add_to_basket(client, stockrecord)  # within the grace time, but after the end
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIST
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIST


def test_a_new_visitor_after_the_end_pays_the_list_price(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    _end(session)
    _follow(client, session, offer)
    html = _product_page(client, stockrecord.product)
    assert _shows(html, LIST) and not _shows(html, LIVE)
    add_to_basket(client, stockrecord)
    order = _place(client)
    line = order.lines.get()
    assert line.unit_price_incl_tax == LIST
    # still the seller's sale (the cookie is 30 days), without a live price
    attribution = Attribution.objects.get(line=line)
    assert attribution.seller_id == session.seller_id and attribution.offer_id is None


# --- Floors, list price, certificates, who may feature what ------------------------------------


def test_a_live_price_below_the_floor_is_refused_in_vietnamese():
    seller = make_seller()
    stockrecord = certified_offer(price=LIST)
    pricing.set_floor(stockrecord, 130000)
    session = make_session(seller)
    with pytest.raises(ValidationError) as refused:
        sessions.feature(session, stockrecord.product, "SAM2", live_price=125000)
    message = " ".join(refused.value.message_dict["live_price"])
    assert "Chủ thể chỉ chấp nhận giá livestream từ 130.000 ₫ trở lên." in message
    assert not LiveOffer.objects.exists()
    offer = sessions.feature(session, stockrecord.product, "SAM2", live_price=130000)
    assert offer.live_price == 130000
    with pytest.raises(ValidationError) as refused:
        sessions.update_offer(offer, live_price=129999)
    assert "giá livestream từ 130.000 ₫" in " ".join(refused.value.message_dict["live_price"])
    offer.refresh_from_db()
    assert offer.live_price == 130000
    # the producer raises its floor: the next change must respect it
    pricing.set_floor(stockrecord, 140000)
    with pytest.raises(ValidationError):
        sessions.update_offer(offer, live_price=135000)
    assert sessions.update_offer(offer, live_price=140000).live_price == 140000


def test_a_floor_must_be_positive():
    stockrecord = certified_offer(price=LIST)
    with pytest.raises(ValidationError):
        pricing.set_floor(stockrecord, 0)


def test_a_live_price_at_or_above_the_list_price_is_refused():
    seller = make_seller()
    stockrecord = certified_offer(price=LIST)
    session = make_session(seller)
    for price in (LIST, LIST + 1):
        with pytest.raises(ValidationError) as refused:
            sessions.feature(session, stockrecord.product, "SAM2", live_price=price)
        assert "Giá livestream phải thấp hơn giá niêm yết (150.000 ₫)." in " ".join(
            refused.value.message_dict["live_price"]
        )
    offer = sessions.feature(session, stockrecord.product, "SAM2", live_price=LIST - 1)
    with pytest.raises(ValidationError):
        sessions.update_offer(offer, live_price=LIST)
    # no live price at all (only a cap or a mention) is fine
    assert sessions.update_offer(offer, live_price=None).live_price is None


def test_a_lapsed_certificate_cannot_be_featured():
    seller = make_seller()
    stockrecord = certified_offer(price=LIST)
    OcopCertificate.objects.filter(product=stockrecord.product).delete()
    make_certificate(
        stockrecord.product,
        decision_date=timezone.localdate() - datetime.timedelta(days=37 * 31),
    )
    session = make_session(seller)
    with pytest.raises(ValidationError) as refused:
        sessions.feature(session, stockrecord.product, "SAM2", live_price=LIVE)
    message = " ".join(refused.value.message_dict["product"])
    assert "giấy chứng nhận OCOP đã hết hiệu lực" in message
    assert stockrecord.product.get_title() in message
    assert not LiveOffer.objects.exists()


def test_a_producer_seller_features_only_its_own_products():
    producer = make_vendor()
    own = certified_offer(price=LIST, vendor=producer)
    other = certified_offer(price=LIST)
    seller = make_seller(partner=producer.partner)
    session = make_session(seller)
    with pytest.raises(ValidationError) as refused:
        sessions.feature(session, other.product, "KHAC", live_price=LIVE)
    assert "không phải của bạn" in " ".join(refused.value.message_dict["product"])
    assert sessions.feature(session, own.product, "SAM2", live_price=LIVE).pk
    # a district host (no partner) may feature either
    host_session = make_session(make_seller())
    assert sessions.feature(host_session, other.product, "KHAC", live_price=LIVE).pk


# --- The cap -----------------------------------------------------------------------------------


def test_the_cap_is_consumed_at_placement_not_in_the_basket(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=3)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord, quantity=2)
    offer.refresh_from_db()
    assert offer.sold == 0
    _place(client)
    offer.refresh_from_db()
    assert offer.sold == 2 and offer.remaining_cap == 1


def test_an_order_that_would_pass_the_cap_is_refused_and_writes_nothing(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=3)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord, quantity=2)
    _basket, line, _html = _basket_line(client)
    assert line.unit_price_incl_tax == LIVE
    # the buyer's strategy priced the line while three units were left ...
    basket = Basket.objects.get()
    link = links.link_for(session.seller, offer.product, session)
    strategy = LiveStrategy(visit=Visit(session.seller_id, link.pk, session.pk))
    assert strategy.live_offers()[offer.product_id].sold == 0
    basket.strategy = strategy
    # ... then, while they check out, other buyers take two of the three
    assert pricing.consume_cap(offer.pk, 2)
    allocated_before = stockrecord.__class__.objects.get(pk=stockrecord.pk).num_allocated
    with pytest.raises(placement.LiveCapReached) as refused:
        create_order(basket=basket, number="LIVECAP1")
    assert "vừa hết suất" in str(refused.value)
    assert not Order.objects.exists()
    assert not Allocation.objects.exists()
    assert not Attribution.objects.exists()
    assert not RevenueShare.objects.exists()
    offer.refresh_from_db()
    assert offer.sold == 2
    assert stockrecord.__class__.objects.get(pk=stockrecord.pk).num_allocated == allocated_before
    _no_inventory_mismatch()


def test_a_buyer_past_the_cap_sees_the_list_price_and_checks_out_at_it(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=1)
    assert pricing.consume_cap(offer.pk, 1)
    _follow(client, session, offer)
    html = _product_page(client, stockrecord.product)
    assert not _shows(html, LIVE)
    add_to_basket(client, stockrecord)
    order = _place(client)
    assert order.lines.get().unit_price_incl_tax == LIST
    offer.refresh_from_db()
    assert offer.sold == 1


def test_cancelling_an_order_gives_its_units_back_to_the_cap(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=2)
    _follow(client, session, offer)
    add_to_basket(client, stockrecord, quantity=2)
    order = _place(client)
    offer.refresh_from_db()
    assert offer.sold == 2
    payments.cancel_order(order)
    offer.refresh_from_db()
    assert offer.sold == 0
    stockrecord.refresh_from_db()
    assert stockrecord.num_allocated == 0
    _no_inventory_mismatch()
