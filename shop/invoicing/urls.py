"""The office's invoice pages at /office/invoices/ (namespace ``invoicing``)."""

from django.urls import path

from shop.invoicing import views

app_name = "invoicing"

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="list"),
    path("export.xlsx", views.InvoiceExportView.as_view(), name="export"),
    path("consolidate/", views.ConsolidateView.as_view(), name="consolidate"),
    path("<int:pk>/", views.InvoiceDetailView.as_view(), name="detail"),
    path("<int:pk>/retry/", views.InvoiceRetryView.as_view(), name="retry"),
]
