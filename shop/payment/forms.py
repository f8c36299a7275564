from django import forms
from django.utils.translation import gettext_lazy as _


class RefundForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Số tiền hoàn (đ)"), min_value=1,
        error_messages={"invalid": _("Số tiền hoàn phải là số đồng nguyên.")},
    )
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)

    def __init__(self, *args, maximum=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if self.maximum is not None and amount > self.maximum:
            raise forms.ValidationError(
                _("Chỉ còn hoàn được tối đa %(max)s đ.") % {"max": self.maximum}
            )
        return amount
