"""Buying an experience online: the basket line carries its departure; the order takes places.

The Oscar way, and the choices
------------------------------
* An experience product stays a standalone Oscar product with one offer
  (StockRecord) whose price is the **adult price per person**. The **child
  price** is the product attribute ``child_price`` (whole đồng) of the
  experience product class; a product without it sells adult places only.
* The basket line carries its departure and its price kind as Oscar product
  **options** → basket ``LineAttribute`` rows (copied by Oscar onto the order
  line's attributes):

  - option ``departure`` ("Chuyến khởi hành"), value ``Departure.label``:
    "20/12/2026 08:00 · #12" (readable in the basket, the order and its emails;
    the id after "#" is what counts);
  - option ``price-kind`` ("Loại vé"), value "Người lớn" or "Trẻ em".

  An adult line and a child line of the same departure are two basket lines
  (Oscar keys lines by their options); the line quantity is the number of people.
* Experiences are not stock items: the strategy (``shop.partner.strategy``)
  never reads stock for them. Product level: "book by departure" — Oscar's
  generic add-to-basket form refuses them (a line needs a departure; the
  product page posts to :func:`add_to_basket` through ``experiences:add``).
  Line level: the line's departure must be bookable online for the line's
  quantity (``places.check_bookable``) — the basket page and the checkout
  refuse it otherwise, with the Vietnamese reason.
* Placing the order (``shop.order.utils.OrderCreator``) calls
  :func:`place_line` for each line, inside Oscar's order transaction and before
  any stock is allocated: the departures of the whole basket are locked first
  (by primary key), places taken, one :class:`Booking` per order and departure
  written (people by kind, amount, line ids). If places run out the exception
  undoes the whole order: nothing half-written. Experience lines are skipped
  by the stock allocation.
* The order's payment method and payment reach its bookings through
  ``signals`` (card / VietQR / cash on arrival = Oscar's cash on delivery).
* **Gift combos** (``catalogue.combos``) may hold an experience: a voucher
  component, not stock. Placing a combo line (:func:`place_combo_vouchers`, in
  the order's transaction; at the till after the sale's commit) writes one gift
  voucher (``bookings.create_gift_voucher``, one person, no departure) per unit
  × the component's quantity, valid from the order's day for
  ``EXPERIENCE_GIFT_VOUCHER_DAYS`` (default 365) days, ``source`` gift,
  ``source_ref`` the order number, ``line_refs`` the line — idempotent per line.
  Its amount is the experience's share of the line (``combos.revenue_split``).
  The receiver puts it on a departure of its period (``bookings.redeem_gift``);
  cancelling the order cancels the vouchers not yet redeemed.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.partner import availability, prices
from oscar.core.loading import get_model

from . import bookings, places
from .errors import ExperienceError, InvalidPeople, NotBookable
from .models import Booking, Departure

DEPARTURE_OPTION = "departure"
PRICE_KIND_OPTION = "price-kind"
CONTACT_PHONE_OPTION = "contact-phone"  # the guide's number for the visitors of this line
CHILD_PRICE_ATTRIBUTE = "child_price"
ADULT, CHILD = "adult", "child"
DEFAULT_GIFT_VOUCHER_DAYS = 365
KIND_LABELS = {ADULT: "Người lớn", CHILD: "Trẻ em"}
_KIND_BY_TEXT = {"adult": ADULT, "người lớn": ADULT, "child": CHILD, "trẻ em": CHILD}


# --- options -------------------------------------------------------------------------------

def options():
    """(departure Option, price-kind Option), made once (idempotent)."""
    option_model = get_model("catalogue", "Option")
    departure, _new = option_model.objects.get_or_create(
        code=DEPARTURE_OPTION,
        defaults={"name": "Chuyến khởi hành", "type": option_model.TEXT, "required": False})
    kind, _new = option_model.objects.get_or_create(
        code=PRICE_KIND_OPTION,
        defaults={"name": "Loại vé", "type": option_model.TEXT, "required": False})
    return departure, kind


def phone_option():
    """The basket line's contact phone Option, made once (idempotent)."""
    option_model = get_model("catalogue", "Option")
    option, _new = option_model.objects.get_or_create(
        code=CONTACT_PHONE_OPTION,
        defaults={"name": "Điện thoại liên hệ", "type": option_model.TEXT, "required": False})
    return option


def _attribute_values(line):
    """{option code: value} of a basket or order line (uses a prefetch when there is one)."""
    values = {}
    for attribute in line.attributes.all():
        # an order line's attribute carries the option code as ``type``
        code = getattr(attribute, "type", "") or attribute.option.code
        values[code] = attribute.value
    return values


def parse_departure_id(value) -> int | None:
    """The departure id of an option value ("20/12/2026 08:00 · #12", "#12" or "12")."""
    text = str(value or "").strip()
    match = re.search(r"#(\d+)\s*$", text) or re.fullmatch(r"(\d+)", text)
    return int(match.group(1)) if match else None


def parse_kind(value) -> str:
    return _KIND_BY_TEXT.get(str(value or "").strip().lower(), ADULT)


def line_departure_id(line) -> int | None:
    """The departure id a basket line or an order line carries, or None."""
    return parse_departure_id(_attribute_values(line).get(DEPARTURE_OPTION))


def line_contact_phone(line) -> str:
    """The contact phone the product page's form put on the line ("" when none)."""
    return str(_attribute_values(line).get(CONTACT_PHONE_OPTION) or "")


def line_price_kind(line) -> str:
    """"adult" or "child" (a line without the option is an adult line)."""
    return parse_kind(_attribute_values(line).get(PRICE_KIND_OPTION))


def is_experience_line(line) -> bool:
    return places.is_experience(line.product)


# --- prices --------------------------------------------------------------------------------

def child_price(product) -> Decimal | None:
    """The child price per person (attribute ``child_price``), or None (adult places only)."""
    value_model = get_model("catalogue", "ProductAttributeValue")
    row = (value_model.objects.filter(product=product, attribute__code=CHILD_PRICE_ATTRIBUTE)
           .values_list("value_integer", "value_float", "value_text").first())
    if row is None:
        return None
    for value in row:
        if value not in (None, ""):
            try:
                return Decimal(int(Decimal(str(value))))
            except ArithmeticError:
                return None
    return None


def price_table(product, strategy) -> dict:
    """{"adult": Decimal | None, "child": Decimal | None}: price per person as sold now."""
    info = strategy.fetch_for_product(product)
    adult = info.price.incl_tax if info.price.exists else None
    return {ADULT: adult, CHILD: child_price(product) if adult is not None else None}


# --- the strategy's hooks (shop.partner.strategy) ----------------------------------------------

class BookByDeparture(availability.Base):
    """Product level: bookable only through a departure (never from stock)."""

    code = "available"
    message = gettext_lazy("Đặt chỗ theo lịch khởi hành")

    def __init__(self, has_price=True):
        self.has_price = has_price

    @property
    def is_available_to_buy(self):
        return self.has_price

    def is_purchase_permitted(self, quantity):
        return False, _("Hãy chọn chuyến khởi hành và số người trên trang trải nghiệm.")


class DepartureAvailability(availability.Base):
    """Line level: the line's departure must be bookable online for the line's quantity."""

    def __init__(self, departure, error=None):
        self.departure = departure
        self.error = error
        self.code = "available" if error is None else "unavailable"

    @property
    def message(self):
        if self.error is not None:
            return str(self.error)
        return _("Còn %(left)s chỗ") % {"left": self.departure.places_left}

    def is_purchase_permitted(self, quantity):
        if self.error is not None:
            return False, str(self.error)
        try:
            places.check_bookable(self.departure, quantity, channel=places.ONLINE)
        except ExperienceError as error:
            return False, str(error)
        return True, ""


def for_product(info, product):
    """Oscar's purchase info of ``product``, experience availability when it is one."""
    if product is None or not places.is_experience(product):
        return info
    return info._replace(availability=BookByDeparture(has_price=info.price.exists))


def for_line(info, line):
    """Oscar's purchase info of a basket line: the child price and the departure's places."""
    if line is None or not places.is_experience(line.product):
        return info
    departure_id = line_departure_id(line)
    departure = (Departure.objects.select_related("product", "product__product_class")
                 .filter(pk=departure_id, product_id=line.product_id).first()
                 if departure_id else None)
    error = None if departure is not None else NotBookable(
        _("Hãy chọn chuyến khởi hành cho %(title)s.") % {"title": line.product.get_title()},
        "no_departure")
    result = info._replace(availability=DepartureAvailability(departure, error))
    if line_price_kind(line) == CHILD and info.price.exists:
        child = child_price(line.product)
        if child is None:
            result = result._replace(availability=DepartureAvailability(departure, NotBookable(
                _("Trải nghiệm này không bán vé trẻ em."), "no_child_price")))
        else:
            result = result._replace(price=prices.FixedPrice(
                currency=info.price.currency, excl_tax=child, tax=Decimal("0")))
    return result


# --- adding to the basket ------------------------------------------------------------------

def add_to_basket(basket, product, departure, *, adults=1, children=0, phone="",
                  now=None) -> list:
    """Add adult and child places on ``departure`` to ``basket`` (the product page's form).

    ``phone`` (E.164, checked by the caller) is the visitors' contact for the guide: it goes
    on the lines and onto the booking when the order carries no phone of its own (a basket
    of experiences only has no delivery address).

    Checks the departure is bookable online for the people asked *plus* those already in
    the basket for it; raises NotBookable / NoPlaces / InvalidPeople. Returns the lines.
    """
    try:
        adults, children = int(adults or 0), int(children or 0)
    except (TypeError, ValueError):
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people") from None
    if adults < 0 or children < 0 or adults + children < 1:
        raise InvalidPeople(_("Số người phải là số nguyên từ 1 trở lên."), "people")
    if departure.product_id != product.pk:
        raise NotBookable(_("Không tìm thấy chuyến khởi hành."), "not_found")
    if children and child_price(product) is None:
        raise NotBookable(_("Trải nghiệm này không bán vé trẻ em."), "no_child_price")
    already = 0
    if basket.id is not None:
        for line in basket.all_lines():
            if line.product_id == product.pk and line_departure_id(line) == departure.pk:
                already += line.quantity
    places.check_bookable(departure, adults + children + already, channel=places.ONLINE,
                          now=now)
    departure_option, kind_option = options()
    lines = []
    for kind, quantity in ((ADULT, adults), (CHILD, children)):
        if quantity:
            line_options = [
                {"option": departure_option, "value": departure.label},
                {"option": kind_option, "value": KIND_LABELS[kind]},
            ]
            if phone:
                line_options.append({"option": phone_option(), "value": phone})
            line, _created = basket.add_product(product, quantity, options=line_options)
            lines.append(line)
    basket.reset_offer_applications()
    return lines


# --- placing the order (in Oscar's order transaction) ----------------------------------------

def _contact(order):
    name, phone = "", ""
    for address in (getattr(order, "shipping_address", None),
                    getattr(order, "billing_address", None)):
        if address is not None:
            name = name or address.name
            phone = phone or str(getattr(address, "phone_number", "") or "")
    user = order.user
    if user is not None:
        name = name or user.get_full_name() or user.get_username()
    email = order.email if hasattr(order, "email") else (order.guest_email or "")
    return name, phone, email or ""


def place_line(order_line, basket_line, *, basket=None, now=None) -> Booking | None:
    """Book the places of one experience order line (None for any other line).

    Runs inside the order's transaction; the first experience line locks the departures of
    the whole basket by primary key. Raises an ExperienceError when the departure cannot be
    booked or the places are not there: the caller undoes the order.
    """
    if not places.is_experience(basket_line.product):
        return None
    order = order_line.order
    number = str(order.number)
    departure_id = line_departure_id(basket_line)
    if departure_id is None:
        raise NotBookable(
            _("Hãy chọn chuyến khởi hành cho %(title)s.") % {"title": order_line.title},
            "no_departure")
    if basket is not None and getattr(basket, "_experience_locked_for", None) != number:
        ids = [line_departure_id(line) for line in basket.all_lines()
               if places.is_experience(line.product)]
        places.lock_departures([pk for pk in ids if pk])
        basket._experience_locked_for = number
    departure = Departure.objects.select_related("product", "product__product_class").filter(
        pk=departure_id, product_id=basket_line.product_id).first()
    if departure is None:
        raise NotBookable(_("Không tìm thấy chuyến khởi hành."), "not_found")
    kind = line_price_kind(basket_line)
    people = {"adults": order_line.quantity if kind == ADULT else 0,
              "children": order_line.quantity if kind == CHILD else 0}
    amount = Decimal(order_line.line_price_incl_tax or 0)
    existing = Booking.objects.filter(source=Booking.Source.ONLINE, source_ref=number,
                                      departure=departure).first()
    if existing is not None:
        booking = bookings.add_people(existing, **people)
        refs = ",".join(filter(None, [booking.line_refs, str(order_line.pk)]))
        Booking.objects.filter(pk=booking.pk).update(line_refs=refs[:255],
                                                     amount=booking.amount + amount)
        booking.refresh_from_db()
        return booking
    name, phone, email = _contact(order)
    phone = phone or line_contact_phone(basket_line)
    return bookings.create_booking(
        departure, **people, contact_name=name, contact_phone=phone, contact_email=email,
        source=Booking.Source.ONLINE, source_ref=number, line_refs=str(order_line.pk),
        payment=Booking.Payment.ONLINE, amount=amount, channel=places.ONLINE,
        user=order.user, now=now,
    )


# --- gift combos ----------------------------------------------------------------------------

def gift_voucher_days() -> int:
    return int(getattr(settings, "EXPERIENCE_GIFT_VOUCHER_DAYS", DEFAULT_GIFT_VOUCHER_DAYS))


def place_combo_vouchers(order_line, *, product=None, source_ref=None,
                         payment=Booking.Payment.ONLINE, paid=False, contact=None, user=None,
                         now=None) -> list[Booking]:
    """The gift vouchers of one gift-combo order line ([] for any other line).

    One voucher (one person, no departure) per line unit × the quantity of each experience
    component, valid from the order's local day for :func:`gift_voucher_days` days; the
    vouchers already written for this line count (idempotent: a sale sent again makes none).
    ``product``: the line's product as already loaded (the basket line's: no query).
    """
    from catalogue import combos
    from shop import money

    product = product or order_line.product
    if product is None or not combos.is_combo(product):
        return []
    parts = combos.parts_of(product)
    if not any(places.is_experience(part.product) for part in parts):
        return []
    order = order_line.order
    number = str(source_ref or order.number)
    placed = getattr(order, "date_placed", None) or now or timezone.now()
    valid_from = timezone.localdate(placed)
    valid_until = valid_from + datetime.timedelta(days=gift_voucher_days())
    name, phone, email = contact if contact is not None else _contact(order)
    shares = combos.revenue_split(money.whole_dong(order_line.line_price_incl_tax or 0), parts)
    made = []
    with transaction.atomic():
        # the order row locked: two sends of one till sale at once write the vouchers once
        type(order).objects.select_for_update().filter(pk=order.pk).first()
        for part, share in zip(parts, shares, strict=True):
            made.extend(_combo_part_vouchers(
                order_line, part, share, number, (name, phone, email),
                valid_from=valid_from, valid_until=valid_until, payment=payment, paid=paid,
                user=user, now=now))
    return made


def _combo_part_vouchers(order_line, part, share, number, contact, *, valid_from, valid_until,
                         payment, paid, user, now):
    """The vouchers of one component of a combo line still to write (none if not an
    experience); the amount of the component's share split evenly between them."""
    from shop import money

    if not places.is_experience(part.product):
        return []
    name, phone, email = contact
    count = int(order_line.quantity) * int(part.quantity)
    existing = Booking.objects.filter(
        source=Booking.Source.GIFT, source_ref=number, line_refs=str(order_line.pk),
        product=part.product).count()
    return [
        bookings.create_gift_voucher(
            part.product, valid_from=valid_from, valid_until=valid_until,
            contact_name=name or "", contact_phone=phone or "", contact_email=email or "",
            source=Booking.Source.GIFT, source_ref=number, line_refs=str(order_line.pk),
            payment=payment, amount=amount, paid=paid, user=user, now=now)
        for amount in money.split(share, [1] * count)[existing:]
    ]
