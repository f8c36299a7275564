from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryZone(models.Model):
    """A group of provinces sharing one delivery fee table (editable by the office).

    A zone with no province codes is the fallback for every province not named
    by another zone.
    """

    name = models.CharField(_("Tên vùng"), max_length=128)
    province_codes = models.CharField(
        _("Mã tỉnh / thành phố"), max_length=255, blank=True,
        help_text=_("Mã theo danh mục hành chính, cách nhau bởi dấu phẩy (vd. 51, 52). "
                    "Để trống: mọi tỉnh chưa thuộc vùng nào."),
    )
    free_above = models.DecimalField(
        _("Miễn phí giao hàng từ (đ)"), max_digits=12, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Đơn có tiền hàng từ mức này trở lên được giao miễn phí. Để trống: không miễn."),
    )
    extra_per_kg = models.DecimalField(
        _("Phí mỗi kg vượt bậc cuối (đ)"), max_digits=12, decimal_places=0, default=0,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("Đang áp dụng"), default=True)

    class Meta:
        app_label = "shipping"
        ordering = ["name"]
        verbose_name = _("Vùng giao hàng")
        verbose_name_plural = _("Vùng giao hàng")

    def __str__(self):
        return self.name

    def codes(self):
        return {c.strip() for c in self.province_codes.split(",") if c.strip()}


class DeliveryBand(models.Model):
    """Fee for a parcel up to ``up_to_kg`` kilograms in a zone."""

    zone = models.ForeignKey(
        DeliveryZone, on_delete=models.CASCADE, related_name="bands", verbose_name=_("Vùng")
    )
    up_to_kg = models.DecimalField(
        _("Đến (kg)"), max_digits=8, decimal_places=3, validators=[MinValueValidator(0)]
    )
    fee = models.DecimalField(
        _("Phí (đ)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        app_label = "shipping"
        ordering = ["zone", "up_to_kg"]
        verbose_name = _("Bậc cân nặng")
        verbose_name_plural = _("Bậc cân nặng")
        constraints = [
            models.UniqueConstraint(fields=["zone", "up_to_kg"], name="shipping_band_unique_weight")
        ]

    def __str__(self):
        return f"≤ {self.up_to_kg} kg: {self.fee} đ"


from oscar.apps.shipping.models import *  # noqa: E402,F401,F403
