from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderPayment(models.Model):
    """How an order is paid, and how far the payment got. One per order.

    The state only moves forward (see ``shop.payment.payments``): a late
    "failed" never undoes "paid", a replayed event changes nothing.
    """

    class Method(models.TextChoices):
        CARD = "card", _("Thẻ (Stripe)")
        VIETQR = "vietqr", _("Chuyển khoản VietQR")
        COD = "cod", _("Thanh toán khi nhận hàng")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        PAID = "paid", _("Đã thanh toán")
        PARTIALLY_REFUNDED = "partially_refunded", _("Đã hoàn một phần")
        REFUNDED = "refunded", _("Đã hoàn tiền")

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="ocop_payment",
        verbose_name=_("Đơn hàng"),
    )
    method = models.CharField(_("Hình thức"), max_length=16, choices=Method.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=24, choices=Status.choices, default=Status.PENDING
    )
    amount = models.DecimalField(_("Số tiền (đ)"), max_digits=14, decimal_places=0)
    currency = models.CharField(_("Tiền tệ"), max_length=3, default="VND")
    amount_paid = models.DecimalField(
        _("Đã nhận (đ)"), max_digits=14, decimal_places=0, default=0
    )
    amount_refunded = models.DecimalField(
        _("Đã hoàn (đ)"), max_digits=14, decimal_places=0, default=0
    )
    stripe_payment_intent = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, null=True, blank=True, unique=True
    )
    stripe_client_secret = models.CharField(max_length=255, blank=True, editable=False)
    disputed = models.BooleanField(_("Đang khiếu nại"), default=False)
    needs_attention = models.CharField(_("Cần xử lý"), max_length=255, blank=True)
    failure_message = models.CharField(_("Lý do lỗi"), max_length=255, blank=True)
    paid_at = models.DateTimeField(_("Thanh toán lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        app_label = "payment"
        ordering = ["-created_at"]
        verbose_name = _("Thanh toán đơn hàng")
        verbose_name_plural = _("Thanh toán đơn hàng")

    def __str__(self):
        return f"{self.order.number} · {self.get_method_display()} · {self.get_status_display()}"

    @property
    def is_paid(self):
        return self.status in (
            self.Status.PAID, self.Status.PARTIALLY_REFUNDED, self.Status.REFUNDED
        )

    @property
    def refundable(self):
        return max(0, self.amount_paid - self.amount_refunded)


class PaymentRefund(models.Model):
    """One refund, recorded once (unique Stripe refund id, or one row per staff refund)."""

    payment = models.ForeignKey(
        OrderPayment, on_delete=models.PROTECT, related_name="refunds",
        verbose_name=_("Thanh toán"),
    )
    amount = models.DecimalField(_("Số tiền (đ)"), max_digits=14, decimal_places=0)
    stripe_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    status = models.CharField(_("Trạng thái"), max_length=32, blank=True)
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người hoàn"),
    )
    created_at = models.DateTimeField(_("Lúc"), auto_now_add=True)

    class Meta:
        app_label = "payment"
        ordering = ["created_at", "pk"]
        verbose_name = _("Hoàn tiền")
        verbose_name_plural = _("Hoàn tiền")

    def __str__(self):
        return f"{self.payment.order.number} −{self.amount}"


class StripeEvent(models.Model):
    """Each Stripe webhook event, stored once: a replay finds its id and does nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128)
    livemode = models.BooleanField(default=False)
    order_number = models.CharField(max_length=128, blank=True)
    result = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "payment"
        ordering = ["-received_at"]
        verbose_name = _("Sự kiện Stripe")
        verbose_name_plural = _("Sự kiện Stripe")

    def __str__(self):
        return f"{self.event_id} {self.type}"


from oscar.apps.payment.models import *  # noqa: E402,F401,F403
