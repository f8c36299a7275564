"""The office's periodic reports pages — thin views over ``shop.programme.reports``.

Reports are the district office's documents: only the office reads them (a commune's
officer reads the dashboard of its commune, not the district's reports).
"""

import copy
import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from shop.programme import access, reports
from shop.programme.forms import NarrativeForm, NewReportForm, SubmitForm
from shop.programme.models import Report

DATE_KEYS = {
    "start", "end", "valid_until", "decision_date", "period_start", "period_end", "due_date", "as_of",
}
STATUS_LABELS = {
    "met": gettext_lazy("Đạt"),
    "on_track": gettext_lazy("Đúng tiến độ"),
    "behind": gettext_lazy("Chậm"),
}


def with_dates(data):
    """A copy of report data whose "YYYY-MM-DD" values are dates (shown as dd/mm/yyyy)."""
    data = copy.deepcopy(data)

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in DATE_KEYS and isinstance(value, str) and value:
                    try:
                        node[key] = datetime.date.fromisoformat(value)
                    except ValueError:
                        pass
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return data


class OfficeOnly:
    """Anonymous → sign in; signed in but not the office (``access.is_office``) → 403.

    A commune's officer, who reads its commune's dashboard, is refused here too.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_office(request.user):
            raise PermissionDenied(_("Báo cáo chương trình OCOP chỉ dành cho Phòng Nông nghiệp huyện."))
        return super().dispatch(request, *args, **kwargs)


class ReportListView(OfficeOnly, TemplateView):
    """/office/programme/reports/: due and overdue reports, each kind's recent periods."""

    template_name = "programme/report_list.html"

    def get_context_data(self, **kwargs):
        today = reports.today_vietnam()
        kinds = [
            {"kind": kind, "title": reports.KIND_TITLES[kind],
             "periods": reports.recent_periods(kind, today)}
            for kind in reports.KINDS
        ]
        return super().get_context_data(
            today=today, due=reports.periods_due(today), kinds=kinds, **kwargs,
        )


class ReportNewView(OfficeOnly, View):
    """POST kind + period: open (or create) the period's draft."""

    http_method_names = ["post"]

    def post(self, request):
        form = NewReportForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("__all__", []) or [_("Kỳ báo cáo không hợp lệ.")]:
                messages.error(request, error)
            return redirect("programme:reports")
        try:
            report = reports.create_draft(
                form.cleaned_data["kind"], form.cleaned_data["period_start"], request.user,
            )
        except reports.ReportError as error:
            messages.error(request, str(error))
            return redirect("programme:reports")
        return redirect("programme:report", pk=report.pk)


class ReportDetailView(OfficeOnly, TemplateView):
    """A report: live figures while a draft (with the narrative form), the snapshot once submitted."""

    template_name = "programme/report_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.report = get_object_or_404(
            Report.objects.select_related("submitted_by", "created_by", "supersedes"), pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_draft(self):
        return self.report.status == Report.Status.DRAFT

    def post(self, request, pk):
        if not self.is_draft:
            messages.error(request, _("Báo cáo đã gửi không sửa được. Muốn sửa, hãy lập bản đính chính."))
            return redirect("programme:report", pk=pk)
        form = NarrativeForm(request.POST, instance=self.report)
        if form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu phần thuyết minh."))
            return redirect("programme:report", pk=pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        report = self.report
        data = with_dates(reports.figures_of(report))
        if self.is_draft:
            kwargs.setdefault("form", NarrativeForm(instance=report))
            kwargs.setdefault("submit_form", SubmitForm())
        all_versions = reports.versions(report)
        return super().get_context_data(
            report=report, data=data, is_draft=self.is_draft,
            label=reports.period_label(report.kind, report.period_start),
            due_date=reports.due_date(report.kind, report.period_start),
            reference=reports.reference(report),
            status_labels=STATUS_LABELS,
            versions=all_versions,
            can_correct=(
                not self.is_draft
                and all_versions[0].pk == report.pk
            ),
            **kwargs,
        )


class ReportSubmitView(OfficeOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        form = SubmitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy đánh dấu xác nhận trước khi gửi báo cáo."))
            return redirect("programme:report", pk=pk)
        try:
            reports.submit(report, request.user)
        except reports.ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã gửi báo cáo số %(reference)s.") % {
                "reference": reports.reference(report),
            })
        return redirect("programme:report", pk=pk)


class ReportCorrectView(OfficeOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        try:
            draft = reports.correct(report, request.user)
        except reports.ReportError as error:
            messages.error(request, str(error))
            return redirect("programme:report", pk=pk)
        messages.success(request, _("Đã lập bản đính chính (lần %(version)s).") % {"version": draft.version})
        return redirect("programme:report", pk=draft.pk)
