"""Plain factory functions for the inventory: locations, offers with stock, online orders."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shop.core.roles import DISTRICT_OFFICE
from showroom import inventory
from showroom.models import Location
from tests.factories import make_product

Basket = get_model("basket", "Basket")
Default = get_class("partner.strategy", "Default")

_seq = itertools.count(1)

LOCATIONS = (
    # code, name, kind, priority
    ("showcase", "Điểm giới thiệu sản phẩm OCOP huyện Đăk Hà", "showcase", 1),
    ("dak-mar", "Điểm bán OCOP xã Đăk Mar", "commune_point", 2),
    ("ngok-wang", "Điểm bán OCOP xã Ngọk Wang", "commune_point", 3),
)


def make_location(code=None, priority=10, sells_online=True, **kwargs):
    n = next(_seq)
    return Location.objects.create(
        code=code or f"loc-{n}",
        name=kwargs.pop("name", f"Điểm bán số {n}"),
        kind=kwargs.pop("kind", Location.Kind.COMMUNE_POINT),
        priority=priority,
        sells_online=sells_online,
        **kwargs,
    )


def three_locations():
    """The district showcase shop and the two commune sales points, in priority order."""
    return [
        Location.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "priority": priority}
        )[0]
        for code, name, kind, priority in LOCATIONS
    ]


def make_offer(title=None, stock=None, vendor=None, **kwargs):
    """A product with one producer's stock record, with ``{location: qty}`` received."""
    product = make_product(title=title, vendor=vendor, num_in_stock=0, with_image=False, **kwargs)
    stockrecord = product.stockrecords.get()
    for location, quantity in (stock or {}).items():
        if quantity:
            inventory.receive(location, [(stockrecord, quantity)], reference="TEST")
    stockrecord.refresh_from_db()
    return stockrecord


def order_for(items, collect_location=None, user=None):
    """Place an online order through Oscar's real OrderCreator: ``items`` = [(stockrecord, qty)]."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for stockrecord, quantity in items:
        basket.add_product(stockrecord.product, quantity=quantity)
    return create_order(
        basket=basket, user=user, collect_location=collect_location,
        number=f"ORD{next(_seq):06d}",
    )


def make_office_user(**kwargs):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"office{n}", email=f"office{n}@example.vn", password="secret-pass-123",
        is_staff=True, **kwargs,
    )
    user.groups.add(Group.objects.get_or_create(name=DISTRICT_OFFICE)[0])
    return user
