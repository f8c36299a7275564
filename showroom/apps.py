from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Điểm bán và tồn kho")

    def ready(self):
        from showroom import signals

        signals.connect()
