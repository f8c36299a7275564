"""The Vietnamese tax-code checksum (shop.invoicing.taxcode)."""

import pytest

from shop.invoicing import taxcode


def valid_code(first_nine):
    return first_nine + str(taxcode.check_digit(first_nine))


def test_check_digit_by_hand():
    # 0100109106: 0·31 + 1·29 + 0·23 + 0·19 + 1·17 + 0·13 + 9·7 + 1·5 + 0·3 = 114;
    # 114 mod 11 = 4; 10 − 4 = 6
    assert taxcode.check_digit("010010910") == 6
    assert taxcode.normalise("0100109106") == "0100109106"


@pytest.mark.parametrize("typed", ["0100 109 106", "0100.109.106", " 0100109106 "])
def test_what_people_type_is_tidied(typed):
    assert taxcode.normalise(typed) == "0100109106"


def test_a_branch_and_a_person():
    assert taxcode.normalise("0100109106-001") == "0100109106-001"
    assert taxcode.normalise("079203001234") == "079203001234"


@pytest.mark.parametrize("wrong", [
    "0100109107",       # check digit off by one
    "010010910",        # nine digits
    "01001091060",      # eleven digits
    "0100109106-01",    # branch of two digits
    "0100109106-000",   # no branch 000
    "0100109107-001",   # branch of a wrong code
    "01001O9106",       # a letter O
    "",
])
def test_wrong_codes_are_refused_with_a_reason(wrong):
    with pytest.raises(taxcode.InvalidTaxCode) as refused:
        taxcode.normalise(wrong)
    assert str(refused.value)
    assert taxcode.is_valid(wrong) is False


def test_every_nine_digits_either_have_their_check_digit_or_none():
    for first_nine in ("360123456", "620000001", "010000000", "999999999"):
        digit = taxcode.check_digit(first_nine)
        if digit is None:
            assert not any(taxcode.is_valid(first_nine + str(d)) for d in range(10))
        else:
            assert [d for d in range(10) if taxcode.is_valid(first_nine + str(d))] == [digit]
