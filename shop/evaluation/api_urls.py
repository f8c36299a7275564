"""The OCOP evaluation API under /api/evaluation/ (see ``shop.evaluation.api``)."""

from django.urls import path

from shop.evaluation import api

app_name = "evaluation-api"

urlpatterns = [
    path("applications/", api.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="application"),
    path("applications/<int:pk>/transitions/", api.TransitionView.as_view(), name="transition"),
    path("applications/<int:pk>/notes/", api.NoteView.as_view(), name="note"),
]
