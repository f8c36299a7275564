"""``{{ application|overdue }}``: the application's missed deadline (``shop.evaluation.deadlines``)."""

from django import template

from shop.evaluation import deadlines

register = template.Library()


@register.filter
def overdue(application):
    return deadlines.overdue(application)
