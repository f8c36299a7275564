"""The combo page's figures for templates (``catalogue.combos.combo_summary``)."""

from django import template

from catalogue import combos

register = template.Library()


@register.simple_tag
def combo_summary(product):
    """``{% combo_summary product as summary %}``: components, saving, availability.

    Computed once per product object, however many blocks of the page ask.
    """
    if "_combo_summary" not in product.__dict__:
        product.__dict__["_combo_summary"] = combos.combo_summary(product)
    return product.__dict__["_combo_summary"]
