from django.urls import path

from showroom import views

app_name = "showroom"

urlpatterns = [
    path("", views.StockOverviewView.as_view(), name="overview"),
    path("receipts/new/", views.ReceiptCreateView.as_view(), name="receipt-create"),
    path("transfers/", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers/new/", views.TransferCreateView.as_view(), name="transfer-create"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("counts/", views.CountStartView.as_view(), name="count-start"),
    path("counts/<slug:code>/", views.CountView.as_view(), name="count"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("low-stock/", views.LowStockView.as_view(), name="low-stock"),
    path("stock/<int:pk>/threshold/", views.ThresholdView.as_view(), name="threshold"),
]
