"""The periodic reports at /office/programme/reports/ (namespace ``programme``)."""

from django.urls import path

from shop.programme import report_views as views

urlpatterns = [
    path("", views.ReportListView.as_view(), name="reports"),
    path("new/", views.ReportNewView.as_view(), name="report-new"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("<int:pk>/correct/", views.ReportCorrectView.as_view(), name="report-correct"),
]
