"""Forms of the district office's inventory pages: they parse and explain; inventory.py decides."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from showroom import inventory
from showroom.models import Location, Stock, StockMove

StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

LINE_SPLIT = re.compile(r"[\s,;]+")


def find_stockrecord(code, partner=None):
    """The producer offer a typed code names: the producer's SKU or the product barcode."""
    qs = StockRecord.objects.select_related("product", "partner").filter(
        Q(partner_sku__iexact=code) | Q(product__upc__iexact=code)
    )
    if partner is not None:
        qs = qs.filter(partner=partner)
    found = list(qs[:2])
    if not found:
        raise forms.ValidationError(
            _("không tìm thấy sản phẩm có mã “%(code)s”."), params={"code": code}
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("mã “%(code)s” khớp với hàng của nhiều chủ thể, hãy dùng mã SKU của chủ thể."),
            params={"code": code},
        )
    return found[0]


def parse_quantity(text, allow_zero=False):
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise forms.ValidationError(
            _("số lượng “%(value)s” không phải số nguyên."), params={"value": text}
        ) from None
    try:
        return inventory.check_quantity(value, allow_zero=allow_zero)
    except inventory.InvalidQuantity as error:
        raise forms.ValidationError(str(error)) from None


class LinesField(forms.CharField):
    """One product per line: ``<code> <quantity>`` (code = producer SKU or barcode)."""

    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "SKU-1 10\n8930000000019 5"})

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault(
            "help_text",
            _("Mỗi dòng một sản phẩm: mã (SKU của chủ thể hoặc mã vạch) rồi số lượng."),
        )
        super().__init__(*args, **kwargs)

    def parse(self, value, partner=None):
        lines, errors = [], []
        for number, raw in enumerate((value or "").splitlines(), 1):
            raw = raw.strip()
            if not raw:
                continue
            parts = [p for p in LINE_SPLIT.split(raw) if p]
            if len(parts) != 2:
                errors.append(
                    forms.ValidationError(
                        _("Dòng %(n)s: cần đúng hai phần, mã và số lượng."), params={"n": number}
                    )
                )
                continue
            try:
                stockrecord = find_stockrecord(parts[0], partner)
                quantity = parse_quantity(parts[1], allow_zero=self.allow_zero)
            except forms.ValidationError as error:
                errors.append(
                    forms.ValidationError(
                        _("Dòng %(n)s: %(error)s"),
                        params={"n": number, "error": " ".join(error.messages)},
                    )
                )
                continue
            lines.append((stockrecord, quantity))
        if errors:
            raise forms.ValidationError(errors)
        if not lines and self.required:
            raise forms.ValidationError(_("Hãy nhập ít nhất một dòng hàng."))
        if len(lines) > 500:
            raise forms.ValidationError(_("Tối đa 500 dòng mỗi lần."))
        return lines


def _locations():
    return Location.objects.all()


class ReceiptForm(forms.Form):
    location = forms.ModelChoiceField(_locations(), label=_("Nhập vào điểm"))
    partner = forms.ModelChoiceField(
        Partner.objects.order_by("name"), label=_("Chủ thể giao hàng"), required=False,
        help_text=_("Nếu chọn, mọi dòng phải là hàng của chủ thể này."),
    )
    reference = forms.CharField(label=_("Số phiếu giao hàng"), max_length=64, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    lines = LinesField(label=_("Hàng nhận"))

    def clean(self):
        data = super().clean()
        if "lines" in data and "partner" in data:
            try:
                data["lines"] = self.fields["lines"].parse(data["lines"], data.get("partner"))
            except forms.ValidationError as error:
                self.add_error("lines", error)
        return data


class TransferForm(forms.Form):
    source = forms.ModelChoiceField(_locations(), label=_("Từ điểm"))
    destination = forms.ModelChoiceField(_locations(), label=_("Đến điểm"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)
    lines = LinesField(label=_("Hàng chuyển"))
    send_now = forms.BooleanField(
        label=_("Gửi đi ngay (trừ tồn ở điểm gửi)"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        source, destination = data.get("source"), data.get("destination")
        if source and destination and source == destination:
            self.add_error("destination", _("Điểm chuyển đi và điểm nhận phải khác nhau."))
        if "lines" in data:
            try:
                data["lines"] = self.fields["lines"].parse(data["lines"])
            except forms.ValidationError as error:
                self.add_error("lines", error)
                return data
            if source:
                self._check_on_hand(source, data["lines"])
        return data

    def _check_on_hand(self, source, lines):
        """An early, friendly check; inventory.send_transfer re-checks under lock."""
        wanted = {}
        for stockrecord, quantity in lines:
            wanted[stockrecord.pk] = wanted.get(stockrecord.pk, 0) + quantity
        free = {
            s.stockrecord_id: s.free
            for s in Stock.objects.filter(location=source, stockrecord_id__in=wanted)
        }
        for stockrecord, _q in lines:
            have = free.get(stockrecord.pk, 0)
            if wanted[stockrecord.pk] > have:
                self.add_error(
                    "lines",
                    _("%(product)s: chỉ còn %(have)s tại %(location)s, không chuyển được "
                      "%(want)s.")
                    % {"product": stockrecord.product.get_title(), "have": have,
                       "location": source, "want": wanted[stockrecord.pk]},
                )
                wanted[stockrecord.pk] = 0  # one message per product


class CountForm(forms.Form):
    """Counted quantities of the products at one location (blank = not counted)."""

    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=255)
    extra = LinesField(
        label=_("Sản phẩm khác đếm được ở điểm này"), required=False, allow_zero=True
    )

    def __init__(self, *args, stocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stocks = list(stocks)
        for stock in self.stocks:
            self.fields[f"stock_{stock.pk}"] = forms.IntegerField(
                label=stock.stockrecord.product.get_title(), required=False, min_value=0,
                max_value=inventory.max_quantity(),
                error_messages={
                    "invalid": _("Hãy nhập số nguyên."),
                    "min_value": _("Số lượng không được âm."),
                    "max_value": _("Số lượng quá lớn."),
                },
            )

    def other_fields(self):
        return [self["reason"], self["extra"]]

    def stock_fields(self):
        return [(stock, self[f"stock_{stock.pk}"]) for stock in self.stocks]

    def clean(self):
        data = super().clean()
        counted = [
            (stock.stockrecord, data[f"stock_{stock.pk}"])
            for stock in self.stocks
            if data.get(f"stock_{stock.pk}") is not None
        ]
        if "extra" in data:
            try:
                extra = self.fields["extra"].parse(data["extra"])
            except forms.ValidationError as error:
                self.add_error("extra", error)
                return data
            known = {sr.pk for sr, _q in counted}
            for stockrecord, quantity in extra:
                if stockrecord.pk in known:
                    self.add_error(
                        "extra", _("%(product)s đã có trong danh sách phía trên.")
                        % {"product": stockrecord.product.get_title()},
                    )
                known.add(stockrecord.pk)
                counted.append((stockrecord, quantity))
        if not counted and not self.errors:
            raise forms.ValidationError(_("Chưa nhập số đếm được cho sản phẩm nào."))
        data["counted"] = counted
        return data


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm sản phẩm"), required=False, max_length=100)
    partner = forms.ModelChoiceField(
        Partner.objects.order_by("name"), label=_("Chủ thể"), required=False
    )
    location = forms.ModelChoiceField(_locations(), label=_("Có hàng tại điểm"), required=False)


class LedgerFilterForm(forms.Form):
    product = forms.CharField(
        label=_("Sản phẩm"), required=False, max_length=100,
        help_text=_("Tên, mã vạch hoặc SKU."),
    )
    location = forms.ModelChoiceField(_locations(), label=_("Điểm bán"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", "---------")] + StockMove.Kind.choices
    )
    reference = forms.CharField(label=_("Số chứng từ"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Từ ngày"), required=False)
    date_to = forms.DateField(label=_("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Stock
        fields = ["low_stock_threshold"]
