"""Experiences at the till: the day's and the week's departures, and places booked for a
walk-in visitor — paid in the till's sale, or cash on arrival.

Rules (the places themselves are ``shop.experiences``'s: cut-off, no oversell, locks):

* The till shows every scheduled departure of today (``days=1``) or the next seven days
  (``days=7``), each with its places left, whether the till may still book it (the
  cut-off ``EXPERIENCE_BOOKING_CUTOFF_HOURS``; no online lead time at the till) and the
  offer the cart sells it with (the experience's StockRecord, adult price per person).
* **Cash on arrival** (:func:`book_on_arrival`): a booking on its own, no sale; the
  visitor pays the guide. Idempotent by the page's ``client_uuid``: sent twice, one
  booking (the departure's row is locked while we look, so two sends at once too).
* **Paid at the till** (:func:`check_for_sale` then :func:`book_for_sale`): the cart
  carries the experience's offer, one line per person, and the sale carries the
  visitor (``experiences`` in the sale's JSON). Before the sale is written the
  departure is checked (bookable for that many people, the cart holds that many
  places of it); the places are taken **after the sale's commit** (the till's sale is
  its own transaction, ``pos.sales``), through ``shop.experiences.bookings``,
  idempotently: the booking's reference is the receipt number and the visitor's place
  in the sale, so a sale sent again (offline queue, retry) books nothing more. If the
  places went to someone else between the check and the booking, the sale stays (the
  money is in the drawer) and the answer says so: the cashier refunds with a return.
* A **gift combo** holding an experience (``catalogue.combos``): after the sale's commit
  its gift vouchers are written (:func:`gift_vouchers_for_sale`, once per sale line:
  ``purchase.place_combo_vouchers``), paid at the till, ``source_ref`` the sale's order
  number; the answer lists their codes for the receipt. A till return of the combo
  cancels its unused vouchers (a redeemed one refuses the return: ``voucher_used``), and a
  return of tickets paid in the sale gives their places back (a used or past ticket
  refuses it: ``ticket_used``) — ``shop.experiences.returns``, called by ``pos.returns``.
* The till prices a person at the offer's (adult) price: a visitor with children on an
  experience with its own child price books "cash on arrival" (the guide collects the
  right amounts), the till says so.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from pos import catalogue
from pos.errors import TillConflict, TillError, TillNotFound, check_text
from shop.experiences import bookings, departures, places, purchase
from shop.experiences.errors import ExperienceError
from shop.experiences.models import Booking, Departure
from showroom import inventory

MAX_VISITORS_PER_SALE = 5
_PHONE = re.compile(r"^\+?[0-9 .\-]{8,20}$")


def departures_for_till(register, days=1, now=None):
    """The departures the till shows (today, or the next ``days`` days), as dicts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = list(departures.departures_between(today, today + datetime.timedelta(days=days - 1)))
    product_ids = {d.product_id for d in rows}
    offers = {}
    if product_ids:
        for stockrecord in catalogue.offers_queryset(register.location).filter(
                product_id__in=product_ids):
            offers.setdefault(stockrecord.product_id, catalogue._offer(stockrecord).as_dict())
    child_prices = {pk: None for pk in product_ids}
    for departure in rows:
        if departure.product_id in child_prices and child_prices[departure.product_id] is None:
            child_prices[departure.product_id] = purchase.child_price(departure.product) or 0
    result = []
    for departure in rows:
        reason = ""
        try:
            places.check_bookable(departure, 1, channel=places.TILL, now=now)
        except ExperienceError as error:
            reason = str(error)
        offer = offers.get(departure.product_id)
        result.append({
            "id": departure.pk,
            "label": departure.label,
            "product": departure.product.get_title(),
            "date": departure.date.isoformat(),
            "day": f"{departure.date:%d/%m}",
            "time": f"{departure.start_time:%H:%M}",
            "meeting_point": departure.meeting_point,
            "places_left": departure.places_left,
            "places_total": departure.places_total,
            "bookable": not reason and offer is not None,
            "reason": reason or ("" if offer else _("Trải nghiệm này chưa có giá bán.")),
            "adult_price": offer["price"] if offer else None,
            "child_price": int(child_prices.get(departure.product_id) or 0) or None,
            "offer": offer,
        })
    return result


# --- input ------------------------------------------------------------------------------------


def _visitor(raw, check=True):
    if not isinstance(raw, dict):
        raise TillError(_("Thông tin khách đặt chỗ không hợp lệ."), code="bad_booking")
    departure_id = raw.get("departure")
    if isinstance(departure_id, bool) or not isinstance(departure_id, int):
        raise TillError(_("Hãy chọn một chuyến khởi hành."), code="bad_booking")
    name = str(raw.get("name") or "").strip()
    phone = str(raw.get("phone") or "").strip()
    if not name or len(name) > 255:
        raise TillError(_("Hãy ghi tên khách (tối đa 255 ký tự)."), code="bad_booking")
    check_text(name, "name")
    if not _PHONE.match(phone):
        raise TillError(_("Số điện thoại của khách không hợp lệ."), code="bad_booking")
    counts = []
    for key in ("adults", "children"):
        value = raw.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise TillError(_("Số người phải là số nguyên từ 1 trở lên."), code="bad_booking")
        counts.append(value)
    adults, children = counts
    if adults + children < 1:
        raise TillError(_("Số người phải là số nguyên từ 1 trở lên."), code="bad_booking")
    departure = (Departure.objects.select_related("product", "product__product_class")
                 .filter(pk=departure_id).first())
    if departure is None:
        raise TillNotFound(_("Không tìm thấy chuyến khởi hành."))
    if check:
        try:
            places.check_bookable(departure, adults + children, channel=places.TILL)
        except ExperienceError as error:
            raise TillConflict(str(error), code=error.code) from None
    return {"departure": departure, "name": name, "phone": phone, "adults": adults,
            "children": children, "email": str(raw.get("email") or "").strip()[:254]}


def _booking_dict(booking):
    return {"code": booking.code, "display_code": booking.display_code,
            "departure": booking.departure.label if booking.departure_id else "",
            "product": booking.product.get_title(), "adults": booking.adults,
            "children": booking.children, "payment": booking.get_payment_display(),
            "paid": booking.paid_at is not None}


def _book(visitor, ref, *, paid, amount, user):
    """One booking for ``ref`` (or the one already made for it): departure locked first."""
    departure = visitor["departure"]
    with transaction.atomic():
        places.lock_departure(departure)
        existing = (Booking.objects.select_related("departure", "product")
                    .filter(source=Booking.Source.TILL, source_ref=ref).first())
        if existing is not None:
            return existing, False
        booking = bookings.create_booking(
            departure, adults=visitor["adults"], children=visitor["children"],
            contact_name=visitor["name"], contact_phone=visitor["phone"],
            contact_email=visitor["email"], source=Booking.Source.TILL, source_ref=ref,
            payment=Booking.Payment.TILL if paid else Booking.Payment.CASH, amount=amount,
            paid=paid, channel=places.TILL, user=user)
    return booking, True


def _amount(visitor):
    product = visitor["departure"].product
    adult = catalogue.offers_queryset().filter(product=product).first()
    adult_price = int(adult.price) if adult is not None else 0
    child = purchase.child_price(product)
    child_price = int(child) if child is not None else adult_price
    return visitor["adults"] * adult_price + visitor["children"] * child_price, adult_price, \
        child_price


# --- cash on arrival --------------------------------------------------------------------------


def book_on_arrival(register, user, data):
    """Places for a walk-in visitor who pays the guide; once per ``client_uuid``."""
    if not isinstance(data, dict):
        raise TillError(_("Dữ liệu gửi lên phải là một đối tượng JSON."))
    key = str(data.get("client_uuid") or "").strip()
    if not re.fullmatch(r"[0-9a-fA-F\-]{32,36}", key):
        raise TillError(_("Thiếu mã yêu cầu (client_uuid)."), code="bad_booking")
    ref = f"{register.code}:{key.lower()}"[:128]
    known = (Booking.objects.select_related("departure", "product")
             .filter(source=Booking.Source.TILL, source_ref=ref).first())
    if known is not None:
        return _booking_dict(known), False
    visitor = _visitor(data)
    amount, _adult, _child = _amount(visitor)
    try:
        booking, created = _book(visitor, ref, paid=False, amount=amount, user=user)
    except ExperienceError as error:
        raise TillConflict(str(error), code=error.code) from None
    return _booking_dict(booking), created


# --- paid in the till's sale ------------------------------------------------------------------


def check_for_sale(raw, lines, check=True):
    """The visitors a sale pays for, checked before the sale is written (TillError if not).

    ``check=False`` for a sale already recorded (sent again) or rung up offline: it is not
    refused for places any more — :func:`book_for_sale` finds its bookings or says why not.
    """
    if raw in (None, [], ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_VISITORS_PER_SALE:
        raise TillError(_("Một hoá đơn đặt chỗ tối đa %(n)s đoàn khách.")
                        % {"n": MAX_VISITORS_PER_SALE}, code="bad_booking")
    visitors = [_visitor(item, check=check) for item in raw]
    in_cart = {}
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict) and isinstance(line.get("stockrecord"), int):
            quantity = line.get("quantity")
            if isinstance(quantity, int) and not isinstance(quantity, bool):
                in_cart[line["stockrecord"]] = in_cart.get(line["stockrecord"], 0) + quantity
    needed = {}
    for visitor in visitors:
        product = visitor["departure"].product
        amount, adult, child = _amount(visitor)
        if visitor["children"] and child != adult:
            raise TillError(
                _("%(title)s có giá vé trẻ em riêng: hãy chọn “thu tiền khi đến” cho đoàn có "
                  "trẻ em.") % {"title": product.get_title()}, code="child_price")
        offer = catalogue.offers_queryset().filter(product=product).first()
        if offer is None:
            raise TillError(_("Trải nghiệm này chưa có giá bán."), code="no_price")
        visitor["stockrecord"], visitor["amount"] = offer.pk, amount
        needed[offer.pk] = needed.get(offer.pk, 0) + visitor["adults"] + visitor["children"]
    for stockrecord, people in needed.items():
        if in_cart.get(stockrecord, 0) < people:
            raise TillError(_("Hoá đơn phải có đủ %(n)s vé cho số khách đã đặt.") % {"n": people},
                            code="booking_lines")
    return visitors


def book_for_sale(sale, visitors, user):
    """After the sale's commit: the places of each visitor it paid for (once per sale)."""
    results = []
    for index, visitor in enumerate(visitors, 1):
        ref = f"{sale.receipt_label}/{index}"
        try:
            booking, _created = _book(visitor, ref, paid=True, amount=visitor["amount"],
                                      user=user)
        except ExperienceError as error:
            results.append({"error": _("Không đặt được chỗ cho %(name)s: %(reason)s Hoá đơn "
                                       "đã ghi: hãy trả hàng để hoàn tiền cho khách.")
                            % {"name": visitor["name"], "reason": error}})
            continue
        results.append(_booking_dict(booking))
    return results


# --- gift combos ------------------------------------------------------------------------------


def gift_vouchers_for_sale(sale, user):
    """After the sale's commit: the gift vouchers of the gift combos it sold (written once per
    sale line, even when the sale is sent again), as the answer's ``bookings`` dicts."""
    combo_component = get_model("catalogue", "ComboComponent")
    order_line_model = get_model("order", "Line")
    lines = [line for line in sale.lines.all() if line.order_line_id and line.product_id]
    if not any(_could_be_combo(line) for line in lines) or not combo_component.objects.filter(
            combo_id__in={line.product_id for line in lines},
            component__product__product_class__slug__in=places.experience_class_slugs(),
    ).exists():
        return []
    for order_line in order_line_model.objects.filter(
            pk__in=[line.order_line_id for line in lines]).select_related(
            "order", "product__product_class").order_by("pk"):
        purchase.place_combo_vouchers(order_line, payment=Booking.Payment.TILL, paid=True,
                                      contact=("", "", ""), user=user)
    return [_booking_dict(booking) for booking in Booking.objects.select_related(
        "product", "departure").filter(source=Booking.Source.GIFT,
                                       source_ref=str(sale.order.number)).order_by("pk")]


def _could_be_combo(line):
    """False when the sale line's product is known (loaded with its class) and is no combo:
    a sale of plain goods costs no query here."""
    if not type(line)._meta.get_field("product").is_cached(line):
        return True
    product = line.product
    if product is None:
        return False
    if product.product_class_id is None or not type(product)._meta.get_field(
            "product_class").is_cached(product):
        return True
    return product.product_class.slug == inventory.COMBO_CLASS_SLUG
