from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Livestream selling: sellers' links, live sessions, comment orders, commissions."""

    name = "shop.live"
    label = "live"
    verbose_name = _("Bán hàng livestream")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oscar.apps.basket.signals import basket_addition

        from shop.live import attribution, commission

        commission.connect_signals()
        basket_addition.connect(
            attribution.record_basket_addition, dispatch_uid="live_basket_addition"
        )
