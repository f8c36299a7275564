"""Saleor's checkout types over ``shop.graphql.models.Checkout`` and its Oscar basket.

Prices come from the basket priced by the request's strategy with Oscar's
offers and vouchers applied (``steps.basket_of``); shop prices include VAT
(gross = incl. tax). ``discount`` is what offers and vouchers take off the
lines; ``shippingPrice`` the chosen method's fee; ``totalPrice`` Oscar's order
total (``OrderTotalCalculator``).
"""

import graphene

from shop.graphql.channel import channels
from shop.graphql.channel.types import Channel
from shop.graphql.core.enums import AddressTypeEnum, LanguageCodeEnum
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.money import Money, TaxedMoney
from shop.graphql.core.mutations import error_type
from shop.graphql.core.types import Address, Node
from shop.graphql.product.types import ProductVariant
from shop.graphql.shipping.types import ShippingMethod
from shop.graphql.warehouse.types import Warehouse

from . import addresses, steps


class CheckoutErrorCode(graphene.Enum):
    BILLING_ADDRESS_NOT_SET = "billing_address_not_set"
    CHECKOUT_NOT_FULLY_PAID = "checkout_not_fully_paid"
    GRAPHQL_ERROR = "graphql_error"
    PRODUCT_NOT_PUBLISHED = "product_not_published"
    PRODUCT_UNAVAILABLE_FOR_PURCHASE = "product_unavailable_for_purchase"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID = "invalid"
    INVALID_SHIPPING_METHOD = "invalid_shipping_method"
    NOT_FOUND = "not_found"
    PAYMENT_ERROR = "payment_error"
    QUANTITY_GREATER_THAN_LIMIT = "quantity_greater_than_limit"
    REQUIRED = "required"
    SHIPPING_ADDRESS_NOT_SET = "shipping_address_not_set"
    SHIPPING_METHOD_NOT_APPLICABLE = "shipping_method_not_applicable"
    DELIVERY_METHOD_NOT_APPLICABLE = "delivery_method_not_applicable"
    SHIPPING_METHOD_NOT_SET = "shipping_method_not_set"
    SHIPPING_NOT_REQUIRED = "shipping_not_required"
    TAX_ERROR = "tax_error"
    UNIQUE = "unique"
    VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"
    GIFT_CARD_NOT_APPLICABLE = "gift_card_not_applicable"
    ZERO_QUANTITY = "zero_quantity"
    MISSING_CHANNEL_SLUG = "missing_channel_slug"
    CHANNEL_INACTIVE = "channel_inactive"
    UNAVAILABLE_VARIANT_IN_CHANNEL = "unavailable_variant_in_channel"
    EMAIL_NOT_SET = "email_not_set"
    NO_LINES = "no_lines"
    INACTIVE_PAYMENT = "inactive_payment"
    NON_EDITABLE_GIFT_LINE = "non_editable_gift_line"
    NON_REMOVABLE_GIFT_LINE = "non_removable_gift_line"
    SHIPPING_CHANGE_FORBIDDEN = "shipping_change_forbidden"
    MISSING_ADDRESS_DATA = "missing_address_data"


CheckoutError = error_type("CheckoutError", CheckoutErrorCode, {
    "variants": graphene.List(graphene.NonNull(graphene.ID)),
    "lines": graphene.List(graphene.NonNull(graphene.ID)),
    "address_type": graphene.Field(AddressTypeEnum),
})


def make_error(error):
    """A ``CheckoutError`` of an InputError (its ``address_type`` extra as the enum)."""
    extra = dict(error.extra)
    return CheckoutError(field=error.field, message=error.message, code=CheckoutErrorCode[error.code],
                         **extra)


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True)
    value = graphene.String()


class PaymentGateway(graphene.ObjectType):
    name = graphene.String(required=True)
    id = graphene.ID(required=True)
    config = graphene.NonNull(graphene.List(graphene.NonNull(GatewayConfigLine)))
    currencies = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))


class DeliveryMethod(graphene.Union):
    class Meta:
        types = (Warehouse, ShippingMethod)

    @classmethod
    def resolve_type(cls, instance, info):
        return ShippingMethod if isinstance(instance, tuple) else Warehouse


class CheckoutLineProblemInsufficientStock(graphene.ObjectType):
    available_quantity = graphene.Int()
    line = graphene.Field(lambda: CheckoutLine, required=True)
    variant = graphene.Field(ProductVariant, required=True)


class CheckoutLineProblemVariantNotAvailable(graphene.ObjectType):
    line = graphene.Field(lambda: CheckoutLine, required=True)


def _problem_type(instance):
    if isinstance(instance, CheckoutLineProblemInsufficientStock):
        return CheckoutLineProblemInsufficientStock
    return CheckoutLineProblemVariantNotAvailable


class CheckoutProblem(graphene.Union):
    class Meta:
        types = (CheckoutLineProblemInsufficientStock, CheckoutLineProblemVariantNotAvailable)

    @classmethod
    def resolve_type(cls, instance, info):
        return _problem_type(instance)


class CheckoutLineProblem(graphene.Union):
    class Meta:
        types = (CheckoutLineProblemInsufficientStock, CheckoutLineProblemVariantNotAvailable)

    @classmethod
    def resolve_type(cls, instance, info):
        return _problem_type(instance)


def line_problems(info, basket, line):
    """What stops ``line`` from being ordered now (``steps.line_problem``), as Saleor's types."""
    problem = steps.line_problem(info, basket, line)
    if problem is None:
        return []
    kind, available = problem
    if kind == steps.NOT_AVAILABLE:
        return [CheckoutLineProblemVariantNotAvailable(line=line)]
    return [CheckoutLineProblemInsufficientStock(available_quantity=available, line=line,
                                                 variant=line.product)]


class CheckoutLine(MetadataMixin, graphene.ObjectType):
    variant = graphene.Field(ProductVariant, required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(Money, required=True)
    prior_unit_price = graphene.Field(Money)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(Money, required=True)
    prior_total_price = graphene.Field(Money)
    requires_shipping = graphene.Boolean(required=True)
    problems = graphene.List(graphene.NonNull(CheckoutLineProblem))
    is_gift = graphene.Boolean()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return steps.line_id(root)

    @staticmethod
    def resolve_variant(root, info):
        return root.product

    @staticmethod
    def resolve_unit_price(root, info):
        quantity = root.quantity or 1
        gross = root.line_price_incl_tax_incl_discounts / quantity
        net = root.line_price_excl_tax_incl_discounts / quantity
        return TaxedMoney.of(gross, net)

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return Money.of(root.unit_price_incl_tax)

    @staticmethod
    def resolve_prior_unit_price(root, info):
        return None

    @staticmethod
    def resolve_total_price(root, info):
        return TaxedMoney.of(root.line_price_incl_tax_incl_discounts, root.line_price_excl_tax_incl_discounts)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return Money.of(root.line_price_incl_tax)

    @staticmethod
    def resolve_prior_total_price(root, info):
        return None

    @staticmethod
    def resolve_requires_shipping(root, info):
        return bool(root.product.is_shipping_required)

    @staticmethod
    def resolve_problems(root, info):
        return line_problems(info, getattr(root, "_checkout_basket", None), root)

    @staticmethod
    def resolve_is_gift(root, info):
        return False


def _user_type():
    from shop.graphql.account.types import User

    return User


def _basket(info, root):
    return steps.basket_of(info, root)


class Checkout(MetadataMixin, graphene.ObjectType):
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    last_change = graphene.DateTime(required=True)
    user = graphene.Field(_user_type)
    channel = graphene.Field(Channel, required=True)
    billing_address = graphene.Field(Address)
    shipping_address = graphene.Field(Address)
    customer_note = graphene.String(required=True)
    note = graphene.String(required=True)
    discount = graphene.Field(Money)
    discount_name = graphene.String()
    translated_discount_name = graphene.String()
    voucher_code = graphene.String()
    available_shipping_methods = graphene.NonNull(graphene.List(graphene.NonNull(ShippingMethod)))
    shipping_methods = graphene.NonNull(graphene.List(graphene.NonNull(ShippingMethod)))
    available_collection_points = graphene.NonNull(graphene.List(graphene.NonNull(Warehouse)))
    available_payment_gateways = graphene.NonNull(graphene.List(graphene.NonNull(PaymentGateway)))
    email = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    stock_reservation_expires = graphene.DateTime()
    lines = graphene.NonNull(graphene.List(graphene.NonNull(CheckoutLine)))
    shipping_price = graphene.Field(TaxedMoney, required=True)
    shipping_method = graphene.Field(ShippingMethod)
    delivery_method = graphene.Field(DeliveryMethod)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    tax_exemption = graphene.Boolean(required=True)
    token = graphene.UUID(required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    total_balance = graphene.Field(Money, required=True)
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    display_gross_prices = graphene.Boolean(required=True)
    problems = graphene.List(graphene.NonNull(CheckoutProblem))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return steps.checkout_id(root)

    @staticmethod
    def resolve_problems(root, info):
        basket = _basket(info, root)
        return [problem for line in basket.all_lines() for problem in line_problems(info, basket, line)]

    @staticmethod
    def resolve_created(root, info):
        return root.created_at

    @staticmethod
    def resolve_updated_at(root, info):
        return root.last_change

    @staticmethod
    def resolve_last_change(root, info):
        return root.last_change

    @staticmethod
    def resolve_user(root, info):
        return root.user  # only ever shown to that user (``steps.find``)

    @staticmethod
    def resolve_channel(root, info):
        return channels.default_channel()

    @staticmethod
    def resolve_billing_address(root, info):
        return addresses.for_graphql(root.billing_address, f"{root.token}-billing")

    @staticmethod
    def resolve_shipping_address(root, info):
        return addresses.for_graphql(root.shipping_address, f"{root.token}-shipping")

    @staticmethod
    def resolve_customer_note(root, info):
        return root.note or ""

    @staticmethod
    def resolve_note(root, info):
        return root.note or ""

    @staticmethod
    def resolve_discount(root, info):
        basket = _basket(info, root)
        if basket.is_empty or not basket.is_tax_known:
            return Money.of(0)
        return Money.of(basket.total_incl_tax_excl_discounts - basket.total_incl_tax)

    @staticmethod
    def resolve_discount_name(root, info):
        basket = _basket(info, root)
        for application in basket.offer_applications:
            if application["voucher"] is not None:
                return application["voucher"].name
            return str(application["offer"].name)
        return None

    @staticmethod
    def resolve_translated_discount_name(root, info):
        return Checkout.resolve_discount_name(root, info)

    @staticmethod
    def resolve_voucher_code(root, info):
        basket = _basket(info, root)
        vouchers = list(basket.vouchers.all())
        return vouchers[0].code if vouchers else None

    @staticmethod
    def resolve_shipping_methods(root, info):
        options = steps.delivery(info, root)
        return [(method, options.basket) for method in options.methods]

    @staticmethod
    def resolve_available_shipping_methods(root, info):
        return Checkout.resolve_shipping_methods(root, info)

    @staticmethod
    def resolve_available_collection_points(root, info):
        return list(steps.delivery(info, root).points)

    @staticmethod
    def resolve_available_payment_gateways(root, info):
        return [PaymentGateway(id=gateway, name=name, config=[], currencies=[channels.CURRENCY])
                for gateway, name in steps.gateways(info, root)]

    @staticmethod
    def resolve_email(root, info):
        return root.email or None

    @staticmethod
    def resolve_is_shipping_required(root, info):
        return bool(_basket(info, root).is_shipping_required())

    @staticmethod
    def resolve_quantity(root, info):
        return int(_basket(info, root).num_items)

    @staticmethod
    def resolve_stock_reservation_expires(root, info):
        return None

    @staticmethod
    def resolve_lines(root, info):
        basket = _basket(info, root)
        lines = list(basket.all_lines())
        for line in lines:
            line._checkout_basket = basket
        return lines

    @staticmethod
    def resolve_shipping_price(root, info):
        return TaxedMoney.of(steps.shipping_charge(info, root))

    @staticmethod
    def resolve_shipping_method(root, info):
        method = steps.chosen_method(info, root)
        if method is None or root.delivery_method != steps.DELIVERY:
            return None
        return (method, _basket(info, root))

    @staticmethod
    def resolve_delivery_method(root, info):
        method = steps.chosen_method(info, root)
        if method is None:
            return None
        if root.delivery_method == steps.DELIVERY:
            return (method, _basket(info, root))
        return method  # a CollectAt: the Warehouse type's root

    @staticmethod
    def resolve_subtotal_price(root, info):
        basket = _basket(info, root)
        net = basket.total_excl_tax
        gross = basket.total_incl_tax if basket.is_tax_known else net
        return TaxedMoney.of(gross, net)

    @staticmethod
    def resolve_tax_exemption(root, info):
        return False

    @staticmethod
    def resolve_token(root, info):
        return root.token

    @staticmethod
    def resolve_total_price(root, info):
        total = steps.total(info, root)
        return TaxedMoney.of(total.incl_tax, total.excl_tax)

    @staticmethod
    def resolve_total_balance(root, info):
        # nothing is paid before the order exists (cash on delivery, transfer after ordering)
        return Money.of(-steps.total(info, root).incl_tax)

    @staticmethod
    def resolve_language_code(root, info):
        return LanguageCodeEnum.EN if (root.language_code or "").startswith("en") else LanguageCodeEnum.VI

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True
