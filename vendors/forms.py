"""Forms of the producer corner and the office's review queue (the API validates with them too)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.images import validate_image_upload, validate_scan_upload
from vendors import moderation

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProductForm(forms.Form):
    """A producer's listing: text, label facts and price. Submitting it creates a change request."""

    price = forms.CharField(
        label=_("Giá bán (đồng)"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Số tiền bằng đồng, ví dụ 150000. Giá mới chỉ áp dụng sau khi được duyệt."),
    )

    def __init__(self, *args, with_category=False, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(Product, fields=moderation.PRODUCT_FIELDS)
        ordered = {name: model_fields[name] for name in moderation.PRODUCT_FIELDS}
        ordered["title"].required = True
        for name in ("description", "product_story", "ingredients", "usage", "storage"):
            ordered[name].widget = forms.Textarea(attrs={"rows": 3})
        ordered["price"] = self.fields.pop("price")
        if with_category:
            ordered["category"] = forms.ModelChoiceField(
                label=_("Nhóm sản phẩm"), queryset=Category.objects.order_by("path"),
                required=False,
            )
        self.fields = ordered

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Hãy nhập tên sản phẩm."))
        return title

    def clean_price(self):
        return moderation.clean_price(self.cleaned_data["price"])


class ProductBoundModelForm(forms.ModelForm):
    """A model form whose instance's product is set by the view: unique rules with it still apply."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.discard("product")
        return exclude


class CertificateForm(ProductBoundModelForm):
    """A new OCOP certificate with the decision scan; checked by the registry's rules."""

    decision_date = forms.DateField(
        label=_("Ngày quyết định"), input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
    )
    scan = forms.FileField(
        label=_("Bản scan quyết định"), validators=[validate_scan_upload],
        help_text=_("Tệp PDF hoặc ảnh, tối đa 10 MB."),
    )

    class Meta:
        model = OcopCertificate
        fields = list(moderation.CERTIFICATE_FIELDS)

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, instance=OcopCertificate(product=product), **kwargs)


class PhotoForm(forms.Form):
    """A product photo, refused unless it is a real, bounded picture (catalogue.images)."""

    original = forms.FileField(
        label=_("Ảnh sản phẩm"), validators=[validate_image_upload],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Ảnh JPEG, PNG, WebP hoặc GIF, tối đa 5 MB."),
    )
    caption = forms.CharField(label=_("Chú thích"), max_length=200, required=False)


class BatchForm(ProductBoundModelForm):
    """A production lot (traceability); saved directly, it is not a sales claim."""

    production_date = forms.DateField(
        label=_("Ngày sản xuất"), input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
    )
    best_before = forms.DateField(
        label=_("Hạn sử dụng"), input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
    )

    class Meta:
        model = Batch
        fields = ["lot_code", "production_date", "best_before", "quantity", "growing_area_code"]

    def __init__(self, *args, product=None, **kwargs):
        if kwargs.get("instance") is None:
            kwargs["instance"] = Batch(product=product)
        super().__init__(*args, **kwargs)


class ReviewForm(forms.Form):
    """The office's decision on one change request."""

    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[(APPROVE, _("Duyệt")), (REJECT, _("Từ chối"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi từ chối)"), required=False,
        max_length=moderation.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Hãy ghi lý do từ chối để chủ thể biết cần sửa gì."))
        return data
