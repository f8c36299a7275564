"""The till: registers, cashiers, sessions, sales, tenders, returns and cash movements.

The rules live in plain modules (``pos/sessions.py``, ``pos/sales.py``,
``pos/returns.py``); these are the rows they write. Money is whole đồng
(``Decimal`` with 0 places); nothing here is a float.
"""

import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 0}


def money_field(label, **kwargs):
    kwargs.setdefault("default", 0)
    return models.DecimalField(label, **MONEY, **kwargs)


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
    max_discount_percent = models.DecimalField(
        _("Mức giảm giá tối đa riêng (%)"), max_digits=5, decimal_places=2,
        null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Để trống để dùng mức của vai trò (nhóm người dùng)."),
    )
    manager_pin = models.CharField(
        _("Mã PIN quản lý (đã băm)"), max_length=128, blank=True, editable=False,
    )

    class Meta:
        verbose_name = _("Thu ngân")
        verbose_name_plural = _("Thu ngân")

    def __str__(self):
        return f"{self.user} @ {self.location}"

    def set_manager_pin(self, pin):
        self.manager_pin = make_password(pin) if pin else ""

    def check_manager_pin(self, pin):
        return bool(self.manager_pin and pin) and check_password(pin, self.manager_pin)


class DiscountLimit(models.Model):
    """The largest discount (percent of a line) a role may give without a manager."""

    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="pos_discount_limit",
        verbose_name=_("Vai trò"),
    )
    max_percent = models.DecimalField(
        _("Giảm tối đa (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("Hạn mức giảm giá")
        verbose_name_plural = _("Hạn mức giảm giá")

    def __str__(self):
        return f"{self.group}: {self.max_percent} %"


class ReceiptCounter(models.Model):
    """The last receipt number of a register; locked while the next one is taken."""

    register = models.OneToOneField(
        Register, on_delete=models.CASCADE, primary_key=True, related_name="receipt_counter",
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Bộ đếm số hoá đơn")
        verbose_name_plural = _("Bộ đếm số hoá đơn")

    def __str__(self):
        return f"{self.register_id}: {self.last_number}"


class TillSession(models.Model):
    """A shift on one register, from the counted opening float to the closing count."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("Quầy"),
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="till_sessions",
        verbose_name=_("Thu ngân mở ca"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN,
    )
    opening_float = money_field(_("Tiền đầu ca"))
    opened_at = models.DateTimeField(_("Mở lúc"), default=timezone.now)
    closed_at = models.DateTimeField(_("Đóng lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Người đóng ca"),
    )
    counted_cash = models.DecimalField(_("Tiền mặt đếm được"), **MONEY, null=True, blank=True)
    expected_cash = models.DecimalField(
        _("Tiền mặt theo sổ khi đóng ca"), **MONEY, null=True, blank=True,
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("Ca bán hàng")
        verbose_name_plural = _("Ca bán hàng")
        constraints = [
            models.UniqueConstraint(
                fields=["register"], condition=Q(status="open"),
                name="pos_one_open_session_per_register",
                violation_error_message=_("Quầy này đang có một ca mở."),
            ),
        ]

    def __str__(self):
        return _("Ca #%(pk)s — %(register)s") % {"pk": self.pk, "register": self.register.code}

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class TenderKind(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")
    CARD_TERMINAL = "card_terminal", _("Thẻ (máy POS ngân hàng)")


class TillSale(models.Model):
    """One receipt: the till's view of a sale; its Oscar order is ``order``."""

    client_uuid = models.UUIDField(_("Mã do máy quầy tạo"), unique=True, default=uuid.uuid4)
    session = models.ForeignKey(
        TillSession, on_delete=models.PROTECT, related_name="sales", verbose_name=_("Ca"),
    )
    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="sales", verbose_name=_("Quầy"),
    )
    location = models.ForeignKey(
        "showroom.Location", on_delete=models.PROTECT, related_name="till_sales",
        verbose_name=_("Điểm bán"),
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="till_sales",
        verbose_name=_("Thu ngân"),
    )
    receipt_number = models.PositiveIntegerField(_("Số hoá đơn"))
    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="till_sale",
        verbose_name=_("Đơn hàng"),
    )
    subtotal = money_field(_("Tổng trước giảm giá"))
    line_discount_total = money_field(_("Giảm giá theo dòng"))
    order_discount_percent = models.DecimalField(
        _("Giảm giá cả đơn (%)"), max_digits=5, decimal_places=2, default=0,
    )
    order_discount = money_field(_("Giảm giá cả đơn"))
    total = money_field(_("Tổng thanh toán"))
    cash_rounding = money_field(_("Làm tròn tiền mặt"))
    paid_total = money_field(_("Khách đã trả"))
    change_due = money_field(_("Tiền thối lại"))
    client_total = models.DecimalField(_("Tổng theo máy quầy"), **MONEY, null=True, blank=True)
    price_difference = money_field(
        _("Chênh lệch giá (máy chủ − máy quầy)"),
        help_text=_("Khác 0 khi máy quầy dùng giá cũ; đơn luôn tính theo giá của máy chủ."),
    )
    price_differences = models.JSONField(_("Chi tiết chênh lệch giá"), default=list, blank=True)
    review_notes = models.JSONField(_("Cần xem lại"), default=list, blank=True)
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("Quản lý duyệt giảm giá"),
    )
    was_offline = models.BooleanField(_("Bán khi mất mạng"), default=False)
    rung_at = models.DateTimeField(_("Bán lúc"), default=timezone.now)
    created_at = models.DateTimeField(_("Ghi nhận lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Hoá đơn tại quầy")
        verbose_name_plural = _("Hoá đơn tại quầy")
        permissions = [("approve_discount", _("Duyệt giảm giá vượt hạn mức tại quầy"))]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "receipt_number"], name="pos_sale_unique_receipt_number"
            ),
        ]

    def __str__(self):
        return self.receipt_label

    @property
    def receipt_label(self):
        return f"{self.register.code}-{self.receipt_number:06d}"

    @property
    def discount_total(self):
        return self.line_discount_total + self.order_discount


class TillSaleLine(models.Model):
    sale = models.ForeignKey(TillSale, on_delete=models.CASCADE, related_name="lines")
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="+",
    )
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="+")
    order_line = models.OneToOneField(
        "order.Line", on_delete=models.PROTECT, related_name="till_sale_line",
    )
    title = models.CharField(_("Tên hàng"), max_length=255)
    code = models.CharField(_("Mã vạch"), max_length=64, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("Hạng sao OCOP"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("Số lượng"))
    unit_price = money_field(_("Đơn giá"))
    client_unit_price = models.DecimalField(**MONEY, null=True, blank=True)
    discount_percent = models.DecimalField(
        _("Giảm giá dòng (%)"), max_digits=5, decimal_places=2, default=0,
    )
    discount = money_field(_("Giảm giá dòng"))
    order_discount_share = money_field(_("Phần giảm giá cả đơn"))
    net_total = money_field(_("Thành tiền"))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.title} × {self.quantity}"

    @property
    def gross(self):
        return self.unit_price * self.quantity


class Tender(models.Model):
    """One payment of a sale: cash (with what was handed over), VietQR or card terminal."""

    sale = models.ForeignKey(TillSale, on_delete=models.CASCADE, related_name="tenders")
    kind = models.CharField(_("Hình thức"), max_length=16, choices=TenderKind.choices)
    amount = money_field(_("Số tiền"))
    tendered = money_field(_("Khách đưa"))
    change = money_field(_("Tiền thối"))
    reference = models.CharField(_("Mã giao dịch"), max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class CashMovement(models.Model):
    """Cash put into or taken out of the drawer during a session, with why."""

    class Kind(models.TextChoices):
        IN = "in", _("Nộp tiền vào két")
        OUT = "out", _("Rút tiền khỏi két")

    session = models.ForeignKey(
        TillSession, on_delete=models.PROTECT, related_name="cash_movements",
    )
    kind = models.CharField(_("Loại"), max_length=4, choices=Kind.choices)
    amount = money_field(_("Số tiền"))
    reason = models.CharField(_("Lý do"), max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Lúc"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Thu / chi tiền mặt")
        verbose_name_plural = _("Thu / chi tiền mặt")

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}: {self.reason}"

    @property
    def signed_amount(self):
        return self.amount if self.kind == self.Kind.IN else -self.amount


class TillReturn(models.Model):
    """Goods brought back from an earlier receipt, and the money given back."""

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    sale = models.ForeignKey(TillSale, on_delete=models.PROTECT, related_name="returns")
    session = models.ForeignKey(TillSession, on_delete=models.PROTECT, related_name="returns")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="returns")
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    refund_kind = models.CharField(_("Hoàn tiền bằng"), max_length=16, choices=TenderKind.choices)
    refund_total = money_field(_("Số tiền hoàn"))
    cash_rounding = money_field(_("Làm tròn tiền mặt"))
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Lúc"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Phiếu trả hàng")
        verbose_name_plural = _("Phiếu trả hàng")

    def __str__(self):
        return _("Phiếu trả #%(pk)s") % {"pk": self.pk}

    @property
    def refund_paid(self):
        return self.refund_total + self.cash_rounding


class TillReturnLine(models.Model):
    till_return = models.ForeignKey(TillReturn, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(TillSaleLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField(_("Số lượng trả"))
    amount = money_field(_("Tiền hoàn"))
    damaged = models.BooleanField(_("Hàng hỏng"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sale_line_id} × {self.quantity}"


class ApprovalAttempt(models.Model):
    """A manager's approval (PIN or password) tried at a register, right or wrong.

    ``pos.approvals`` reads the latest rows of a register to refuse further tries for
    a while after too many wrong ones; the office can see who was tried, and when.
    """

    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, related_name="approval_attempts",
        verbose_name=_("Quầy"),
    )
    username = models.CharField(_("Quản lý (như đã nhập)"), max_length=150, blank=True)
    ok = models.BooleanField(_("Đúng"), default=False)
    created_at = models.DateTimeField(_("Lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["register", "-created_at"])]
        verbose_name = _("Lần duyệt của quản lý")
        verbose_name_plural = _("Các lần duyệt của quản lý")

    def __str__(self):
        return f"{self.register_id} {self.username} {'ok' if self.ok else '✗'} {self.created_at}"
