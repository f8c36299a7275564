"""Livestream reports (inside the ``live`` namespace at /live/): sessions, earnings, settlement."""

from django.urls import path

from shop.live import report_views

urlpatterns = [
    path("sessions/<int:pk>/report/", report_views.SessionReportView.as_view(), name="session-report"),
    path(
        "sessions/<int:pk>/report.csv", report_views.SessionReportCsvView.as_view(),
        name="session-report-csv",
    ),
    path("earnings/", report_views.EarningsView.as_view(), name="earnings"),
    path("office/settlement/", report_views.SettlementView.as_view(), name="settlement"),
    path("office/settlement.csv", report_views.SettlementCsvView.as_view(), name="settlement-csv"),
]
