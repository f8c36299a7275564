from django import forms
from django.utils.translation import gettext_lazy as _

from shop.shipping import address

from .models import MAX_MESSAGE_LENGTH


class DeliveryAddressForm(forms.Form):
    """Name, Vietnamese phone, and (for delivery) province → ward/commune + street."""

    DELIVERY, COLLECT = "delivery", "collect"

    fulfilment = forms.ChoiceField(
        label=_("Nhận hàng"), widget=forms.RadioSelect, initial=DELIVERY,
        choices=[(DELIVERY, _("Giao hàng tận nơi")), (COLLECT, _("Nhận tại điểm bán OCOP"))],
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=32)
    province = forms.ChoiceField(label=_("Tỉnh / thành phố"), required=False)
    ward = forms.ChoiceField(label=_("Phường / xã / đặc khu"), required=False)
    line1 = forms.CharField(label=_("Số nhà, đường, thôn / tổ"), max_length=255, required=False)
    notes = forms.CharField(
        label=_("Ghi chú giao hàng"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("— Chọn tỉnh / thành phố —"))] + list(
            address.provinces()
        )
        province = self.data.get(self.add_prefix("province")) or self.initial.get("province")
        self.fields["ward"].choices = [("", _("— Chọn phường / xã —"))] + list(
            address.wards(province) if province else []
        )
        themed(self, autocomplete={"full_name": "name", "phone": "tel", "line1": "street-address"})

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Hãy nhập họ và tên."))
        return name

    def clean_phone(self):
        return address.normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("fulfilment") != self.DELIVERY:
            return data
        province, ward = data.get("province"), data.get("ward")
        if not province:
            self.add_error("province", _("Hãy chọn tỉnh / thành phố."))
        elif not ward or address.ward_name(province, ward) is None:
            self.add_error("ward", _("Hãy chọn phường / xã thuộc tỉnh đã chọn."))
        if not (data.get("line1") or "").strip():
            self.add_error("line1", _("Hãy nhập số nhà, đường hoặc thôn."))
        return data

    def address_fields(self):
        """Fields of Oscar's ShippingAddress (kept in the checkout session)."""
        data = self.cleaned_data
        fields = {
            "first_name": "", "last_name": data["full_name"], "line1": "", "line2": "",
            "line3": "", "line4": "", "state": "", "postcode": "", "country_id": "VN",
            "notes": data.get("notes", ""), "phone_number": data["phone"],
        }
        if data["fulfilment"] == self.DELIVERY:
            fields.update(
                line1=data["line1"].strip(),
                line4=address.ward_name(data["province"], data["ward"]),
                state=address.province_name(data["province"]),
            )
        return fields

    def codes(self):
        return {"province": self.cleaned_data.get("province") or "",
                "ward": self.cleaned_data.get("ward") or ""}

    @classmethod
    def initial_from(cls, fields, codes=None):
        if not fields:
            return {}
        codes = codes or {}
        province, ward = codes.get("province", ""), codes.get("ward", "")
        phone = fields.get("phone_number") or ""
        return {
            "fulfilment": cls.DELIVERY if fields.get("state") else cls.COLLECT,
            "full_name": fields.get("last_name", ""), "phone": phone,
            "province": province, "ward": ward, "line1": fields.get("line1", ""),
            "notes": fields.get("notes", ""),
        }


class GiftOptionsForm(forms.Form):
    """Gift wrap, a message card and a recipient other than the buyer (kept in the session)."""

    gift_wrap = forms.BooleanField(label=_("Gói quà (hộp / giấy gói quà)"), required=False)
    message = forms.CharField(
        label=_("Lời nhắn trên thiệp"), required=False, max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tối đa 300 ký tự; được in trên thiệp và phiếu đóng gói."),
        error_messages={
            "max_length": _("Lời nhắn tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )
    recipient_name = forms.CharField(
        label=_("Tên người nhận quà"), required=False, max_length=255,
        help_text=_("Để trống nếu người nhận là người mua. Hàng được giao tới địa chỉ nhận "
                    "hàng đã nhập ở bước trước: đó là địa chỉ của người nhận quà; họ tên và "
                    "số điện thoại ở bước đó là của người mua (để liên hệ)."),
    )
    recipient_phone = forms.CharField(label=_("Số điện thoại người nhận"), required=False,
                                      max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themed(self, autocomplete={"recipient_name": "off", "recipient_phone": "off"})

    def clean_message(self):
        # control and bidi characters are refused by the field (shop.core.text)
        return self.cleaned_data["message"].replace("\r\n", "\n")

    def clean_recipient_name(self):
        return " ".join(self.cleaned_data["recipient_name"].split())

    def clean_recipient_phone(self):
        phone = self.cleaned_data["recipient_phone"].strip()
        return address.normalise_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        name, phone = data.get("recipient_name"), data.get("recipient_phone")
        if name and "recipient_phone" in data and not phone:
            self.add_error("recipient_phone", _("Hãy nhập số điện thoại của người nhận quà."))
        if phone and "recipient_name" in data and not name:
            self.add_error("recipient_name", _("Hãy nhập tên người nhận quà."))
        return data

    def session_data(self):
        return {key: self.cleaned_data[key] for key in GIFT_FIELDS}


def themed(form, autocomplete=None):
    """Bootstrap classes (the OCOP theme styles them) and autocomplete hints on the widgets."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
            continue
        widget.attrs["class"] = (widget.attrs.get("class", "") + " form-control").strip()
        if name in (autocomplete or {}):
            widget.attrs["autocomplete"] = autocomplete[name]
        if name.endswith("phone"):
            widget.attrs.setdefault("inputmode", "tel")


GIFT_FIELDS = ("gift_wrap", "message", "recipient_name", "recipient_phone")
