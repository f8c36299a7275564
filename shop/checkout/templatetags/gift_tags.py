"""Gift options and the order's payment record for templates Oscar renders (account,
dashboard, email) whose views are not forked: at most one query each."""

from django import template

register = template.Library()


@register.simple_tag
def gift_options_for(order):
    """``{% gift_options_for order as gift %}``: the order's GiftOptions or None."""
    from shop.checkout.views import gift_options_of

    return gift_options_of(order) if order else None


@register.simple_tag
def order_payment_for(order):
    """``{% order_payment_for order as payment %}``: the order's OrderPayment or None."""
    from shop.payment.models import OrderPayment

    if not order:
        return None
    try:
        return order.ocop_payment
    except OrderPayment.DoesNotExist:
        return None
