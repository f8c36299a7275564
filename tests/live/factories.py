"""Livestream test data: sellers, sessions with featured offers, stock in the one inventory."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from shop.core.roles import LIVESTREAM_SELLER
from shop.live import sessions
from shop.live.models import Seller
from tests.factories import make_certificate
from tests.showroom.factories import make_offer, three_locations

_seq = itertools.count(1)


def make_seller(name=None, rate=Decimal(10), partner=None, **kwargs):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"seller{n}", email=f"seller{n}@example.vn", password="secret-pass-123",
    )
    user.groups.add(Group.objects.get_or_create(name=LIVESTREAM_SELLER)[0])
    return Seller.objects.create(
        user=user, display_name=name or f"Người bán {n}", commission_rate=rate, partner=partner,
        **kwargs,
    )


def certified_offer(title=None, price=150000, stock=10, **kwargs):
    """A certified product's offer with ``stock`` units at the district showcase."""
    locations = three_locations()
    stockrecord = make_offer(title, stock={locations[0]: stock}, price=price, **kwargs)
    make_certificate(stockrecord.product, decision_date=timezone.localdate() - datetime.timedelta(days=30))
    return stockrecord


def make_session(seller, title="Phiên cà phê tối thứ Sáu", start_in=None, hours=2, **kwargs):
    start = timezone.now() + (start_in if start_in is not None else datetime.timedelta(hours=1))
    return sessions.schedule(
        seller, title, kwargs.pop("platform", "facebook"), start,
        start + datetime.timedelta(hours=hours), **kwargs,
    )


def live_session_with_offer(seller=None, live_price=120000, cap=None, stock=10, price=150000):
    """``(session, offer, stockrecord)``: a live session featuring one certified product."""
    seller = seller or make_seller()
    stockrecord = certified_offer(price=price, stock=stock)
    session = make_session(seller)
    offer = sessions.feature(session, stockrecord.product, "SAM2", live_price=live_price, cap=cap)
    session = sessions.start(session)
    offer.refresh_from_db()
    return session, offer, stockrecord
