import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for one reason: its strategy knows live prices.

    Only ``strategy.Selector`` differs (Oscar's ``get_class`` finds it here); the
    models and migrations are Oscar's.
    """

    name = "shop.partner"
