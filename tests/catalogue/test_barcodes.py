"""GTIN-13 check digits, validation messages, in-store codes and the EAN-13 bars."""

import pytest
from django.core.exceptions import ValidationError

from catalogue import barcodes
from catalogue.models import Product
from tests.factories import make_product


@pytest.mark.parametrize(
    "code",
    ["4006381333931", "5901234123457", "8934588063053", "8935049500520", "2000000000015"],
)
def test_valid_gtins(code):
    assert barcodes.check_digit(code[:12]) == int(code[12])
    assert barcodes.is_valid_gtin13(code)
    barcodes.validate_gtin13(code)


def test_check_digit_zero_case():
    # 12 digits whose weighted sum is a multiple of 10 end in 0, not 10.
    assert barcodes.with_check_digit("893000000002")[-1] in "0123456789"
    assert barcodes.check_digit("000000000000") == 0


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("893458806305", "đúng 13 chữ số"),
        ("89345880630534", "đúng 13 chữ số"),
        ("8934588O63053", "chỉ được gồm chữ số"),
        ("893-458806305", "chỉ được gồm chữ số"),
        ("８９３４５８８０６３０５３", "chỉ được gồm chữ số"),  # full-width digits
        ("8934588063054", "chữ số cuối phải là 3"),
        ("", "để trống"),
    ],
)
def test_bad_codes_are_refused_with_a_clear_message(code, fragment):
    with pytest.raises(ValidationError) as exc:
        barcodes.validate_gtin13(code)
    assert fragment in exc.value.messages[0]


def test_gs1_vietnam_and_internal_prefixes():
    assert barcodes.is_gs1_vietnam("8934588063053")
    assert not barcodes.is_gs1_vietnam("4006381333931")
    assert barcodes.is_internal(barcodes.internal_code(42))
    assert not barcodes.is_internal("8934588063053")


def test_internal_code_layout():
    code = barcodes.internal_code(42)
    assert code.startswith("20") and code[2:12] == "0000000042"
    assert barcodes.is_valid_gtin13(code)
    with pytest.raises(ValueError):
        barcodes.internal_code(10**10)


@pytest.mark.django_db
def test_ensure_barcode_gives_a_valid_unique_code_only_when_missing():
    with_code = make_product(upc="8934588063053")
    assert barcodes.ensure_barcode(with_code) == "8934588063053"
    products = [make_product(upc=None) for _ in range(3)]
    codes = [barcodes.ensure_barcode(p) for p in products]
    assert len(set(codes)) == 3
    for product, code in zip(products, codes, strict=True):
        assert barcodes.is_internal(code)
        product.refresh_from_db()
        assert product.upc == code
    # Asking again changes nothing.
    assert barcodes.ensure_barcode(products[0]) == codes[0]


@pytest.mark.django_db
def test_ensure_barcode_avoids_a_code_someone_typed_by_hand():
    product = make_product(upc=None)
    squatter = make_product(upc=barcodes.internal_code(product.pk))
    code = barcodes.ensure_barcode(product)
    assert code != squatter.upc
    assert barcodes.is_internal(code)
    assert Product.objects.filter(upc=code).count() == 1


@pytest.mark.django_db
def test_product_clean_refuses_a_bad_upc():
    product = make_product(upc=None)
    product.upc = "8934588063054"
    with pytest.raises(ValidationError) as exc:
        product.full_clean()
    assert "chữ số cuối phải là 3" in exc.value.message_dict["upc"][0]
    product.upc = " 8934588063053 "
    product.full_clean()
    assert product.upc == "8934588063053"


def test_ean13_modules_follow_the_standard_tables():
    modules = barcodes.ean13_modules("4006381333931")
    assert len(modules) == 95
    assert modules[:3] == "101" and modules[45:50] == "01010" and modules[-3:] == "101"
    # First digit 4 → parity LGLLGG; second digit 0 in L code is 0001101.
    assert modules[3:10] == "0001101"
    # Third digit 0 in G code is 0100111.
    assert modules[10:17] == "0100111"
    # Right half: digit 3 in R code is 1000010.
    assert modules[50:57] == "1000010"


def test_ean13_svg_draws_bars_and_digits():
    svg = barcodes.ean13_svg("8934588063053")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") > 20
    # The first digit stands left of the bars, then the two halves of six digits.
    assert ">8<" in svg and ">934588<" in svg and ">063053<" in svg
    with pytest.raises(ValidationError):
        barcodes.ean13_svg("123")
