"""The seller's forms: thin; the rules are in sessions, pricing and holds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.checkout.forms import DeliveryAddressForm, themed
from shop.live.models import LiveSession, Seller
from showroom.models import Location
from vendors.moderation import clean_price


class PriceField(forms.CharField):
    """A price in whole đồng typed as people write it (150000, 150.000)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        return clean_price(value)


class SessionForm(forms.ModelForm):
    stream_url = forms.URLField(label=_("Địa chỉ phát"), max_length=500, required=False,
                                assume_scheme="https")

    class Meta:
        model = LiveSession
        fields = ["title", "platform", "stream_url", "scheduled_start", "scheduled_end",
                  "page_feed_id"]
        widgets = {
            "scheduled_start": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                   format="%Y-%m-%dT%H:%M"),
            "scheduled_end": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                 format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("scheduled_start", "scheduled_end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        themed(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("scheduled_start"), data.get("scheduled_end")
        if start and end and end <= start:
            self.add_error("scheduled_end", _("Giờ kết thúc phải sau giờ bắt đầu."))
        return data


class FeatureForm(forms.Form):
    product = forms.ModelChoiceField(queryset=None, label=_("Sản phẩm / combo"))
    code = forms.CharField(
        label=_("Mã chốt đơn"), max_length=16,
        help_text=_("Mã bạn đọc trên sóng, ví dụ SAM2; người xem gõ mã này trong bình luận."),
    )
    live_price = PriceField(label=_("Giá livestream (đồng)"), required=False)
    cap = forms.IntegerField(label=_("Giới hạn số lượng giá live"), required=False, min_value=1,
                             max_value=100000)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: p.get_title()
        themed(self)


class OfferForm(forms.Form):
    live_price = PriceField(label=_("Giá livestream (đồng)"), required=False)
    cap = forms.IntegerField(label=_("Giới hạn số lượng giá live"), required=False, min_value=1,
                             max_value=100000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themed(self)


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Dán bình luận (mỗi dòng một bình luận)"), max_length=50000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Có thể có tên người bình luận ở đầu dòng, cách bởi dấu “:”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themed(self)

    def items(self):
        """``[(external id, author, text)]`` from the pasted block."""
        rows = []
        for line in self.cleaned_data["text"].splitlines():
            line = line.strip()
            if not line:
                continue
            author, sep, text = line.partition(":")
            if sep and len(author) <= 64 and not any(ch.isdigit() for ch in author):
                rows.append(("", author.strip(), text.strip()))
            else:
                rows.append(("", "", line))
        return rows


class ConfirmHoldForm(DeliveryAddressForm):
    """Name, phone and address (or a collect point) confirmed on the phone, and how they pay."""

    PAYMENT_CHOICES = [("cod", _("Thanh toán khi nhận hàng")),
                       ("vietqr", _("Chuyển khoản VietQR (gửi link thanh toán)"))]
    collect_point = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_collect_point=True), required=False,
        label=_("Điểm nhận hàng"),
    )
    payment = forms.ChoiceField(label=_("Thanh toán"), choices=PAYMENT_CHOICES,
                                widget=forms.RadioSelect, initial="cod")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collect_point"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if data.get("fulfilment") == self.COLLECT and not data.get("collect_point"):
            self.add_error("collect_point", _("Hãy chọn điểm nhận hàng."))
        return data


class SellerForm(forms.ModelForm):
    class Meta:
        model = Seller
        fields = ["display_name", "phone", "commission_rate", "bank_name", "bank_account",
                  "bank_account_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themed(self)


class FloorForm(forms.Form):
    min_price = PriceField(label=_("Giá live thấp nhất chấp nhận (đồng)"), required=False)
