"""Livestream selling's pages: the seller's workplace under /live/, the office's beside it."""

from django.urls import include, path

from shop.live import api_urls, views

app_name = "live"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("links/", views.LinksView.as_view(), name="links"),
    path("links/<int:pk>/qr.<str:fmt>", views.LinkQrView.as_view(), name="link-qr"),
    path("links/<int:pk>/card/", views.LinkCardView.as_view(), name="link-card"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session-new"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/edit/", views.SessionEditView.as_view(), name="session-edit"),
    path("sessions/<int:pk>/feature/", views.FeatureView.as_view(), name="feature"),
    path("sessions/<int:pk>/offers/<int:offer_pk>/", views.OfferEditView.as_view(), name="offer"),
    path("sessions/<int:pk>/action/", views.SessionActionView.as_view(), name="session-action"),
    path("sessions/<int:pk>/comments/", views.CommentsView.as_view(), name="comments"),
    path("holds/<int:pk>/", views.HoldView.as_view(), name="hold"),
    path("floors/", views.FloorsView.as_view(), name="floors"),
    path("office/sellers/", views.OfficeSellersView.as_view(), name="office-sellers"),
    path("office/sellers/<int:pk>/", views.OfficeSellerView.as_view(), name="office-seller"),
    path("webhooks/meta/", views.MetaWebhookView.as_view(), name="meta-webhook"),
    *getattr(api_urls, "page_urlpatterns", []),  # the control page and the OBS overlay
    path("", include("shop.live.report_urls")),
    path("api/", include("shop.live.api_urls")),
]
