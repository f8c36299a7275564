"""The product page's departure calendar (``experiences/product_calendar.html``)."""

from itertools import groupby

from django import template

from shop.experiences import departures, purchase

register = template.Library()


@register.simple_tag(takes_context=True)
def experience_calendar(context, product):
    """{"days": [(date, [Slot…])…], "adult": price, "child": price or None, "bookable": n}:
    the scheduled departures of the coming weeks with places left (two queries, plus the
    child price)."""
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if strategy is None:
        from oscar.core.loading import get_class

        strategy = get_class("partner.strategy", "Selector")().strategy(request=request)
    slots = departures.availability(product)
    prices = purchase.price_table(product, strategy)
    return {
        "days": [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.date)],
        "adult": prices[purchase.ADULT],
        "child": prices[purchase.CHILD],
        "bookable": sum(1 for slot in slots if slot.bookable),
    }


@register.filter
def is_experience(product):
    """True for an experience product: its card links to the calendar instead of a basket form."""
    from shop.experiences.places import is_experience as rule

    return rule(product)
