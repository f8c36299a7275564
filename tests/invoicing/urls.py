"""The project's URLs plus the office's invoice pages (until shop/urls.py includes them)."""

from django.urls import include, path

from shop.urls import handler403, handler404  # noqa: F401  (the shop's error pages)
from shop.urls import urlpatterns as project_patterns

urlpatterns = [path("office/invoices/", include("shop.invoicing.urls")), *project_patterns]
