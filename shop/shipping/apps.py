import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    """Oscar's shipping app, forked: delivery fee by zone × weight, click & collect."""

    name = "shop.shipping"
