from django.contrib.auth import views as auth_views
from django.urls import include, path

from pos import views

app_name = "pos"

urlpatterns = [
    path("", views.RegisterChoiceView.as_view(), name="index"),
    path("login/", auth_views.LoginView.as_view(template_name="pos/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="pos:login"), name="logout"),
    path("register/<int:pk>/", views.TillView.as_view(), name="till"),
    path("register/<int:pk>/display/", views.CustomerDisplayView.as_view(), name="display"),
    path("receipt/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("receipt/<int:pk>.pdf", views.ReceiptPDFView.as_view(), name="receipt-pdf"),
    path("session/<int:pk>/z-report/", views.ZReportView.as_view(), name="z-report"),
    path("sw.js", views.ServiceWorkerView.as_view(), name="service-worker"),
    path("offline/", views.OfflinePageView.as_view(), name="offline"),
    path("api/", include("pos.api.urls")),
]
