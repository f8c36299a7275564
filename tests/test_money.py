"""shop.money, the one home of đồng arithmetic: reading, rounding, cash, splitting, showing."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shop import money

# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (150000, D("150000")), ("150000", D("150000")), (" 42 ", D("42")), (D("12.000"), D("12")),
    (12.0, D("12")), (-500, D("-500")), ("1E+3", D("1000")),
    ("150.000", D("150")),  # without grouped=True a dot is a decimal point (JSON, APIs)
    ("1e99", D("1e99")),  # whole, if absurd: the caller says it is too large
])
def test_parse_reads_whole_dong(value, expected):
    amount = money.parse(value)
    assert amount == expected and amount == amount.to_integral_value()


@pytest.mark.parametrize("value, code", [
    ("12.5", "fraction"), (D("0.1"), "fraction"), ("abc", "invalid"), ("", "invalid"),
    (None, "invalid"), (True, "invalid"), ("Infinity", "not_finite"), ("NaN", "not_finite"),
])
def test_parse_refuses_what_is_not_whole_dong(value, code):
    with pytest.raises(money.MoneyError) as caught:
        money.parse(value)
    assert caught.value.code == code


@pytest.mark.parametrize("text, expected", [
    ("150.000", 150000), ("1,250,000", 1250000), ("1 250 000", 1250000),
    ("1.250.000 ₫", 1250000), ("150.000đ", 150000), ("1\u00a0250\u00a0000", 1250000),
])
def test_parse_grouped_reads_what_people_type(text, expected):
    assert money.parse(text, grouped=True) == expected


def test_parse_grouped_needs_one_separator_throughout():
    with pytest.raises(money.MoneyError):
        money.parse("1.250,000", grouped=True)
    with pytest.raises(money.MoneyError) as caught:
        money.parse("1.5", grouped=True)
    assert caught.value.code == "fraction"


def test_whole_dong_is_a_price_never_negative_never_a_fraction():
    assert money.whole_dong("250000") == D("250000")
    for bad in (D("10.5"), -1, "abc"):
        with pytest.raises(ValidationError):
            money.whole_dong(bad)


def test_to_int_for_the_wire_refuses_floats_and_fractions():
    assert money.to_int(D("13000")) == 13000 and isinstance(money.to_int(D("13000")), int)
    with pytest.raises(TypeError):
        money.to_int(13000.0)
    with pytest.raises(ValueError):
        money.to_int(D("13000.5"))


# --- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("12345.5", 12346), ("12345.49", 12345), ("-12345.5", -12346), ("0.5", 1), (7, 7),
])
def test_dong_rounds_half_up(value, expected):
    assert money.dong(D(value)) == expected


def test_a_discount_rounds_down():
    assert money.round_discount(D("12345.70")) == 12345
    assert money.round_discount(D("0.99"), "VND") == 0


@pytest.mark.parametrize("amount, unit, expected", [
    (304300, 500, 304500), (304249, 500, 304000), (304250, 500, 304500),
    (169800, 1000, 170000), (169499, 1000, 169000), (169801, 0, 169801),
])
def test_cash_rounds_half_up_to_the_unit(amount, unit, expected):
    assert money.round_cash(D(amount), unit) == expected


def test_cash_unit_comes_from_the_settings(settings):
    settings.POS_CASH_ROUNDING = 1000
    assert money.cash_rounding_unit() == 1000
    assert money.round_cash(D("12500")) == 13000
    settings.POS_CASH_ROUNDING = 0
    assert money.round_cash(D("12500.4")) == 12500


# --- splitting -----------------------------------------------------------------------------


def test_split_gives_the_leftover_dong_to_the_largest_remainders_then_the_first_listed():
    assert money.split(100, [1, 1, 1]) == [34, 33, 33]
    assert money.split(10, [2, 4, 7]) == [2, 3, 5]
    assert money.split(7, [5, 5, 5, 5]) == [2, 2, 2, 1]
    assert money.split(D("99999"), [99999, 50001]) == [D("66665"), D("33334")]


def test_split_over_zero_weights_uses_the_fallback_or_equal_parts():
    assert money.split(10, [0, 0], when_all_zero=[1, 4]) == [2, 8]
    assert money.split(10, [0, 0, 0]) == [4, 3, 3]


def test_split_refuses_nonsense():
    with pytest.raises(ValueError):
        money.split(100, [])
    with pytest.raises(ValueError):
        money.split(100, [1, -1])
    with pytest.raises(ValueError):
        money.split(100, [D("1.5")])
    with pytest.raises(ValueError):
        money.split(100, [0, 0], when_all_zero=[0, 0])
    with pytest.raises(ValidationError):
        money.split(D("10.5"), [1])


@given(amount=st.integers(0, 10**10), weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=9))
def test_split_sums_exactly_and_each_part_is_within_one_dong_of_its_exact_share(amount, weights):
    parts = money.split(amount, weights)
    assert sum(parts) == amount
    used = weights if any(weights) else [1] * len(weights)
    for part, weight in zip(parts, used, strict=True):
        assert part == part.to_integral_value() and part >= 0
        assert abs(part - D(amount) * weight / sum(used)) < 1


# --- showing -------------------------------------------------------------------------------


@pytest.mark.parametrize("amount, vi, en", [
    (D("1250000"), "1.250.000 ₫", "₫1,250,000"), (0, "0 ₫", "₫0"),
    (D("-1000"), "-1.000 ₫", "-₫1,000"), (D("999.5"), "1.000 ₫", "₫1,000"), (None, "0 ₫", "₫0"),
])
def test_format_vnd_in_vietnamese_and_english(amount, vi, en):
    assert money.format_vnd(amount) == vi
    assert money.format_vnd(amount, "vi") == vi
    assert money.format_vnd(amount, "en") == en
    assert money.group_digits(amount, "vi") == vi.removesuffix(" ₫")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("amount", [D("1250000"), D("0"), D("999"), D("-25000"), D("123456789012")])
def test_display_vnd_is_what_templates_show(language, amount):
    """Python (reports, form labels) and templates (Oscar's currency filter) write the same text."""
    with translation.override(language):
        shown = Template("{% load currency_filters %}{{ v|currency:'VND' }}").render(
            Context({"v": amount}))
        assert money.display_vnd(amount) == shown
    assert money.display_vnd(amount, language) == shown


def test_the_old_homes_are_the_same_functions():
    """pos.money and shop.rounding keep their names for older imports: one implementation."""
    from pos import money as till_money
    from shop import rounding

    assert till_money.format_vnd is money.format_vnd
    assert till_money.round_cash is money.round_cash
    assert rounding.round_discount is money.round_discount
