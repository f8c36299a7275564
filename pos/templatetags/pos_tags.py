from django import template

from shop.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """Whole đồng as ``1.250.000 ₫``."""
    if amount is None or amount == "":
        return ""
    return format_vnd(amount)
