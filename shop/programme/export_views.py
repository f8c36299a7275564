"""The report's files and the registry CSV: thin views over ``exports`` (office only)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import translation
from django.views import View

from shop.programme import access, exports, figures, reports
from shop.programme.models import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfficeOnlyMixin(LoginRequiredMixin):
    """The district office (staff with ``programme.manage_programme``) and superusers."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require_office(request.user)
        return super().dispatch(request, *args, **kwargs)


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReportFileView(OfficeOnlyMixin, View):
    """A report as a file: a submitted report from its snapshot, a draft from live data."""

    extension = content_type = writer = None  # set by each file type below

    def get(self, request, pk):
        report = get_object_or_404(Report, pk=pk)
        today = reports.today_vietnam()
        data = reports.figures_of(report, today)
        return _attachment(self.writer(data, report, today), self.content_type,
                           exports.filename(report, self.extension))


class ReportXlsxView(ReportFileView):
    extension, content_type, writer = "xlsx", XLSX, staticmethod(exports.report_xlsx)


class ReportPdfView(ReportFileView):
    extension, content_type, writer = "pdf", "application/pdf", staticmethod(exports.report_pdf)


class RegistryCsvView(OfficeOnlyMixin, View):
    """Today's registry of certified products, in the documented CSV (docs/registry-csv.md)."""

    def get(self, request):
        today = reports.today_vietnam()
        with translation.override("vi"):  # the format is Vietnamese whatever the interface
            rows = figures.dashboard(today, today, today=today)["registry"]
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in exports.registry_csv_lines(rows)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="so-dang-ky-ocop-{today.isoformat()}.csv"'
        )
        return response
