from django.conf import settings
from django.db import models
from django.utils import timezone
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


# --- The one inventory -----------------------------------------------------
#
# Only the showroom/inventory/ package writes the quantity columns below (and Oscar's
# StockRecord.num_in_stock / num_allocated). Everything else reads them.

MAX_QUANTITY = 100_000


class Stock(models.Model):
    """How many units of one product offer (Oscar ``StockRecord``) sit at one location.

    ``quantity`` is on hand and may go negative (the till never refuses goods
    in the cashier's hand); ``quantity_allocated`` is what open online
    allocations hold. Saleor: ``Stock``.
    """

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="stocks", verbose_name=_("Điểm bán"),
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="location_stocks",
        verbose_name=_("Hàng của chủ thể"),
    )
    quantity = models.IntegerField(_("Tồn thực tế"), default=0, editable=False)
    quantity_allocated = models.PositiveIntegerField(
        _("Đã giữ cho đơn trực tuyến"), default=0, editable=False,
    )
    low_stock_threshold = models.PositiveIntegerField(
        _("Ngưỡng sắp hết hàng"), null=True, blank=True,
        help_text=_("Báo sắp hết khi số còn bán được ở điểm này không quá ngưỡng này."),
    )
    needs_reconciliation = models.BooleanField(
        _("Cần đối soát"), default=False, editable=False,
        help_text=_("Quầy đã bán nhiều hơn số trên sổ; cần kiểm kê lại."),
    )
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["stockrecord_id", "location_id"]
        verbose_name = _("Tồn kho tại điểm")
        verbose_name_plural = _("Tồn kho tại điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "stockrecord"], name="showroom_stock_unique_location_offer"
            ),
        ]

    def __str__(self):
        return f"{self.stockrecord.product} @ {self.location}"

    @property
    def free(self):
        """Units here not promised to an online order (never below zero)."""
        return max(0, self.quantity - self.quantity_allocated)


class Receipt(models.Model):
    """Goods delivered by a producer into a location (one delivery note)."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("Điểm bán"),
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Chủ thể giao hàng"),
    )
    reference = models.CharField(_("Số phiếu giao hàng"), max_length=64, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người nhập"),
    )
    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Phiếu nhập hàng")
        verbose_name_plural = _("Phiếu nhập hàng")

    def __str__(self):
        return _("Phiếu nhập #%(pk)s") % {"pk": self.pk}


class Transfer(models.Model):
    """Goods moved between two locations: out when sent, in when received."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        IN_TRANSIT = "in_transit", _("Đang chuyển")
        RECEIVED = "received", _("Đã nhận")
        CANCELLED = "cancelled", _("Đã huỷ")

    source = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("Từ điểm"),
    )
    destination = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("Đến điểm"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT,
        editable=False,
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người lập"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người gửi"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người nhận"),
    )
    created_at = models.DateTimeField(_("Lập lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("Nhận lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Phiếu chuyển kho")
        verbose_name_plural = _("Phiếu chuyển kho")

    def __str__(self):
        return _("Phiếu chuyển #%(pk)s") % {"pk": self.pk}


class TransferLine(models.Model):
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="lines", verbose_name=_("Phiếu chuyển"),
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Hàng của chủ thể"),
    )
    quantity = models.PositiveIntegerField(_("Số lượng"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "stockrecord"], name="showroom_transferline_unique_offer"
            ),
        ]

    def __str__(self):
        return f"{self.stockrecord_id} × {self.quantity}"


class StockCount(models.Model):
    """A count of the shelves of one location; differences become adjustments."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="counts", verbose_name=_("Điểm bán"),
    )
    reason = models.CharField(_("Lý do điều chỉnh"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người kiểm kê"),
    )
    created_at = models.DateTimeField(_("Kiểm kê lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Phiếu kiểm kê")
        verbose_name_plural = _("Phiếu kiểm kê")

    def __str__(self):
        return _("Kiểm kê #%(pk)s") % {"pk": self.pk}


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("Phiếu kiểm kê"),
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Hàng của chủ thể"),
    )
    expected = models.IntegerField(_("Số trên sổ"))
    counted = models.PositiveIntegerField(_("Số đếm được"))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.stockrecord_id}: {self.expected} → {self.counted}"

    @property
    def difference(self):
        return self.counted - self.expected


class Allocation(models.Model):
    """Units of one stock held for one online order line (Saleor: ``Allocation``).

    A *hold* (a livestream comment order not yet confirmed) is an allocation with
    no order line yet, named by ``hold``; confirming it hands it to the order line.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Đang giữ")
        CONSUMED = "consumed", _("Đã xuất")
        RELEASED = "released", _("Đã trả lại")

    line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="stock_allocations",
        verbose_name=_("Dòng đơn hàng"), null=True, blank=True,
    )
    hold = models.CharField(
        _("Giữ hàng theo bình luận"), max_length=32, blank=True, default="", db_index=True,
    )
    stock = models.ForeignKey(
        Stock, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("Tồn kho"),
    )
    quantity = models.PositiveIntegerField(_("Số lượng"))
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN,
    )
    created_at = models.DateTimeField(_("Giữ lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Hàng giữ cho đơn")
        verbose_name_plural = _("Hàng giữ cho đơn")
        indexes = [models.Index(fields=["stock", "status"], name="showroom_alloc_stock_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line__isnull=False) | ~models.Q(hold=""),
                name="showroom_alloc_line_or_hold",
            ),
        ]

    def __str__(self):
        return f"{self.line_id or self.hold} ← {self.stock_id} × {self.quantity} ({self.status})"


class StockMove(models.Model):
    """One line of the stock ledger: every change of a quantity, with who, why and what for."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Nhập hàng từ chủ thể")
        ALLOCATION = "allocation", _("Giữ hàng cho đơn trực tuyến")
        ALLOCATION_RELEASE = "allocation_release", _("Trả hàng giữ (huỷ đơn)")
        FULFILMENT = "fulfilment", _("Xuất hàng cho đơn trực tuyến")
        POS_SALE = "pos_sale", _("Bán tại quầy")
        POS_RETURN = "pos_return", _("Khách trả hàng tại quầy")
        TRANSFER_OUT = "transfer_out", _("Chuyển đi")
        TRANSFER_IN = "transfer_in", _("Nhận chuyển đến")
        ADJUSTMENT = "adjustment", _("Điều chỉnh sau kiểm kê")
        HOLD = "hold", _("Giữ hàng theo bình luận livestream")
        HOLD_RELEASE = "hold_release", _("Trả hàng giữ theo bình luận")

    class ReferenceType(models.TextChoices):
        RECEIPT = "receipt", _("Phiếu nhập")
        ORDER = "order", _("Đơn hàng")
        TILL_SALE = "till_sale", _("Hoá đơn tại quầy")
        TRANSFER = "transfer", _("Phiếu chuyển")
        COUNT = "count", _("Phiếu kiểm kê")
        HOLD = "hold", _("Giữ hàng livestream")

    stock = models.ForeignKey(
        Stock, on_delete=models.PROTECT, related_name="moves", verbose_name=_("Tồn kho"),
    )
    kind = models.CharField(_("Loại"), max_length=24, choices=Kind.choices)
    quantity = models.IntegerField(_("Thay đổi tồn thực tế"))
    allocated = models.IntegerField(_("Thay đổi hàng giữ"), default=0)
    balance = models.IntegerField(_("Tồn sau"))
    allocated_balance = models.IntegerField(_("Giữ sau"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người thực hiện"),
    )
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    reference_type = models.CharField(
        _("Loại chứng từ"), max_length=16, choices=ReferenceType.choices,
    )
    reference = models.CharField(_("Số chứng từ"), max_length=64, blank=True)
    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="moves",
    )
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="moves",
    )
    count = models.ForeignKey(
        StockCount, on_delete=models.PROTECT, null=True, blank=True, related_name="moves",
    )
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, null=True, blank=True, related_name="moves",
    )
    created_at = models.DateTimeField(_("Thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Dòng sổ kho")
        verbose_name_plural = _("Sổ kho")
        indexes = [
            models.Index(fields=["stock", "created_at"], name="showroom_move_stock_time"),
            models.Index(fields=["kind", "created_at"], name="showroom_move_kind_time"),
            models.Index(fields=["reference_type", "reference"], name="showroom_move_reference"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity:+d}"
