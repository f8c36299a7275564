"""Saleor's ``Order`` and ``OrderLine`` over Oscar's ``order.Order`` and ``order.Line``.

The roots are Oscar rows loaded by ``shop.graphql.order.rules.orders_queryset``
(addresses, payment, API checkout and user joined; lines with their products and
photos, and discounts prefetched), so a page of orders with their lines costs a
fixed number of queries. What the fields mean, who may see an order and how its
states map onto Saleor's are the rules of ``shop.graphql.order.rules``.

Prices: Oscar keeps each line's unit and line prices before and after discounts,
incl. and excl. VAT; shelf prices include VAT, so ``gross`` is the incl. tax
amount and ``net`` the excl. tax one.
"""

from decimal import Decimal

import graphene
from django.utils.translation import gettext as _

from shop.graphql.core.connection import CountableConnection
from shop.graphql.core.enums import LanguageCodeEnum, ThumbnailFormatEnum
from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.money import Money, TaxedMoney
from shop.graphql.core.types import Address, ModelNode, Node

from . import rules
from .addresses import address_dict


class OrderStatus(graphene.Enum):
    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"
    EXPIRED = "expired"


class PaymentChargeStatusEnum(graphene.Enum):
    NOT_CHARGED = "not-charged"
    PENDING = "pending"
    PARTIALLY_CHARGED = "partially-charged"
    FULLY_CHARGED = "fully-charged"
    PARTIALLY_REFUNDED = "partially-refunded"
    FULLY_REFUNDED = "fully-refunded"
    REFUSED = "refused"
    CANCELLED = "cancelled"


class OrderAuthorizeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class OrderChargeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"


class OrderOriginEnum(graphene.Enum):
    CHECKOUT = "checkout"
    DRAFT = "draft"
    REISSUE = "reissue"
    BULK_CREATE = "bulk_create"


def _image_type():
    from shop.graphql.product.types import Image

    return Image


def _variant_type():
    from shop.graphql.product.types import ProductVariant

    return ProductVariant


def _channel_type():
    from shop.graphql.channel.types import Channel

    return Channel


def _money(amount):
    return Money.of(amount if amount is not None else Decimal(0))


def _taxed(gross, net):
    gross = gross if gross is not None else Decimal(0)
    return TaxedMoney.of(gross, net if net is not None else gross)


def _rate(gross, net):
    gross, net = Decimal(gross or 0), Decimal(net or 0)
    return float(((gross - net) / net).quantize(Decimal("0.0001"))) if net else 0.0


class OrderLine(ModelNode, MetadataMixin, graphene.ObjectType):
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_to_fulfill = graphene.Int(required=True)
    tax_rate = graphene.Float(required=True)
    thumbnail = graphene.Field(lambda: _image_type(), size=graphene.Int(),
                               format=graphene.Argument(ThumbnailFormatEnum, default_value="original"))
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    unit_discount = graphene.Field(Money, required=True)
    unit_discount_reason = graphene.String()
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(TaxedMoney, required=True)
    is_price_overridden = graphene.Boolean()
    variant = graphene.Field(lambda: _variant_type())
    translated_product_name = graphene.String(required=True)
    translated_variant_name = graphene.String(required=True)
    voucher_code = graphene.String()
    is_gift = graphene.Boolean()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_product_name(root, info):
        product = root.product
        if product is not None and product.is_child and product.parent is not None:
            return product.parent.get_title()
        return root.title

    @staticmethod
    def resolve_variant_name(root, info):
        product = root.product
        return root.title if product is not None and product.is_child else ""

    resolve_translated_product_name = resolve_product_name
    resolve_translated_variant_name = resolve_variant_name

    @staticmethod
    def resolve_product_sku(root, info):
        return root.partner_sku or root.upc or None

    @staticmethod
    def resolve_product_variant_id(root, info):
        return to_global_id("ProductVariant", root.product_id) if root.product_id else None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return not rules.is_collect(root.order)

    @staticmethod
    def resolve_quantity_fulfilled(root, info):
        return root.quantity if rules.order_status(root.order) == "FULFILLED" else 0

    @staticmethod
    def resolve_quantity_to_fulfill(root, info):
        status = rules.order_status(root.order)
        return 0 if status in ("FULFILLED", "CANCELED") else root.quantity

    @staticmethod
    def resolve_tax_rate(root, info):
        return _rate(root.unit_price_incl_tax, root.unit_price_excl_tax)

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format=None):
        from shop.graphql.product.types import Image, image_url

        product = root.product
        if product is None:
            return None
        image = product.primary_image()
        original = getattr(image, "original", None)
        if not original or isinstance(image, dict):
            return None
        return Image(url=image_url(info, original, size), alt=getattr(image, "caption", "") or root.title)

    @staticmethod
    def resolve_unit_price(root, info):
        return _taxed(root.unit_price_incl_tax, root.unit_price_excl_tax)

    @staticmethod
    def _undiscounted_unit(root):
        quantity = root.quantity or 1
        gross = Decimal(root.line_price_before_discounts_incl_tax or 0) / quantity
        net = Decimal(root.line_price_before_discounts_excl_tax or 0) / quantity
        return gross, net

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return _taxed(*OrderLine._undiscounted_unit(root))

    @staticmethod
    def resolve_unit_discount(root, info):
        gross, _net = OrderLine._undiscounted_unit(root)
        return _money(max(gross - Decimal(root.unit_price_incl_tax or 0), Decimal(0)))

    @staticmethod
    def resolve_unit_discount_reason(root, info):
        return None

    @staticmethod
    def resolve_total_price(root, info):
        return _taxed(root.line_price_incl_tax, root.line_price_excl_tax)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return _taxed(root.line_price_before_discounts_incl_tax, root.line_price_before_discounts_excl_tax)

    @staticmethod
    def resolve_is_price_overridden(root, info):
        return False

    @staticmethod
    def resolve_variant(root, info):
        return root.product

    @staticmethod
    def resolve_voucher_code(root, info):
        return None

    @staticmethod
    def resolve_is_gift(root, info):
        return False


def _lines(order):
    lines = list(order.lines.all())
    for line in lines:  # the order is known: no query per line for ``line.order``
        line.order = order
    return lines


def _discounts(order):
    return list(order.discounts.all())


class Order(ModelNode, MetadataMixin, graphene.ObjectType):
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    # a dotted path: the account area imports this one, not the other way round
    user = graphene.Field("shop.graphql.account.types.User")
    tracking_client_id = graphene.String(required=True)
    billing_address = graphene.Field(Address)
    shipping_address = graphene.Field(Address)
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    channel = graphene.Field(lambda: _channel_type(), required=True)
    lines = graphene.NonNull(graphene.List(graphene.NonNull(OrderLine)))
    number = graphene.String(required=True)
    origin = graphene.Field(OrderOriginEnum, required=True)
    is_paid = graphene.Boolean(required=True)
    payment_status = graphene.Field(PaymentChargeStatusEnum, required=True)
    payment_status_display = graphene.String(required=True)
    authorize_status = graphene.Field(OrderAuthorizeStatusEnum, required=True)
    charge_status = graphene.Field(OrderChargeStatusEnum, required=True)
    tax_exemption = graphene.Boolean(required=True)
    total = graphene.Field(TaxedMoney, required=True)
    undiscounted_total = graphene.Field(TaxedMoney, required=True)
    undiscounted_shipping_price = graphene.Field(Money, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_tax_rate = graphene.Float(required=True)
    token = graphene.String(required=True, deprecation_reason="Use `id` instead.")
    voucher_code = graphene.String()
    customer_note = graphene.String(required=True)
    redirect_url = graphene.String()
    subtotal = graphene.Field(TaxedMoney, required=True)
    status_display = graphene.String(required=True)
    can_finalize = graphene.Boolean(required=True)
    total_authorized = graphene.Field(Money, required=True)
    total_captured = graphene.Field(Money, required=True, deprecation_reason="Use `totalCharged` instead.")
    total_charged = graphene.Field(Money, required=True)
    total_canceled = graphene.Field(Money, required=True)
    total_balance = graphene.Field(Money, required=True)
    total_refunded = graphene.Field(Money, required=True)
    user_email = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    language_code = graphene.String(
        required=True,
        deprecation_reason="Use the `languageCodeEnum` field to fetch the language code.")
    language_code_enum = graphene.Field(LanguageCodeEnum, required=True)
    discount = graphene.Field(Money, deprecation_reason="Use the `discounts` field instead.")
    discount_name = graphene.String(deprecation_reason="Use the `discounts` field instead.")
    translated_discount_name = graphene.String(deprecation_reason="Use the `discounts` field instead.")
    display_gross_prices = graphene.Boolean(required=True)
    external_reference = graphene.String()
    checkout_id = graphene.ID()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_created(root, info):
        return root.date_placed

    @staticmethod
    def resolve_updated_at(root, info):
        return rules.updated_at(root)

    @staticmethod
    def resolve_status(root, info):
        return OrderStatus[rules.order_status(root)]

    @staticmethod
    def resolve_status_display(root, info):
        return _(root.status) if root.status else ""

    @staticmethod
    def resolve_user(root, info):
        return root.user if rules.may_see(info.context.user, root) and root.user_id else None

    @staticmethod
    def resolve_tracking_client_id(root, info):
        return ""

    @staticmethod
    def resolve_billing_address(root, info):
        return address_dict(root.billing_address)

    @staticmethod
    def resolve_shipping_address(root, info):
        return address_dict(root.shipping_address)

    @staticmethod
    def resolve_shipping_method_name(root, info):
        return root.shipping_method or None

    @staticmethod
    def resolve_collection_point_name(root, info):
        return (root.shipping_method or None) if rules.is_collect(root) else None

    @staticmethod
    def resolve_channel(root, info):
        from shop.graphql.channel import channels

        return channels.default_channel()

    @staticmethod
    def resolve_lines(root, info):
        return _lines(root)

    @staticmethod
    def resolve_origin(root, info):
        return OrderOriginEnum.CHECKOUT

    @staticmethod
    def resolve_is_paid(root, info):
        return rules.is_paid(root)

    @staticmethod
    def resolve_payment_status(root, info):
        return PaymentChargeStatusEnum[rules.payment_status(root)]

    @staticmethod
    def resolve_payment_status_display(root, info):
        payment = rules.payment_of(root)
        if payment is not None:
            return str(payment.get_status_display())
        return _("Đã thanh toán") if rules.is_paid(root) else _("Chưa thanh toán")

    @staticmethod
    def resolve_authorize_status(root, info):
        return OrderAuthorizeStatusEnum.FULL if rules.is_paid(root) else OrderAuthorizeStatusEnum.NONE

    @staticmethod
    def resolve_charge_status(root, info):
        charged, total = Decimal(rules.amount_charged(root)), Decimal(root.total_incl_tax or 0)
        if charged <= 0:
            return OrderChargeStatusEnum.NONE
        if charged < total:
            return OrderChargeStatusEnum.PARTIAL
        return OrderChargeStatusEnum.FULL if charged == total else OrderChargeStatusEnum.OVERCHARGED

    @staticmethod
    def resolve_tax_exemption(root, info):
        return False

    @staticmethod
    def resolve_total(root, info):
        return _taxed(root.total_incl_tax, root.total_excl_tax)

    @staticmethod
    def resolve_undiscounted_total(root, info):
        lines = _lines(root)
        gross = sum((Decimal(line.line_price_before_discounts_incl_tax or 0) for line in lines), Decimal(0))
        net = sum((Decimal(line.line_price_before_discounts_excl_tax or 0) for line in lines), Decimal(0))
        return _taxed(gross + Decimal(root.shipping_incl_tax or 0), net + Decimal(root.shipping_excl_tax or 0))

    @staticmethod
    def resolve_undiscounted_shipping_price(root, info):
        return _money(root.shipping_incl_tax)

    @staticmethod
    def resolve_shipping_price(root, info):
        return _taxed(root.shipping_incl_tax, root.shipping_excl_tax)

    @staticmethod
    def resolve_shipping_tax_rate(root, info):
        return _rate(root.shipping_incl_tax, root.shipping_excl_tax)

    @staticmethod
    def resolve_token(root, info):
        return str(rules.token_of(root))

    @staticmethod
    def resolve_voucher_code(root, info):
        return next((d.voucher_code for d in _discounts(root) if d.voucher_code), None)

    @staticmethod
    def resolve_customer_note(root, info):
        checkout = rules.checkout_of(root)
        note = checkout.note if checkout is not None else ""
        if not note and root.shipping_address is not None:
            note = root.shipping_address.notes or ""
        return note

    @staticmethod
    def resolve_redirect_url(root, info):
        return None

    @staticmethod
    def resolve_subtotal(root, info):
        lines = _lines(root)
        gross = sum((Decimal(line.line_price_incl_tax or 0) for line in lines), Decimal(0))
        net = sum((Decimal(line.line_price_excl_tax or 0) for line in lines), Decimal(0))
        return _taxed(gross, net)

    @staticmethod
    def resolve_can_finalize(root, info):
        return False

    @staticmethod
    def resolve_total_authorized(root, info):
        return _money(0)

    @staticmethod
    def resolve_total_charged(root, info):
        return _money(rules.amount_charged(root))

    resolve_total_captured = resolve_total_charged

    @staticmethod
    def resolve_total_canceled(root, info):
        return _money(0)

    @staticmethod
    def resolve_total_balance(root, info):
        return _money(Decimal(rules.amount_charged(root)) - Decimal(root.total_incl_tax or 0))

    @staticmethod
    def resolve_total_refunded(root, info):
        payment = rules.payment_of(root)
        return _money(payment.amount_refunded if payment is not None else 0)

    @staticmethod
    def resolve_user_email(root, info):
        return root.email or None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return not rules.is_collect(root)

    @staticmethod
    def _language(root):
        checkout = rules.checkout_of(root)
        return "en" if checkout is not None and (checkout.language_code or "").startswith("en") else "vi"

    @staticmethod
    def resolve_language_code(root, info):
        return Order._language(root)

    @staticmethod
    def resolve_language_code_enum(root, info):
        return LanguageCodeEnum.EN if Order._language(root) == "en" else LanguageCodeEnum.VI

    @staticmethod
    def resolve_discount(root, info):
        discounts = _discounts(root)
        if not discounts:
            return None
        return _money(sum((Decimal(d.amount or 0) for d in discounts), Decimal(0)))

    @staticmethod
    def resolve_discount_name(root, info):
        discounts = _discounts(root)
        return (discounts[0].offer_name or discounts[0].voucher_code or None) if discounts else None

    resolve_translated_discount_name = resolve_discount_name

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True

    @staticmethod
    def resolve_external_reference(root, info):
        return None

    @staticmethod
    def resolve_checkout_id(root, info):
        checkout = rules.checkout_of(root)
        return to_global_id("Checkout", checkout.token) if checkout is not None else None


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order
        strict_types = True
