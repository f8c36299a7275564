"""The programme dashboard and the office's target editor (namespace ``programme``)."""

from django.urls import path

from shop.programme import dashboard_views

urlpatterns = [
    path("", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("targets/", dashboard_views.TargetsView.as_view(), name="targets"),
    path("targets/<int:pk>/", dashboard_views.TargetsView.as_view(), name="targets"),
]
