"""Catalogue feeds for Meta and Google Merchant (the rules: ``shop.live.feeds``)."""

from django.http import HttpResponse, HttpResponseNotFound
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from shop.live import feeds

CSV = "text/csv; charset=utf-8"
XML = "application/xml; charset=utf-8"


def _feed(request, write, content_type, filename):
    try:
        seller = feeds.seller_from(request.GET.get("seller"))
    except feeds.UnknownSeller as error:
        return HttpResponseNotFound(error.message, content_type="text/plain; charset=utf-8")
    body = feeds.render(write, request, seller)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=feeds.CACHE_SECONDS)
    return response


@require_safe
def meta_csv(request):
    return _feed(request, feeds.meta_csv, CSV, "meta.csv")


@require_safe
def meta_xml(request):
    return _feed(request, feeds.meta_xml, XML, "meta.xml")


@require_safe
def google_xml(request):
    return _feed(request, feeds.google_xml, XML, "google.xml")
