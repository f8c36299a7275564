"""Đồng: the one home of đồng arithmetic and formatting.

VND has no minor unit. Every app that prices, sells, splits or shows money uses
these functions; nothing else rounds an amount or writes a đồng sign.

The rules
---------
1. **Amounts are whole đồng**: ``Decimal`` with 0 places in the database and
   in code, ``int`` on the wire (Stripe, VietQR: :func:`to_int`), never
   ``float``.
2. **Reading** (:func:`parse`): an int, a Decimal or text of digits
   (``"150000"``; with ``grouped=True`` also ``"150.000"``, ``"150 000"``,
   ``"1,250,000 ₫"``). A fraction of a đồng is refused (:class:`MoneyError`),
   never rounded away: callers turn the error into their own message.
   :func:`whole_dong` is the same check for a price: whole and not negative,
   or a ``ValidationError``.
3. **Rounding** to whole đồng is half up (:func:`dong`): 12.345,5 → 12.346.
   A discount of an offer or voucher rounds down (:func:`round_discount`,
   Oscar's ``OSCAR_OFFER_ROUNDING_FUNCTION`` through ``shop.rounding``), so it
   never gives more than its rate.
4. **Cash** at the till — only the cash tender, never totals, VAT or
   transfers — rounds half up to ``settings.POS_CASH_ROUNDING`` đồng (500 or
   1,000; 0 = no rounding): :func:`round_cash`.
5. **Splitting** an amount in proportion to weights (:func:`split`, the
   largest-remainder rule): each part gets ⌊amount × weight / Σ weights⌋
   whole đồng; the đồng left over (fewer than the number of parts) go one each
   to the parts with the largest remainders of that division, ties to the part
   listed first; the parts always sum exactly to the amount. A combo's price
   shared among its producers (``catalogue.combos.revenue_split``) and a return
   or refund taken back from the sellers' shares (``vendors.settlement``) are
   this one rule.
6. **Showing** (:func:`format_vnd`): ``1.250.000 ₫`` in Vietnamese,
   ``₫1,250,000`` in English, the sign first (``-1.000 ₫``, ``-₫1,000``).
   :func:`display_vnd` is the same for web pages in the active language, with
   a no-break space before ``₫`` in Vietnamese — exactly what Oscar's
   ``currency`` template filter shows, so a figure written by Python and one
   written by a template look alike. The till's receipts and messages are
   always Vietnamese-style (:func:`format_vnd` with its default).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ZERO = Decimal(0)
ONE = Decimal(1)
DEFAULT_CASH_ROUNDING = 500
SIGN = "₫"
# "150.000", "1,250,000", "150 000": groups of three digits, one separator throughout.
GROUPED = re.compile(r"\d{1,3}([., ])\d{3}(?:\1\d{3})*")


class MoneyError(ValueError):
    """A value that is not a whole number of đồng.

    ``code`` says why: ``"invalid"`` (not a number), ``"not_finite"``
    (infinity, NaN) or ``"fraction"`` (a part of a đồng).
    """

    def __init__(self, code, value=None):
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value


# --- Reading -------------------------------------------------------------------------------


def parse(value, *, grouped=False):
    """``value`` as whole đồng (a ``Decimal`` with 0 places, any sign), else :class:`MoneyError`.

    ``grouped`` also reads what a person types: thousands separators (``.``,
    ``,`` or a space, the same one throughout) and a trailing ``₫`` or ``đ``.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError("invalid", value)
    text = str(value).strip()
    if grouped:
        text = text.replace("\u00a0", " ").removesuffix(SIGN).removesuffix("đ").strip()
        if GROUPED.fullmatch(text):
            text = re.sub(r"\D", "", text)
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise MoneyError("invalid", value) from None
    if not amount.is_finite():
        raise MoneyError("not_finite", value)
    if amount != amount.to_integral_value():
        raise MoneyError("fraction", value)
    try:
        return amount.quantize(ONE)
    except InvalidOperation:  # more digits than a Decimal holds (1e99): whole, callers bound it
        return amount


def whole_dong(amount):
    """A price: ``amount`` if it is a whole, non-negative number of đồng, else ``ValidationError``."""
    try:
        value = parse(amount)
    except MoneyError:
        value = None
    if value is None or value < 0:
        raise ValidationError(_("Giá phải là số đồng nguyên, không âm."))
    return value


def to_int(amount) -> int:
    """Whole đồng as an ``int`` for a wire format; refuses floats and fractions.

    ``TypeError`` for a float (money is never a float), ``ValueError`` for a
    fraction of a đồng; text that is not a number raises ``ArithmeticError``.
    """
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError("VND has no minor unit")
    return int(value)


# --- Rounding ------------------------------------------------------------------------------


def dong(amount):
    """``amount`` rounded half up to whole đồng (a ``Decimal`` with 0 places)."""
    return Decimal(amount).quantize(ONE, rounding=ROUND_HALF_UP)


def round_discount(amount, currency=None):
    """A discount in whole đồng, rounded down: never a fraction, never more than the rate."""
    return Decimal(amount).quantize(ONE, rounding=ROUND_DOWN)


def cash_rounding_unit():
    """The till's cash unit in đồng (``settings.POS_CASH_ROUNDING``; 0 = no rounding)."""
    return int(getattr(settings, "POS_CASH_ROUNDING", DEFAULT_CASH_ROUNDING) or 0)


def round_cash(amount, unit=None):
    """``amount`` rounded half up to the cash unit (500 or 1,000 đồng; 0 = whole đồng)."""
    unit = cash_rounding_unit() if unit is None else unit
    if not unit:
        return dong(amount)
    unit = Decimal(unit)
    return (Decimal(amount) / unit).quantize(ONE, rounding=ROUND_HALF_UP) * unit


# --- Splitting -----------------------------------------------------------------------------


def _whole_weight(weight):
    value = Decimal(weight)
    if not value.is_finite() or value != value.to_integral_value() or value < 0:
        raise ValueError(f"a weight must be a whole number ≥ 0, not {weight!r}")
    return int(value)


def split(amount, weights, when_all_zero=None):
    """``amount`` (whole đồng, ≥ 0) in parts proportional to ``weights`` (rule 5).

    Returns a list of ``Decimal`` whole đồng in the order of ``weights``, summing
    exactly to ``amount``. If every weight is 0, ``when_all_zero`` weighs
    instead (default: equal parts). ``ValueError`` when there is nothing to
    split over; ``ValidationError`` (:func:`whole_dong`) for a fraction of a đồng.
    """
    total = int(whole_dong(amount))
    weights = [_whole_weight(w) for w in weights]
    if not weights:
        raise ValueError("nothing to split the amount over")
    if not any(weights):
        weights = [1] * len(weights) if when_all_zero is None else [
            _whole_weight(w) for w in when_all_zero
        ]
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("the weights must add up to more than 0")
    parts, remainders = [], []
    for index, weight in enumerate(weights):
        part, remainder = divmod(total * weight, weight_sum)
        parts.append(part)
        remainders.append((-remainder, index))
    left = total - sum(parts)
    for _remainder, index in sorted(remainders)[:left]:
        parts[index] += 1
    return [Decimal(part) for part in parts]


# --- Showing -------------------------------------------------------------------------------


def _is_english(language):
    return (language or "").lower().startswith("en")


def group_digits(amount, language="vi"):
    """Whole đồng with thousands grouped, no sign of the currency: ``1.250.000`` / ``1,250,000``."""
    amount = dong(amount or 0)
    text = f"{abs(int(amount)):,}"
    if not _is_english(language):
        text = text.replace(",", ".")
    return ("-" if amount < 0 else "") + text


def format_vnd(amount, language="vi"):
    """``1.250.000 ₫`` (Vietnamese, the default: receipts and the till) or ``₫1,250,000`` (English)."""
    text = group_digits(amount, language)
    if _is_english(language):
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{SIGN}{digits}"
    return f"{text} {SIGN}"


def display_vnd(amount, language=None):
    """``amount`` as web pages show it, in ``language`` (default: the active one).

    The same text as Oscar's ``currency`` filter: ``1.250.000 ₫`` with a
    no-break space in Vietnamese, ``₫1,250,000`` in English.
    """
    language = language or get_language() or settings.LANGUAGE_CODE
    return format_vnd(amount, language).replace(f" {SIGN}", f"\u00a0{SIGN}")
