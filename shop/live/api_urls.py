"""The live-session API (mounted at /live/api/) and the control and overlay pages (at /live/).

``urlpatterns`` is the API; ``page_urlpatterns`` are the two pages, which
``shop.live.urls`` includes at /live/ (``live:control``, ``live:overlay``).
"""

from django.urls import path, re_path

from shop.live import api

urlpatterns = [
    path("sessions/", api.SessionListView.as_view(), name="api-sessions"),
    path("sessions/<int:pk>/", api.SessionDetailView.as_view(), name="api-session"),
    path("sessions/<int:pk>/start/", api.StartView.as_view(), name="api-start"),
    path("sessions/<int:pk>/end/", api.EndView.as_view(), name="api-end"),
    path("sessions/<int:pk>/pin/", api.PinView.as_view(), name="api-pin"),
    path("sessions/<int:pk>/offers/<int:offer_pk>/", api.OfferView.as_view(), name="api-offer"),
    path("sessions/<int:pk>/state/", api.StateView.as_view(), name="api-state"),
    path("sessions/<int:pk>/events/", api.EventsView.as_view(), name="api-events"),
    # anything else under /live/api/: the APIs' JSON 404 (shop.api.errors), not the HTML page
    re_path(r"^.*$", api.api_not_found),
]

page_urlpatterns = [
    path("sessions/<int:pk>/control/", api.ControlPageView.as_view(), name="control"),
    path("sessions/<int:pk>/overlay/", api.OverlayPageView.as_view(), name="overlay"),
]
