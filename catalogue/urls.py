"""Public trace pages (``/t/<code>/``), their QR labels, and printable barcode labels.

Included at the site root by shop/urls.py under the namespace ``trace``.
"""

from django.urls import path

from catalogue import views

app_name = "trace"

urlpatterns = [
    path("t/<str:code>/", views.trace, name="trace"),
    path("t/<str:code>/qr.png", views.trace_qr_png, name="qr-png"),
    path("t/<str:code>/qr.svg", views.trace_qr_svg, name="qr-svg"),
    path("labels/barcodes/", views.barcode_labels, name="barcode-labels"),
]
