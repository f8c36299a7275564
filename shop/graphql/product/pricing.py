"""What the API says a product costs and how many are left: the shop's strategy, nothing else.

Every price and availability comes from the request's strategy
(``shop.partner``'s Selector → ``shop.live.strategy.LiveStrategy``), the one the
product page, the basket and the checkout use; stock numbers come from the one
inventory through it (``StockRecord`` totals derived by ``showroom.inventory``).

* ``price`` is what the buyer pays now (a live-session price when one applies);
  ``priceUndiscounted`` is the listed price; ``onSale``/``discount`` are the
  difference (Oscar's basket offers and vouchers apply in the checkout, as on the
  web).
* ``quantityAvailable`` is what may be sold online (never negative), capped at
  ``MAX_QUANTITY_SHOWN`` for shoppers as Saleor caps it.
"""

from decimal import Decimal

MAX_QUANTITY_SHOWN = 50


def purchase_info(context, product):
    strategy = context.strategy
    if product.is_parent:
        return strategy.fetch_for_parent(product)
    return strategy.fetch_for_product(product)


def prices(context, product):
    """``(price, undiscounted gross)`` or ``(None, None)`` when the product has no price."""
    info = purchase_info(context, product)
    price = info.price
    if not price.exists:
        return None, None
    listed = getattr(price, "list_price", None)
    gross = price.incl_tax if price.is_tax_known else price.excl_tax
    return price, Decimal(listed if listed is not None else gross)


def quantity_available(context, product):
    info = purchase_info(context, product)
    if info.stockrecord is None:
        return 0
    availability = info.availability
    if not availability.is_available_to_buy:
        return 0
    number = getattr(availability, "num_available", None)
    if number is None:  # stock not tracked (a service): as many as may be bought
        return MAX_QUANTITY_SHOWN
    return max(0, min(int(number), MAX_QUANTITY_SHOWN))


def is_available(context, product):
    info = purchase_info(context, product)
    return bool(info.stockrecord is not None and info.availability.is_available_to_buy)
