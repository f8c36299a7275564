"""The district office's settlement report (/office/settlement/)."""

from django.urls import path

from vendors import reports

app_name = "settlement"

urlpatterns = [
    path("", reports.SettlementView.as_view(), name="office"),
    path("<int:partner_id>/", reports.SellerSettlementView.as_view(), name="seller"),
]
