"""The demo's two experiences made bookable: child prices, weekly patterns, departures, bookings.

* The half-day brocade weaving class (Đăk Long): Tuesday, Thursday and Saturday
  at 08:00 and 13:30, 4 hours, 12 places; the village tour (Ngọk Réo):
  Saturday and Sunday at 07:30, 8 hours, 20 places. Both over the coming eight
  weeks with two closed dates (the village's festival days).
* Child prices (product attribute ``child_price``): 120.000 ₫ and 250.000 ₫.
* A few bookings on the departures of the coming days (office bookings, paid at
  the till or cash on arrival), so the provider's list and manifest have people.
* A gift combo holding an experience as a gift voucher (:func:`load_demo_gift_combo`):
  the village tour (OCOP-certified in the demo; the weaving class is not, and a combo
  takes certified products only) with a brocade scarf and the gift box.

Everything goes through the rules (``departures``, ``bookings``). Safe to run
again: a product's pattern is made once (reused afterwards), the generation is
idempotent and the bookings are keyed by their reference ("DEMO-…").
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from oscar.core.loading import get_model

from . import bookings, departures, places, purchase
from .errors import ExperienceError
from .models import Booking, DepartureSchedule

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

WEEKS = 8
# partner SKU of the demo offer → the experience's pattern
PATTERNS = {
    "DLTC-004": {
        "child_price": 120_000, "weekdays": [2, 4, 6], "times": ["08:00", "13:30"],
        "duration_minutes": 240, "places_total": 12,
        "meeting_point": "Nhà rông làng Kon Jơ Ri, xã Đăk Long",
        "guide_language": "Tiếng Việt, tiếng Xơ Đăng",
    },
    "NREO-003": {
        "child_price": 250_000, "weekdays": [6, 7], "times": ["07:30"],
        "duration_minutes": 480, "places_total": 20,
        "meeting_point": "Sân nhà văn hoá thôn Kon Bơ Băn, xã Ngọk Réo",
        "guide_language": "Tiếng Việt, English",
    },
}
CLOSED_AFTER_DAYS = (12, 26)  # two festival days of the season, relative to its start
DEMO_BOOKINGS = [
    # (sku, nth bookable departure, reference, adults, children, name, phone, payment)
    ("DLTC-004", 0, "DEMO-EXP-1", 2, 1, "Nguyễn Thị Lan", "0912345678", Booking.Payment.TILL),
    ("DLTC-004", 0, "DEMO-EXP-2", 4, 0, "Trần Văn Minh", "0987654321", Booking.Payment.CASH),
    ("DLTC-004", 1, "DEMO-EXP-3", 1, 0, "Lê Hoàng Anh", "0905111222", Booking.Payment.CASH),
    ("NREO-003", 0, "DEMO-EXP-4", 6, 2, "Đoàn sinh viên Đại học Đà Lạt", "0933444555",
     Booking.Payment.TILL),
    ("NREO-003", 1, "DEMO-EXP-5", 2, 0, "Phạm Thu Hà", "0977888999", Booking.Payment.CASH),
]


def child_price_attribute(product_class):
    attribute, _new = ProductAttribute.objects.get_or_create(
        product_class=product_class, code=purchase.CHILD_PRICE_ATTRIBUTE,
        defaults={"name": "Giá trẻ em (đ/người)", "type": ProductAttribute.INTEGER},
    )
    return attribute


def _set_child_price(product, price):
    attribute = child_price_attribute(product.get_product_class())
    ProductAttributeValue.objects.update_or_create(
        product=product, attribute=attribute, defaults={"value_integer": price})


def _product(sku):
    return (Product.objects.filter(stockrecords__partner_sku=sku,
                                   product_class__slug__in=places.experience_class_slugs())
            .select_related("product_class").first())


def _schedule(product, pattern, today):
    existing = DepartureSchedule.objects.filter(product=product).order_by("pk").first()
    if existing is not None:
        return existing, False
    start = today + datetime.timedelta(days=1)
    schedule = departures.create_schedule(
        product, season_start=start, season_end=start + datetime.timedelta(weeks=WEEKS),
        weekdays=pattern["weekdays"], times=pattern["times"],
        closed_dates=[start + datetime.timedelta(days=n) for n in CLOSED_AFTER_DAYS],
        duration_minutes=pattern["duration_minutes"], places_total=pattern["places_total"],
        meeting_point=pattern["meeting_point"], guide_language=pattern["guide_language"],
    )
    return schedule, True


def load_demo_experiences(progress=None):
    """Make the demo's experiences bookable (idempotent); returns the departures created."""
    purchase.options()
    today = timezone.localdate()
    made = []
    products = {}
    for sku, pattern in PATTERNS.items():
        product = _product(sku)
        if product is None:
            continue
        products[sku] = product
        _set_child_price(product, pattern["child_price"])
        schedule, _new = _schedule(product, pattern, today)
        made += departures.generate(schedule)
    booked = 0
    for sku, nth, reference, adults, children, name, phone, payment in DEMO_BOOKINGS:
        product = products.get(sku)
        if product is None or Booking.objects.filter(source_ref=reference).exists():
            continue
        soon = [slot.departure for slot in departures.availability(
            product, start=today + datetime.timedelta(days=2), channel=places.OFFICE)
            if slot.bookable]
        if len(soon) <= nth:
            continue
        price = purchase.price_table(product, _Strategy())
        amount = (price["adult"] or 0) * adults + (price["child"] or 0) * children
        try:
            bookings.create_booking(
                soon[nth], adults=adults, children=children, contact_name=name,
                contact_phone=phone, source=Booking.Source.OFFICE, source_ref=reference,
                payment=payment, amount=amount, paid=payment == Booking.Payment.TILL,
                channel=places.OFFICE,
            )
            booked += 1
        except ExperienceError:
            continue
    load_demo_gift_combo()
    if progress is not None:
        from .models import Departure

        total = Departure.objects.filter(product__in=products.values()).count()
        progress.step("experience departures", total, len(made), f"{booked} new demo bookings")
    return made


def _Strategy():  # noqa: N802 - Oscar's strategy for a request-less price reading
    from oscar.core.loading import get_class

    return get_class("partner.strategy", "Selector")().strategy()


GIFT_COMBO_TITLE = "Quà trải nghiệm làng Kon Bơ Băn"
GIFT_COMBO_STORY = (
    "Một ngày ở làng du lịch cộng đồng Kon Bơ Băn — phiếu quà tặng dùng cho bất kỳ chuyến "
    "nào trong một năm — cùng chiếc khăn choàng thổ cẩm Ba Na dệt tay, trong hộp quà OCOP."
)
GIFT_COMBO_ITEMS = [("NREO-003", 1), ("DLTC-001", 1)]  # the tour (a voucher), the scarf


def load_demo_gift_combo():
    """The demo's gift combo with an experience voucher (once, by title); None when it exists
    already or a component is missing or cannot be in a combo (no OCOP certificate)."""
    from catalogue import combos
    from catalogue.demo_combos import gift_box

    stockrecord_model = get_model("partner", "StockRecord")
    if Product.objects.filter(title=GIFT_COMBO_TITLE,
                              product_class__slug=combos.COMBO_CLASS_SLUG).exists():
        return None
    items = []
    for sku, quantity in GIFT_COMBO_ITEMS:
        record = (stockrecord_model.objects.select_related("product__product_class")
                  .filter(partner_sku=sku).first())
        if record is None or combos.component_problem(record.product):
            return None
        items.append((record, quantity))
    items.append((gift_box(), 1))
    separate = sum(int(record.price or 0) * quantity for record, quantity in items)
    return combos.create_combo(title=GIFT_COMBO_TITLE, price=separate * 92 // 100 // 1000 * 1000,
                               items=items, description=GIFT_COMBO_STORY)
