"""Experiences in tests: an experience product with adult/child prices, departures, users."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.experiences import bookings, purchase
from shop.experiences.models import Departure
from tests.factories import make_vendor

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

_seq = itertools.count(1)


def experience_class():
    product_class, _new = ProductClass.objects.get_or_create(
        slug="tourism-service",
        defaults={"name": "Dịch vụ du lịch", "requires_shipping": False, "track_stock": False},
    )
    ProductAttribute.objects.get_or_create(
        product_class=product_class, code=purchase.CHILD_PRICE_ATTRIBUTE,
        defaults={"name": "Giá trẻ em (đ/người)", "type": ProductAttribute.INTEGER},
    )
    return product_class


def make_experience(title=None, price=200_000, child=120_000, vendor=None):
    n = next(_seq)
    vendor = vendor or make_vendor()
    product = Product.objects.create(
        title=title or f"Trải nghiệm dệt thổ cẩm số {n}", product_class=experience_class(),
        producer=vendor, origin_unit=vendor.commune, upc=f"29{n:010d}",
        description="Nửa ngày ở làng.",
    )
    StockRecord.objects.create(product=product, partner=vendor.partner, partner_sku=f"EXP-{n}",
                               price=Decimal(price), price_currency="VND")
    if child is not None:
        ProductAttributeValue.objects.create(
            product=product, value_integer=child,
            attribute=ProductAttribute.objects.get(product_class=product.product_class,
                                                   code=purchase.CHILD_PRICE_ATTRIBUTE))
    return product


def local(days=0, hour=8, minute=0):
    """An aware datetime ``days`` from today at hour:minute, shop time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_departure(product=None, days=7, hour=None, places=10, taken=0, **kwargs):
    """A departure ``days`` from today (at 08:MM with a fresh MM unless ``hour`` is given)."""
    product = product or make_experience()
    start = local(days, hour) if hour is not None else local(days, 8, next(_seq) % 60)
    departure = Departure.objects.create(
        product=product, date=start.date(), start_time=start.time(), duration_minutes=240,
        places_total=places, meeting_point="Nhà rông làng Kon Jơ Ri", **kwargs,
    )
    if taken:
        bookings.create_booking(departure, adults=taken, channel="office")
        departure.refresh_from_db()
    return departure


def make_user(staff=False, perm=None, **kwargs):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=f"u{n}", email=f"u{n}@example.vn", password="secret-pass-123", is_staff=staff,
        **kwargs)
    if perm:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app,
                                                         codename=codename))
    return get_user_model().objects.get(pk=user.pk)


def new_basket():
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    return basket


def two_providers():
    """A tour of one provider, the provider's user, another provider's user and the office."""
    from vendors.access import grant_producer_access

    mine, theirs = make_vendor(name="HTX Du lịch Kon Jơ Ri"), make_vendor(name="THT Dệt Đăk Long")
    provider, other = make_user(first_name="Hà", last_name="Y Blông"), make_user()
    grant_producer_access(provider, mine)
    grant_producer_access(other, theirs)
    tour = make_experience("Tour làng Kon Jơ Ri", vendor=mine)
    office = make_user(staff=True, perm="experiences.manage_experiences")
    return {"provider": provider, "other": other, "office": office, "tour": tour}


def showcase_till(settings):
    """The showcase's register with a cashier's open session and an API client signed in as
    the cashier (cash rounded to 500 đ), and a commune point; a dict of them."""
    from decimal import Decimal as _Decimal

    from rest_framework.test import APIClient

    from pos.models import TillSession
    from tests.pos.factories import make_cashier, make_register, three_locations

    settings.POS_CASH_ROUNDING = 500
    showcase, point_b, _c = three_locations()
    register = make_register(showcase, code="sc-1")
    cashier = make_cashier(showcase, username="thu.ngan.a")
    session = TillSession.objects.create(register=register, cashier=cashier,
                                         opening_float=_Decimal("500000"))
    api = APIClient()
    api.force_authenticate(cashier)
    return {"location": showcase, "point_b": point_b, "register": register,
            "cashier": cashier, "session": session, "api": api}

