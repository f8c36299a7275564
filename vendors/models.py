from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.images import validate_image_upload, validate_scan_upload
from catalogue.uploads import GeneratedName, private_storage
from vendors.validators import normalize_tax_code, validate_bank_account, validate_tax_code


class AdministrativeUnit(models.Model):
    """A province, district, commune, ward or town — as data, with validity dates.

    Units are merged and renamed by reforms (2025: Kon Tum into Quảng Ngãi,
    districts abolished, communes merged), so an address or a producer points
    to the unit that existed when it was recorded; ``replaced_by`` follows the
    reform to today's unit.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Huyện")
        TOWN = "town", _("Thị trấn")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")

    code = models.SlugField(_("Mã"), max_length=64, unique=True)
    name = models.CharField(_("Tên"), max_length=128)
    kind = models.CharField(_("Cấp"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("Thuộc"),
    )
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces",
        verbose_name=_("Được sáp nhập vào"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Đơn vị hành chính")
        verbose_name_plural = _("Đơn vị hành chính")

    def __str__(self):
        return self.name

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Vendor(models.Model):
    """An OCOP subject (producer), as a profile on Oscar's Partner."""

    class SubjectType(models.TextChoices):
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
        ENTERPRISE = "enterprise", _("Doanh nghiệp nhỏ và vừa")
        FARM = "farm", _("Trang trại")
        HOUSEHOLD = "household", _("Hộ sản xuất có đăng ký kinh doanh")

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="vendor",
        verbose_name=_("Đối tác"),
    )
    subject_type = models.CharField(_("Loại chủ thể"), max_length=32, choices=SubjectType.choices)
    legal_name = models.CharField(_("Tên pháp lý"), max_length=255)
    tax_code = models.CharField(
        _("Mã số thuế"), max_length=14, blank=True, validators=[validate_tax_code],
        help_text=_("10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh (ví dụ 6100123456-001)."),
    )
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, null=True, blank=True,
        related_name="vendors", verbose_name=_("Xã / thị trấn"),
    )
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    representative = models.CharField(_("Người đại diện"), max_length=128, blank=True)
    story = models.TextField(_("Câu chuyện"), blank=True)
    logo = models.ImageField(
        _("Logo"), upload_to=GeneratedName("vendors/logos/"), blank=True,
        validators=[validate_image_upload],
        help_text=_("Ảnh JPEG, PNG, WebP hoặc GIF, tối đa 5 MB."),
    )
    # Settlement: where the district shop pays the producer its sales.
    bank_name = models.CharField(_("Ngân hàng"), max_length=128, blank=True)
    bank_account_number = models.CharField(
        _("Số tài khoản"), max_length=19, blank=True, validators=[validate_bank_account],
    )
    bank_account_holder = models.CharField(_("Chủ tài khoản"), max_length=128, blank=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("Chủ thể OCOP")
        verbose_name_plural = _("Chủ thể OCOP")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.tax_code = normalize_tax_code(self.tax_code)
        self.bank_account_number = (self.bank_account_number or "").strip().replace(" ", "")
        self.bank_account_holder = (self.bank_account_holder or "").strip().upper()
        if self.bank_account_number and not (self.bank_name and self.bank_account_holder):
            raise ValidationError(
                _("Hãy điền đủ ngân hàng, số tài khoản và chủ tài khoản để nhận thanh toán.")
            )

    @property
    def name(self):
        return self.partner.name


class ChangeRequest(models.Model):
    """A producer's proposed change of its listing, waiting for the district office.

    Nothing a shopper sees changes until the office approves (``vendors.moderation``):
    a new product stays hidden (``is_public=False``), a new price stays out of
    the StockRecord, a new certificate or photo is kept here (values in
    ``proposed``, the uploaded file in ``attachment``) and only created on approval.
    """

    class Kind(models.TextChoices):
        NEW_PRODUCT = "new_product", _("Đăng bán sản phẩm mới")
        UPDATE = "update", _("Sửa thông tin, giá")
        CERTIFICATE = "certificate", _("Giấy chứng nhận OCOP mới")
        PHOTO = "photo", _("Ảnh sản phẩm mới")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Bị từ chối")
        WITHDRAWN = "withdrawn", _("Đã rút lại")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="change_requests",
        verbose_name=_("Chủ thể OCOP"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="change_requests",
        verbose_name=_("Sản phẩm"),
    )
    kind = models.CharField(_("Loại thay đổi"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING,
        db_index=True,
    )
    proposed = models.JSONField(_("Giá trị đề nghị"), default=dict, blank=True)
    previous = models.JSONField(_("Giá trị lúc gửi"), default=dict, blank=True)
    # Private (settings.PRIVATE_MEDIA_ROOT, no URL): read only through the checked
    # views of vendors.views, see catalogue.uploads.
    attachment = models.FileField(
        _("Tệp kèm theo"), upload_to=GeneratedName("vendors/changes/%Y/"),
        storage=private_storage, blank=True, validators=[validate_scan_upload],
        help_text=_("Ảnh sản phẩm hoặc bản scan quyết định chờ duyệt."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người gửi"),
    )
    created_at = models.DateTimeField(_("Gửi lúc"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người duyệt"),
    )
    reviewed_at = models.DateTimeField(_("Duyệt lúc"), null=True, blank=True)
    reason = models.TextField(_("Lý do"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Yêu cầu thay đổi")
        verbose_name_plural = _("Yêu cầu thay đổi")
        permissions = [("review_changerequest", _("Duyệt yêu cầu thay đổi của chủ thể"))]
        indexes = [models.Index(fields=["status", "created_at"], name="vendors_change_status_time")]

    def __str__(self):
        return _("%(kind)s — %(product)s") % {
            "kind": self.get_kind_display(),
            "product": self.product.title if self.product_id else "?",
        }

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class RevenueShare(models.Model):
    """What one sold order line earns one seller, fixed when the line is sold.

    Written by ``vendors.settlement.record_shares`` in the transaction that
    writes the line (online checkout and till alike): a single product's line
    gives its seller the whole line amount; a combo line is split among its
    components' sellers by ``catalogue.combos.revenue_split`` with the
    composition and list prices *of that moment*, so a later change of the
    combo never rewrites what a producer has earned.
    """

    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="revenue_shares",
        verbose_name=_("Dòng đơn hàng"),
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="revenue_shares",
        verbose_name=_("Người bán"),
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Mặt hàng"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Sản phẩm"),
    )
    title = models.CharField(_("Tên sản phẩm"), max_length=255)
    quantity = models.PositiveIntegerField(_("Số lượng"))
    list_price = models.DecimalField(_("Giá niêm yết"), max_digits=14, decimal_places=0)
    amount = models.DecimalField(_("Thành tiền"), max_digits=14, decimal_places=0)
    combo_title = models.CharField(
        _("Trong combo"), max_length=255, blank=True,
        help_text=_("Tên combo nếu phần này được bán trong một combo quà tặng."),
    )

    class Meta:
        ordering = ["line_id", "pk"]
        verbose_name = _("Phần doanh thu")
        verbose_name_plural = _("Phần doanh thu")
        permissions = [("view_settlement", _("Xem báo cáo quyết toán của các chủ thể"))]
        indexes = [models.Index(fields=["partner", "line"], name="vendors_share_partner_line")]

    def __str__(self):
        return f"{self.title} × {self.quantity}: {self.amount}"

    @property
    def via_combo(self):
        return bool(self.combo_title)
