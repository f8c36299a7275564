"""The "chốt đơn" comment parser: real-looking comments from Facebook and TikTok lives."""

import random

import pytest

from shop.live.comments import (
    AMBIGUOUS_CODE,
    BAD_QUANTITY,
    NO_CODE,
    NO_PHONE,
    ParsedComment,
    fold,
    normalise_phone,
    parse_comment,
)

CODES = ["SAM2", "CF1", "A3"]
P = "0987654321"

CASES = [
    # phones in every common shape
    ("0987654321 SAM2 x2", P, "SAM2", 2, ()),
    ("0987.654.321 sam2 x2", P, "SAM2", 2, ()),
    ("0987 654 321 Sam2 x2", P, "SAM2", 2, ()),
    ("0987-654-321 chot cf1 2hop", P, "CF1", 2, ()),
    ("+84987654321 SAM2 *2", P, "SAM2", 2, ()),
    ("84987654321 lấy SAM2", P, "SAM2", None, ()),
    ("+84 987 654 321 A3 x 4", P, "A3", 4, ()),
    ("(+84)987654321 a3 2 gói", P, "A3", 2, ()),
    ("+84 0987654321 a3", P, "A3", None, ()),
    ("sđt0987654321 mua 3 A3", P, "A3", 3, ()),
    ("chốt 2 hộp cf1 sdt 0905.123.456", "0905123456", "CF1", 2, ()),
    ("lấy 1 A3 +84912345678", "0912345678", "A3", 1, ()),
    ("SAM2 x 3 0987 654 321", P, "SAM2", 3, ()),
    ("ib sdt 84912345678 lay A3 sl 2", "0912345678", "A3", 2, ()),
    ("inbox đt 0356 789 123 e lấy 2 chai cf1", "0356789123", "CF1", 2, ()),
    ("0567.111.222 CF1", "0567111222", "CF1", None, ()),
    ("0786-123-456 cf1 x10", "0786123456", "CF1", 10, ()),
    ("cf1 sl 5 đt 0834 567 890", "0834567890", "CF1", 5, ()),
    # quantities in every form
    ("SAM2 x 2 0987654321", P, "SAM2", 2, ()),
    ("SAM2 2 cái 0987654321", P, "SAM2", 2, ()),
    ("SAM2 2 cai 0987654321", P, "SAM2", 2, ()),
    ("cf1 3 túi 0987654321", P, "CF1", 3, ()),
    ("cf1 3 lọ 0987654321", P, "CF1", 3, ()),
    ("cf1 2 hũ 0987654321", P, "CF1", 2, ()),
    ("a3 4 phần 0987654321", P, "A3", 4, ()),
    ("a3 2 combo 0987654321", P, "A3", 2, ()),
    ("a3 2 sp 0987654321", P, "A3", 2, ()),
    ("lay 2 a3 0987654321", P, "A3", 2, ()),
    ("chot 3 SAM2 0987654321", P, "SAM2", 3, ()),
    ("0987654321 A3 sl: 2", P, "A3", 2, ()),
    ("0987654321 A3 số lượng 6", P, "A3", 6, ()),
    ("0987654321 A3 so luong: 6", P, "A3", 6, ()),
    ("0987654321 2 SAM2", P, "SAM2", 2, ()),
    ("cho mình 2 SAM2 0912345678", "0912345678", "SAM2", 2, ()),
    ("0987654321 hai hộp cf1", P, "CF1", 2, ()),
    ("0987654321 ba hop cf1", P, "CF1", 3, ()),
    ("0987654321 bốn gói A3", P, "A3", 4, ()),
    ("0987654321 năm chai CF1", P, "CF1", 5, ()),
    ("0987654321 một hộp CF1", P, "CF1", 1, ()),
    ("0987654321 SAM2x2", P, "SAM2", 2, ()),
    ("SAM2 0987654321", P, "SAM2", None, ()),
    ("0987654321 sam 2", P, "SAM2", None, ()),
    ("0987654321 lấy sam-2 2 hộp", P, "SAM2", 2, ()),
    ("CHỐT 99 HỘP CF1 0987654321", P, "CF1", 99, ()),
    # unreadable
    ("lay 2 cai SAM2 dt 09xx...", None, "SAM2", 2, (NO_PHONE,)),
    ("SAM2 x2 sdt 0987***321", None, "SAM2", 2, (NO_PHONE,)),
    ("k", None, None, None, (NO_PHONE, NO_CODE)),
    ("ok", None, None, None, (NO_PHONE, NO_CODE)),
    ("đẹp quá", None, None, None, (NO_PHONE, NO_CODE)),
    ("", None, None, None, (NO_PHONE, NO_CODE)),
    ("0987654321 lấy 2 hộp", P, None, 2, (NO_CODE,)),
    ("0987654321 SAM3", P, None, None, (NO_CODE,)),
    ("0987654321 SAM22 x2", P, None, 2, (NO_CODE,)),
    ("SAM2 x2", None, "SAM2", 2, (NO_PHONE,)),
    ("SAM2 987654321", None, "SAM2", None, (NO_PHONE,)),
    ("SAM2 0123456789", None, "SAM2", None, (NO_PHONE,)),
    ("SAM2 09876543210", None, "SAM2", None, (NO_PHONE,)),
    ("SAM2 0987 654", None, "SAM2", None, (NO_PHONE,)),
    ("0987654321 SAM2 CF1", P, None, None, (AMBIGUOUS_CODE,)),
    ("0987654321 sam2 x2 va a3 x1", P, None, None, (AMBIGUOUS_CODE, BAD_QUANTITY)),
    ("0987654321 SAM2 x0", P, "SAM2", None, (BAD_QUANTITY,)),
    ("0987654321 SAM2 sl 500", P, "SAM2", None, (BAD_QUANTITY,)),
    ("0987654321 SAM2 100 hop", P, "SAM2", None, (BAD_QUANTITY,)),
    ("0987654321 2 SAM2 x3", P, "SAM2", None, (BAD_QUANTITY,)),
    ("k có sđt, lấy 0 SAM2", None, "SAM2", None, (NO_PHONE, BAD_QUANTITY)),
]


@pytest.mark.parametrize(("text", "phone", "code", "quantity", "problems"), CASES)
def test_comment_table(text, phone, code, quantity, problems):
    parsed = parse_comment(text, CODES)
    assert parsed == ParsedComment(phone=phone, code=code, quantity=quantity, problems=problems)
    assert parsed.readable is (phone is not None and code is not None and not problems)


def test_table_is_large_and_varied():
    assert len(CASES) >= 45
    assert sum(1 for case in CASES if case[4]) >= 10


@pytest.mark.parametrize(("text", "phone", "code", "quantity", "problems"), CASES)
def test_spacing_and_case_do_not_change_the_result(text, phone, code, quantity, problems):
    rng = random.Random(text)
    expected = parse_comment(text, CODES)
    for _ in range(5):
        words = text.split(" ")
        noisy = (" " * rng.randint(1, 3)).join(words)
        noisy = " " * rng.randint(0, 2) + noisy + " " * rng.randint(0, 2)
        noisy = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in noisy)
        assert parse_comment(noisy, CODES) == expected, noisy


def test_code_is_returned_as_the_seller_announced_it():
    assert parse_comment("0987654321 sam2", ["Sam2"]).code == "Sam2"
    assert parse_comment("0987654321 ĐẬU1 x2", ["Đậu1"]).code == "Đậu1"
    assert parse_comment("0987654321 dau1 x2", ["Đậu1"]).code == "Đậu1"


def test_codes_order_and_duplicates_do_not_matter():
    for codes in (["A3", "CF1", "SAM2"], ["sam2", "SAM2", "cf1", "A3"], ("SAM2",)):
        assert parse_comment("0987654321 SAM2 x2", codes).code in ("SAM2", "sam2")
    assert parse_comment("0987654321 SAM2 x2", []).problems == (NO_CODE,)
    assert parse_comment("0987654321 SAM2 x2", ["", "  "]).problems == (NO_CODE,)


def test_longer_code_is_not_mistaken_for_a_shorter_one():
    codes = ["SAM", "SAM2"]
    assert parse_comment("0987654321 sam2 x2", codes).code == "SAM2"
    assert parse_comment("0987654321 sam x2", codes).code == "SAM"
    # "sam 2" is the code SAM then a number before nothing: SAM itself is announced
    assert parse_comment("0987654321 sam 2 hop", codes) == ParsedComment(P, "SAM", 2, ())


def test_the_codes_digits_and_the_phones_digits_are_never_a_quantity():
    assert parse_comment("SAM2 0987654321", CODES).quantity is None
    assert parse_comment("cf1 0905 123 456", CODES) == ParsedComment("0905123456", "CF1", None, ())
    assert parse_comment("A3 x 2 0987 654 321", CODES).quantity == 2


def test_the_first_of_two_phones_counts():
    parsed = parse_comment("0987654321 hoặc 0912345678 SAM2", CODES)
    assert parsed.phone == P


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_prefix_is_accepted(prefix):
    number = prefix + "12345678"
    assert normalise_phone(number) == number
    assert normalise_phone("84" + number[1:]) == number
    assert parse_comment(f"SAM2 +84 {number[1:4]} {number[4:7]} {number[7:]}", CODES).phone == number


@pytest.mark.parametrize("prefix", ["01", "02", "04", "06"])
def test_other_prefixes_are_no_mobile(prefix):
    assert normalise_phone(prefix + "12345678") is None
    assert parse_comment(f"SAM2 {prefix}12345678", CODES).problems == (NO_PHONE,)


def test_fold_strips_vietnamese_diacritics():
    assert fold("Chốt ĐƠN Số Lượng Hũ Lọ Túi Phần") == "chot don so luong hu lo tui phan"
