"""``checkoutComplete``: the checkout becomes an Oscar order, placed as the web checkout places it.

Rules:

* Needed first (Saleor's codes): lines (``NO_LINES``), an email
  (``EMAIL_NOT_SET``), a billing address with the buyer's name and phone
  (``BILLING_ADDRESS_NOT_SET``: it is the contact the shop calls, and the
  contact for collecting at a sales point), a delivery method
  (``SHIPPING_METHOD_NOT_SET``) still available for the basket and address
  (``INVALID_SHIPPING_METHOD``), and for home delivery a shipping address
  (``SHIPPING_ADDRESS_NOT_SET``). Collecting at a point needs no shipping
  address: the order's address is then the billing contact's name and phone,
  as the web checkout's "collect" form keeps it.
* Which gateway pays: Saleor's ``paymentData`` JSON string
  ``{"gateway": "ocop.cod" | "ocop.vietqr"}`` (cash on delivery when absent);
  another gateway, or one not allowed for this total, is ``PAYMENT_ERROR``.
* Placement is the web checkout's: ``shop.order.utils.OrderCreator`` (revenue
  shares, the strategy's live-price follow-up, stock allocated in the one
  inventory with the rows locked, at the collect point when collecting), the
  payment opened by ``shop.payment.payments.open_payment``, the basket
  submitted, Oscar's ``order_placed`` signal (sent by the creator) and the
  order confirmation email queued as the web checkout queues it
  (``shop.checkout.tasks``, sent once the order is committed). A line
  the inventory cannot serve is ``INSUFFICIENT_STOCK`` and nothing is written
  (the mutation's savepoint).
* The checkout row is locked while completing; a completed checkout is not
  completed again: ``checkoutComplete`` on it answers the same order (as Saleor
  answers for a checkout already turned into an order), every other step
  answers ``NOT_FOUND``.
* ``confirmationNeeded`` is always false (the order exists when this answers).
  ``confirmationData`` carries ``{"gateway", "orderNumber", "orderStatusPath"}``
  and, for VietQR, ``"vietqr": {payload, bankName, bankAccount,
  bankAccountName, transferPurpose, amount, deadline, qrSvg}`` — what the
  shopper needs to pay by transfer (``shop.checkout.views.vietqr_context``).
* ``redirectUrl``, ``storeSource`` and ``metadata`` are accepted and ignored.
"""

import json

from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from phonenumber_field.phonenumber import PhoneNumber

from shop.checkout import tasks
from shop.graphql.core.errors import InputError
from shop.order.utils import InsufficientStockToPlaceOrder, OrderCreator, OrderNumberGenerator
from shop.payment import methods as payment_methods
from shop.payment import payments
from shop.payment.models import OrderPayment

from . import addresses, steps

Order = get_model("order", "Order")
BillingAddress = get_model("order", "BillingAddress")
ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")


def gateway_of(payment_data):
    """The shop's payment method code named by ``paymentData`` (COD by default)."""
    if payment_data in (None, "", {}):
        return OrderPayment.Method.COD
    data = payment_data
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            data = None
    if not isinstance(data, dict):
        raise InputError("paymentData", "INVALID",
                         _("`paymentData` phải là JSON dạng {\"gateway\": \"ocop.cod\"}."))
    gateway = data.get("gateway") or "ocop.cod"
    if gateway not in steps.GATEWAYS:
        raise InputError("paymentData", "PAYMENT_ERROR",
                         _("Cổng thanh toán '%(gateway)s' không dùng được; hãy chọn ocop.cod hoặc "
                           "ocop.vietqr.") % {"gateway": gateway})
    return steps.GATEWAYS[gateway]


def _country():
    Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704",
                  "printable_name": "Việt Nam", "name": "Việt Nam", "is_shipping_country": True},
    )


def _check(info, checkout):
    basket = steps.basket_of(info, checkout)
    if basket.is_empty:
        raise InputError("lines", "NO_LINES", _("Giỏ thanh toán chưa có sản phẩm nào."))
    if not checkout.email:
        raise InputError("email", "EMAIL_NOT_SET", _("Hãy nhập email để nhận xác nhận đơn hàng."))
    billing = checkout.billing_address or {}
    if not (addresses.full_name(billing) and billing.get("phone_number")):
        raise InputError("billingAddress", "BILLING_ADDRESS_NOT_SET",
                         _("Hãy nhập họ tên và số điện thoại người mua (địa chỉ thanh toán)."))
    if not checkout.delivery_method:
        raise InputError("deliveryMethodId", "SHIPPING_METHOD_NOT_SET", _("Hãy chọn cách nhận hàng."))
    collecting = checkout.delivery_method.startswith("collect-")
    if not collecting and not checkout.shipping_address:
        raise InputError("shippingAddress", "SHIPPING_ADDRESS_NOT_SET", _("Hãy nhập địa chỉ nhận hàng."))
    method = steps.chosen_method(info, checkout)
    if method is None:
        option = steps.delivery(info, checkout).point(checkout.delivery_method)
        if option is not None and option.shortages:
            message = _("%(point)s không đủ hàng cho giỏ này (%(missing)s).") % {
                "point": option.location.name, "missing": "; ".join(str(s) for s in option.shortages)}
        else:
            message = _("Cách nhận hàng đã chọn không còn dùng được; hãy chọn lại.")
        raise InputError("deliveryMethodId", "INVALID_SHIPPING_METHOD", message)
    for product_id, quantity in steps._quantities(basket).items():
        line = next(item for item in basket.all_lines() if item.product_id == product_id)
        steps._check_purchasable(info, line.product, quantity)
    return basket, method, collecting


def _addresses(checkout, collecting):
    _country()
    billing_fields = checkout.billing_address
    if collecting:
        # the web checkout's "collect" address: the contact's name and phone only
        fields = {"first_name": billing_fields.get("first_name", ""),
                  "last_name": billing_fields.get("last_name", ""),
                  "phone_number": billing_fields.get("phone_number", "")}
    else:
        fields = dict(checkout.shipping_address)
    shipping = ShippingAddress(
        country_id="VN", notes=checkout.note or "",
        **{k: v for k, v in fields.items() if k not in ("country_id", "phone_number")})
    if fields.get("phone_number"):
        shipping.phone_number = PhoneNumber.from_string(fields["phone_number"], region="VN")
    billing = BillingAddress(
        country_id="VN",
        **{k: v for k, v in billing_fields.items() if k not in ("country_id", "phone_number")})
    return shipping, billing


def _update_address_book(user, address):
    """As Oscar's ``OrderPlacementMixin.update_address_book``."""
    try:
        user_address = user.addresses.get(hash=address.generate_hash())
    except UserAddress.DoesNotExist:
        user_address = UserAddress(user=user)
        address.populate_alternative_model(user_address)
    if isinstance(address, ShippingAddress):
        user_address.num_orders_as_shipping_address += 1
    if isinstance(address, BillingAddress):
        user_address.num_orders_as_billing_address += 1
    user_address.save()


def _refused_variants(basket, error):
    """The variant(s) of the basket line the inventory could not serve."""
    stockrecord = getattr(error, "stockrecord", None)
    combo = getattr(error, "combo", None)
    lines = list(basket.all_lines())
    named = [line for line in lines if stockrecord is not None and line.stockrecord_id == stockrecord.pk]
    if not named and combo is not None:
        combo_pk = getattr(combo, "pk", combo)
        named = [line for line in lines if line.product_id == combo_pk]
    return [steps.variant_id(line.product) for line in (named or lines)]


def confirmation_data(order, code):
    from shop.checkout.views import order_status_url, vietqr_context

    gateway = next(g for g, c in steps.GATEWAYS.items() if c == code)
    data = {"gateway": gateway, "orderNumber": str(order.number), "orderStatusPath": order_status_url(order)}
    if code == OrderPayment.Method.VIETQR:
        ctx = vietqr_context(order)
        data["vietqr"] = {
            "payload": ctx["vietqr_payload"], "bankName": str(ctx["bank_name"]),
            "bankAccount": str(ctx["bank_account"]), "bankAccountName": str(ctx["bank_account_name"]),
            "transferPurpose": ctx["transfer_purpose"], "amount": str(order.total_incl_tax),
            "currency": order.currency, "deadline": ctx["vietqr_deadline"].isoformat(),
            "qrSvg": ctx["vietqr_svg"],
        }
    return data


def complete(info, global_id=None, token=None, payment_data=None):
    """``(order, confirmation data)``; raises InputError (nothing written)."""
    value = steps._token_of(global_id, token)
    if value is None and global_id is None and token is None:
        raise InputError("id", "REQUIRED", _("Hãy cho biết mã giỏ thanh toán (`id`)."))
    checkout = steps.find(info, global_id, token, for_update=True, completed=True)
    if checkout is None:
        raise InputError("id", "NOT_FOUND", _("Không tìm thấy giỏ thanh toán này."))
    if checkout.order_id is not None:
        order = checkout.order
        payment = OrderPayment.objects.filter(order=order).first()
        return order, confirmation_data(order, payment.method if payment else OrderPayment.Method.COD)
    code = gateway_of(payment_data)
    basket, method, collecting = _check(info, checkout)
    total = steps.total(info, checkout)
    try:
        payment_methods.check(code, total.incl_tax)
    except ValueError as error:
        raise InputError("paymentData", "PAYMENT_ERROR", str(error)) from None
    user = checkout.user or steps._user(info)
    shipping, billing = _addresses(checkout, collecting)
    shipping.save()
    billing.save()
    if user is not None and not collecting:
        _update_address_book(user, shipping)
    charge = method.calculate(basket)
    kwargs = {}
    if user is None:
        kwargs["guest_email"] = checkout.email
    try:
        order = OrderCreator().place_order(
            basket, total, method, charge, user=user or info.context.user, shipping_address=shipping,
            billing_address=billing, order_number=OrderNumberGenerator().order_number(basket),
            status=payments.initial_order_status(code), request=info.context,
            collect_location=method.location if collecting else None, **kwargs,
        )
    except InsufficientStockToPlaceOrder as error:
        raise InputError("lines", "INSUFFICIENT_STOCK", str(error),
                         variants=_refused_variants(basket, error.error)) from None
    except (UnableToPlaceOrder, ValueError) as error:
        raise InputError("id", "INVALID", str(error)) from None
    payments.open_payment(order, code)
    basket.submit()
    checkout.order = order
    checkout.save(update_fields=["order", "last_change"])
    # Oscar's confirmation email, as the web checkout sends it: once the order is committed
    tasks.queue_order_placed_email(order, info.context)
    return order, confirmation_data(order, code)
