"""OCOP evaluation pages under /evaluation/ (namespace ``evaluation``)."""

app_name = "evaluation"

urlpatterns = []
