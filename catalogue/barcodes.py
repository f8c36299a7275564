"""GTIN-13 / EAN-13 barcodes: check digits, validation, in-store codes, SVG bars.

* A GTIN-13 is 12 digits plus a check digit (GS1 "mod 10": weights 1, 3, 1, 3 …
  from the left over the first twelve digits).
* ``893`` is GS1 Vietnam's prefix: typical for producers registered in Vietnam,
  not required (a product may carry a code issued elsewhere).
* Prefixes ``20``–``29`` are for restricted circulation (in-store codes). Codes
  this system makes itself are ``20`` + the product's number padded to ten
  digits + the check digit, so two products never share one.
* The bars are drawn by a small encoder below (the EAN-13 L/G/R tables are
  part of the public standard, ISO/IEC 15420), as an inline SVG for labels.
"""

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


# --- EAN-13 bars -----------------------------------------------------------

_L = ["0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011"]
_G = ["0100111", "0110011", "0011011", "0100001", "0011101",
      "0111001", "0000101", "0010001", "0001001", "0010111"]
_R = ["1110010", "1100110", "1101100", "1000010", "1011100",
      "1001110", "1010000", "1000100", "1001000", "1110100"]
# The first digit is not drawn: it chooses L or G for each digit of the left half.
_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]
START = END = "101"
MIDDLE = "01010"


def ean13_modules(code):
    """The 95 modules ("1" bar, "0" space) of a valid GTIN-13."""
    validate_gtin13(code)
    digits = [int(d) for d in code]
    left = "".join(
        (_L if parity == "L" else _G)[d] for parity, d in zip(_PARITY[digits[0]], digits[1:7], strict=True)
    )
    right = "".join(_R[d] for d in digits[7:])
    return START + left + MIDDLE + right + END


def _guard_positions():
    """Module indexes of the start, middle and end guards (drawn longer)."""
    guards = set(range(0, 3)) | set(range(45, 50)) | set(range(92, 95))
    return guards


def ean13_svg(code, module=2, height=60, quiet=11, text=True):
    """An inline SVG (string) of the bars of ``code``, with the digits under them."""
    modules = ean13_modules(code)
    guards = _guard_positions()
    font = 9 * module
    text_space = font + module if text else 0
    width = (95 + 2 * quiet) * module
    total_height = height + text_space
    rects = []
    run_start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and run_start is None:
            run_start = i
        elif bit != "1" and run_start is not None:
            long_bar = run_start in guards
            bar_height = height + (text_space // 2 if long_bar and text else 0)
            rects.append(
                f'<rect x="{(quiet + run_start) * module}" y="0" '
                f'width="{(i - run_start) * module}" height="{bar_height}"/>'
            )
            run_start = None
    texts = []
    if text:
        y = height + font
        texts.append(f'<text x="{(quiet - 7) * module}" y="{y}">{code[0]}</text>')
        texts.append(
            f'<text x="{(quiet + 3 + 21) * module}" y="{y}" text-anchor="middle">{code[1:7]}</text>'
        )
        texts.append(
            f'<text x="{(quiet + 50 + 21) * module}" y="{y}" text-anchor="middle">{code[7:]}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ean13" role="img" '
        f'aria-label="{escape(code)}" width="{width}" height="{total_height}" '
        f'viewBox="0 0 {width} {total_height}">'
        f'<rect width="{width}" height="{total_height}" fill="#fff"/>'
        f'<g fill="#000">{"".join(rects)}</g>'
        f'<g font-family="monospace" font-size="{font}" fill="#000">{"".join(texts)}</g>'
        "</svg>"
    )
