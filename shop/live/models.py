"""Livestream selling: who sells, what they link to, their sessions, holds and earnings.

The rules live in plain modules beside this one (``attribution``, ``pricing``,
``holds``, ``commission``, ``sessions``); these models only keep the facts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Seller(models.Model):
    """A livestream seller: a district host, a youth-union volunteer, or a producer selling live."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_seller",
        verbose_name=_("Tài khoản"),
    )
    display_name = models.CharField(_("Tên hiển thị"), max_length=128)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Chủ thể OCOP (nếu người bán là chủ thể)"),
        help_text=_("Chủ thể bán hàng của chính mình chỉ thấy và bán sản phẩm của mình."),
    )
    commission_rate = models.DecimalField(
        _("Tỉ lệ hoa hồng (%)"), max_digits=5, decimal_places=2, default=Decimal(5),
        validators=PERCENT,
    )
    bank_name = models.CharField(_("Ngân hàng"), max_length=128, blank=True)
    bank_account = models.CharField(_("Số tài khoản"), max_length=32, blank=True)
    bank_account_name = models.CharField(_("Chủ tài khoản"), max_length=128, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("Người bán livestream")
        verbose_name_plural = _("Người bán livestream")
        permissions = [("manage_live", _("Quản lý bán hàng livestream (hoa hồng, giá sàn)"))]

    def __str__(self):
        return self.display_name


class LiveSession(models.Model):
    """One live broadcast: scheduled, live, then ended (or cancelled before it began)."""

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook Live"
        TIKTOK = "tiktok", "TikTok Live"
        YOUTUBE = "youtube", "YouTube Live"
        ZALO = "zalo", "Zalo"
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        LIVE = "live", _("Đang phát")
        ENDED = "ended", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã huỷ")

    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("Người bán"),
    )
    title = models.CharField(_("Tiêu đề"), max_length=200)
    platform = models.CharField(
        _("Nền tảng"), max_length=16, choices=Platform.choices, default=Platform.FACEBOOK,
    )
    stream_url = models.URLField(_("Địa chỉ phát"), max_length=500, blank=True)
    scheduled_start = models.DateTimeField(_("Bắt đầu dự kiến"))
    scheduled_end = models.DateTimeField(_("Kết thúc dự kiến"))
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.SCHEDULED,
        editable=False,
    )
    started_at = models.DateTimeField(_("Bắt đầu lúc"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True, editable=False)
    commission_rate = models.DecimalField(
        _("Tỉ lệ hoa hồng riêng của phiên (%)"), max_digits=5, decimal_places=2,
        null=True, blank=True, validators=PERCENT,
        help_text=_("Để trống để dùng tỉ lệ của người bán."),
    )
    pinned = models.ForeignKey(
        "LiveOffer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Sản phẩm đang ghim"), editable=False,
    )
    page_feed_id = models.CharField(
        _("Mã bài phát trên Facebook"), max_length=128, blank=True,
        help_text=_("Mã bài viết của buổi phát trên Trang (để nhận bình luận tự động)."),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_start", "-pk"]
        verbose_name = _("Phiên livestream")
        verbose_name_plural = _("Phiên livestream")
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduled_end__gt=F("scheduled_start")),
                name="live_session_end_after_start",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu."),
            ),
        ]
        indexes = [models.Index(fields=["status", "seller"], name="live_session_status")]

    def __str__(self):
        return self.title

    @property
    def is_live(self):
        return self.status == self.Status.LIVE

    def rate(self):
        return self.commission_rate if self.commission_rate is not None else self.seller.commission_rate


class LiveOffer(models.Model):
    """A product or combo featured in a session, with its optional live price and cap."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Phiên"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Sản phẩm / combo"),
    )
    code = models.CharField(
        _("Mã chốt đơn"), max_length=16,
        help_text=_("Mã người bán đọc trên sóng, người xem gõ vào bình luận (ví dụ SAM2)."),
    )
    live_price = models.DecimalField(
        _("Giá livestream"), max_digits=14, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(Decimal(1))],
    )
    cap = models.PositiveIntegerField(
        _("Giới hạn số lượng giá live"), null=True, blank=True,
        help_text=_("Để trống: không giới hạn (vẫn theo tồn kho)."),
    )
    sold = models.PositiveIntegerField(_("Đã dùng giá live"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    created_at = models.DateTimeField(_("Thêm lúc"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Sản phẩm trong phiên")
        verbose_name_plural = _("Sản phẩm trong phiên")
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="live_offer_unique_product"),
            models.UniqueConstraint(fields=["session", "code"], name="live_offer_unique_code"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(sold__lte=F("cap")),
                name="live_offer_sold_within_cap",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.product_id}"

    @property
    def remaining_cap(self):
        return None if self.cap is None else max(0, self.cap - self.sold)


class LivePriceFloor(models.Model):
    """The lowest live price the seller of an offer accepts (a producer's, or the office's for combos)."""

    stockrecord = models.OneToOneField(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="live_price_floor",
        verbose_name=_("Mặt hàng"),
    )
    min_price = models.DecimalField(
        _("Giá live thấp nhất chấp nhận"), max_digits=14, decimal_places=0,
        validators=[MinValueValidator(Decimal(1))],
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người đặt"),
    )
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Giá sàn livestream")
        verbose_name_plural = _("Giá sàn livestream")

    def __str__(self):
        return f"{self.stockrecord_id} ≥ {self.min_price}"


class Link(models.Model):
    """A seller's short link (``/l/<code>``) to a product or combo, optionally for one session."""

    code = models.CharField(_("Mã"), max_length=16, unique=True)
    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="links", verbose_name=_("Người bán"),
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Sản phẩm / combo"),
    )
    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, null=True, blank=True, related_name="links",
        verbose_name=_("Phiên"),
    )
    clicks = models.PositiveIntegerField(_("Lượt bấm"), default=0, editable=False)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Liên kết bán hàng")
        verbose_name_plural = _("Liên kết bán hàng")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "product", "session"], name="live_link_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return self.code


class Click(models.Model):
    """One counted visit through a link (bots and a visitor's repeats within a minute left out)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="click_rows")
    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
    )
    visitor = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["link", "visitor", "at"], name="live_click_visitor"),
            models.Index(fields=["session", "at"], name="live_click_session"),
        ]

    def __str__(self):
        return f"{self.link_id} @ {self.at:%Y-%m-%d %H:%M}"


class BasketAddition(models.Model):
    """A buyer carrying a session's attribution put a product in the basket (the report's "baskets")."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="basket_additions",
    )
    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["session", "at"], name="live_basket_session")]

    def __str__(self):
        return f"{self.session_id}: {self.product_id}"


class Attribution(models.Model):
    """Who brought the buyer of an order line: seller, session, link and live offer if any."""

    line = models.OneToOneField(
        "order.Line", on_delete=models.CASCADE, related_name="live_attribution",
        verbose_name=_("Dòng đơn hàng"),
    )
    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="attributions", verbose_name=_("Người bán"),
    )
    session = models.ForeignKey(
        LiveSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="attributions",
        verbose_name=_("Phiên"),
    )
    link = models.ForeignKey(
        Link, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Liên kết"),
    )
    offer = models.ForeignKey(
        LiveOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="attributions",
        verbose_name=_("Giá live đã áp dụng"),
    )
    hold = models.ForeignKey(
        "Hold", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Từ bình luận chốt đơn"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("Nguồn đơn livestream")
        verbose_name_plural = _("Nguồn đơn livestream")

    def __str__(self):
        return f"{self.line_id} ← {self.seller_id}"


class Comment(models.Model):
    """A viewer's comment, pasted by the seller or sent by the Page webhook."""

    class Source(models.TextChoices):
        PASTE = "paste", _("Dán vào")
        FACEBOOK = "facebook", "Facebook"

    class Outcome(models.TextChoices):
        HOLD = "hold", _("Đã giữ hàng")
        DUPLICATE = "duplicate", _("Trùng (đã có giữ hàng)")
        UNREADABLE = "unreadable", _("Không đọc được")
        UNKNOWN_CODE = "unknown_code", _("Mã sản phẩm không có trong phiên")
        REFUSED = "refused", _("Không giữ được")

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Phiên"),
    )
    source = models.CharField(_("Nguồn"), max_length=16, choices=Source.choices)
    external_id = models.CharField(max_length=128, blank=True)
    author = models.CharField(_("Người bình luận"), max_length=128, blank=True)
    text = models.TextField(_("Nội dung"))
    outcome = models.CharField(_("Kết quả"), max_length=16, choices=Outcome.choices)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("Nhận lúc"), default=timezone.now)
    handled = models.BooleanField(_("Đã xử lý"), default=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Bình luận")
        verbose_name_plural = _("Bình luận")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""),
                name="live_comment_unique_external",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Hold(models.Model):
    """Stock held for a comment order until the seller confirms it or it expires."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang giữ")
        CONFIRMED = "confirmed", _("Đã thành đơn")
        EXPIRED = "expired", _("Hết hạn giữ")
        CANCELLED = "cancelled", _("Đã huỷ")

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="holds", verbose_name=_("Phiên"),
    )
    offer = models.ForeignKey(
        LiveOffer, on_delete=models.PROTECT, related_name="holds", verbose_name=_("Sản phẩm"),
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds",
        verbose_name=_("Bình luận"),
    )
    phone = models.CharField(_("Điện thoại"), max_length=16)
    quantity = models.PositiveIntegerField(_("Số lượng"))
    unit_price = models.DecimalField(_("Đơn giá"), max_digits=14, decimal_places=0)
    live_priced = models.BooleanField(_("Giá live"), default=False)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN,
    )
    expires_at = models.DateTimeField(_("Giữ đến"))
    reference = models.CharField(max_length=32, unique=True)
    order = models.ForeignKey(
        "order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Đơn hàng"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Giữ hàng theo bình luận")
        verbose_name_plural = _("Giữ hàng theo bình luận")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "offer", "phone"],
                condition=Q(status__in=["open", "confirmed"]),
                name="live_hold_one_per_phone_item",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="live_hold_expiry")]

    def __str__(self):
        return self.reference


class CommissionEntry(models.Model):
    """A change of what a seller earned on one order line: accrual (+) or reversal (−), whole đồng."""

    class Kind(models.TextChoices):
        ACCRUAL = "accrual", _("Ghi nhận hoa hồng")
        REVERSAL = "reversal", _("Điều chỉnh giảm")

    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="commissions", verbose_name=_("Người bán"),
    )
    attribution = models.ForeignKey(
        Attribution, on_delete=models.CASCADE, related_name="commission_entries",
    )
    session = models.ForeignKey(
        LiveSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices)
    base = models.DecimalField(_("Doanh thu tính hoa hồng"), max_digits=14, decimal_places=0)
    rate = models.DecimalField(_("Tỉ lệ (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("Số tiền"), max_digits=14, decimal_places=0)
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Hoa hồng")
        verbose_name_plural = _("Hoa hồng")
        indexes = [models.Index(fields=["seller", "created_at"], name="live_commission_seller")]

    def __str__(self):
        return f"{self.seller_id}: {self.amount}"
