from django.db import models
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    """A place stock sits: the district showcase shop, a commune sales point, a warehouse.

    Saleor calls it a warehouse. Online orders are shipped from, or collected
    at, a location too.
    """

    class Kind(models.TextChoices):
        SHOWCASE = "showcase", _("Điểm giới thiệu và bán sản phẩm OCOP của huyện")
        COMMUNE_POINT = "commune_point", _("Điểm bán sản phẩm OCOP tại xã")
        WAREHOUSE = "warehouse", _("Kho")

    code = models.SlugField(_("Mã"), max_length=32, unique=True)
    name = models.CharField(_("Tên"), max_length=128)
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices)
    commune = models.ForeignKey(
        "vendors.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Xã / thị trấn"),
    )
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    sells_online = models.BooleanField(
        _("Bán trực tuyến"), default=True,
        help_text=_("Tồn kho tại đây được tính vào số lượng bán trên cửa hàng trực tuyến."),
    )
    is_collect_point = models.BooleanField(_("Nhận hàng tại điểm"), default=True)
    priority = models.PositiveSmallIntegerField(
        _("Thứ tự ưu tiên xuất hàng"), default=10,
        help_text=_("Đơn trực tuyến được lấy hàng từ điểm có số nhỏ hơn trước."),
    )

    class Meta:
        ordering = ["priority", "code"]
        verbose_name = _("Điểm bán")
        verbose_name_plural = _("Điểm bán")

    def __str__(self):
        return self.name
