from django.urls import path

from pos.api import views

urlpatterns = [
    path("registers/", views.RegisterListView.as_view(), name="api-registers"),
    path("registers/<int:pk>/catalogue/", views.CatalogueView.as_view(), name="api-catalogue"),
    path("registers/<int:pk>/lookup/", views.LookupView.as_view(), name="api-lookup"),
    path("registers/<int:pk>/sessions/", views.OpenSessionView.as_view(), name="api-session-open"),
    path("registers/<int:pk>/sales/", views.SaleView.as_view(), name="api-sales"),
    path("registers/<int:pk>/vietqr/", views.VietQRView.as_view(), name="api-vietqr"),
    path("registers/<int:pk>/experiences/", views.ExperienceDeparturesView.as_view(),
         name="api-experiences"),
    path("registers/<int:pk>/experiences/bookings/", views.ExperienceBookingView.as_view(),
         name="api-experience-bookings"),
    path("sessions/<int:pk>/", views.SessionView.as_view(), name="api-session"),
    path("sessions/<int:pk>/close/", views.CloseSessionView.as_view(), name="api-session-close"),
    path("sessions/<int:pk>/cash-movements/", views.CashMovementView.as_view(),
         name="api-cash-movements"),
    path("sales/<int:pk>/", views.SaleDetailView.as_view(), name="api-sale"),
    path("sales/<int:pk>/returns/", views.ReturnView.as_view(), name="api-returns"),
]
