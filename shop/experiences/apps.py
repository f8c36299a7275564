from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    name = "shop.experiences"
    label = "experiences"
    verbose_name = _("Trải nghiệm du lịch cộng đồng")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, tasks

        signals.connect()  # an order's payment reaches its bookings
        tasks.connect()  # a new booking with an email gets its voucher email, once
