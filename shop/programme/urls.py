"""The programme's pages at /office/programme/ (namespace ``programme``)."""

from django.urls import include, path

app_name = "programme"

urlpatterns = [
    path("", include("shop.programme.dashboard_urls")),
    path("reports/", include("shop.programme.report_urls")),
    path("", include("shop.programme.export_urls")),
    path("", include("shop.programme.facts_urls")),
]
