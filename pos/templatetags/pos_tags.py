from django import template

from shop.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """Whole đồng as ``1.250.000 ₫``."""
    if amount is None or amount == "":
        return ""
    return format_vnd(amount)


@register.filter
def vnd_minus(amount):
    """An amount taken off, shown with its minus: ``-1.000 ₫``; nothing taken off is ``0 ₫``."""
    if amount is None or amount == "":
        return ""
    return format_vnd(-amount)


@register.filter
def person(user):
    """A user as people know them: the full name, else the login."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
