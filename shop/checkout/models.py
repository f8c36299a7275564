"""Gift options of an order: wrap, a message card, a recipient other than the buyer.

The recipient's address is the order's shipping address; the buyer's own name and
phone are the billing contact (the checkout's guest email / account).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.text import validate_free_text

MAX_MESSAGE_LENGTH = 300

# The one rule of free text (shop.core.text); the name stays for migration 0001.
validate_no_control_chars = validate_free_text


class GiftOptions(models.Model):
    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="gift_options",
        verbose_name=_("Đơn hàng"),
    )
    gift_wrap = models.BooleanField(_("Gói quà"), default=False)
    message = models.TextField(
        _("Lời nhắn trên thiệp"), max_length=MAX_MESSAGE_LENGTH, blank=True,
        validators=[validate_no_control_chars],
    )
    recipient_name = models.CharField(_("Tên người nhận quà"), max_length=255, blank=True)
    recipient_phone = models.CharField(_("Số điện thoại người nhận"), max_length=32, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "checkout"
        verbose_name = _("Tuỳ chọn quà tặng")
        verbose_name_plural = _("Tuỳ chọn quà tặng")

    def __str__(self):
        return str(self.order_id)

    @property
    def recipient_phone_display(self):
        """The recipient's phone as a Vietnamese reader writes it (``0987 654 321``)."""
        from phonenumber_field.phonenumber import PhoneNumber
        from phonenumbers import NumberParseException

        if not self.recipient_phone:
            return ""
        try:
            number = PhoneNumber.from_string(self.recipient_phone, region="VN")
        except NumberParseException:  # not a phone number: show it as written
            return self.recipient_phone
        return number.as_national if number.is_valid() else self.recipient_phone
