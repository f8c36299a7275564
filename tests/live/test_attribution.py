"""Attribution: the seller's signed cookie (30 days, last link wins), counted clicks, order lines."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core import signing
from django.test import RequestFactory
from oscar.core.loading import get_model

from shop.live import attribution, links
from shop.live.models import Attribution, Click, Link, Seller
from tests.checkout.support import add_to_basket, checkout
from tests.live.factories import certified_offer, live_session_with_offer, make_seller

Order = get_model("order", "Order")

LIVE = Decimal(120000)
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"

pytestmark = pytest.mark.django_db


def _follow(client, link, agent=PHONE):
    response = client.get(links.path(link), HTTP_USER_AGENT=agent)
    assert response.status_code == 302
    return response


def _buy(client, stockrecord):
    add_to_basket(client, stockrecord)
    response = checkout(client, method="cod")
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.order_by("-pk").first()


def _aged_cookie(monkeypatch, link, days):
    """The cookie a buyer got by following ``link`` ``days`` days ago (signed then)."""
    past = int(time.time()) - days * 86400
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(past))
        signer = signing.get_cookie_signer(salt=attribution.COOKIE + attribution.SALT)
        return signer.sign(f"{link.seller_id}:{link.pk}:{link.session_id or ''}")


def test_following_a_link_sets_a_thirty_day_signed_cookie(client):
    session, offer, _sr = live_session_with_offer()
    link = links.link_for(session.seller, offer.product, session)
    response = _follow(client, link)
    cookie = response.cookies[attribution.COOKIE]
    assert int(cookie["max-age"]) == 30 * 86400
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = RequestFactory().get("/")
    request.COOKIES[attribution.COOKIE] = cookie.value
    assert attribution.from_request(request) == attribution.Visit(
        session.seller_id, link.pk, session.pk
    )


def test_the_attribution_days_follow_the_setting(client, settings):
    settings.LIVE_ATTRIBUTION_DAYS = 7
    session, offer, _sr = live_session_with_offer()
    response = _follow(client, links.link_for(session.seller, offer.product, session))
    assert int(response.cookies[attribution.COOKIE]["max-age"]) == 7 * 86400


def test_a_cookie_older_than_thirty_days_is_ignored(client, zones, monkeypatch):
    seller = make_seller()
    stockrecord = certified_offer()
    link = links.link_for(seller, stockrecord.product)
    client.cookies[attribution.COOKIE] = _aged_cookie(monkeypatch, link, days=31)
    order = _buy(client, stockrecord)
    assert not Attribution.objects.filter(line__order=order).exists()


def test_a_cookie_of_twenty_nine_days_still_counts(client, zones, monkeypatch):
    seller = make_seller()
    stockrecord = certified_offer()
    link = links.link_for(seller, stockrecord.product)
    client.cookies[attribution.COOKIE] = _aged_cookie(monkeypatch, link, days=29)
    order = _buy(client, stockrecord)
    row = Attribution.objects.get(line__order=order)
    assert (row.seller_id, row.link_id, row.session_id, row.offer_id) == (
        seller.pk, link.pk, None, None
    )


def test_the_last_link_followed_wins(client, zones):
    first, second = make_seller(), make_seller()
    stockrecord = certified_offer()
    link_a = links.link_for(first, stockrecord.product)
    link_b = links.link_for(second, stockrecord.product)
    _follow(client, link_a)
    _follow(client, link_b)
    order = _buy(client, stockrecord)
    row = Attribution.objects.get(line__order=order)
    assert (row.seller_id, row.link_id) == (second.pk, link_b.pk)
    # and back again
    _follow(client, link_a)
    order = _buy(client, stockrecord)
    assert Attribution.objects.get(line__order=order).seller_id == first.pk


def test_a_tampered_cookie_is_ignored(client, zones):
    honest, forger = make_seller(), make_seller()
    stockrecord = certified_offer()
    _follow(client, links.link_for(honest, stockrecord.product))
    value = client.cookies[attribution.COOKIE].value
    seller_id, rest = value.split(":", 1)
    assert seller_id == str(honest.pk)
    client.cookies[attribution.COOKIE] = f"{forger.pk}:{rest}"
    order = _buy(client, stockrecord)
    assert not Attribution.objects.filter(line__order=order).exists()
    # an unsigned cookie naming a seller: ignored too
    client.cookies[attribution.COOKIE] = f"{forger.pk}::"
    order = _buy(client, stockrecord)
    assert not Attribution.objects.filter(line__order=order).exists()


def test_a_forged_live_session_gives_no_live_price(client, zones):
    """A buyer cannot put a session into an unsigned cookie to get its live price."""
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    client.cookies[attribution.COOKIE] = f"{session.seller_id}::{session.pk}"
    order = _buy(client, stockrecord)
    assert order.lines.get().unit_price_incl_tax == stockrecord.price
    offer.refresh_from_db()
    assert offer.sold == 0


def test_an_inactive_seller_earns_no_attribution(client, zones):
    seller = make_seller()
    stockrecord = certified_offer()
    _follow(client, links.link_for(seller, stockrecord.product))
    Seller.objects.filter(pk=seller.pk).update(is_active=False)
    order = _buy(client, stockrecord)
    assert not Attribution.objects.filter(line__order=order).exists()


def test_clicks_leave_out_bots_and_repeats_within_a_minute(client):
    seller = make_seller()
    stockrecord = certified_offer()
    link = links.link_for(seller, stockrecord.product)
    for agent in ("facebookexternalhit/1.1", "Googlebot/2.1", "curl/8.5.0", ""):
        response = _follow(client, link, agent=agent)
        assert attribution.COOKIE in response.cookies  # a bot still lands on the product
    link.refresh_from_db()
    assert link.clicks == 0 and not Click.objects.exists()
    _follow(client, link)
    _follow(client, link)  # the same visitor, seconds later
    link.refresh_from_db()
    assert link.clicks == 1 and Click.objects.count() == 1
    click = Click.objects.get()
    assert click.visitor == client.cookies[attribution.VISITOR_COOKIE].value
    # a minute later the same visitor counts again
    request = RequestFactory().get("/", HTTP_USER_AGENT=PHONE)
    request.COOKIES[attribution.VISITOR_COOKIE] = click.visitor
    attribution.count_click(request, link, now=click.at + datetime.timedelta(seconds=30))
    assert Click.objects.count() == 1
    attribution.count_click(request, link, now=click.at + datetime.timedelta(seconds=61))
    assert Click.objects.count() == 2
    # another visitor is another click
    other = client_class_visit(link)
    assert other.status_code == 302
    link.refresh_from_db()
    assert link.clicks == 3 and Click.objects.count() == 3


def client_class_visit(link):
    from django.test import Client

    return Client().get(links.path(link), HTTP_USER_AGENT=PHONE)


def test_a_click_on_a_session_link_records_the_session(client):
    session, offer, _sr = live_session_with_offer()
    link = links.link_for(session.seller, offer.product, session)
    _follow(client, link)
    assert Click.objects.get().session_id == session.pk


def test_a_link_is_made_once_per_seller_product_and_session():
    session, offer, _sr = live_session_with_offer()
    seller = session.seller
    a = links.link_for(seller, offer.product, session)
    assert links.link_for(seller, offer.product, session) == a
    plain = links.link_for(seller, offer.product)
    assert plain != a and plain.session_id is None
    assert links.link_for(seller, offer.product) == plain
    assert Link.objects.count() == 2
    assert len({a.code, plain.code}) == 2


def test_an_unknown_code_is_not_found(client):
    assert client.get("/l/zzzzzzz", HTTP_USER_AGENT=PHONE).status_code == 404


def test_order_lines_carry_seller_session_link_and_offer(client, zones):
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE)
    other = certified_offer()  # in the basket too, not featured
    link = links.link_for(session.seller, offer.product, session)
    _follow(client, link)
    add_to_basket(client, stockrecord)
    add_to_basket(client, other)
    checkout(client, method="cod")
    order = Order.objects.get()
    rows = {row.line.product_id: row for row in Attribution.objects.filter(line__order=order)}
    assert set(rows) == {stockrecord.product_id, other.product_id}
    featured, plain = rows[stockrecord.product_id], rows[other.product_id]
    for row in (featured, plain):
        assert (row.seller_id, row.session_id, row.link_id) == (session.seller_id, session.pk, link.pk)
    assert featured.offer_id == offer.pk and plain.offer_id is None
    assert featured.line.unit_price_incl_tax == LIVE
    assert plain.line.unit_price_incl_tax == other.price
