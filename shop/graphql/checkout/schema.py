"""The checkout's part of the schema: ``checkout(id)`` and Saleor's checkout mutations."""

import graphene

from . import mutations, steps
from .types import Checkout


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout, id=graphene.ID(), token=graphene.UUID(deprecation_reason="Use `id` instead."))

    @staticmethod
    def resolve_checkout(root, info, id=None, token=None):
        checkout = steps.find(info, id, token)
        if checkout is not None:
            steps.basket_of(info, checkout)
        return checkout


class CheckoutMutations(graphene.ObjectType):
    checkout_add_promo_code = mutations.CheckoutAddPromoCode.Field()
    checkout_billing_address_update = mutations.CheckoutBillingAddressUpdate.Field()
    checkout_complete = mutations.CheckoutComplete.Field()
    checkout_create = mutations.CheckoutCreate.Field()
    checkout_customer_note_update = mutations.CheckoutCustomerNoteUpdate.Field()
    checkout_email_update = mutations.CheckoutEmailUpdate.Field()
    checkout_lines_add = mutations.CheckoutLinesAdd.Field()
    checkout_lines_delete = mutations.CheckoutLinesDelete.Field()
    checkout_lines_update = mutations.CheckoutLinesUpdate.Field()
    checkout_remove_promo_code = mutations.CheckoutRemovePromoCode.Field()
    checkout_shipping_address_update = mutations.CheckoutShippingAddressUpdate.Field()
    checkout_delivery_method_update = mutations.CheckoutDeliveryMethodUpdate.Field()
