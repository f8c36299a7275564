"""The VAT rate of a line on a given day, from the product's VAT category.

Rules:

* A product has one VAT category: ``0`` (0 %), ``5`` (5 %: e.g. fresh farm produce
  sold by a business, medicinal herbs), ``10`` (10 %: the standard rate), ``exempt``
  (not subject to VAT, "KCT") or ``undeclared`` (not declared / calculated, "KKKNT").
* The reduced rate is a dated rule, kept as data (:data:`REDUCTIONS`): on a day inside
  a reduction's period a ``10`` line is charged 8 % — never for goods the rule leaves
  out (alcohol, beer, tobacco: ``excluded`` product classes or an ``alcohol`` flag).
  Outside every period the line is charged 10 %.
* A gift combo's line is split into its components' rates where they differ
  (:func:`combo_parts`): its price is shared between the components in proportion to
  their list prices × quantities (``shop.money.split``: whole đồng, summing exactly to
  the line), components of the same rate are put together, and each part is charged
  its rate. A combo whose components all have one rate stays one part.
* Prices include VAT (the shelf price): a line's VAT is ``gross × rate / (100 + rate)``
  rounded to the đồng, and its amount before VAT is the difference.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shop import money

ZERO, FIVE, TEN, EXEMPT, UNDECLARED = "0", "5", "10", "exempt", "undeclared"
CATEGORIES = (ZERO, FIVE, TEN, EXEMPT, UNDECLARED)


@dataclass(frozen=True)
class Reduction:
    """10 % goods charged ``rate`` % from ``start`` to ``end`` (both included)."""

    start: date
    end: date
    rate: int
    basis: str


REDUCTIONS = (
    Reduction(date(2023, 7, 1), date(2023, 12, 31), 8, "Nghị định 44/2023/NĐ-CP"),
    Reduction(date(2024, 1, 1), date(2024, 6, 30), 8, "Nghị định 94/2023/NĐ-CP"),
    Reduction(date(2024, 7, 1), date(2024, 12, 31), 8, "Nghị định 72/2024/NĐ-CP"),
    Reduction(date(2025, 1, 1), date(2025, 6, 30), 8, "Nghị định 180/2024/NĐ-CP"),
    Reduction(date(2025, 7, 1), date(2026, 12, 31), 8, "Nghị định 174/2025/NĐ-CP"),
)


def reduction_on(day):
    return next((r for r in REDUCTIONS if r.start <= day <= r.end), None)


def rate(category, day, alcohol=False):
    """The rate in percent (an int), or the category itself for ``exempt``/``undeclared``."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown VAT category {category!r}")
    if category in (EXEMPT, UNDECLARED):
        return category
    if category == TEN and not alcohol:
        reduction = reduction_on(day)
        if reduction is not None:
            return reduction.rate
    return int(category)


def vat_included(gross, percent):
    """The VAT inside a VAT-inclusive ``gross`` at ``percent`` (whole đồng)."""
    if not isinstance(percent, int) or percent == 0:
        return Decimal(0)
    gross = Decimal(gross)
    return (gross * percent / (100 + percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def combo_parts(gross, components, day):
    """``[(rate, gross part), ...]`` of a combo line of ``gross`` đồng.

    ``components`` is ``[(category, alcohol, list price, quantity), ...]``; parts of the
    same rate are summed, in the order their rates first appear.
    """
    if not components:
        raise ValueError("a combo has components")
    rates = [rate(category, day, alcohol) for category, alcohol, _price, _qty in components]
    weights = [Decimal(price) * qty for _category, _alcohol, price, qty in components]
    shares = money.split(gross, weights)
    parts = {}
    for line_rate, share in zip(rates, shares, strict=True):
        parts[line_rate] = parts.get(line_rate, Decimal(0)) + share
    return list(parts.items())
