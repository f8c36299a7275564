"""``{% order_einvoice order as einvoice %}``: an online order's e-invoice as its status page
and emails show it (``shop.invoicing.builder.summary``: None, pending, or issued with its
label, the tax authority's code, the look-up code, URL and QR)."""

import logging

from django import template

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def order_einvoice(order):
    from shop.invoicing.builder import summary_for_order

    if order is None or not getattr(order, "pk", None):
        return None
    try:
        return summary_for_order(order)
    except Exception:  # the page shows without it
        logger.exception("e-invoice of order %s", getattr(order, "pk", None))
        return None
