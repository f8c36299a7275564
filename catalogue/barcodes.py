"""GTIN-13 / EAN-13 barcodes: check digits, validation, in-store codes, SVG bars.

* A GTIN-13 is 12 digits plus a check digit (GS1 "mod 10": weights 1, 3, 1, 3 …
  from the left over the first twelve digits).
* ``893`` is GS1 Vietnam's prefix: typical for producers registered in Vietnam,
  not required (a product may carry a code issued elsewhere).
* Prefixes ``20``–``29`` are for restricted circulation (in-store codes). Codes
  this system makes itself are ``20`` + the product's number padded to ten
  digits + the check digit, so two products never share one.
* The bars are encoded and drawn by python-barcode (ISO/IEC 15420), after
  this module has validated the code: an inline SVG for labels and trace pages.
"""

import io
import re

from barcode import EAN13
from barcode.writer import SVGWriter
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _

GTIN13_LENGTH = 13
GS1_VIETNAM_PREFIX = "893"
INTERNAL_PREFIX = "20"
RESTRICTED_FIRST_DIGIT = "2"


def check_digit(body):
    """The GS1 check digit of ``body`` (the first twelve digits of a GTIN-13)."""
    if not body.isdigit():
        raise ValueError("digits only")
    # Weights alternate 3, 1, 3 … counted from the rightmost digit of the body.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def with_check_digit(body):
    return f"{body}{check_digit(body)}"


def gtin13_error(code):
    """A Vietnamese message saying what is wrong with ``code``, or None when it is a valid GTIN-13."""
    code = (code or "").strip()
    if not code:
        return _("Mã vạch đang để trống.")
    if not code.isascii() or not code.isdigit():
        return _("Mã vạch chỉ được gồm chữ số (0–9); “%(code)s” có ký tự khác.") % {"code": code}
    if len(code) != GTIN13_LENGTH:
        return _(
            "Mã vạch GTIN-13 (EAN-13) phải có đúng 13 chữ số; “%(code)s” có %(count)d chữ số."
        ) % {"code": code, "count": len(code)}
    expected = check_digit(code[:12])
    if int(code[12]) != expected:
        return _(
            "Số kiểm tra của mã vạch “%(code)s” không đúng: chữ số cuối phải là %(digit)d. "
            "Hãy kiểm tra lại mã in trên bao bì."
        ) % {"code": code, "digit": expected}
    return None


def is_valid_gtin13(code):
    return gtin13_error(code) is None


def validate_gtin13(code):
    """Django validator: refuse anything that is not a well-formed GTIN-13."""
    message = gtin13_error(code)
    if message:
        raise ValidationError(message, code="invalid_gtin")


def is_gs1_vietnam(code):
    return is_valid_gtin13(code) and code.startswith(GS1_VIETNAM_PREFIX)


def is_internal(code):
    """True for restricted-circulation (in-store) codes, prefixes 20–29."""
    return is_valid_gtin13(code) and code.startswith(RESTRICTED_FIRST_DIGIT)


def internal_code(sequence):
    """The in-store code for ``sequence`` (a positive number, usually the product's pk)."""
    if sequence < 0 or sequence >= 10**10:
        raise ValueError("sequence out of range")
    return with_check_digit(f"{INTERNAL_PREFIX}{sequence:010d}")


def ensure_barcode(product):
    """Give ``product`` an in-store code when it has no barcode; return its barcode.

    The code is ``internal_code(product.pk)``; should someone have typed that
    very code on another product, the next free number after the highest
    in-store code in use is taken instead.
    """
    if product.upc:
        return product.upc
    if product.pk is None:
        raise ValueError("save the product first")
    model = type(product)
    code = internal_code(product.pk)
    if model.objects.filter(upc=code).exclude(pk=product.pk).exists():
        highest = (
            model.objects.filter(upc__startswith=INTERNAL_PREFIX, upc__regex=r"^[0-9]{13}$")
            .order_by("-upc")
            .values_list("upc", flat=True)
            .first()
        )
        code = internal_code(int(highest[2:12]) + 1)
    model.objects.filter(pk=product.pk).update(upc=code)
    product.upc = code
    return code


# --- EAN-13 bars (python-barcode) ----------------------------------------------

MM = 96 / 25.4  # CSS pixels per millimetre: the SVG's user units
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)mm" height="([\d.]+)mm"[^>]*>')


def _ean13(code):
    validate_gtin13(code)
    # python-barcode computes the check digit from the first twelve; ours was validated above.
    return EAN13(code[:12], writer=SVGWriter(), guardbar=True)


def ean13_modules(code):
    """The 95 modules ("1" bar, "0" space) of a valid GTIN-13."""
    return _ean13(code).build()[0].replace("G", "1")


def ean13_svg(code, module=0.33, height=18, text=True):
    """An inline SVG (string) of ``code``: bars ``module`` mm wide, ``height`` mm tall, digits under.

    The SVG scales with its box (``viewBox``), so a label's CSS sets its printed size.
    """
    options = {"module_width": module, "module_height": height, "quiet_zone": 11 * module,
               "font_size": 9, "text_distance": 4, "write_text": text, "background": "white",
               "foreground": "black"}
    out = io.BytesIO()
    _ean13(code).write(out, options=options)
    svg = _COMMENT.sub("", _PROLOG.sub("", out.getvalue().decode(), count=1)).strip()
    match = _SIZE.search(svg)
    width, total_height = (float(v) * MM for v in match.groups())
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ean13" role="img" '
        f'aria-label="{escape(code)}" width="{width:.0f}" height="{total_height:.0f}" '
        f'viewBox="0 0 {width:.2f} {total_height:.2f}">'
    )
    # One label sheet holds many codes: no fixed id; digits in a monospace face as printed.
    body = svg[match.end():].replace('<g id="barcode_group">', '<g font-family="monospace">', 1)
    return head + re.sub(r">\s+<", "><", body.strip())
