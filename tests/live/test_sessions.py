"""Live sessions: scheduled → live → ended (or cancelled), offers, caps, pins, what is left."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shop.live import holds, pricing, sessions
from shop.live.models import LiveOffer, LiveSession
from tests.live.factories import certified_offer, live_session_with_offer, make_seller, make_session

LIVE = Decimal(120000)

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_it_starts():
    seller = make_seller()
    start = timezone.now()
    with pytest.raises(ValidationError):
        sessions.schedule(seller, "Phiên lỗi", "facebook", start, start)
    with pytest.raises(ValidationError):
        sessions.schedule(seller, "Phiên lỗi", "facebook", start, start - datetime.timedelta(hours=1))
    assert not LiveSession.objects.exists()


def test_scheduled_live_ended_and_each_change_bumps_the_version():
    session = make_session(make_seller())
    version = session.version
    with pytest.raises(ValidationError):
        sessions.end(session)
    live = sessions.start(session)
    assert live.status == LiveSession.Status.LIVE and live.started_at
    assert live.version > version
    with pytest.raises(ValidationError):
        sessions.start(live)
    with pytest.raises(ValidationError):
        sessions.cancel(live)
    ended = sessions.end(live)
    assert ended.status == LiveSession.Status.ENDED and ended.ended_at >= ended.started_at
    assert ended.version > live.version
    with pytest.raises(ValidationError):
        sessions.feature(ended, certified_offer().product, "X1")


def test_only_a_scheduled_session_is_cancelled():
    session = make_session(make_seller())
    cancelled = sessions.cancel(session)
    assert cancelled.status == LiveSession.Status.CANCELLED
    with pytest.raises(ValidationError):
        sessions.start(cancelled)


def test_offer_codes_are_checked_and_unique_in_a_session():
    session = make_session(make_seller())
    first, second = certified_offer(), certified_offer()
    with pytest.raises(ValidationError) as refused:
        sessions.feature(session, first.product, "cà phê")
    assert "Mã chốt đơn" in " ".join(refused.value.message_dict["code"])
    offer = sessions.feature(session, first.product, " sam2 ")
    assert offer.code == "SAM2"
    with pytest.raises(ValidationError):
        sessions.feature(session, second.product, "SAM2")
    with pytest.raises(ValidationError):
        sessions.feature(session, first.product, "OTHER")
    assert LiveOffer.objects.count() == 1


def test_the_cap_is_never_below_what_was_sold():
    session, offer, _sr = live_session_with_offer(live_price=LIVE, cap=5)
    with pytest.raises(ValidationError):
        sessions.feature(session, certified_offer().product, "X1", cap=0)
    assert pricing.consume_cap(offer.pk, 3)
    with pytest.raises(ValidationError) as refused:
        sessions.update_offer(offer, live_price=LIVE, cap=2)
    assert "Đã bán 3 suất" in " ".join(refused.value.message_dict["cap"])
    assert sessions.update_offer(offer, live_price=LIVE, cap=3).cap == 3
    assert not pricing.consume_cap(offer.pk, 1)
    assert sessions.update_offer(offer, live_price=LIVE, cap=None).cap is None
    assert pricing.consume_cap(offer.pk, 100)


def test_consume_and_return_cap_are_exact():
    _session, offer, _sr = live_session_with_offer(live_price=LIVE, cap=4)
    assert pricing.consume_cap(offer.pk, 4)
    assert not pricing.consume_cap(offer.pk, 1)
    pricing.return_cap(offer.pk, 2)
    pricing.return_cap(offer.pk, 5)  # more than was sold: refused, never negative
    offer.refresh_from_db()
    assert offer.sold == 2


def test_pin_only_an_offer_of_the_session_and_not_once_ended():
    session, offer, _sr = live_session_with_offer()
    other_session, other_offer, _other = live_session_with_offer()
    with pytest.raises(ValidationError):
        sessions.pin(session, other_offer)
    pinned = sessions.pin(session, offer)
    assert pinned.pinned_id == offer.pk
    assert sessions.pin(session, None).pinned_id is None
    sessions.end(session)
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        sessions.pin(session, offer)


def test_an_offer_with_holds_or_sales_cannot_be_removed():
    session, offer, _sr = live_session_with_offer(live_price=LIVE, cap=5)
    holds.receive(session, [("", "A", "0987654321 SAM2")])
    with pytest.raises(ValidationError):
        sessions.remove_offer(offer)
    spare = sessions.feature(session, certified_offer().product, "X1")
    sessions.pin(session, spare)
    sessions.remove_offer(spare)
    session.refresh_from_db()
    assert session.pinned_id is None
    assert list(session.offers.values_list("pk", flat=True)) == [offer.pk]


def test_available_is_the_stock_and_the_cap_while_live():
    session, offer, stockrecord = live_session_with_offer(live_price=LIVE, cap=3, stock=10)
    offer = LiveOffer.objects.select_related("session", "product").get(pk=offer.pk)
    assert sessions.available(offer) == 3
    holds.receive(session, [("", "A", "0987654321 SAM2 x2")])
    offer = LiveOffer.objects.select_related("session", "product").get(pk=offer.pk)
    assert sessions.available(offer) == 1
    sessions.end(session)
    offer = LiveOffer.objects.select_related("session", "product").get(pk=offer.pk)
    assert sessions.available(offer) == 8  # after the live: the inventory's free units
    assert stockrecord.product.pk == offer.product_id


def test_quality_papers_name_the_certificate_and_the_producer():
    stockrecord = certified_offer()
    papers = sessions.quality_papers(stockrecord.product)
    assert len(papers) == 1
    paper = papers[0]
    assert paper["product"] == stockrecord.product
    assert paper["certificate"] is not None
    assert paper["producer"] == stockrecord.product.producer
    assert stockrecord.product.producer.legal_name in paper["registration"]
    assert sessions.lapsed(stockrecord.product) == []
