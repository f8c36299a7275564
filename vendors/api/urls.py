"""The producer API under /api/producer/ (token or session auth; tokens: vendors.tokens)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from vendors.api import tokens, views

app_name = "vendors-api"

router = DefaultRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("batches", views.BatchViewSet, basename="batch")
router.register("stock", views.StockViewSet, basename="stock")
router.register("sales", views.SaleViewSet, basename="sale")
router.register("shares", views.ShareViewSet, basename="share")
router.register("changes", views.ChangeRequestViewSet, basename="change")

urlpatterns = [
    path("token/", tokens.ObtainTokenView.as_view(), name="token"),
    path("token/revoke/", tokens.RevokeTokenView.as_view(), name="token-revoke"),
    path("token/revoke-all/", tokens.RevokeAllTokensView.as_view(), name="token-revoke-all"),
    *router.urls,
]
