"""Experience pages under /experiences/ (namespace ``experiences``)."""

from django.urls import path, re_path

from . import basket_views, views

app_name = "experiences"

urlpatterns = [
    # the product page's booking form: places on a departure into the basket (expcore)
    path("add/<int:product_pk>/", basket_views.add, name="add"),
    # the provider's corner (producer users: their own; the office: all)
    path("provider/", views.WeekView.as_view(), name="provider"),
    path("provider/departures/new/", views.DepartureCreateView.as_view(), name="departure-create"),
    path("provider/season/new/", views.SeasonCreateView.as_view(), name="season-create"),
    path("provider/departures/<int:pk>/", views.ManifestView.as_view(), name="manifest"),
    path("provider/departures/<int:pk>/edit/", views.DepartureEditView.as_view(),
         name="departure-edit"),
    path("provider/departures/<int:pk>/cancel/", views.DepartureCancelView.as_view(),
         name="departure-cancel"),
    path("provider/departures/<int:pk>/collect/", views.ManifestCollectView.as_view(),
         name="manifest-collect"),
    # the guide on the day
    path("check-in/", views.CheckInView.as_view(), name="check-in"),
    path("check-in/collect/", views.CheckInCollectView.as_view(), name="check-in-collect"),
    # the buyer's voucher, by its unguessable code
    path("booking/<str:code>/", views.BookingView.as_view(), name="booking"),
    path("booking/<str:code>/cancel/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("booking/<str:code>/redeem/", views.BookingRedeemView.as_view(), name="booking-redeem"),
    re_path(r"^booking/(?P<code>[^/]+)/qr\.(?P<fmt>svg|png)$", views.BookingQRView.as_view(),
            name="booking-qr"),
]
