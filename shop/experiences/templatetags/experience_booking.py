"""The product page's departure calendar (``experiences/product_calendar.html``)."""

import calendar
import datetime
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
    days = [(day, list(group)) for day, group in groupby(slots, key=lambda s: s.date)]
    return {
        "days": days,
        "months": month_grids(days),
        "adult": prices[purchase.ADULT],
        "child": prices[purchase.CHILD],
        "bookable": sum(1 for slot in slots if slot.bookable),
    }


def month_grids(days):
    """The months spanned by ``days`` as week rows of seven cells, Monday first: a cell is
    None (outside the month) or {"date", "slots", "left"} (``slots`` empty on a day with no
    departure; ``left`` the places left on its bookable departures)."""
    by_day = {day: slots for day, slots in days}
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    months, month = [], datetime.date(first.year, first.month, 1)
    while month <= last:
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
            row = []
            for day in week:
                if day.month != month.month:
                    row.append(None)
                    continue
                slots = by_day.get(day, [])
                row.append({"date": day, "slots": slots,
                            "left": sum(s.places_left for s in slots if s.bookable),
                            "bookable": any(s.bookable for s in slots)})
            weeks.append(row)
        months.append({"month": month, "weeks": weeks})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@register.filter
def is_experience(product):
    """True for an experience product: its card links to the calendar instead of a basket form."""
    from shop.experiences.places import is_experience as rule

    return rule(product)
