import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so ``shop/dashboard/catalogue/forms.py`` overrides
    the stock record form (Oscar looks dashboard classes up through this app)."""

    name = "shop.dashboard"
