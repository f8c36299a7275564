"""The producer's own programme facts, in the producer corner.

Included by ``shop/urls.py`` at ``producer/programme/`` with namespace ``programme-producer``.
"""

from django.urls import path

from shop.programme import facts_views

app_name = "programme-producer"

urlpatterns = [
    path("", facts_views.MyFactsView.as_view(), name="my-facts"),
]
