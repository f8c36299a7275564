import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    """Oscar's order app, forked so that stock moves go through showroom.inventory."""

    name = "shop.order"
