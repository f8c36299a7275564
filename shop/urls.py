from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shop import error_pages, health
from shop.live import views as live_views
from shop.views import HomeView

urlpatterns = [
    path("health/", health.health, name="health"),  # for a load balancer (shop.health)
    path("", HomeView.as_view(), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", error_pages.favicon),
    path("sign-in-again/", error_pages.sign_in_again, name="sign-in-again"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split view: Swagger UI's start-up script is a file, not inline (Content-Security-Policy).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="shop/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("", include("catalogue.urls")),  # trace pages /t/<code>/, QR and barcode labels
    path("dashboard/inventory/", include("showroom.urls")),
    path("", include("vendors.urls")),  # producer corner /producer/, office review queue
    path("office/settlement/", include("vendors.report_urls")),  # producers' settlement
    path("office/programme/", include("shop.programme.urls")),  # targets, dashboard, reports
    path("office/invoices/", include("shop.invoicing.urls")),  # e-invoices: list, failed, export
    path("producer/programme/", include("shop.programme.producer_urls")),  # a producer's facts
    path("api/producer/", include("vendors.api.urls")),
    path("api/evaluation/", include("shop.evaluation.api_urls")),  # OCOP applications and moves
    path("payment/", include("shop.payment.urls")),  # Stripe webhook, staff refunds
    path("pos/", include("pos.urls")),
    path("live/", include("shop.live.urls")),  # livestream sellers' workplace, overlay, API
    path("l/<str:code>", live_views.follow_link, name="live-link"),  # sellers' short links
    path("feeds/", include("shop.live.feed_urls")),  # catalogue feeds for Meta and Google
    path("graphql/", include("shop.graphql.urls")),  # the Saleor-compatible storefront API
    path("evaluation/", include("shop.evaluation.urls")),  # OCOP rating rounds, online
    path("experiences/", include("shop.experiences.urls")),  # tourism departures, bookings
    path("", include(apps.get_app_config("oscar").urls[0])),
]

# JSON under /api/ and /pos/api/ (an unknown path, an id that is not a number), the page elsewhere
handler404 = "shop.api.errors.page_not_found"
# The shop's page saying who may see the refused page (shop.error_pages); JSON under the APIs
handler403 = "shop.error_pages.permission_denied"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
