"""Oscar's analytics counters, counted without ever breaking the request's transaction.

Oscar (``oscar.apps.analytics.receivers``) counts product views, basket
additions and purchases in one row per product (``ProductRecord``) and per user
(``UserRecord``), and keeps each signed-in user's product views and searches.
Its counter does ``UPDATE … SET n = n + 1`` and, when no row exists yet,
``INSERT``; when two first requests race, the loser's ``INSERT`` hits the
unique key and Oscar catches the ``IntegrityError`` *without a savepoint*. With
``ATOMIC_REQUESTS`` (shop.settings) the request's transaction is then broken on
PostgreSQL and the shopper gets a 500 on "add to basket", on a product page or
when placing an order.

The rules here:

* Oscar's four receivers (product viewed, user search, basket addition, order
  placed) are disconnected and replaced by the ones below; they record the
  same figures.
* A counter is incremented by ``UPDATE … SET n = n + k`` (one statement, the
  database adds). If no row was updated, the row is created inside a
  **savepoint**; if another request created it first (``IntegrityError``),
  only the savepoint is rolled back and the ``UPDATE`` is run again (on
  PostgreSQL the ``INSERT`` waits for the other transaction, so the row is
  then there). No increment is lost and the request's transaction stays
  usable.
* Counting never fails a request: an unexpected database error in a counter
  is rolled back to its savepoint and logged.
"""

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
UserSearch = get_model("analytics", "UserSearch")


def add_to_counters(model, lookup, increments, **values):
    """Add ``increments`` ({field: amount}) to the row of ``model`` matching ``lookup``.

    ``values`` are set as they are (e.g. the date of the last order). The row
    is created when missing; a concurrent creation is absorbed (see the module
    docstring). Runs inside the caller's transaction.
    """
    changes = {name: F(name) + amount for name, amount in increments.items()}
    changes.update(values)
    rows = model._default_manager.filter(**lookup)
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**lookup, **increments, **values)
            return
    except IntegrityError:
        pass  # created meanwhile by another request: add to its row
    rows.update(**changes)


def _quietly(record):
    """Run ``record()`` in a savepoint: a failed count is logged, never the request's failure."""
    try:
        with transaction.atomic():
            record()
    except DatabaseError:
        logger.exception("Could not record analytics (the request goes on)")


def receive_product_view(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return

    def record():
        add_to_counters(ProductRecord, {"product_id": product.pk}, {"num_views": 1})
        if user and user.is_authenticated:
            add_to_counters(UserRecord, {"user_id": user.pk}, {"num_product_views": 1})
            UserProductView._default_manager.create(product=product, user=user)

    _quietly(record)


def receive_product_search(sender, query, user, **kwargs):
    if kwargs.get("raw", False) or not (user and user.is_authenticated):
        return
    _quietly(lambda: UserSearch._default_manager.create(user=user, query=query))


def receive_basket_addition(sender, product, user, **kwargs):
    if kwargs.get("raw", False):
        return

    def record():
        add_to_counters(ProductRecord, {"product_id": product.pk}, {"num_basket_additions": 1})
        if user and user.is_authenticated:
            add_to_counters(UserRecord, {"user_id": user.pk}, {"num_basket_additions": 1})

    _quietly(record)


def receive_order_placed(sender, order, user, **kwargs):
    if kwargs.get("raw", False):
        return

    def record():
        # a fixed order of products, so that two orders lock their rows in the same order
        lines = sorted(order.lines.all(), key=lambda line: line.product_id or 0)
        for line in lines:
            if line.product_id:
                add_to_counters(ProductRecord, {"product_id": line.product_id},
                                {"num_purchases": line.quantity})
        if user and user.is_authenticated:
            add_to_counters(
                UserRecord, {"user_id": user.pk},
                {"num_orders": 1, "num_order_lines": order.num_lines,
                 "num_order_items": order.num_items, "total_spent": order.total_incl_tax},
                date_last_order=order.date_placed,
            )

    _quietly(record)


RECEIVERS = (
    (product_viewed, oscar_receivers.receive_product_view, receive_product_view),
    (user_search, oscar_receivers.receive_product_search, receive_product_search),
    (basket_addition, oscar_receivers.receive_basket_addition, receive_basket_addition),
    (order_placed, oscar_receivers.receive_order_placed, receive_order_placed),
)


def install():
    """Replace Oscar's analytics receivers by the ones of this module (idempotent)."""
    for signal, oscar_receiver, ours in RECEIVERS:
        signal.disconnect(oscar_receiver)
        signal.connect(ours, dispatch_uid=f"shop.core.analytics.{ours.__name__}")
