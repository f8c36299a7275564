"""Đồng amounts and percentages at the till: parsing, rounding, display.

VND has no minor unit: every amount is a ``Decimal`` with 0 places. Only the
cash tender is ever rounded, to ``settings.POS_CASH_ROUNDING`` đồng (0 = no
rounding), half up.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from pos.errors import TillError

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
MAX_AMOUNT = Decimal("10000000000")  # 10 tỷ đồng: more than any till sees in a day
DEFAULT_CASH_ROUNDING = 500


def dong(value):
    """A Decimal rounded half up to whole đồng."""
    return Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP)


def parse_money(value, label, allow_zero=True, required=True):
    """Whole đồng from JSON (int, integral float or digits string), else a clear 400."""
    if value is None or value == "":
        if not required:
            return None
        raise TillError(_("Thiếu %(label)s.") % {"label": label}, code="required")
    if isinstance(value, bool):
        raise TillError(_("%(label)s phải là số tiền.") % {"label": label})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TillError(
            _("%(label)s phải là số tiền (đồng), không phải “%(value)s”.")
            % {"label": label, "value": str(value)[:32]}
        ) from None
    if not amount.is_finite():
        raise TillError(_("%(label)s phải là số tiền.") % {"label": label})
    if amount != amount.to_integral_value():
        raise TillError(
            _("%(label)s phải là số đồng chẵn (không có phần lẻ).") % {"label": label}
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise TillError(
            (_("%(label)s phải lớn hơn 0.") if not allow_zero else _("%(label)s không được âm."))
            % {"label": label}
        )
    if amount > MAX_AMOUNT:
        raise TillError(_("%(label)s quá lớn.") % {"label": label})
    return amount.quantize(ONE)


def parse_percent(value, label):
    if value is None or value == "":
        return ZERO
    if isinstance(value, bool):
        raise TillError(_("%(label)s phải là số phần trăm.") % {"label": label})
    try:
        pct = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TillError(_("%(label)s phải là số phần trăm.") % {"label": label}) from None
    if not pct.is_finite() or pct < 0 or pct > HUNDRED:
        raise TillError(_("%(label)s phải từ 0 đến 100 %%.") % {"label": label})
    if pct != pct.quantize(Decimal("0.01")):
        raise TillError(_("%(label)s chỉ được có tối đa 2 chữ số thập phân.") % {"label": label})
    return pct.quantize(Decimal("0.01"))


def parse_quantity(value, label):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TillError(_("%(label)s phải là số nguyên.") % {"label": label})
    if value < 1:
        raise TillError(_("%(label)s phải lớn hơn 0.") % {"label": label})
    if value > 10_000:
        raise TillError(_("%(label)s quá lớn (tối đa 10.000).") % {"label": label})
    return value


def cash_rounding_unit():
    return int(getattr(settings, "POS_CASH_ROUNDING", DEFAULT_CASH_ROUNDING) or 0)


def round_cash(amount, unit=None):
    """``amount`` rounded half up to the cash unit (500 or 1,000 đồng; 0 = none)."""
    unit = cash_rounding_unit() if unit is None else unit
    if not unit:
        return dong(amount)
    unit = Decimal(unit)
    return (Decimal(amount) / unit).quantize(ONE, rounding=ROUND_HALF_UP) * unit


def format_vnd(amount):
    """``1.250.000 ₫`` (the Vietnamese way; the receipt is always Vietnamese-style)."""
    amount = dong(amount or 0)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + " ₫"
