from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Register(models.Model):
    """A till at a sales point."""

    location = models.ForeignKey(
        "showroom.Location", on_delete=models.PROTECT, related_name="registers",
        verbose_name=_("Điểm bán"),
    )
    code = models.SlugField(_("Mã quầy"), max_length=32, unique=True)
    name = models.CharField(_("Tên quầy"), max_length=64)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        ordering = ["location", "code"]
        verbose_name = _("Quầy thu ngân")
        verbose_name_plural = _("Quầy thu ngân")

    def __str__(self):
        return f"{self.location} — {self.name}"


class Cashier(models.Model):
    """A user allowed to run the tills of one sales point."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cashier",
        verbose_name=_("Người dùng"),
    )
    location = models.ForeignKey(
        "showroom.Location", on_delete=models.PROTECT, related_name="cashiers",
        verbose_name=_("Điểm bán"),
    )

    class Meta:
        verbose_name = _("Thu ngân")
        verbose_name_plural = _("Thu ngân")

    def __str__(self):
        return f"{self.user} @ {self.location}"
