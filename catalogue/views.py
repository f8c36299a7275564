"""The product page; public trace pages and QR labels; printable barcode labels for the office
(thin views)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from catalogue import barcodes, traceability

MAX_LABEL_COPIES = 100


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, with everything the page shows fetched with the product.

    The product's class, parent, producer (with its partner and commune) and
    origin commune come in the product's own query, with whether it has options
    (as Oscar's listing annotates it, for the basket form); its photos, stock
    records and certificates in one query each, so no template fetches them one
    by one.
    """

    def get_queryset(self):
        Product = get_model("catalogue", "Product")
        Option = get_model("catalogue", "Option")
        return (
            Product.objects.select_related(
                "product_class", "parent", "producer__partner", "producer__commune", "origin_unit",
            )
            .annotate(
                has_product_class_options=Exists(
                    Option.objects.filter(productclass=OuterRef("product_class"))
                ),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            )
            .prefetch_related("images", "stockrecords", "ocop_certificates")
        )


def _product_or_404(code):
    product = traceability.product_for_code(code)
    if product is None:
        raise Http404(_("Không tìm thấy sản phẩm có mã “%(code)s”.") % {"code": code})
    return product


@require_GET
def trace(request, code):
    product = _product_or_404(code)
    context = traceability.trace_facts(product)
    context["trace_url"] = request.build_absolute_uri(product.get_trace_url())
    return render(request, "catalogue/trace.html", context)


def _qr_response(request, code, kind):
    product = _product_or_404(code)
    url = request.build_absolute_uri(product.get_trace_url())
    if kind == "png":
        body, content_type = traceability.qr_png(url), "image/png"
    else:
        body, content_type = traceability.qr_svg(url), "image/svg+xml"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="qr-{product.trace_code}.{kind}"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def trace_qr_png(request, code):
    return _qr_response(request, code, "png")


@require_GET
@cache_control(public=True, max_age=3600)
def trace_qr_svg(request, code):
    return _qr_response(request, code, "svg")


def _copies(value):
    try:
        return max(1, min(MAX_LABEL_COPIES, int(value)))
    except (TypeError, ValueError):
        return 1


@require_GET
@staff_member_required
def barcode_labels(request):
    """A print-ready sheet of EAN-13 labels: ``?product=<pk>&product=<pk>&copies=<n>``."""
    Product = get_model("catalogue", "Product")
    pks = [pk for pk in request.GET.getlist("product") if pk.isdigit()]
    copies = _copies(request.GET.get("copies"))
    labels, missing = [], []
    for product in Product.objects.filter(pk__in=pks).order_by("title"):
        if product.upc and barcodes.is_valid_gtin13(product.upc):
            svg = barcodes.ean13_svg(product.upc)
            labels.extend([{"product": product, "svg": svg}] * copies)
        else:
            missing.append(product)
    return render(
        request,
        "catalogue/barcode_labels.html",
        {"labels": labels, "missing": missing, "copies": copies},
    )
