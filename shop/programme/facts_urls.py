"""The office's pages of producers' programme facts (namespace ``programme``, /office/programme/)."""

from django.urls import path

from shop.programme import facts_views

urlpatterns = [
    path("producers/", facts_views.ProducersView.as_view(), name="producers"),
    path("producers/<int:pk>/", facts_views.ProducerFactsView.as_view(), name="producer-facts"),
]
