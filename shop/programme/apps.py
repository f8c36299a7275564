from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The OCOP programme: plan targets, the office's dashboard, periodic reports."""

    name = "shop.programme"
    label = "programme"
    verbose_name = _("Chương trình OCOP")
    default_auto_field = "django.db.models.BigAutoField"
