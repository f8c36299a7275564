"""VAT rates by category and day (shop.invoicing.vat)."""

from datetime import date
from decimal import Decimal

import pytest

from shop.invoicing import vat


@pytest.mark.parametrize(("category", "day", "alcohol", "expected"), [
    ("10", date(2026, 11, 30), False, 8),      # inside the 2025–2026 reduction
    ("10", date(2026, 11, 30), True, 10),      # alcohol is never reduced
    ("10", date(2027, 1, 1), False, 10),       # after it
    ("10", date(2025, 6, 30), False, 8),       # the end day of the earlier one
    ("10", date(2023, 6, 30), False, 10),      # before the first
    ("5", date(2026, 11, 30), False, 5),
    ("0", date(2026, 11, 30), False, 0),
    ("exempt", date(2026, 11, 30), False, "exempt"),
    ("undeclared", date(2026, 11, 30), False, "undeclared"),
])
def test_rate_on_a_day(category, day, alcohol, expected):
    assert vat.rate(category, day, alcohol=alcohol) == expected


def test_an_unknown_category_is_refused():
    with pytest.raises(ValueError):
        vat.rate("7", date(2026, 1, 1))


@pytest.mark.parametrize(("gross", "percent", "tax"), [
    (Decimal(108000), 8, Decimal(8000)),
    (Decimal(110000), 10, Decimal(10000)),
    (Decimal(105000), 5, Decimal(5000)),
    (Decimal(99999), 8, Decimal(7407)),   # 7407.33 → 7407
    (Decimal(50000), 0, Decimal(0)),
    (Decimal(50000), "exempt", Decimal(0)),
])
def test_vat_inside_a_shelf_price(gross, percent, tax):
    assert vat.vat_included(gross, percent) == tax


def test_a_combo_splits_into_its_components_rates():
    day = date(2026, 11, 30)
    # coffee 10 % (8 % today) ×2 at 110.000, rice wine 10 % (alcohol: 10 %) ×1 at 350.000,
    # honey 5 % ×1 at 160.000; the combo sells at 572.000
    parts = vat.combo_parts(Decimal(572000), [
        ("10", False, Decimal(110000), 2), ("10", True, Decimal(350000), 1),
        ("5", False, Decimal(160000), 1),
    ], day)
    assert [rate for rate, _ in parts] == [8, 10, 5]
    assert sum(amount for _, amount in parts) == Decimal(572000)  # to the đồng
    # in proportion to 220.000 : 350.000 : 160.000 (172.383,56 / 274.246,58 / 125.369,86:
    # the two đồng left go to the largest remainders)
    assert [amount for _, amount in parts] == [Decimal(172383), Decimal(274247), Decimal(125370)]


def test_a_combo_of_one_rate_stays_one_part():
    parts = vat.combo_parts(Decimal(379000), [("10", False, Decimal(110000), 2),
                                              ("10", False, Decimal(160000), 1)], date(2027, 3, 1))
    assert parts == [(10, Decimal(379000))]
