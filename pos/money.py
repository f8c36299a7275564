"""The till reads amounts, percentages and quantities from JSON: one clear message per field.

Đồng arithmetic itself (rounding, cash rounding, formatting) is ``shop.money``;
its names are also importable from here for older imports. Only the cash
tender is ever rounded, to ``settings.POS_CASH_ROUNDING`` đồng.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from pos.errors import TillError
from shop import money
from shop.core.numbers import is_digits
from shop.money import ZERO, cash_rounding_unit, dong, format_vnd, round_cash  # noqa: F401

HUNDRED = Decimal("100")
MAX_AMOUNT = Decimal("10000000000")  # 10 tỷ đồng: more than any till sees in a day


def parse_money(value, label, allow_zero=True, required=True):
    """Whole đồng from JSON (int, integral float or digits string), else a clear 400."""
    if value is None or value == "":
        if not required:
            return None
        raise TillError(_("Thiếu %(label)s.") % {"label": label}, code="required")
    if isinstance(value, bool):
        raise TillError(_("%(label)s phải là số tiền.") % {"label": label})
    try:
        amount = money.parse(value)
    except money.MoneyError as error:
        if error.code == "fraction":
            message = _("%(label)s phải là số đồng chẵn (không có phần lẻ).")
        elif error.code == "not_finite":
            message = _("%(label)s phải là số tiền.")
        else:
            message = _("%(label)s phải là số tiền (đồng), không phải “%(value)s”.")
        raise TillError(message % {"label": label, "value": str(value)[:32]}) from None
    if amount < 0 or (amount == 0 and not allow_zero):
        raise TillError(
            (_("%(label)s phải lớn hơn 0.") if not allow_zero else _("%(label)s không được âm."))
            % {"label": label}
        )
    if amount > MAX_AMOUNT:
        raise TillError(_("%(label)s quá lớn.") % {"label": label})
    return amount


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
        if isinstance(value, str) and is_digits(value.strip()):
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
