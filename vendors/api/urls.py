"""The producer API under /api/producer/ (token or session auth)."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from vendors.api import views

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
    path("token/", obtain_auth_token, name="token"),
    *router.urls,
]
