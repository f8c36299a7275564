"""E-invoices stored with the sale: what the tax authority's XML needs, and where it stands.

* ``SellerProfile``: who sells at a sales point — the operator's legal name, tax code
  and address, and the invoice form and serial of its cash register (``1C26MDH``:
  form 1 = VAT invoice, C = with the tax authority's code, 26 = the year, M = generated
  from a cash register, DH = the shop's letters). Data per location.
* ``Invoice``: one per till sale and per paid online order (``source``), or an
  adjustment / replacement of an earlier one (``original``). Seller and buyer are copied
  when it is made (a later edit of the profile changes no invoice). ``number`` and the
  tax authority's ``authority_code`` come from the provider when it is issued;
  ``idempotency_key`` is sent with every attempt so a retried issue never makes two.
* ``InvoiceLine``: name, unit, quantity, unit price (VAT included, as on the shelf),
  discount, the VAT rate of the day (``shop.invoicing.vat``), amounts before VAT, VAT
  and total, whole đồng.
* ``sold_at``: the time of the sale an invoice generated from a cash register is dated
  with (Decree 123/2020 art. 9: its date is the time of the sale) — a till sale's
  ``rung_at``, also when it was rung offline and synced days later; its ``number`` is
  still given when it is issued (the provider numbers in the order it receives). Empty
  for other invoices: they are dated the day they are issued. :attr:`Invoice.date`.
* ``InvoiceRequest``: an online buyer's wish for a company VAT invoice (name, tax code,
  address), one per order, used as the buyer of the order's invoice.
* ``ConsolidatedOrder``: an order covered by a consolidated invoice (one invoice for
  several paid orders of one buyer, ``shop.invoicing.consolidation``); an order is in
  at most one.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 0}


class SellerProfile(models.Model):
    location = models.OneToOneField(
        "showroom.Location", on_delete=models.CASCADE, related_name="seller_profile",
        verbose_name=_("Điểm bán"),
    )
    legal_name = models.CharField(_("Tên người bán (theo đăng ký thuế)"), max_length=255)
    tax_code = models.CharField(_("Mã số thuế người bán"), max_length=14)
    address = models.CharField(_("Địa chỉ người bán"), max_length=255)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    bank_account = models.CharField(_("Tài khoản ngân hàng"), max_length=64, blank=True)
    invoice_form = models.CharField(
        _("Ký hiệu mẫu số hoá đơn"), max_length=1, default="1",
        help_text=_("1: hoá đơn giá trị gia tăng; 2: hoá đơn bán hàng."),
    )
    serial = models.CharField(
        _("Ký hiệu hoá đơn"), max_length=6,
        help_text=_("Ví dụ 1C26MDH: C có mã của cơ quan thuế, 26 là năm, M là khởi tạo từ máy "
                    "tính tiền."),
    )
    active = models.BooleanField(_("Đang lập hoá đơn"), default=True)

    class Meta:
        verbose_name = _("Thông tin người bán trên hoá đơn")
        verbose_name_plural = _("Thông tin người bán trên hoá đơn")

    def __str__(self):
        return f"{self.legal_name} ({self.serial})"


class Invoice(models.Model):
    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Hoá đơn gốc")
        ADJUSTMENT = "adjustment", _("Hoá đơn điều chỉnh")
        REPLACEMENT = "replacement", _("Hoá đơn thay thế")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ phát hành")
        ISSUED = "issued", _("Đã phát hành")
        FAILED = "failed", _("Phát hành lỗi")
        CANCELLED = "cancelled", _("Đã huỷ")

    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices, default=Kind.ORIGINAL)
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    idempotency_key = models.UUIDField(_("Khoá chống trùng"), unique=True, default=uuid.uuid4,
                                       editable=False)
    location = models.ForeignKey(
        "showroom.Location", on_delete=models.PROTECT, null=True, blank=True,
        related_name="invoices", verbose_name=_("Điểm bán"),
    )
    till_sale = models.ForeignKey(
        "pos.TillSale", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
        verbose_name=_("Hoá đơn bán lẻ tại quầy"),
    )
    till_return = models.OneToOneField(
        "pos.TillReturn", on_delete=models.PROTECT, null=True, blank=True, related_name="invoice",
        verbose_name=_("Trả hàng tại quầy"),
    )
    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices",
        verbose_name=_("Đơn hàng"),
    )
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("Hoá đơn bị điều chỉnh / thay thế"),
    )
    reason = models.CharField(_("Lý do điều chỉnh / thay thế"), max_length=255, blank=True)
    # the invoice's identity, from the series and the provider
    invoice_form = models.CharField(_("Ký hiệu mẫu số"), max_length=1)
    serial = models.CharField(_("Ký hiệu hoá đơn"), max_length=6)
    number = models.PositiveIntegerField(_("Số hoá đơn"), null=True, blank=True)
    issued_at = models.DateTimeField(_("Ngày lập"), null=True, blank=True)
    sold_at = models.DateTimeField(_("Thời điểm bán"), null=True, blank=True)
    period_start = models.DateField(_("Gộp từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("Gộp đến ngày"), null=True, blank=True)
    payment_refund = models.OneToOneField(
        "payment.PaymentRefund", on_delete=models.PROTECT, null=True, blank=True,
        related_name="invoice", verbose_name=_("Hoàn tiền"),
    )
    buyer_notified_at = models.DateTimeField(_("Đã báo người mua lúc"), null=True, blank=True)
    authority_code = models.CharField(_("Mã của cơ quan thuế"), max_length=64, blank=True)
    lookup_code = models.CharField(_("Mã tra cứu"), max_length=64, blank=True)
    provider = models.CharField(_("Nhà cung cấp hoá đơn"), max_length=32, blank=True)
    provider_reference = models.CharField(_("Mã của nhà cung cấp"), max_length=128, blank=True)
    currency = models.CharField(_("Tiền tệ"), max_length=3, default="VND")
    payment_method = models.CharField(_("Hình thức thanh toán"), max_length=64)
    # seller and buyer, as they were when the invoice was made
    seller_name = models.CharField(_("Tên người bán"), max_length=255)
    seller_tax_code = models.CharField(_("Mã số thuế người bán"), max_length=14)
    seller_address = models.CharField(_("Địa chỉ người bán"), max_length=255)
    buyer_name = models.CharField(_("Người mua"), max_length=255, blank=True)
    buyer_company = models.CharField(_("Đơn vị mua"), max_length=255, blank=True)
    buyer_tax_code = models.CharField(_("Mã số thuế người mua"), max_length=14, blank=True)
    buyer_id_number = models.CharField(_("Số định danh người mua"), max_length=12, blank=True)
    buyer_address = models.CharField(_("Địa chỉ người mua"), max_length=255, blank=True)
    buyer_email = models.EmailField(_("Email người mua"), blank=True)
    # totals, whole đồng (VAT included in the total)
    amount_before_vat = models.DecimalField(_("Tiền trước thuế"), **MONEY)
    vat_total = models.DecimalField(_("Tiền thuế GTGT"), **MONEY)
    discount_total = models.DecimalField(_("Chiết khấu"), default=0, **MONEY)
    total = models.DecimalField(_("Tổng tiền thanh toán"), **MONEY)
    total_in_words = models.CharField(_("Số tiền viết bằng chữ"), max_length=255)
    # issuing
    attempts = models.PositiveSmallIntegerField(_("Số lần gửi"), default=0)
    last_error = models.TextField(_("Lỗi lần gửi cuối"), blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Hoá đơn điện tử")
        verbose_name_plural = _("Hoá đơn điện tử")
        constraints = [
            models.UniqueConstraint(fields=["invoice_form", "serial", "number"],
                                    name="invoice_unique_number"),
            # one original invoice per till sale and per online order
            models.UniqueConstraint(fields=["till_sale"], condition=models.Q(kind="original"),
                                    name="invoice_one_original_per_till_sale"),
            models.UniqueConstraint(fields=["order"], condition=models.Q(kind="original"),
                                    name="invoice_one_original_per_order"),
        ]

    def __str__(self):
        number = f"{self.number:08d}" if self.number else "…"
        return f"{self.invoice_form}{self.serial} {number}"

    @property
    def date(self):
        """The invoice's date: the time of the sale (cash register), else of its issue,
        else of its making."""
        return self.sold_at or self.issued_at or self.created_at

    @property
    def consolidated(self):
        return self.period_start is not None


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines",
                                verbose_name=_("Hoá đơn"))
    position = models.PositiveSmallIntegerField(_("STT"))
    name = models.CharField(_("Tên hàng hoá, dịch vụ"), max_length=255)
    unit = models.CharField(_("Đơn vị tính"), max_length=32, default="cái")
    quantity = models.IntegerField(_("Số lượng"))
    unit_price = models.DecimalField(_("Đơn giá (gồm thuế)"), **MONEY)
    discount = models.DecimalField(_("Chiết khấu"), default=0, **MONEY)
    vat_rate = models.CharField(
        _("Thuế suất"), max_length=16,
        help_text=_("0, 5, 8, 10 (%), exempt (không chịu thuế) hoặc undeclared (không kê khai)."),
    )
    amount_before_vat = models.DecimalField(_("Thành tiền trước thuế"), **MONEY)
    vat = models.DecimalField(_("Tiền thuế"), **MONEY)
    total = models.DecimalField(_("Thành tiền"), **MONEY)

    class Meta:
        ordering = ["position"]
        verbose_name = _("Dòng hoá đơn")
        verbose_name_plural = _("Dòng hoá đơn")

    def __str__(self):
        return f"{self.position}. {self.name}"


class InvoiceRequest(models.Model):
    """An online buyer asks for a VAT invoice in a company's name (at checkout)."""

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE,
                                 related_name="invoice_request", verbose_name=_("Đơn hàng"))
    company = models.CharField(_("Tên đơn vị"), max_length=255)
    tax_code = models.CharField(_("Mã số thuế"), max_length=14, db_index=True)
    address = models.CharField(_("Địa chỉ đơn vị"), max_length=255)
    email = models.EmailField(_("Email nhận hoá đơn"), blank=True)
    consolidate = models.BooleanField(
        _("Gộp vào hoá đơn theo kỳ"), default=False,
        help_text=_("Đơn không được lập hoá đơn riêng; văn phòng lập một hoá đơn cho các đơn "
                    "trong kỳ."),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Yêu cầu xuất hoá đơn công ty")
        verbose_name_plural = _("Yêu cầu xuất hoá đơn công ty")

    def __str__(self):
        return f"{self.company} ({self.tax_code})"

    def as_buyer(self):
        return {"company": self.company, "tax_code": self.tax_code, "address": self.address,
                "email": self.email}


class ConsolidatedOrder(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="consolidated_orders",
                                verbose_name=_("Hoá đơn gộp"))
    order = models.OneToOneField("order.Order", on_delete=models.PROTECT,
                                 related_name="consolidated_invoice", verbose_name=_("Đơn hàng"))

    class Meta:
        verbose_name = _("Đơn trong hoá đơn gộp")
        verbose_name_plural = _("Đơn trong hoá đơn gộp")

    def __str__(self):
        return f"{self.invoice} ← {self.order_id}"
