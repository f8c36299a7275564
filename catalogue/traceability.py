"""Public traceability: find a product by the code on its pack, what its trace page shows, QR labels."""

import io
import re

import qrcode
import qrcode.image.svg
from oscar.core.loading import get_model

from catalogue import certification

LATEST_BATCHES = 5
_PK_CODE = re.compile(r"^p(\d{1,18})$")


def product_for_code(code):
    """The public product whose trace code is ``code`` (its barcode, or ``p<pk>``), or None.

    ``p<pk>`` keeps working after the product gets a barcode, so printed labels stay valid.
    """
    Product = get_model("catalogue", "Product")
    products = Product.objects.filter(is_public=True).select_related(
        "producer__partner", "producer__commune", "origin_unit"
    )
    match = _PK_CODE.match(code)
    if match:
        return products.filter(pk=int(match.group(1))).first()
    return products.filter(upc=code).first()


def trace_facts(product, on=None):
    """What the trace page shows about ``product`` on day ``on``."""
    producer = product.producer
    return {
        "product": product,
        "producer": producer,
        "origin": product.origin_unit or (producer.commune if producer else None),
        "certificate": certification.current_certificate(product, on),
        "batches": list(product.batches.all()[:LATEST_BATCHES]),
        "image": product.primary_image(),
    }


def qr_png(data, box_size=10, border=4):
    """A PNG (bytes) of a QR code of ``data``."""
    qr = qrcode.QRCode(box_size=box_size, border=border,
                       error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()


def qr_svg(data, box_size=10, border=4):
    """An SVG document (bytes) of a QR code of ``data``, scalable for print."""
    qr = qrcode.QRCode(box_size=box_size, border=border,
                       error_correction=qrcode.constants.ERROR_CORRECT_M,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.make_image().to_string(encoding="unicode").encode("utf-8")
