from django.urls import path

from . import views

app_name = "ocop-payment"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("refund/<str:number>/", views.RefundView.as_view(), name="refund"),
]
