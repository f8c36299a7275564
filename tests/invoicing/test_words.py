"""Amounts in Vietnamese words, over a table of numbers (shop.invoicing.words)."""

import pytest

from shop.invoicing.words import amount_in_words

TABLE = [
    (0, "Không đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (100, "Một trăm đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (10_000, "Mười nghìn đồng"),
    (45_000, "Bốn mươi lăm nghìn đồng"),
    (120_500, "Một trăm hai mươi nghìn năm trăm đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_518_000, "Một triệu năm trăm mười tám nghìn đồng"),
    (20_015_000, "Hai mươi triệu không trăm mười lăm nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_001, "Một tỷ không trăm linh một đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (-45_000, "Âm bốn mươi lăm nghìn đồng"),
]


@pytest.mark.parametrize(("amount", "words"), TABLE)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_a_fraction_of_a_dong_is_refused():
    with pytest.raises(ValueError):
        amount_in_words("1000.5")
