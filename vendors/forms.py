"""Forms of the producer corner and the office's review queue (the API validates with them too)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue import combos
from catalogue.images import validate_image_upload, validate_scan_upload
from shop import money
from vendors import combo_proposals, moderation

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


# --- Gift combos composed by a producer --------------------------------------------------


class ComboForm(forms.Form):
    """A producer's combo: name, story and price; its components are :class:`ComponentFormSet`."""

    title = forms.CharField(
        label=_("Tên combo"), max_length=255,
        error_messages={"required": _("Hãy nhập tên combo.")},
    )
    product_story = forms.CharField(
        label=_("Câu chuyện, giới thiệu combo"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Khách hàng đọc phần này trên trang combo."),
    )
    price = forms.CharField(
        label=_("Giá combo (đồng)"), max_length=20,
        error_messages={"required": _("Hãy nhập giá combo.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Giá bán cả hộp, ví dụ 390000 hoặc 390.000."),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Hãy nhập tên combo."))
        return title

    def clean_price(self):
        return moderation.clean_price(self.cleaned_data["price"])


class OfferSelect(forms.Select):
    """The offers menu; each option carries its price (``data-price``) for the page's total."""

    def __init__(self, *args, prices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prices = prices or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        price = self.prices.get(str(value))
        if price is not None:
            option["attrs"]["data-price"] = str(int(price))
        return option


def offer_label(record):
    product = record.product
    price = money.display_vnd(record.price) if record.price is not None else ""
    if combos.is_packaging(product):
        return _("%(product)s (bao bì của %(seller)s) — %(price)s") % {
            "product": product.get_title(), "seller": record.partner.name, "price": price,
        }
    return _("%(product)s — %(price)s") % {"product": product.get_title(), "price": price}


def offer_choices(records):
    """Grouped menu choices: the producer's own products, then gift packaging."""
    own = [(r.pk, offer_label(r)) for r in records if not combos.is_packaging(r.product)]
    packaging = [(r.pk, offer_label(r)) for r in records if combos.is_packaging(r.product)]
    choices = [("", _("— chọn sản phẩm —"))]
    if own:
        choices.append((_("Sản phẩm của tôi"), own))
    if packaging:
        choices.append((_("Bao bì quà tặng"), packaging))
    return choices


class ComponentForm(forms.Form):
    """One row of a combo: an offer × a quantity. Leave the offer empty to drop the row."""

    offer = forms.IntegerField(
        label=_("Sản phẩm"), required=False, min_value=1, max_value=2**31 - 1,
        error_messages={
            "invalid": _("Không tìm thấy sản phẩm đã chọn."),
            "min_value": _("Không tìm thấy sản phẩm đã chọn."),
            "max_value": _("Không tìm thấy sản phẩm đã chọn."),
        },
    )
    # Checked by catalogue.combos (whole number ≥ 1, with the product's name in the message).
    quantity = forms.CharField(
        label=_("Số lượng"), required=False, max_length=12, initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": combos.MAX_COMPONENT_QUANTITY,
                                        "step": 1, "class": "combo-qty"}),
    )

    def __init__(self, *args, choices=(), prices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].widget = OfferSelect(
            choices=choices, prices=prices, attrs={"class": "combo-offer"}
        )


class BaseComponentFormSet(forms.BaseFormSet):
    """The components of a producer's combo, checked by ``catalogue.combos.validate_composition``.

    ``self.items`` is ``[(stockrecord, quantity), ...]`` once valid (rows without
    an offer are left out). Offers are looked up in one query among those the
    producer may name (:func:`vendors.combo_proposals.reachable_offers`).
    """

    def __init__(self, *args, vendor, combo=None, offers=(), **kwargs):
        self.vendor = vendor
        self.combo = combo
        self.offers = list(offers)
        prices = {str(r.pk): r.price for r in self.offers if r.price is not None}
        kwargs["form_kwargs"] = {"choices": offer_choices(self.offers), "prices": prices}
        super().__init__(*args, **kwargs)
        self.items = []

    def rows(self):
        """``[(offer id, typed quantity), ...]`` of the rows with an offer, in order."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("offer") is not None:
                rows.append((data["offer"], combo_proposals.parse_quantity(data.get("quantity"))))
        return rows

    def clean(self):
        super().clean()
        self.items = []
        if any(self.errors):
            return
        rows = self.rows()
        known = {r.pk: r for r in self.offers}
        missing = {pk for pk, _qty in rows if pk not in known}
        if missing:
            known.update(
                combo_proposals.reachable_offers(self.vendor).in_bulk(missing)
            )
        if any(pk not in known for pk, _qty in rows):
            raise ValidationError(_("Không tìm thấy sản phẩm đã chọn."), code="unknown_offer")
        items = [(known[pk], quantity) for pk, quantity in rows]
        try:
            combos.validate_composition(self.combo, items, seller=self.vendor.partner)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        self.items = items

    def summary_items(self):
        """Rows to total on the page (also when invalid): ``[(stockrecord, qty), ...]``."""
        known = {r.pk: r for r in self.offers}
        if self.is_bound:
            return [(known[pk], qty) for pk, qty in self.rows() if pk in known]
        items = []
        for initial in self.initial or []:
            record = known.get(initial.get("offer"))
            if record is not None:
                items.append((record, combo_proposals.parse_quantity(initial.get("quantity"))))
        return items


def component_formset(data=None, *, vendor, combo=None, initial=None, extra=3):
    """The components formset of ``vendor``'s combo form (``initial``: ``[[id, qty], ...]``)."""
    FormSet = forms.formset_factory(
        ComponentForm, formset=BaseComponentFormSet, extra=extra,
        max_num=combo_proposals.MAX_COMPONENTS, validate_max=True,
        absolute_max=combo_proposals.MAX_COMPONENTS + 10,
    )
    offers = combo_proposals.candidate_offers(vendor, combo)
    rows = [{"offer": int(pk), "quantity": qty} for pk, qty in (initial or [])]
    return FormSet(
        data, prefix="components", vendor=vendor, combo=combo, offers=offers,
        initial=rows or None,
    )
