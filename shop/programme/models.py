"""The OCOP programme's own facts: plan periods and targets, producers' programme facts,
commune officers, and the periodic reports the office submits to the district committee.

Rules live beside: ``targets`` (live values of the targets), ``figures`` (the
dashboard's aggregates), ``reports`` (periods, due dates, snapshots, versions),
``exports`` (XLSX, PDF, the national registry CSV).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlanPeriod(models.Model):
    """A plan of the programme (the seed's 2021–2025; a new one, 2026–2030, is data)."""

    name = models.CharField(_("Tên kế hoạch"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("Từ năm"))
    end_year = models.PositiveSmallIntegerField(_("Đến năm"))
    decision = models.CharField(_("Văn bản ban hành"), max_length=255, blank=True)

    class Meta:
        ordering = ["-start_year", "pk"]
        verbose_name = _("Kế hoạch OCOP")
        verbose_name_plural = _("Kế hoạch OCOP")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="programme_plan_years",
                violation_error_message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"


class Target(models.Model):
    """One target of a plan: a measure (``Measure``) and the value it must reach."""

    class Measure(models.TextChoices):
        PRODUCTS_3_STARS = "products_3_stars", _("Sản phẩm OCOP đạt 3 sao trở lên")
        PRODUCTS_5_STARS = "products_5_stars", _("Sản phẩm OCOP 5 sao (chuỗi giá trị quốc gia)")
        COOPERATIVE_SHARE = "cooperative_share", _("Tỉ lệ chủ thể là hợp tác xã")
        SME_SHARE = "sme_share", _("Tỉ lệ chủ thể là doanh nghiệp nhỏ và vừa")
        VALUE_CHAIN_SHARE = "value_chain_share", _(
            "Tỉ lệ chủ thể có chuỗi giá trị khép kín gắn vùng nguyên liệu ổn định"
        )
        UPGRADED_SHARE = "upgraded_share", _("Tỉ lệ sản phẩm OCOP được củng cố, nâng hạng")
        TRAINED_WORKERS_SHARE = "trained_workers_share", _(
            "Tỉ lệ lao động của chủ thể được đào tạo có chứng chỉ"
        )
        MODERN_CHANNEL_SHARE = "modern_channel_share", _(
            "Tỉ lệ chủ thể bán qua kênh hiện đại (siêu thị, chuỗi, thương mại điện tử)"
        )
        SHOWCASE_POINTS = "showcase_points", _("Điểm giới thiệu và bán sản phẩm OCOP của huyện")
        COMMUNE_POINTS = "commune_points", _("Điểm bán sản phẩm OCOP tại xã")

    class Unit(models.TextChoices):
        COUNT = "count", _("Số lượng")
        PERCENT = "percent", _("Phần trăm")

    plan = models.ForeignKey(
        PlanPeriod, on_delete=models.CASCADE, related_name="targets", verbose_name=_("Kế hoạch"),
    )
    measure = models.CharField(_("Chỉ tiêu"), max_length=32, choices=Measure.choices)
    unit = models.CharField(_("Đơn vị"), max_length=8, choices=Unit.choices)
    minimum = models.DecimalField(
        _("Tối thiểu"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))],
    )
    maximum = models.DecimalField(
        _("Tối đa (nếu là khoảng)"), max_digits=8, decimal_places=2, null=True, blank=True,
        help_text=_("Ví dụ chỉ tiêu 30–40%: tối thiểu 30, tối đa 40."),
    )
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("Chỉ tiêu")
        verbose_name_plural = _("Chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["plan", "measure"], name="programme_target_unique"),
        ]

    def __str__(self):
        return self.get_measure_display()


class ProducerFacts(models.Model):
    """What the programme counts about a producer that a sale does not tell.

    Edited by the producer, confirmed by the office (``confirmed_at`` is the date
    the office last confirmed the figures; an edit clears it).
    """

    vendor = models.OneToOneField(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="programme_facts",
        verbose_name=_("Chủ thể OCOP"),
    )
    closed_value_chain = models.BooleanField(
        _("Có chuỗi giá trị khép kín"), default=False,
        help_text=_("Từ vùng nguyên liệu đến sản phẩm bán ra, có liên kết ổn định."),
    )
    raw_material_area_code = models.CharField(
        _("Mã vùng nguyên liệu"), max_length=64, blank=True,
        help_text=_("Mã số vùng trồng / vùng nguyên liệu ổn định, nếu có."),
    )
    workers = models.PositiveIntegerField(_("Số lao động"), default=0)
    trained_workers = models.PositiveIntegerField(
        _("Số lao động được đào tạo có chứng chỉ"), default=0,
    )
    modern_channels = models.CharField(
        _("Kênh bán hiện đại khác"), max_length=500, blank=True,
        help_text=_("Siêu thị, chuỗi cửa hàng tiện lợi, sàn thương mại điện tử đang bán (ngoài cửa hàng này)."),
    )
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)
    confirmed_at = models.DateTimeField(_("Phòng xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người xác nhận"),
    )

    class Meta:
        verbose_name = _("Thông tin chương trình của chủ thể")
        verbose_name_plural = _("Thông tin chương trình của chủ thể")
        constraints = [
            models.CheckConstraint(
                condition=Q(trained_workers__lte=models.F("workers")),
                name="programme_trained_within_workers",
                violation_error_message=_("Số lao động được đào tạo không được lớn hơn tổng số lao động."),
            ),
        ]

    def __str__(self):
        return str(self.vendor_id)


class CommuneOfficer(models.Model):
    """A commune's OCOP officer: reads the programme page limited to the commune's producers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commune_officer",
        verbose_name=_("Tài khoản"),
    )
    commune = models.ForeignKey(
        "vendors.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Xã / thị trấn"),
    )

    class Meta:
        verbose_name = _("Cán bộ OCOP xã")
        verbose_name_plural = _("Cán bộ OCOP xã")

    def __str__(self):
        return f"{self.user_id} @ {self.commune_id}"


class Report(models.Model):
    """A periodic report of the programme to the district People's Committee.

    Draft → submitted. Submitting freezes ``snapshot`` (every figure, as JSON), so
    later changes of products or orders never move a submitted report; a
    correction is a new version of the same period, which keeps the old one.
    """

    class Kind(models.TextChoices):
        MONTH = "month", _("Tháng")
        QUARTER = "quarter", _("Quý")
        YEAR = "year", _("Năm")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi")

    kind = models.CharField(_("Loại báo cáo"), max_length=8, choices=Kind.choices)
    period_start = models.DateField(_("Từ ngày"))
    period_end = models.DateField(_("Đến ngày"))
    version = models.PositiveSmallIntegerField(_("Lần"), default=1)
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False,
    )
    number = models.CharField(_("Số"), max_length=32, blank=True)
    symbol = models.CharField(_("Ký hiệu"), max_length=64, blank=True, default="BC-PNN")
    results = models.TextField(_("Kết quả nổi bật"), blank=True)
    difficulties = models.TextField(_("Khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("Đề xuất, kiến nghị"), blank=True)
    snapshot = models.JSONField(_("Số liệu đã chốt"), null=True, blank=True, editable=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by",
        verbose_name=_("Thay cho bản"), editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người lập"),
    )
    created_at = models.DateTimeField(_("Lập lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Sửa lúc"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người gửi"), editable=False,
    )
    submitted_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-period_start", "kind", "-version"]
        verbose_name = _("Báo cáo chương trình OCOP")
        verbose_name_plural = _("Báo cáo chương trình OCOP")
        permissions = [("manage_programme", _("Quản lý chỉ tiêu và báo cáo chương trình OCOP"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "version"], name="programme_report_version",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start"], condition=Q(status="draft"),
                name="programme_one_draft_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%m/%Y} v{self.version}"
