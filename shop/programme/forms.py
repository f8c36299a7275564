"""Forms of the programme's periodic reports (the rules are in ``shop.programme.reports``)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.programme import reports
from shop.programme.models import Report


class NarrativeForm(forms.ModelForm):
    """What the office writes in a draft: the narrative and the symbol (the number comes on submit)."""

    class Meta:
        model = Report
        fields = ["results", "difficulties", "proposals", "symbol"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 4}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "symbol": _("Số báo cáo được cấp khi gửi, theo thứ tự trong năm: số/ký hiệu, ví dụ 12/BC-PNN."),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ("results", "difficulties", "proposals"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        if "symbol" in cleaned:
            cleaned["symbol"] = cleaned["symbol"].strip().strip("/")
        return cleaned


class NewReportForm(forms.Form):
    """Which period's draft to open: a kind and any day of the period."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Report.Kind.choices)
    period = forms.DateField(label=_("Kỳ báo cáo"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self):
        cleaned = super().clean()
        kind, day = cleaned.get("kind"), cleaned.get("period")
        if kind and isinstance(day, datetime.date):
            start = reports.period_bounds(kind, day)[0]
            if start > reports.today_vietnam():
                raise forms.ValidationError(_("Kỳ báo cáo này chưa bắt đầu."))
            cleaned["period_start"] = start
        return cleaned


class SubmitForm(forms.Form):
    """Submitting is final: the office ticks that the figures are checked."""

    confirm = forms.BooleanField(
        label=_("Tôi đã kiểm tra số liệu. Gửi báo cáo thì số liệu được chốt và không sửa được nữa."),
        required=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
