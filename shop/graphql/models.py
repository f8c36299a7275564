"""A Saleor checkout is an Oscar basket with what the checkout's API keeps beside it.

Saleor's storefront keeps a checkout by its token (a UUID) and sends the
shopper's email, addresses and delivery method to it step by step; Oscar keeps
those in the web session. ``Checkout`` holds them for the API, next to the
basket that prices the lines with the shop's own strategy and offers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Checkout(models.Model):
    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    basket = models.OneToOneField(
        "basket.Basket", on_delete=models.CASCADE, related_name="api_checkout",
        verbose_name=_("Giỏ hàng"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="api_checkouts", verbose_name=_("Người mua"),
    )
    channel = models.CharField(_("Kênh"), max_length=64)
    email = models.EmailField(_("Email"), blank=True)
    language_code = models.CharField(_("Ngôn ngữ"), max_length=8, default="vi")
    # Oscar ShippingAddress / BillingAddress fields, as the shopper gave them (validated)
    shipping_address = models.JSONField(_("Địa chỉ nhận hàng"), null=True, blank=True)
    billing_address = models.JSONField(_("Địa chỉ thanh toán"), null=True, blank=True)
    # a shop.shipping method code: "delivery" or "collect-<location code>"
    delivery_method = models.CharField(_("Cách nhận hàng"), max_length=64, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    order = models.OneToOneField(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="api_checkout", verbose_name=_("Đơn hàng"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    last_change = models.DateTimeField(_("Đổi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Thanh toán qua API")
        verbose_name_plural = _("Thanh toán qua API")
        ordering = ["-last_change"]

    def __str__(self):
        return str(self.token)
