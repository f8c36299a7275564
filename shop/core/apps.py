from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers that know no app; installed for their receivers and tasks."""

    name = "shop.core"
    label = "ocop_core"
    verbose_name = _("Tiện ích chung")

    def ready(self):
        from shop.core import cache, tasks

        cache.connect()  # cached storefront fragments retired when what they show changes
        tasks.connect()  # a new product photo's renditions drawn in the background
