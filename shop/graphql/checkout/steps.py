"""A Saleor checkout over an Oscar basket: finding it, its lines, contact, delivery, vouchers.

Rules:

* A checkout is an Oscar ``Basket`` plus the ``shop.graphql.models.Checkout``
  row (email, addresses, delivery method). Its id is base64 ``Checkout:<token>``.
* A checkout started by a signed-in buyer belongs to that buyer: with anyone
  else's token (or none) it is not found (``NOT_FOUND``; the ``checkout`` query
  answers null). A guest's checkout is reached by its id alone (the id is a
  random UUID, as in Saleor). A completed checkout is gone for every step but
  ``checkoutComplete`` (which answers its order again).
* The basket is kept without an Oscar owner: Oscar's basket middleware merges
  every open basket of a signed-in user into the web shop's basket, which would
  empty the API checkout; the buyer is ``Checkout.user`` and is passed to the
  offers and to the order.
* Lines go through Oscar's basket (``add_product``) priced by the request's
  strategy (the shop's own, live prices included). A line's quantity must be
  1 … ``MAX_LINE_QUANTITY`` (``ZERO_QUANTITY`` / ``QUANTITY_GREATER_THAN_LIMIT``)
  and the product's total in the checkout must be permitted by its availability
  (``is_purchase_permitted``, the one inventory's online stock) — else
  ``INSUFFICIENT_STOCK`` naming the variant. A product with no price or no
  stock record is ``UNAVAILABLE_VARIANT_IN_CHANNEL``; an unknown or hidden one
  ``NOT_FOUND``. Setting a quantity to 0 deletes the line.
* Offers and vouchers apply with Oscar's ``Applicator`` each time the checkout
  is read, as the basket middleware does for the web shop. A promo code is an
  Oscar voucher code: unknown → ``INVALID``; expired, inactive, not for this
  buyer, or giving no discount to this basket → ``VOUCHER_NOT_APPLICABLE``
  (the same checks as Oscar's ``VoucherAddView``).
* Delivery: ``ShippingMethod:delivery`` (home delivery, from
  ``shop.shipping.repository`` for the shipping address's province, with
  shipping offers applied) or ``Warehouse:<sales point pk>`` (collect at a
  point that has everything the basket needs: ``collect_options``). A method
  that is not available now is ``INVALID_SHIPPING_METHOD``; delivery without a
  shipping address is ``SHIPPING_ADDRESS_NOT_SET``.
"""

import uuid
from decimal import Decimal

from django.utils.translation import gettext as _
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.core.loading import get_class, get_model

from shop.core.numbers import is_digits
from shop.graphql.core.errors import InputError
from shop.graphql.core.ids import InvalidId, from_global_id, pk_of, to_global_id
from shop.graphql.models import Checkout
from shop.graphql.product.lookups import variant_from_global_id
from shop.order.utils import COLLECT_PREFIX
from shop.payment import methods as payment_methods
from shop.payment.models import OrderPayment
from shop.shipping.repository import Repository, collect_options

from . import addresses

Basket = get_model("basket", "Basket")
Voucher = get_model("voucher", "Voucher")
ShippingAddress = get_model("order", "ShippingAddress")
Applicator = get_class("offer.applicator", "Applicator")

DELIVERY = "delivery"
MAX_LINE_QUANTITY = 50  # Saleor's default MAX_CHECKOUT_LINE_QUANTITY
GATEWAYS = {  # Saleor gateway id → the shop's payment method
    "ocop.cod": OrderPayment.Method.COD,
    "ocop.vietqr": OrderPayment.Method.VIETQR,
}


def checkout_id(checkout):
    return to_global_id("Checkout", checkout.token)


def line_id(line):
    return to_global_id("CheckoutLine", line.pk)


def variant_id(product):
    return to_global_id("ProductVariant", product.pk)


# --- Finding a checkout ------------------------------------------------------------


def _token_of(global_id=None, token=None):
    if token is not None:
        return str(token)
    if global_id is None:
        return None
    try:
        type_name, value = from_global_id(global_id)
        if type_name != "Checkout":
            return None
        return str(uuid.UUID(value))
    except (InvalidId, ValueError):
        return None


def _visible(checkout, user):
    if checkout.user_id is None:
        return True
    return bool(user is not None and user.is_authenticated and user.pk == checkout.user_id)


def find(info, global_id=None, token=None, for_update=False, completed=False):
    """The buyer's checkout named by ``global_id``/``token``, or None (not theirs, unknown)."""
    value = _token_of(global_id, token)
    if value is None:
        return None
    rows = Checkout.objects.select_related("basket", "user")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    checkout = rows.filter(token=value).first()
    if checkout is None or not _visible(checkout, info.context.user):
        return None
    if checkout.order_id is not None and not completed:
        return None
    return checkout


def get(info, global_id=None, token=None, checkout_id_arg=None, for_update=False):
    """As :func:`find` for a mutation: InputError ``NOT_FOUND`` (or ``REQUIRED``) when absent."""
    global_id = global_id if global_id is not None else checkout_id_arg
    if global_id is None and token is None:
        raise InputError("id", "REQUIRED", _("Hãy cho biết mã giỏ thanh toán (`id`)."))
    checkout = find(info, global_id, token, for_update=for_update)
    if checkout is None:
        raise InputError("id", "NOT_FOUND", _("Không tìm thấy giỏ thanh toán này."))
    return checkout


# --- The basket, priced -------------------------------------------------------------


def _user(info):
    user = info.context.user
    return user if user is not None and user.is_authenticated else None


def buyer(info, checkout):
    """Who the offers and vouchers are for: the checkout's owner, else the request's
    user (Oscar's AnonymousUser for a guest, as Oscar's views pass ``request.user``)."""
    return checkout.user or info.context.user


def basket_of(info, checkout, refresh=False):
    """The checkout's basket with the request's strategy, its lines and offers applied.

    Cached on the checkout for the request; ``refresh`` re-reads it after a change.
    """
    basket = getattr(checkout, "_priced_basket", None)
    if basket is not None and not refresh:
        return basket
    basket = Basket.objects.get(pk=checkout.basket_id) if refresh else checkout.basket
    basket.strategy = info.context.ocop.strategy
    basket.reset_offer_applications()  # (this also forgets Oscar's cached lines)
    lines = basket.lines.select_related(
        "product__product_class", "product__parent__product_class", "stockrecord",
    ).prefetch_related("attributes", "product__images", "product__stockrecords").order_by("pk")
    list(lines)  # evaluated once: Oscar's all_lines() keeps this queryset and its rows
    basket._lines = lines
    if not basket.is_empty:
        Applicator().apply(basket, buyer(info, checkout), info.context)
    checkout.basket = basket
    checkout._priced_basket = basket
    checkout._delivery = None
    info.context.ocop.register("product", [line.product_id for line in basket._lines])
    return basket


def changed(info, checkout):
    """Re-read the basket after its lines or vouchers changed; remember the change."""
    checkout.save(update_fields=["last_change"])
    return basket_of(info, checkout, refresh=True)


# --- Lines ---------------------------------------------------------------------------


def _variant(global_id):
    product = variant_from_global_id(global_id) if global_id else None
    if product is None:
        raise InputError("variantId", "NOT_FOUND", _("Không tìm thấy sản phẩm này."),
                         variants=[global_id] if global_id else None)
    return product


def _check_quantity(quantity, gid, field="quantity", allow_zero=False):
    if quantity is None:
        raise InputError(field, "REQUIRED", _("Hãy cho biết số lượng."), variants=[gid])
    if quantity < 0:
        raise InputError(field, "INVALID", _("Số lượng không được âm."), variants=[gid])
    if quantity == 0 and not allow_zero:
        raise InputError(field, "ZERO_QUANTITY", _("Số lượng phải lớn hơn 0."), variants=[gid])
    if quantity > MAX_LINE_QUANTITY:
        raise InputError(field, "QUANTITY_GREATER_THAN_LIMIT",
                         _("Mỗi dòng được mua tối đa %(n)s sản phẩm.") % {"n": MAX_LINE_QUANTITY},
                         variants=[gid])


def _check_purchasable(info, product, total):
    """The product may be bought ``total`` times (the whole checkout's quantity of it)."""
    gid = variant_id(product)
    if total > MAX_LINE_QUANTITY:
        raise InputError("quantity", "QUANTITY_GREATER_THAN_LIMIT",
                         _("Mỗi dòng được mua tối đa %(n)s sản phẩm.") % {"n": MAX_LINE_QUANTITY},
                         variants=[gid])
    purchase = info.context.ocop.strategy.fetch_for_product(product)
    if purchase.stockrecord is None or not purchase.price.exists:
        raise InputError("variantId", "UNAVAILABLE_VARIANT_IN_CHANNEL",
                         _("Sản phẩm %(name)s hiện không bán trực tuyến.") % {"name": product.get_title()},
                         variants=[gid])
    permitted, _reason = purchase.availability.is_purchase_permitted(total)
    if not permitted:
        raise InputError("quantity", "INSUFFICIENT_STOCK",
                         _("Không đủ hàng: %(name)s chỉ còn %(n)s.") % {
                             "name": product.get_title(),
                             "n": max(0, int(getattr(purchase.availability, "num_available", 0) or 0))},
                         variants=[gid])


NOT_AVAILABLE, INSUFFICIENT = "not-available", "insufficient-stock"


def line_problem(info, basket, line):
    """``(NOT_AVAILABLE, None)``, ``(INSUFFICIENT, units left)`` or None for a line now
    (the same rules as adding it: ``_check_purchasable``)."""
    purchase = info.context.ocop.strategy.fetch_for_product(line.product)
    if purchase.stockrecord is None or not purchase.price.exists:
        return NOT_AVAILABLE, None
    total = _quantities(basket).get(line.product_id, line.quantity) if basket is not None else line.quantity
    permitted, _reason = purchase.availability.is_purchase_permitted(total)
    if not permitted:
        return INSUFFICIENT, max(0, int(getattr(purchase.availability, "num_available", 0) or 0))
    return None


def _quantities(basket):
    result = {}
    for line in basket.all_lines():
        result[line.product_id] = result.get(line.product_id, 0) + line.quantity
    return result


def add_lines(info, checkout, lines):
    """Add ``[{variant_id, quantity}, ...]`` (quantities of the same variant add up)."""
    basket = basket_of(info, checkout)
    wanted = []
    for item in lines:
        gid = item.get("variant_id")
        product = _variant(gid)
        _check_quantity(item.get("quantity"), gid)
        wanted.append((product, item["quantity"]))
    totals = _quantities(basket)
    for product, quantity in wanted:
        totals[product.pk] = totals.get(product.pk, 0) + quantity
        _check_purchasable(info, product, totals[product.pk])
    for product, quantity in wanted:
        basket.add_product(product, quantity)
    return changed(info, checkout)


def update_lines(info, checkout, lines):
    """Set quantities of lines named by ``lineId`` (or by ``variantId``); 0 deletes the line."""
    basket = basket_of(info, checkout)
    by_pk = {line.pk: line for line in basket.all_lines()}
    totals = _quantities(basket)
    changes = []
    for item in lines:
        quantity = item.get("quantity")
        if item.get("line_id"):
            try:
                line = by_pk.get(pk_of(item["line_id"], "CheckoutLine"))
            except InvalidId:
                line = None
            if line is None:
                raise InputError("lineId", "NOT_FOUND", _("Giỏ không có dòng này."),
                                 lines=[item["line_id"]])
            product = line.product
        elif item.get("variant_id"):
            product = _variant(item["variant_id"])
            line = next((row for row in by_pk.values() if row.product_id == product.pk), None)
        else:
            raise InputError("lineId", "REQUIRED", _("Hãy cho biết dòng cần sửa (`lineId`)."))
        if quantity is None:
            continue  # Saleor's price-only update: prices are the shop's, nothing to change
        gid = variant_id(product)
        _check_quantity(quantity, gid, allow_zero=True)
        before = line.quantity if line is not None else 0
        totals[product.pk] = totals.get(product.pk, 0) - before + quantity
        if quantity:
            _check_purchasable(info, product, totals[product.pk])
        changes.append((line, product, quantity))
    for line, product, quantity in changes:
        if line is None:
            if quantity:
                basket.add_product(product, quantity)
        elif quantity == 0:
            line.delete()
        else:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
    return changed(info, checkout)


def delete_lines(info, checkout, line_ids):
    basket = basket_of(info, checkout)
    by_pk = {line.pk: line for line in basket.all_lines()}
    doomed = []
    for gid in line_ids:
        try:
            line = by_pk.get(pk_of(gid, "CheckoutLine"))
        except InvalidId:
            line = None
        if line is None:
            raise InputError("linesIds", "NOT_FOUND", _("Giỏ không có dòng này."), lines=[gid])
        doomed.append(line)
    for line in doomed:
        line.delete()
    return changed(info, checkout)


# --- Contact and addresses -------------------------------------------------------------


def set_email(checkout, email, field="email"):
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or "").strip()
    if not email:
        raise InputError(field, "REQUIRED", _("Hãy nhập email."))
    try:
        validate_email(email)
    except ValidationError:
        raise InputError(field, "INVALID", _("Email không hợp lệ.")) from None
    if len(email) > 254:
        raise InputError(field, "INVALID", _("Email không hợp lệ."))
    checkout.email = email.lower()


MAX_NOTE_LENGTH = 500  # as the web checkout's delivery notes


def set_note(checkout, note):
    """The buyer's note (delivery notes on the order's address, as on the web)."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InputError("customerNote", "INVALID",
                         _("Ghi chú tối đa %(n)s ký tự.") % {"n": MAX_NOTE_LENGTH})
    checkout.note = note
    checkout.save()


def set_shipping_address(info, checkout, data):
    checkout.shipping_address = addresses.clean(data, addresses.SHIPPING, "shippingAddress")
    # the delivery may no longer reach the new address: chosen again at completion
    checkout.save()
    checkout._delivery = None


def set_billing_address(checkout, data):
    checkout.billing_address = addresses.clean(data, addresses.BILLING, "billingAddress")
    checkout.save()


# --- Delivery ----------------------------------------------------------------------------


def shipping_address_model(checkout):
    """An unsaved Oscar ``ShippingAddress`` of the checkout's shipping address (or None)."""
    from phonenumber_field.phonenumber import PhoneNumber

    fields = checkout.shipping_address
    if not fields:
        return None
    values = {k: v for k, v in fields.items() if k not in ("country_id", "phone_number")}
    address = ShippingAddress(country_id="VN", **values)
    if fields.get("phone_number"):
        address.phone_number = PhoneNumber.from_string(fields["phone_number"], region="VN")
    return address


class Delivery:
    """What a checkout may be delivered by now: home delivery methods and collect points."""

    def __init__(self, info, checkout):
        basket = basket_of(info, checkout)
        self.basket = basket
        address = shipping_address_model(checkout)
        if address is not None and not basket.is_empty:
            methods = Repository().get_shipping_methods(
                basket, shipping_addr=address, user=buyer(info, checkout), request=info.context)
        else:
            methods = []
        self.methods = [m for m in methods if not m.code.startswith(COLLECT_PREFIX)]
        self.points = collect_options(basket) if not basket.is_empty else []

    def method(self, code):
        for method in self.methods:
            if method.code == code:
                return method
        for option in self.points:
            if option.code == code and option.can_serve:
                return option
        return None

    def point(self, code):
        return next((o for o in self.points if o.code == code), None)


def delivery(info, checkout):
    if getattr(checkout, "_delivery", None) is None:
        checkout._delivery = Delivery(info, checkout)
    return checkout._delivery


def set_delivery_method(info, checkout, global_id):
    if not global_id:
        raise InputError("deliveryMethodId", "REQUIRED", _("Hãy chọn cách nhận hàng."))
    try:
        type_name, value = from_global_id(global_id)
    except InvalidId:
        type_name, value = None, None
    options = delivery(info, checkout)
    if type_name == "ShippingMethod" and value == DELIVERY:
        if not checkout.shipping_address:
            raise InputError("deliveryMethodId", "SHIPPING_ADDRESS_NOT_SET",
                             _("Hãy nhập địa chỉ nhận hàng trước khi chọn giao hàng."))
        if options.method(DELIVERY) is None:
            raise InputError("deliveryMethodId", "INVALID_SHIPPING_METHOD",
                             _("Chưa giao được tới địa chỉ này; hãy chọn nhận tại điểm bán."))
        checkout.delivery_method = DELIVERY
    elif type_name == "Warehouse" and is_digits(value or ""):
        option = next((o for o in options.points if o.location.pk == int(value)), None)
        if option is None:
            raise InputError("deliveryMethodId", "NOT_FOUND", _("Không có điểm bán này."))
        if not option.can_serve:
            raise InputError("deliveryMethodId", "INVALID_SHIPPING_METHOD",
                             _("%(point)s không đủ hàng cho giỏ này (%(missing)s).") % {
                                 "point": option.location.name,
                                 "missing": "; ".join(str(s) for s in option.shortages)})
        checkout.delivery_method = option.code
    else:
        raise InputError("deliveryMethodId", "INVALID_SHIPPING_METHOD",
                         _("Cách nhận hàng này không chọn được. Hãy chọn lại."))
    checkout.save()


def chosen_method(info, checkout):
    """The chosen Oscar shipping method if it is still available, else None."""
    if not checkout.delivery_method:
        return None
    return delivery(info, checkout).method(checkout.delivery_method)


def shipping_charge(info, checkout):
    method = chosen_method(info, checkout)
    if method is None:
        return Decimal(0)
    return method.calculate(basket_of(info, checkout)).incl_tax


def total(info, checkout):
    """The Oscar order total (incl. tax) of the checkout, shipping included."""
    basket = basket_of(info, checkout)
    method = chosen_method(info, checkout)
    from oscar.core import prices

    charge = method.calculate(basket) if method is not None else prices.Price(
        currency=basket.currency or "VND", excl_tax=Decimal(0), incl_tax=Decimal(0))
    result = OrderTotalCalculator().calculate(basket, charge)
    if result.incl_tax is None:  # an empty basket's tax is "unknown" to Oscar: nothing to pay
        result = prices.Price(currency=result.currency, excl_tax=result.excl_tax,
                              incl_tax=result.excl_tax)
    return result


def gateways(info, checkout):
    """Saleor payment gateways for the checkout: cash on delivery and VietQR (never card:
    Stripe needs Saleor's transaction flow, which this API does not offer)."""
    amount = total(info, checkout).incl_tax or Decimal(0)
    result = []
    for choice in payment_methods.choices(amount):
        for gateway, code in GATEWAYS.items():
            if choice.code == code and choice.enabled:
                result.append((gateway, str(choice.label)))
    return result


# --- Vouchers --------------------------------------------------------------------------------


def add_promo_code(info, checkout, code):
    code = (code or "").strip()
    basket = basket_of(info, checkout)
    user = buyer(info, checkout)
    if not code:
        raise InputError("promoCode", "REQUIRED", _("Hãy nhập mã giảm giá."))
    voucher = Voucher._default_manager.filter(code__iexact=code).first()
    if voucher is None:
        raise InputError("promoCode", "INVALID", _("Mã giảm giá không hợp lệ."))
    if basket.vouchers.filter(pk=voucher.pk).exists():
        return basket
    if voucher.is_expired() or not voucher.is_active():
        raise InputError("promoCode", "VOUCHER_NOT_APPLICABLE",
                         _("Mã giảm giá %(code)s đã hết hạn hoặc chưa có hiệu lực.") % {"code": voucher.code})
    available, message = voucher.is_available_to_user(user)
    if not available:
        raise InputError("promoCode", "VOUCHER_NOT_APPLICABLE", str(message))
    basket.vouchers.add(voucher)
    basket = changed(info, checkout)
    if not any(a["voucher"] and a["voucher"].pk == voucher.pk for a in basket.offer_applications):
        raise InputError("promoCode", "VOUCHER_NOT_APPLICABLE",
                         _("Giỏ hàng chưa đủ điều kiện dùng mã giảm giá %(code)s.") % {"code": voucher.code})
    return basket


def remove_promo_code(info, checkout, code=None, code_id=None):
    basket = basket_of(info, checkout)
    if code_id:
        try:
            pk = pk_of(code_id, "Voucher")
        except InvalidId:
            raise InputError("promoCodeId", "NOT_FOUND", _("Không tìm thấy mã giảm giá này.")) from None
        vouchers = basket.vouchers.filter(pk=pk)
    elif code:
        vouchers = basket.vouchers.filter(code__iexact=code.strip())
    else:
        raise InputError("promoCode", "REQUIRED", _("Hãy cho biết mã giảm giá cần bỏ."))
    for voucher in list(vouchers):
        basket.vouchers.remove(voucher)
    return changed(info, checkout)


# --- Creating ---------------------------------------------------------------------------------


def create(info, data):
    from shop.graphql.channel import channels
    from shop.graphql.core.enums import language_of

    slug = data.get("channel")
    if slug and not channels.exists(slug):
        raise InputError("channel", "NOT_FOUND", _("Không có kênh bán có slug '%(slug)s'.") % {"slug": slug})
    user = _user(info)
    checkout = Checkout(user=user, channel=channels.default_channel().slug,
                        language_code=language_of(data.get("language_code")))
    if data.get("email"):
        set_email(checkout, data["email"])
    elif user is not None and user.email:
        checkout.email = user.email
    if data.get("shipping_address") is not None:
        checkout.shipping_address = addresses.clean(
            data["shipping_address"], addresses.SHIPPING, "shippingAddress")
    if data.get("billing_address") is not None:
        checkout.billing_address = addresses.clean(
            data["billing_address"], addresses.BILLING, "billingAddress")
    checkout.basket = Basket.objects.create(owner=None)
    checkout.save()
    basket_of(info, checkout)
    if data.get("lines"):
        add_lines(info, checkout, data["lines"])
    return checkout
