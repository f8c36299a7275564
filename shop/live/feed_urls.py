"""Catalogue feeds, under /feeds/: Meta's CSV and XML, Google Merchant's XML (``?seller=<id>``)."""

from django.urls import path

from shop.live import feed_views

urlpatterns = [
    path("meta.csv", feed_views.meta_csv, name="feed-meta-csv"),
    path("meta.xml", feed_views.meta_xml, name="feed-meta-xml"),
    path("google.xml", feed_views.google_xml, name="feed-google"),
]
