"""Forms of the provider's corner, the check-in and the booking page: input only; the rules
(``departures``, ``bookings``) decide and refuse with their own Vietnamese messages."""

import datetime
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import bookings

WEEKDAYS = [
    (1, gettext_lazy("Thứ Hai")), (2, gettext_lazy("Thứ Ba")), (3, gettext_lazy("Thứ Tư")),
    (4, gettext_lazy("Thứ Năm")), (5, gettext_lazy("Thứ Sáu")), (6, gettext_lazy("Thứ Bảy")),
    (7, gettext_lazy("Chủ nhật")),
]
MAX_DATES = 370


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class _DepartureFields(forms.Form):
    product = ProductChoice(queryset=None, label=gettext_lazy("Trải nghiệm"),
                            empty_label=None)
    duration_minutes = forms.IntegerField(label=gettext_lazy("Thời lượng (phút)"),
                                          min_value=1, max_value=7 * 24 * 60, initial=240)
    places_total = forms.IntegerField(label=gettext_lazy("Số chỗ"), min_value=1,
                                      max_value=1000, initial=20)
    meeting_point = forms.CharField(label=gettext_lazy("Điểm hẹn"), max_length=255,
                                    required=False)
    guide_language = forms.CharField(label=gettext_lazy("Ngôn ngữ hướng dẫn"), max_length=64,
                                     initial="Tiếng Việt")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = bookings.products_for(user).order_by("title")
        self.fields["product"].error_messages["invalid_choice"] = _(
            "Hãy chọn một trải nghiệm của bạn.")


class DepartureForm(_DepartureFields):
    date = forms.DateField(label=gettext_lazy("Ngày"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=gettext_lazy("Giờ khởi hành"),
                                 widget=forms.TimeInput(attrs={"type": "time"}),
                                 input_formats=["%H:%M", "%H:%M:%S"])
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["product", "date", "start_time", "duration_minutes", "places_total",
                   "meeting_point", "guide_language", "note"]


class DepartureEditForm(forms.Form):
    """One departure changed by its provider (its experience stays)."""

    date = forms.DateField(label=gettext_lazy("Ngày"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=gettext_lazy("Giờ khởi hành"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 input_formats=["%H:%M", "%H:%M:%S"])
    duration_minutes = forms.IntegerField(label=gettext_lazy("Thời lượng (phút)"),
                                          min_value=1, max_value=7 * 24 * 60)
    places_total = forms.IntegerField(label=gettext_lazy("Số chỗ"), min_value=1,
                                      max_value=1000)
    meeting_point = forms.CharField(label=gettext_lazy("Điểm hẹn"), max_length=255,
                                    required=False)
    guide_language = forms.CharField(label=gettext_lazy("Ngôn ngữ hướng dẫn"), max_length=64)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = ("date", "start_time", "duration_minutes", "places_total", "meeting_point",
              "guide_language", "note")

    @classmethod
    def initial_for(cls, departure):
        return {field: getattr(departure, field) for field in cls.FIELDS}


def _parse_dates(text):
    """Dates typed one per line or separated by commas: 24/12/2026 or 2026-12-24."""
    found = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                found.append(datetime.datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("Ngày “%(value)s” không đúng dạng ngày/tháng/năm, ví dụ 24/12/2026.")
                % {"value": part[:20]})
    if len(found) > MAX_DATES:
        raise forms.ValidationError(_("Tối đa %(n)s ngày nghỉ.") % {"n": MAX_DATES})
    return sorted(set(found))


def _parse_times(text):
    times = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        if not re.fullmatch(r"\d{1,2}[:h]\d{2}", part):
            raise forms.ValidationError(
                _("Giờ “%(value)s” phải có dạng HH:MM, ví dụ 08:00.") % {"value": part[:20]})
        hour, minute = re.split(r"[:h]", part)
        if int(hour) > 23 or int(minute) > 59:
            raise forms.ValidationError(
                _("Giờ “%(value)s” phải có dạng HH:MM, ví dụ 08:00.") % {"value": part[:20]})
        times.append(f"{int(hour):02d}:{int(minute):02d}")
    if not times:
        raise forms.ValidationError(_("Hãy nhập ít nhất một giờ khởi hành."))
    if len(times) > 12:
        raise forms.ValidationError(_("Tối đa 12 giờ khởi hành mỗi ngày."))
    return sorted(set(times))


class SeasonForm(_DepartureFields):
    season_start = forms.DateField(label=gettext_lazy("Mùa bắt đầu"),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    season_end = forms.DateField(label=gettext_lazy("Mùa kết thúc"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Các ngày trong tuần"), choices=WEEKDAYS, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một ngày trong tuần.")})
    times = forms.CharField(label=gettext_lazy("Giờ khởi hành"), initial="08:00",
                            help_text=gettext_lazy("Cách nhau bằng dấu phẩy, ví dụ 08:00, 13:30"))
    closed_dates = forms.CharField(
        label=gettext_lazy("Ngày nghỉ"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Mỗi ngày một dòng hoặc cách nhau bằng dấu phẩy, ví dụ 24/12/2026"))

    field_order = ["product", "season_start", "season_end", "weekdays", "times",
                   "closed_dates", "duration_minutes", "places_total", "meeting_point",
                   "guide_language"]

    def clean_times(self):
        return _parse_times(self.cleaned_data.get("times"))

    def clean_closed_dates(self):
        return _parse_dates(self.cleaned_data.get("closed_dates"))


class CancelDepartureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do huỷ (gửi cho khách)"), max_length=255,
        error_messages={"required": gettext_lazy("Hãy ghi lý do huỷ để báo cho khách.")})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã phiếu"), max_length=200,
        error_messages={"required": gettext_lazy("Hãy quét hoặc gõ mã phiếu.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "placeholder": "ABCD-EFGH", "autofocus": True}))

    def clean_code(self):
        code = bookings.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Hãy quét hoặc gõ mã phiếu."))
        return code


class RedeemForm(forms.Form):
    departure = forms.IntegerField(
        label=gettext_lazy("Chuyến khởi hành"), min_value=1,
        error_messages={"required": gettext_lazy("Hãy chọn một chuyến khởi hành."),
                        "invalid": gettext_lazy("Hãy chọn một chuyến khởi hành.")})
