from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Cửa hàng OCOP Đăk Hà")

    def ready(self):
        from shop.core import analytics, text

        text.install()  # the free-text rule on every form and API CharField
        analytics.install()  # Oscar's analytics counters, race-free
