"""Storefront template helpers: the buyer's facts of a product page, short menu labels.

Rules:

* The facts a buyer reads: the OCOP certificate in force (number, date, certifying
  body, valid until) with the public trace page and its QR code; net quantity,
  shelf life and storage when the producer gave them; the GTIN (EAN-13) when the
  barcode is a valid one; and that the price includes VAT. Products carry no VAT
  category yet, so the price line says "Giá đã gồm VAT" for every product (the
  shop's prices are consumer prices, tax included).
* A menu label is the group's name up to its first comma or " và " ("Dược liệu và
  sản phẩm từ dược liệu" → "Dược liệu"); the full name stays in the link's title.
"""

import re

from django import template

from catalogue import barcodes, certification

register = template.Library()


@register.simple_tag
def product_facts(product):
    certificate = certification.current_certificate(product)
    upc = product.upc or ""
    return {
        "certificate": certificate,
        "gtin": upc if barcodes.is_valid_gtin13(upc) else "",
        "net_quantity": (product.net_quantity or "").strip(),
        "shelf_life": (product.shelf_life or "").strip(),
        "storage": (product.storage or "").strip(),
        "trace_url": product.get_trace_url(),
        "trace_code": product.trace_code,
    }


_CUT = re.compile(r",| và | and ", re.IGNORECASE)


@register.filter
def short_label(name):
    name = str(name or "")
    short = _CUT.split(name, maxsplit=1)[0].strip()
    return short or name
