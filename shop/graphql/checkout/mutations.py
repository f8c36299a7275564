"""Saleor's checkout mutations (thin: arguments → ``steps`` / ``complete`` → payload).

Each runs in a savepoint (``BaseMutation``): a refusal answers
``errors [CheckoutError]`` and writes nothing. Deprecated Saleor arguments
(``checkoutId``, ``token``) are accepted as Saleor accepts them. Accepted but
ignored: ``saveAddress`` / ``saveShippingAddress`` / ``saveBillingAddress``
(the address book is updated when an order is placed, as on the web),
``validationRules`` and ``skipValidation`` (addresses are always checked),
``metadata`` / ``privateMetadata``, a line's ``price`` (prices are the shop's)
and ``forceNewLine``; ``checkoutComplete``'s ``redirectUrl``, ``storeSource``
and ``metadata``.
"""

import graphene

from shop.graphql.core.enums import LanguageCodeEnum
from shop.graphql.core.inputs import AddressInput, MetadataInput
from shop.graphql.core.mutations import BaseMutation
from shop.graphql.core.scalars import PositiveDecimal
from shop.graphql.order.types import Order

from . import complete as completion
from . import steps
from .types import Checkout, CheckoutError, CheckoutErrorCode, make_error


class CheckoutAddressValidationRules(graphene.InputObjectType):
    check_required_fields = graphene.Boolean(default_value=True)
    check_fields_format = graphene.Boolean(default_value=True)
    enable_fields_normalization = graphene.Boolean(default_value=True)


class CheckoutValidationRules(graphene.InputObjectType):
    shipping_address = graphene.InputField(CheckoutAddressValidationRules)
    billing_address = graphene.InputField(CheckoutAddressValidationRules)


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True)
    variant_id = graphene.ID(required=True)
    price = PositiveDecimal()
    force_new_line = graphene.Boolean(default_value=False)
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID()
    quantity = graphene.Int()
    price = PositiveDecimal()
    line_id = graphene.ID()
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String()
    lines = graphene.NonNull(graphene.List(graphene.NonNull(CheckoutLineInput)))
    email = graphene.String()
    save_shipping_address = graphene.Boolean()
    shipping_address = graphene.InputField(AddressInput)
    save_billing_address = graphene.Boolean()
    billing_address = graphene.InputField(AddressInput)
    language_code = graphene.Argument(LanguageCodeEnum)
    validation_rules = graphene.InputField(CheckoutValidationRules)
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    private_metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutMutation(BaseMutation):
    class Meta:
        abstract = True

    error_class = CheckoutError
    error_enum = CheckoutErrorCode

    @classmethod
    def make_error(cls, error):
        return make_error(error)


def _errors():
    return graphene.NonNull(graphene.List(graphene.NonNull(CheckoutError)))


def _deprecated_errors():
    return graphene.Field(graphene.NonNull(graphene.List(graphene.NonNull(CheckoutError))),
                          deprecation_reason="Use `errors` field instead.")


class _ById(CheckoutMutation):
    """A mutation on one checkout: ``id`` (or the deprecated ``checkoutId`` / ``token``)."""

    class Meta:
        abstract = True

    checkout = graphene.Field(Checkout)
    checkout_errors = _deprecated_errors()
    errors = _errors()

    @classmethod
    def mutate(cls, root, info, **data):
        payload = super().mutate(root, info, **data)
        payload.checkout_errors = payload.errors
        return payload

    @classmethod
    def target(cls, info, data, for_update=True):
        return steps.get(info, data.get("id"), data.get("token"), data.get("checkout_id"),
                         for_update=for_update)


class CheckoutCreate(CheckoutMutation):
    class Arguments:
        input = CheckoutCreateInput(required=True)

    created = graphene.Boolean(deprecation_reason="Always returns `true`.")
    checkout_errors = _deprecated_errors()
    errors = _errors()
    checkout = graphene.Field(Checkout)

    @classmethod
    def mutate(cls, root, info, **data):
        payload = super().mutate(root, info, **data)
        payload.checkout_errors = payload.errors
        return payload

    @classmethod
    def perform(cls, root, info, input):
        checkout = steps.create(info, input)
        return {"checkout": checkout, "created": True}


class CheckoutLinesAdd(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        lines = graphene.NonNull(graphene.List(graphene.NonNull(CheckoutLineInput)))
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    @classmethod
    def perform(cls, root, info, lines, **data):
        checkout = cls.target(info, data)
        steps.add_lines(info, checkout, lines)
        return {"checkout": checkout}


class CheckoutLinesUpdate(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        lines = graphene.NonNull(graphene.List(graphene.NonNull(CheckoutLineUpdateInput)))
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    @classmethod
    def perform(cls, root, info, lines, **data):
        checkout = cls.target(info, data)
        steps.update_lines(info, checkout, lines)
        return {"checkout": checkout}


class CheckoutLinesDelete(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        lines_ids = graphene.NonNull(graphene.List(graphene.NonNull(graphene.ID)))
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    checkout = graphene.Field(Checkout)
    errors = _errors()

    @classmethod
    def perform(cls, root, info, lines_ids, **data):
        checkout = steps.get(info, data.get("id"), data.get("token"), for_update=True)
        steps.delete_lines(info, checkout, lines_ids)
        return {"checkout": checkout}


class CheckoutEmailUpdate(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        email = graphene.String(required=True)
        id = graphene.ID()
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    @classmethod
    def perform(cls, root, info, email, **data):
        checkout = cls.target(info, data)
        steps.set_email(checkout, email)
        checkout.save()
        return {"checkout": checkout}


class CheckoutShippingAddressUpdate(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        save_address = graphene.Boolean(default_value=True)
        shipping_address = AddressInput(required=True)
        token = graphene.UUID(deprecation_reason="Use `id` instead.")
        validation_rules = CheckoutAddressValidationRules()

    @classmethod
    def perform(cls, root, info, shipping_address, **data):
        checkout = cls.target(info, data)
        steps.set_shipping_address(info, checkout, shipping_address)
        return {"checkout": checkout}


class CheckoutBillingAddressUpdate(_ById):
    class Arguments:
        billing_address = AddressInput(required=True)
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        save_address = graphene.Boolean(default_value=True)
        token = graphene.UUID(deprecation_reason="Use `id` instead.")
        validation_rules = CheckoutAddressValidationRules()

    @classmethod
    def perform(cls, root, info, billing_address, **data):
        checkout = cls.target(info, data)
        steps.set_billing_address(checkout, billing_address)
        return {"checkout": checkout}


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    class Arguments:
        delivery_method_id = graphene.ID()
        id = graphene.ID()
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    checkout = graphene.Field(Checkout)
    errors = _errors()

    @classmethod
    def perform(cls, root, info, delivery_method_id=None, **data):
        checkout = steps.get(info, data.get("id"), data.get("token"), for_update=True)
        steps.set_delivery_method(info, checkout, delivery_method_id)
        return {"checkout": checkout}


class CheckoutAddPromoCode(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        promo_code = graphene.String(required=True)
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    @classmethod
    def perform(cls, root, info, promo_code, **data):
        checkout = cls.target(info, data)
        steps.add_promo_code(info, checkout, promo_code)
        return {"checkout": checkout}


class CheckoutRemovePromoCode(_ById):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        promo_code = graphene.String()
        promo_code_id = graphene.ID()
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    @classmethod
    def perform(cls, root, info, promo_code=None, promo_code_id=None, **data):
        checkout = cls.target(info, data)
        steps.remove_promo_code(info, checkout, promo_code, promo_code_id)
        return {"checkout": checkout}


class CheckoutCustomerNoteUpdate(_ById):
    class Arguments:
        customer_note = graphene.String(required=True)
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, customer_note, **data):
        checkout = cls.target(info, data)
        steps.set_note(checkout, customer_note)
        return {"checkout": checkout}


class CheckoutComplete(CheckoutMutation):
    class Arguments:
        checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
        id = graphene.ID()
        metadata = graphene.List(graphene.NonNull(MetadataInput))
        payment_data = graphene.JSONString()
        redirect_url = graphene.String()
        store_source = graphene.Boolean(
            default_value=False, deprecation_reason="Use checkoutPaymentCreate for this action.")
        token = graphene.UUID(deprecation_reason="Use `id` instead.")

    order = graphene.Field(Order)
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = graphene.JSONString()
    checkout_errors = _deprecated_errors()
    errors = _errors()

    @classmethod
    def mutate(cls, root, info, **data):
        payload = super().mutate(root, info, **data)
        payload.checkout_errors = payload.errors
        if payload.confirmation_needed is None:
            payload.confirmation_needed = False
        return payload

    @classmethod
    def perform(cls, root, info, payment_data=None, **data):
        global_id = data.get("id") if data.get("id") is not None else data.get("checkout_id")
        order, confirmation = completion.complete(info, global_id, data.get("token"), payment_data)
        return {"order": order, "confirmation_needed": False, "confirmation_data": confirmation}
