from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "shop.invoicing"
    label = "invoicing"
    verbose_name = _("Hoá đơn điện tử")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import hooks

        hooks.connect()  # online orders invoiced when paid (payment saved, status delivered)
