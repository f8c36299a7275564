"""The livestream seller of the demo: a finished session with its figures, and a scheduled one.

``live_seller`` (a demo user, group ``livestream_seller``) gets a seller profile
and two sessions:

* a **finished** Facebook session yesterday evening (19:30–21:00, Vietnam
  time) featuring a gift combo and two certified products at live prices
  (below list, not below the producers' floors) with caps; viewers clicked its
  links over the evening, typed comment orders (two confirmed into orders, one
  expired, one cancelled, one unreadable, one repeated) and placed web orders
  through the real placement (attributed, at the live price); some were paid
  or delivered, so commissions accrued, and one was cancelled;
* a **scheduled** session tomorrow at 20:00 with two featured items.

Everything goes through the rules (``shop.live.sessions``, ``holds``,
``orders``, the shop's ``OrderCreator`` with the live pricing strategy,
``shop.payment.payments``, Oscar's order events), so stock moves through the
one inventory and commissions accrue on their signals. The session is played
now and its timestamps (session, clicks, comments, holds, orders, payments,
commission entries) are then moved back to yesterday evening, so the session
report shows a real timeline. The stock ledger keeps the real moment each move
was recorded.

Safe to run again: a session that exists (same seller and title) is left
alone, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.order.utils import OrderNumberGenerator
from oscar.core.loading import get_class, get_model
from phonenumber_field.phonenumber import PhoneNumber

from shop import money
from shop.core.progress import Progress
from shop.live import holds, links, orders, pricing, sessions
from shop.live.attribution import Visit
from shop.live.models import (
    Attribution,
    Click,
    Comment,
    CommissionEntry,
    Hold,
    Link,
    LiveOffer,
    LiveSession,
    Seller,
)
from shop.live.strategy import LiveStrategy
from shop.order.utils import OrderCreator
from shop.payment import payments, statuses
from shop.shipping import address as vn_address
from shop.shipping.methods import CollectAt
from shop.shipping.repository import Repository
from showroom import inventory

Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
Country = get_model("address", "Country")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
OrderStatusChange = get_model("order", "OrderStatusChange")
OrderPayment = get_model("payment", "OrderPayment")
Transaction = get_model("payment", "Transaction")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
Location = get_model("showroom", "Location")
EventHandler = get_class("order.processing", "EventHandler")

USERNAME = "live_seller"
OFFICE_USERNAME = "office"
SEED = 2025
PROVINCE = "51"  # Quảng Ngãi (Kon Tum merged into it in 2025)

SELLER = {
    "display_name": "Tuổi trẻ Đăk Hà Live",
    "phone": "0905 246 813",
    "commission_rate": Decimal(8),
    "bank_name": "Agribank chi nhánh Đăk Hà",
    "bank_account": "5304205123456",
    "bank_account_name": "DO MINH ANH",
}

FINISHED = {
    "title": "Đêm quà quê Đăk Hà: combo quà biếu, cà phê rang xay và sâm dây Ngọc Linh",
    "platform": LiveSession.Platform.FACEBOOK,
    "stream_url": "https://www.facebook.com/tuoitredakha/live",
    "start": datetime.time(19, 30),
    "minutes": 90,
}
SCHEDULED = {
    "title": "Cà phê sáng Đăk Hà: rang mộc Culi, phin giấy Honey cho ngày mới",
    "platform": LiveSession.Platform.FACEBOOK,
    "stream_url": "https://www.facebook.com/tuoitredakha/live",
    "start": datetime.time(20, 0),
    "minutes": 90,
}

# (partner SKU or None for the gift combo, code read on air, live price, floor, cap)
FINISHED_OFFERS = [
    (None, "QUA1", Decimal("0.89"), Decimal("0.85"), 5),
    ("CFDH-001", "CF1", Decimal(129000), Decimal(125000), 30),  # Cà phê rang xay 500 g, 150.000
    ("DPXI-001", "SAM2", Decimal(399000), Decimal(380000), 10),  # Sâm dây khô 500 g, 450.000
]
SCHEDULED_OFFERS = [
    ("CFDH-003", "CULI", Decimal(99000), Decimal(95000), 20),  # Cà phê Culi 250 g, 110.000
    ("CFDH-002", "PHIN", Decimal(85000), Decimal(80000), 20),  # Phin giấy Honey, 95.000
]

# Minutes after the start when each item was pinned (the clicks follow it).
PINNED_AT = {"QUA1": 8, "CF1": 33, "SAM2": 58}
CLICKS = {"QUA1": 64, "CF1": 57, "SAM2": 38}

# (minute, author, text, what the seller did): confirm-cod, confirm-vietqr, cancel, expire, —
COMMENTS = [
    (14, "Y Thu Hà", "chốt 1 QUA1 sdt 0905.123.456", "confirm-cod"),
    (22, "Nguyễn Văn Tâm", "đẹp quá, ship về Kon Tum không shop ơi", None),
    (39, "A Blưh", "lấy 2 hộp cf1 +84912345678", "expire"),
    (42, "Trần Thị Mai", "cf1 x3 0934 567 890", "cancel"),
    (64, "Lê Hoàng Phúc", "0987654321 SAM2 x2", "confirm-vietqr"),
    (65, "Lê Hoàng Phúc", "0987654321 SAM2 x2", None),  # the same comment again: no second hold
]
HOLD_BUYERS = {
    "0905123456": ("Y Thu Hà", "23512", "Thôn 3"),
    "0987654321": ("Lê Hoàng Phúc", "23293", "45 Trần Hưng Đạo"),
}


@dataclass
class WebOrder:
    """A buyer who followed a session link and checked out on the web."""

    minute: int
    items: list  # [(code, quantity)]
    name: str
    phone: str
    ward: str
    line1: str
    method: str  # cod / vietqr
    fate: str  # paid, delivered, collected, pending, cancelled
    collect: str = ""  # a sales point's code for click & collect
    events: list = field(default_factory=list)


WEB_ORDERS = [
    WebOrder(17, [("QUA1", 1)], "Phạm Thị Thu Trang", "0913 457 268", "23500", "28 Hùng Vương",
             "vietqr", "paid"),
    WebOrder(28, [("QUA1", 1)], "Nguyễn Đức Thắng", "0978 315 642", "23284", "112 Phan Đình Phùng",
             "cod", "delivered"),
    WebOrder(41, [("CF1", 2)], "A Thuận", "0362 184 579", "23500", "", "cod", "collected",
             collect="showcase"),
    WebOrder(46, [("CF1", 3)], "Võ Thị Ngọc Ánh", "0935 627 184", "23302", "9 Bà Triệu",
             "vietqr", "paid"),
    WebOrder(68, [("SAM2", 1)], "Đinh Văn Lực", "0982 746 315", "23512", "Thôn 5", "vietqr",
             "paid"),
    WebOrder(74, [("CF1", 1), ("SAM2", 1)], "Hồ Thị Kim Oanh", "0337 592 846", "23374",
             "Thôn Kon Gu 2", "cod", "pending"),
    WebOrder(82, [("QUA1", 1)], "Bùi Quang Huy", "0868 214 957", "23485", "Thôn 1", "cod",
             "cancelled"),
]


# --- Helpers ---------------------------------------------------------------------------------


def _at(day, time, minutes=0, seconds=0):
    moment = timezone.make_aware(datetime.datetime.combine(day, time))
    return moment + datetime.timedelta(minutes=minutes, seconds=seconds)


def _visitor(*parts):
    return hashlib.md5("/".join(str(p) for p in parts).encode()).hexdigest()  # noqa: S324 (an id)


def _address_fields(name, phone, ward, line1):
    return {
        "first_name": "", "last_name": name, "line1": line1, "line2": "", "line3": "",
        "line4": vn_address.ward_name(PROVINCE, ward) or "",
        "state": vn_address.province_name(PROVINCE) or "", "postcode": "",
        "phone_number": phone, "notes": "",
    }


def _country():
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704",
                  "printable_name": "Việt Nam", "name": "Việt Nam", "is_shipping_country": True},
    )
    return country


def _demo_combo():
    """The first listed gift combo (by title) that may be featured and has stock."""
    combos = (
        Product.objects.browsable()
        .filter(product_class__slug=inventory.COMBO_CLASS_SLUG, stockrecords__isnull=False)
        .prefetch_related("stockrecords").distinct().order_by("title")
    )
    for combo in combos:
        record = combo.stockrecords.all()[0]
        free = (record.num_in_stock or 0) - (record.num_allocated or 0)
        if record.price and free >= 4 and not sessions.lapsed(combo):
            return combo
    return None


def _product(sku):
    record = StockRecord.objects.select_related("product").filter(partner_sku=sku).first()
    if record is None or sessions.lapsed(record.product):
        return None
    return record.product


def _feature(session, rows, office):
    """Feature the rows' products with floors set first (the producer's, the office's for combos)."""
    featured = {}
    for sku, code, live, floor, cap in rows:
        product = _demo_combo() if sku is None else _product(sku)
        if product is None:
            continue
        record = product.stockrecords.order_by("pk").first()
        if sku is None:  # the combo's figures are shares of its list price
            live = money.dong(record.price * live / 1000) * 1000
            floor = money.dong(record.price * floor / 1000) * 1000
        if not hasattr(record, "live_price_floor"):
            setter = office if sku is None else record.partner.users.order_by("pk").first()
            pricing.set_floor(record, floor, user=setter)
        featured[code] = sessions.feature(session, product, code, live_price=live, cap=cap)
    return featured


def _seller():
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        return None, False
    seller = Seller.objects.filter(user=user).first()
    if seller is not None:
        return seller, False
    return Seller.objects.create(user=user, **SELLER), True


# --- The finished session --------------------------------------------------------------------


def _clicks(session, link_by_code, start):
    """Clicks over the session's minutes, thickest after each item is pinned."""
    rng = random.Random(f"{SEED}/clicks")
    rows = []
    for code, count in CLICKS.items():
        link = link_by_code.get(code)
        if link is None:
            continue
        for n in range(count):
            # most come in the quarter hour after the pin, some before and after
            minute = (PINNED_AT[code] + rng.expovariate(1 / 9)) if rng.random() < 0.8 else (
                rng.uniform(0, FINISHED["minutes"] + 10)
            )
            at = start + datetime.timedelta(minutes=min(minute, FINISHED["minutes"] + 12),
                                            seconds=rng.randint(0, 59))
            # a third of the visitors look at two items
            who = rng.randint(0, 2 * count) if rng.random() < 0.33 else f"{code}/{n}"
            rows.append(Click(link=link, session=session, visitor=_visitor(SEED, who), at=at))
    Click.objects.bulk_create(rows)
    for link in link_by_code.values():
        Link.objects.filter(pk=link.pk).update(
            clicks=F("clicks") + sum(1 for row in rows if row.link_id == link.pk)
        )
    return len(rows)


def _comments(session, offers, start, office):
    """Comment orders: holds confirmed (COD, VietQR), one expired, one cancelled, others marked."""
    done = {}
    for minute, author, text, action in COMMENTS:
        [comment] = holds.receive(session, [("", author, text)]) or [None]
        if comment is None:
            continue
        received = start + datetime.timedelta(minutes=minute, seconds=17)
        Comment.objects.filter(pk=comment.pk).update(received_at=received)
        hold = comment.holds.first()
        if hold is None or action is None:
            continue
        events = {"created": received + datetime.timedelta(seconds=3)}
        if action.startswith("confirm"):
            method = action.split("-")[1]
            name, ward, line1 = HOLD_BUYERS[hold.phone]
            order, _path = orders.confirm(
                hold, _address_fields(name, hold.phone, ward, line1), method,
            )
            events["updated"] = received + datetime.timedelta(minutes=6)
            done[order.pk] = WebOrder(
                minute + 6, [], name, hold.phone, ward, line1, method,
                "paid" if method == "vietqr" else "delivered",
            )
        elif action == "cancel":
            holds.cancel(hold, user=session.seller.user)
            events["updated"] = received + datetime.timedelta(minutes=9)
        elif action == "expire":
            events["updated"] = events["created"] + datetime.timedelta(minutes=holds.hold_minutes())
        Hold.objects.filter(pk=hold.pk).update(
            created_at=events["created"], updated_at=events["updated"],
            expires_at=events["created"] + datetime.timedelta(minutes=holds.hold_minutes()),
        )
    # what nobody confirmed in time goes back by itself
    holds.expire_due(
        now=timezone.now() + datetime.timedelta(minutes=holds.hold_minutes() + 1), session=session,
    )
    return done


def _place_web_order(session, seller, plan, offers, link_by_code):
    """A buyer who followed the session's link checks out: the real placement, live prices."""
    first_code = plan.items[0][0]
    link = link_by_code[first_code]
    basket = Basket.objects.create(owner=None)
    basket.strategy = LiveStrategy(visit=Visit(seller.pk, link.pk, session.pk))
    for code, quantity in plan.items:
        basket.add_product(offers[code].product, quantity)
    basket.reset_offer_applications()
    fields = _address_fields(plan.name, plan.phone, plan.ward, plan.line1)
    collect_location = None
    if plan.collect:
        collect_location = Location.objects.get(code=plan.collect)
        fields.update(line1="", line4="", state="")
    fields["phone_number"] = PhoneNumber.from_string(fields["phone_number"], region="VN")
    shipping_address = ShippingAddress(country=_country(), **fields)
    if collect_location is not None:
        method = CollectAt(collect_location)
    else:
        method = next(
            m for m in Repository().get_available_shipping_methods(basket, shipping_address)
            if m.code == "delivery"
        )
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    shipping_address.save()
    order = OrderCreator().place_order(
        basket, total, method, charge, user=None, shipping_address=shipping_address,
        order_number=OrderNumberGenerator().order_number(basket),
        status=payments.initial_order_status(plan.method), collect_location=collect_location,
        guest_email=f"khach.{plan.phone.replace(' ', '')}@example.vn",
    )
    payments.open_payment(order, plan.method)
    basket.submit()
    return order


def _settle(order, plan, office):
    """What happened to the order afterwards; returns ``[(event, minutes after placing)]``."""
    handler = EventHandler(office)
    if plan.fate == "paid":
        payments.confirm_transfer(order, order.total_incl_tax, user=office)
        return [("paid", 3)]
    if plan.fate == "delivered":
        handler.handle_order_status_change(order, statuses.SHIPPING)
        handler.handle_order_status_change(order, statuses.SHIPPED)
        return [("status", 25), ("status", 70)]
    if plan.fate == "collected":
        handler.handle_order_status_change(order, statuses.READY_TO_COLLECT)
        handler.handle_order_status_change(order, statuses.COLLECTED)
        return [("status", 8), ("status", 35)]
    if plan.fate == "cancelled":
        payments.cancel_order(order, note="Khách gọi lại xin huỷ: đã mua ở điểm bán.")
        return [("status", 14)]
    return []


def _backdate_order(order, placed, events):
    """Move the order's own timestamps to ``placed`` and its events after it."""
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    if order.basket_id:
        Basket.objects.filter(pk=order.basket_id).update(
            date_created=placed - datetime.timedelta(minutes=4), date_submitted=placed,
        )
        BasketLine.objects.filter(basket_id=order.basket_id).update(
            date_created=placed - datetime.timedelta(minutes=3),
        )
    Attribution.objects.filter(line__order=order).update(created_at=placed)
    moments = [placed + datetime.timedelta(minutes=m) for _kind, m in events]
    changes = list(OrderStatusChange.objects.filter(order=order).order_by("pk"))
    for change, at in zip(changes, moments, strict=False):  # paying moves the status too
        OrderStatusChange.objects.filter(pk=change.pk).update(date_created=at)
    last = moments[-1] if moments else placed
    OrderNote.objects.filter(order=order).update(date_created=last)
    paid = next((at for (kind, _m), at in zip(events, moments, strict=True) if kind == "paid"), None)
    OrderPayment.objects.filter(order=order).update(
        created_at=placed, updated_at=last, **({"paid_at": paid} if paid else {}),
    )
    Transaction.objects.filter(source__order=order).update(date_created=last)
    # a commission is earned when the order is paid or handed over: the last event
    CommissionEntry.objects.filter(attribution__line__order=order).update(created_at=last)


@transaction.atomic
def _finished_session(seller, office, day):
    start = _at(day, FINISHED["start"])
    end = start + datetime.timedelta(minutes=FINISHED["minutes"])
    session = sessions.schedule(
        seller, FINISHED["title"], FINISHED["platform"], start, end,
        stream_url=FINISHED["stream_url"],
    )
    offers = _feature(session, FINISHED_OFFERS, office)
    link_by_code = {
        code: links.link_for(seller, offer.product, session) for code, offer in offers.items()
    }
    session = sessions.start(session)
    for offer in offers.values():  # the host went through the items in turn
        sessions.pin(session, offer)

    placed = {}
    for order_pk, plan in _comments(session, offers, start, office).items():
        placed[order_pk] = plan
    for plan in WEB_ORDERS:
        if all(code in offers for code, _q in plan.items):
            order = _place_web_order(session, seller, plan, offers, link_by_code)
            placed[order.pk] = plan
    for order in Order.objects.filter(pk__in=list(placed)).order_by("pk"):
        plan = placed[order.pk]
        plan.events = _settle(order, plan, office)

    session = sessions.end(session)
    clicks = _clicks(session, link_by_code, start)
    for order in Order.objects.filter(pk__in=list(placed)):
        plan = placed[order.pk]
        _backdate_order(order, start + datetime.timedelta(minutes=plan.minute, seconds=40),
                        plan.events)
    three_days_before = start - datetime.timedelta(days=3, hours=9)
    LiveSession.objects.filter(pk=session.pk).update(
        started_at=start + datetime.timedelta(minutes=1),
        ended_at=end + datetime.timedelta(minutes=4),
        created_at=three_days_before,
    )
    LiveOffer.objects.filter(session=session).update(created_at=three_days_before)
    Link.objects.filter(session=session).update(
        created_at=three_days_before,
    )
    return session, len(placed), clicks


@transaction.atomic
def _scheduled_session(seller, office, day):
    start = _at(day, SCHEDULED["start"])
    session = sessions.schedule(
        seller, SCHEDULED["title"], SCHEDULED["platform"], start,
        start + datetime.timedelta(minutes=SCHEDULED["minutes"]),
        stream_url=SCHEDULED["stream_url"],
    )
    offers = _feature(session, SCHEDULED_OFFERS, office)
    for offer in offers.values():
        links.link_for(seller, offer.product, session)
    return session


# --- Everything ------------------------------------------------------------------------------


def figures(session):
    """Orders, clicks and net commission of a session (for the progress line and the tests)."""
    orders_count = (
        Attribution.objects.filter(session=session).values("line__order").distinct().count()
    )
    clicks = Click.objects.filter(session=session).count()
    commission = sum(
        CommissionEntry.objects.filter(session=session).values_list("amount", flat=True),
        Decimal(0),
    )
    return orders_count, clicks, commission


def load_demo_live(progress=None, today=None):
    """The demo livestream seller and their sessions; returns how many rows were new."""
    progress = progress or Progress()
    # the demo's buyers have goods delivered: the starting fee table of the shipping
    # migration, put back if the data was emptied since (it creates nothing otherwise)
    importlib.import_module("shop.shipping.migrations.0005_default_delivery_zones").seed(
        django_apps, None
    )
    seller, new_seller = _seller()
    created = int(new_seller)
    if seller is None:
        progress.step("livestream (demo)", 0, 0, f"no user {USERNAME}: skipped")
        return 0
    office = get_user_model().objects.filter(username=OFFICE_USERNAME).first()
    today = today or timezone.localdate()
    mine = LiveSession.objects.filter(seller=seller)
    finished = mine.filter(title=FINISHED["title"]).first()
    if finished is None:
        finished, _orders, _clicks = _finished_session(
            seller, office, today - datetime.timedelta(days=1)
        )
        created += 1
    if not mine.filter(title=SCHEDULED["title"]).exists():
        _scheduled_session(seller, office, today + datetime.timedelta(days=1))
        created += 1
    orders_count, clicks, commission = figures(finished)
    progress.step(
        "livestream (demo)", mine.count(), created,
        f"{seller.display_name}: {orders_count} orders, {clicks} clicks, "
        f"commission {money.format_vnd(commission)} in the finished session",
    )
    return created
