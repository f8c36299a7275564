"""The report's files and the registry CSV (namespace ``programme``, at /office/programme/)."""

from django.urls import path

from shop.programme import export_views

urlpatterns = [
    path("reports/<int:pk>/report.xlsx", export_views.ReportXlsxView.as_view(), name="report-xlsx"),
    path("reports/<int:pk>/report.pdf", export_views.ReportPdfView.as_view(), name="report-pdf"),
    path("registry.csv", export_views.RegistryCsvView.as_view(), name="registry-csv"),
]
