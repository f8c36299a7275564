"""The till's sales in Oscar's dashboard: who bought and where.

A till sale is an Oscar order with no user and no e-mail (pos.sales), which Oscar's
order pages would call a deleted customer. The dashboard's order list and order page
(themes/ocop/templates/oscar/dashboard/orders/) name it "Khách lẻ tại quầy" (a walk-in
customer at the counter) with the sales point, from the sale behind the order.
"""

from django import template
from django.db.models import prefetch_related_objects

register = template.Library()


@register.simple_tag
def read_till_sales(orders):
    """Read the till sale (and its sales point) of every order of a page in one query.

    Afterwards ``order.till_sale`` needs no query; an online order has none (empty in a
    template).
    """
    prefetch_related_objects(list(orders), "till_sale__location", "till_sale__register")
    return ""
