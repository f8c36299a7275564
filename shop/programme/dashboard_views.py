"""The programme dashboard (/office/programme/) and the office's target editor: thin views.

The figures are ``shop.programme.figures.dashboard``; who sees what is
``shop.programme.access``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.forms import inlineformset_factory
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shop.core import charts
from shop.programme import access, figures, reports, targets
from shop.programme.models import PlanPeriod, Target

FIRST_DAY = datetime.date(2000, 1, 1)
MAX_PERIOD_DAYS = 3 * 366

PRESETS = {
    "month": gettext_lazy("Tháng này"),
    "quarter": gettext_lazy("Quý này"),
    "year": gettext_lazy("Năm nay"),
    "last-month": gettext_lazy("Tháng trước"),
    "last-quarter": gettext_lazy("Quý trước"),
    "last-year": gettext_lazy("Năm trước"),
}


def preset_period(name, today):
    """``(start, end)`` of a quick choice; None for an unknown name."""
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    if name == "month":
        return today.replace(day=1), today
    if name == "quarter":
        return quarter_start, today
    if name == "year":
        return today.replace(month=1, day=1), today
    if name == "last-month":
        end = today.replace(day=1) - datetime.timedelta(days=1)
        return end.replace(day=1), end
    if name == "last-quarter":
        end = quarter_start - datetime.timedelta(days=1)
        return end.replace(month=3 * ((end.month - 1) // 3) + 1, day=1), end
    if name == "last-year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    return None


class PeriodForm(forms.Form):
    preset = forms.ChoiceField(
        label=gettext_lazy("Kỳ"), required=False, choices=[("", "—")] + list(PRESETS.items()),
    )
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)
    commune = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if data.get("preset"):
            data["start"], data["end"] = preset_period(data["preset"], today)
            return data
        start, end = data.get("start"), data.get("end")
        end = end or today
        start = start or end.replace(month=1, day=1)
        last_day = today + datetime.timedelta(days=366)
        if start < FIRST_DAY or end > last_day:
            raise forms.ValidationError(
                _("Hãy chọn ngày từ %(first)s đến %(last)s.")
                % {"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": last_day.strftime("%d/%m/%Y")}
            )
        if end < start:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Mỗi lần xem tối đa 3 năm."))
        data["start"], data["end"] = start, end
        return data


class ProgrammeMixin(LoginRequiredMixin):
    """Signed-in users only; then the access rules decide (403 for the others)."""

    office_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = (
            access.require_office(request.user) if self.office_only
            else access.require(request.user)
        )
        return super().dispatch(request, *args, **kwargs)


def _bars(rows, value="amount", last="last_year"):
    """Rows with the widths (0–100) of their bars against the largest figure of the list."""
    largest = max([r[value] for r in rows] + [r.get(last) or 0 for r in rows], default=0)
    return [
        dict(r, width=charts.share_of(r[value], largest),
             last_width=charts.share_of(r.get(last) or 0, largest) if last else 0)
        for r in rows
    ]


def _trend_chart(target):
    trend = target["trend"]
    if not trend:
        return None
    return charts.stacked_bars(
        trend, [(lambda t: t["value"], "bar-own", target["label"])],
        label=lambda t: str(t["year"]), describe=lambda t: f"{t['year']}: {t['value']}",
        width=240, height=90,
    )


class DashboardView(ProgrammeMixin, TemplateView):
    template_name = "programme/dashboard.html"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        self.form = PeriodForm(request.GET or None)
        self.bad_period = self.form.is_bound and not self.form.is_valid()
        if self.form.is_bound and not self.bad_period:
            self.start, self.end = self.form.cleaned_data["start"], self.form.cleaned_data["end"]
        else:
            self.start, self.end = preset_period("year", today)
        self.commune = self.scope.commune
        self.communes = []
        if self.scope.office:
            AdministrativeUnit = get_model("vendors", "AdministrativeUnit")
            self.communes = list(
                AdministrativeUnit.objects.filter(vendors__isnull=False).distinct().order_by("name")
            )
            wanted = self.form.cleaned_data.get("commune") if not self.bad_period and \
                self.form.is_bound else None
            self.commune = next((c for c in self.communes if c.pk == wanted), None)
        response = super().get(request, *args, **kwargs)
        if self.bad_period:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        data = figures.dashboard(self.start, self.end, commune=self.commune)
        for target in data["targets"]:
            target["chart"] = _trend_chart(target)
        sales = data["sales"]
        products = data["products"]
        query = f"start={self.start.isoformat()}&end={self.end.isoformat()}"
        if self.commune is not None and self.scope.office:
            query += f"&commune={self.commune.pk}"
        kwargs.update(
            data=data, scope=self.scope, commune=self.commune, communes=self.communes,
            period_form=self.form, presets=list(PRESETS.items()),
            start=self.start, end=self.end, period_query=query,
            by_stars=_bars([{"name": r["stars"], "amount": r["count"]}
                            for r in products["by_stars"]], last=None),
            product_groups=_bars([{"name": r["name"], "amount": r["count"]}
                                  for r in products["by_group"]], last=None),
            product_communes=_bars([{"name": r["name"], "amount": r["count"]}
                                    for r in products["by_commune"]], last=None),
            product_types=_bars([{"name": r["name"], "amount": r["count"]}
                                 for r in products["by_subject_type"]], last=None),
            sales_channels=_bars([{"name": r["label"], **r} for r in sales["by_channel"]]),
            sales_groups=_bars(sales["by_group"]),
            sales_communes=_bars(sales["by_commune"]),
            sales_types=_bars(sales["by_subject_type"]),
            plan=targets.plan_for(min(self.end, timezone.localdate())),
            # reports to the district committee past their due date (the office's only)
            overdue_reports=reports.overdue() if self.scope.office else [],
        )
        return super().get_context_data(**kwargs)


# --- The office's target editor ---------------------------------------------------------------


class PlanForm(forms.ModelForm):
    class Meta:
        model = PlanPeriod
        fields = ["name", "start_year", "end_year", "decision"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["measure", "unit", "minimum", "maximum", "position"]

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and high < low:
            self.add_error("maximum", _("Tối đa không được nhỏ hơn tối thiểu."))
        if data.get("unit") == Target.Unit.PERCENT and (high or low or 0) > 100:
            self.add_error("minimum", _("Tỉ lệ không vượt quá 100%."))
        return data


TargetFormSet = inlineformset_factory(
    PlanPeriod, Target, form=TargetForm, extra=1, can_delete=True,
)


class TargetsView(ProgrammeMixin, TemplateView):
    """One plan's targets (``pk``; default: the current plan), and a new plan period."""

    template_name = "programme/targets.html"
    office_only = True

    def get_plan(self):
        if "pk" in self.kwargs:
            return get_object_or_404(PlanPeriod, pk=self.kwargs["pk"])
        return targets.plan_for(timezone.localdate())

    def forms(self, data=None):
        plan = self.get_plan()
        if plan is None:
            return None, None, PlanForm(data if self.action == "new" else None, prefix="new")
        editing = data if self.action == "save" else None
        return (
            PlanForm(editing, instance=plan, prefix="plan"),
            TargetFormSet(editing, instance=plan, prefix="targets"),
            PlanForm(data if self.action == "new" else None, prefix="new"),
        )

    action = None

    def get_context_data(self, **kwargs):
        if "plan_form" not in kwargs:
            kwargs["plan_form"], kwargs["formset"], kwargs["new_form"] = self.forms()
        kwargs.setdefault("plan", self.get_plan())
        kwargs["plans"] = PlanPeriod.objects.all()
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.action = request.POST.get("action")
        plan_form, formset, new_form = self.forms(request.POST)
        if self.action == "save" and plan_form is not None:
            if plan_form.is_valid() and formset.is_valid():
                with transaction.atomic():
                    plan = plan_form.save()
                    formset.save()
                messages.success(request, _("Đã lưu chỉ tiêu của kế hoạch."))
                return redirect("programme:targets", pk=plan.pk)
        elif self.action == "new":
            if new_form.is_valid():
                with transaction.atomic():
                    plan = new_form.save()
                    previous = self.get_plan()
                    if previous is not None and request.POST.get("copy_targets"):
                        Target.objects.bulk_create([
                            Target(plan=plan, measure=t.measure, unit=t.unit, minimum=t.minimum,
                                   maximum=t.maximum, position=t.position)
                            for t in previous.targets.all()
                        ])
                messages.success(request, _("Đã thêm kế hoạch mới."))
                return redirect("programme:targets", pk=plan.pk)
        else:
            return redirect(request.path)
        context = self.get_context_data(plan_form=plan_form, formset=formset, new_form=new_form)
        return self.render_to_response(context, status=400)
