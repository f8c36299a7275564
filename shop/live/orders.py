"""A confirmed comment hold becomes an Oscar order, through the same placement as the checkout.

The seller has called the buyer and confirmed name, phone and address (or a
collect point) and how they pay. :func:`confirm` then, in one transaction:
builds a basket priced by the hold (its live price if it got one: the cap was
already consumed when the hold was made), places the order with the shop's
``OrderCreator`` (revenue shares, attribution to the seller and session), hands
the hold's allocated units to the order line (they never go back on the shelf
in between), opens the payment (cash on delivery, or a VietQR transfer whose
page the seller sends the buyer) and marks the hold confirmed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderNumberGenerator
from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from shop.checkout.views import order_status_url
from shop.live import placement, pricing
from shop.live.models import Hold
from shop.order.utils import OrderCreator
from shop.payment import payments
from shop.shipping.methods import CollectAt
from shop.shipping.repository import Repository
from showroom import inventory


class HoldStrategy(oscar_strategy.Default):
    """Prices the hold's product at the hold's unit price (a live price already counted)."""

    def __init__(self, hold):
        super().__init__(None)
        self.hold = hold
        self.visit = None

    def fetch_for_product(self, product, stockrecord=None):
        info = super().fetch_for_product(product, stockrecord)
        if product.pk != self.hold.offer.product_id or not info.price.exists:
            return info
        if self.hold.live_priced:
            price = pricing.LivePrice(
                currency=info.price.currency, excl_tax=self.hold.unit_price, tax=info.price.tax * 0,
                offer=self.hold.offer, list_price=info.price.incl_tax, prepaid=True,
            )
        else:
            price = type(info.price)(
                currency=info.price.currency, excl_tax=self.hold.unit_price, tax=info.price.tax * 0,
            )
        return info._replace(price=price)

    def fetch_for_line(self, line, stockrecord=None):
        return self.fetch_for_product(line.product, stockrecord)

    def on_line_placed(self, order_line, basket_line):
        placement.line_placed(self, order_line, basket_line)
        inventory.hand_hold_to_line(self.hold.reference, order_line)


def _country():
    Country = get_model("address", "Country")
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704",
                  "printable_name": "Việt Nam", "name": "Việt Nam", "is_shipping_country": True},
    )
    return country


def confirm(hold, address_fields, method, collect_location=None, user=None):
    """Turn ``hold`` into an order; returns ``(order, payment page path)``.

    ``address_fields`` are Oscar ShippingAddress fields (``DeliveryAddressForm``);
    ``method`` is ``cod`` or ``vietqr``. Refusals raise ValidationError; nothing is
    written then.
    """
    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    OrderPayment = get_model("payment", "OrderPayment")
    if method not in (OrderPayment.Method.COD, OrderPayment.Method.VIETQR):
        raise ValidationError(_("Hãy chọn thanh toán khi nhận hàng hoặc chuyển khoản VietQR."))
    with transaction.atomic():
        locked = Hold.objects.select_for_update().select_related(
            "offer__product", "session"
        ).get(pk=hold.pk)
        if locked.status != Hold.Status.OPEN:
            raise ValidationError(
                _("Giữ hàng này đã %(status)s; không tạo đơn được.")
                % {"status": locked.get_status_display().lower()},
                code="state",
            )
        basket = Basket.objects.create(owner=None)
        basket.strategy = HoldStrategy(locked)
        product = locked.offer.product
        basket.add_product(product, locked.quantity)
        basket.reset_offer_applications()
        fields = dict(address_fields)
        fields["phone_number"] = PhoneNumber.from_string(str(fields["phone_number"]), region="VN")
        fields.pop("country_id", None)
        address = ShippingAddress(country=_country(), **fields)
        if collect_location is not None:
            shipping_method = CollectAt(collect_location)
        else:
            methods = [
                m for m in Repository().get_available_shipping_methods(basket, address)
                if m.code == "delivery"
            ]
            if not methods:
                raise ValidationError(_("Chưa giao hàng tới địa chỉ này; hãy chọn nhận tại điểm bán."))
            shipping_method = methods[0]
        charge = shipping_method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        address.save()
        try:
            order = OrderCreator().place_order(
                basket, total, shipping_method, charge, user=None,
                shipping_address=address, order_number=OrderNumberGenerator().order_number(basket),
                status=payments.initial_order_status(method), collect_location=collect_location,
            )
        except UnableToPlaceOrder as error:
            raise ValidationError(str(error)) from error
        payments.open_payment(order, method)
        basket.submit()
        locked.status, locked.order = Hold.Status.CONFIRMED, order
        locked.save(update_fields=["status", "order", "updated_at"])
        if locked.comment_id:
            locked.comment.handled = True
            locked.comment.save(update_fields=["handled"])
    hold.status, hold.order = locked.status, order
    return order, order_status_url(order)


