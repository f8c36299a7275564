"""Forms of the OCOP evaluation pages. They check the shape of the input; every rule of the
evaluation (who may move an application, what a dossier needs, how a scorecard adds up,
what a decision creates) is in the app's rules modules, called by the views."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue import combos
from catalogue.images import validate_scan_upload
from shop.evaluation.models import (
    Application,
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    Decision,
    DocumentKind,
    EvaluationRound,
    ScoringSheet,
    SheetPart,
)
from vendors.forms import DATE_INPUT_FORMATS, DateInput

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
User = get_user_model()


def product_groups():
    """The OCOP product groups: the catalogue's top-level categories."""
    return Category.objects.filter(depth=1).order_by("path")


class ApplicationForm(forms.ModelForm):
    """The registration form: the round, the product (own listing or a proposed name), its
    group and the registration text. ``vendor`` narrows the products to the producer's own."""

    class Meta:
        model = Application
        fields = ["round", "product", "proposed_name", "group", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = EvaluationRound.objects.filter(
            status=EvaluationRound.Status.OPEN).order_by("-year", "-pk")
        self.fields["round"].empty_label = None
        self.fields["product"].queryset = (
            Product.objects.filter(producer=vendor)
            .exclude(product_class__slug=combos.COMBO_CLASS_SLUG)
            .order_by("title", "pk")
        )
        self.fields["product"].required = False
        self.fields["product"].empty_label = _("— Sản phẩm mới, chưa có trên hệ thống —")
        self.fields["product"].help_text = _(
            "Chọn sản phẩm đã có để đánh giá lại hoặc gia hạn trước khi giấy chứng nhận hết hạn.")
        self.fields["group"].queryset = product_groups()
        if self.instance.pk:  # the round is chosen once
            self.fields["round"].disabled = True

    def clean(self):
        data = super().clean()
        if not data.get("product") and not (data.get("proposed_name") or "").strip():
            self.add_error("proposed_name", _(
                "Hãy chọn sản phẩm đã có hoặc nhập tên sản phẩm đề nghị đánh giá."))
        return data


class DocumentForm(forms.Form):
    """One document of the dossier: its kind (the group's list), the file, its validity."""

    kind = forms.ModelChoiceField(label=_("Loại giấy tờ"), queryset=DocumentKind.objects.none(),
                                  empty_label=None)
    file = forms.FileField(label=_("Tệp"), validators=[validate_scan_upload],
                           help_text=_("Tệp PDF hoặc ảnh (JPEG, PNG, WebP), tối đa 10 MB."))
    valid_until = forms.DateField(
        label=_("Hiệu lực đến"), required=False, input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(), help_text=_("Chỉ với giấy tờ có thời hạn."))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is not None and kind.has_validity and not data.get("valid_until"):
            self.add_error("valid_until", _("Giấy tờ này có thời hạn: hãy nhập ngày hết hiệu lực."))
        return data


class ReasonForm(forms.Form):
    """A move with words: the commune's return reasons, a comment on forwarding."""

    reason = forms.CharField(label=_("Lý do / ý kiến"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RoundForm(forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = ["year", "kind", "name", "rating_level", "certifying_body", "central_body",
                  "applications_until", "commune_check_until", "scoring_until"]
        widgets = {name: DateInput() for name in
                   ("applications_until", "commune_check_until", "scoring_until")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("applications_until", "commune_check_until", "scoring_until"):
            self.fields[name].input_formats = DATE_INPUT_FORMATS

    def clean(self):
        data = super().clean()
        first, second, third = (data.get(n) for n in
                                ("applications_until", "commune_check_until", "scoring_until"))
        if first and second and second < first:
            self.add_error("commune_check_until", _("Hạn xã kiểm tra phải sau hạn nộp hồ sơ."))
        if second and third and third < second:
            self.add_error("scoring_until", _("Hạn chấm điểm phải sau hạn xã kiểm tra."))
        return data


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name"]


class MemberForm(forms.Form):
    """One member of the council, named by the account's username."""

    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), choices=CouncilMember.Role.choices,
                             initial=CouncilMember.Role.MEMBER)
    title = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=255, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Không có tài khoản “%(username)s”.") % {"username": username})
        self.cleaned_data["user"] = user
        return username


class DecisionForm(forms.ModelForm):
    """The office records the decision: number, date, body, level, and which products."""

    class Meta:
        model = Decision
        fields = ["number", "date", "body", "rating_level"]
        widgets = {"date": DateInput()}

    applications = forms.ModelMultipleChoiceField(
        label=_("Các sản phẩm được công nhận theo quyết định này"),
        queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = DATE_INPUT_FORMATS
        self.fields["applications"].queryset = candidates
        self.fields["applications"].label_from_instance = lambda app: _(
            "%(name)s — %(score)s điểm, %(stars)s sao") % {
                "name": app.product_name, "score": app.score, "stars": app.stars}
        self.fields["applications"].initial = list(candidates.values_list("pk", flat=True))


# --- Scoring sheets (the office edits them in the browser) ------------------------------


class SheetForm(forms.ModelForm):
    class Meta:
        model = ScoringSheet
        fields = ["title", "group", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = product_groups()


PartFormSet = forms.inlineformset_factory(
    ScoringSheet, SheetPart, fields=["code", "title", "max_points"], extra=0, can_delete=False)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


OptionFormSet = forms.inlineformset_factory(
    Criterion, CriterionOption, fields=["order", "text", "points"], extra=2, can_delete=True)


# --- The member's scorecard ----------------------------------------------------------------


class ScorecardForm(forms.Form):
    """One radio group per criterion of the sheet (``criterion_<pk>``), plus a comment.

    ``structure``: :func:`shop.evaluation.scoring.sheet_structure` of the card's sheet
    (``[(part, [(criterion, [option, ...]), ...]), ...]``); ``chosen``: criterion pk →
    option pk already saved. Saving a draft may leave criteria empty; submitting needs
    them all (the scoring rules check it).
    """

    comment = forms.CharField(label=_("Nhận xét chung"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def __init__(self, *args, structure, chosen=None, comment="", disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = chosen or {}
        self.parts = []
        for part, criteria in structure:
            rows = []
            for criterion, options in criteria:
                name = f"criterion_{criterion.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=criterion.text, required=False, coerce=int, empty_value=None,
                    choices=[(o.pk, _("%(text)s — %(points)s điểm") % {
                        "text": o.text, "points": o.points}) for o in options],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    initial=chosen.get(criterion.pk),
                    disabled=disabled)
                rows.append((criterion, name))
            self.parts.append((part, rows))
        self.fields["comment"].initial = comment
        self.fields["comment"].disabled = disabled

    def bound_parts(self):
        """For the template: [(part, [(criterion, bound field), ...]), ...]."""
        return [(part, [(criterion, self[name]) for criterion, name in rows])
                for part, rows in self.parts]

    def choices(self):
        """criterion pk → chosen option pk (only criteria with a choice)."""
        return {criterion.pk: self.cleaned_data[name]
                for _part, rows in self.parts for criterion, name in rows
                if self.cleaned_data.get(name)}
