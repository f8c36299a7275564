"""Producer profile: tax code, settlement account, logo."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import jpeg_bytes, make_vendor
from vendors.validators import tax_code_error, validate_bank_account, validate_tax_code


@pytest.mark.parametrize(
    "code", ["6100123456", "6100123456-001", " 6100123456 ", "079123456789"]
)
def test_good_tax_codes(code):
    validate_tax_code(code)


@pytest.mark.parametrize(
    "code",
    ["610012345", "61001234567", "6100123456-01", "6100123456-0001", "6100123456_001",
     "61OO123456", "6100123456-", "MST6100123456", "", "01234567890"],
)
def test_bad_tax_codes_are_refused_with_a_clear_message(code):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(code)
    message = exc.value.messages[0]
    assert "Mã số thuế" in message and "10 chữ số" in message and "6100123456-001" in message


def test_tax_code_error_names_the_code():
    assert "“12345”" in tax_code_error("12345")


@pytest.mark.parametrize("number, ok", [("0123456789", True), ("19036 8881 2345", True),
                                         ("12345", False), ("12a456789", False), ("1" * 20, False)])
def test_bank_account_number(number, ok):
    if ok:
        validate_bank_account(number)
    else:
        with pytest.raises(ValidationError):
            validate_bank_account(number)


@pytest.mark.django_db
def test_vendor_full_clean_normalises_codes():
    vendor = make_vendor(bank_name="Agribank", bank_account_holder="HTX ĐĂK MAR")
    vendor.tax_code = "6100 123 456"
    vendor.bank_account_number = "0123 456 789"
    vendor.full_clean()
    assert vendor.tax_code == "6100123456"
    assert vendor.bank_account_number == "0123456789"


@pytest.mark.django_db
def test_vendor_settlement_needs_bank_and_holder():
    vendor = make_vendor(tax_code="6100123456")
    vendor.bank_account_number = "0123456789"
    with pytest.raises(ValidationError) as exc:
        vendor.full_clean()
    assert "ngân hàng, số tài khoản và chủ tài khoản" in exc.value.messages[0]
    vendor.bank_name = "Agribank chi nhánh Đăk Hà"
    vendor.bank_account_holder = "htx nông nghiệp đăk mar"
    vendor.full_clean()
    assert vendor.bank_account_holder == "HTX NÔNG NGHIỆP ĐĂK MAR"


@pytest.mark.django_db
def test_vendor_tax_code_refused_in_model_validation():
    vendor = make_vendor()
    vendor.tax_code = "123"
    with pytest.raises(ValidationError) as exc:
        vendor.full_clean()
    assert "tax_code" in exc.value.message_dict


@pytest.mark.django_db
def test_vendor_logo_must_be_a_real_image():
    vendor = make_vendor()
    vendor.logo = SimpleUploadedFile("logo.png", b"MZ\x90\x00" + b"\x00" * 100, "image/png")
    with pytest.raises(ValidationError) as exc:
        vendor.full_clean()
    assert "không phải là ảnh hợp lệ" in " ".join(exc.value.message_dict["logo"])
    vendor.logo = SimpleUploadedFile("logo.jpg", jpeg_bytes(), "image/jpeg")
    vendor.full_clean()
    vendor.save()
    vendor.refresh_from_db()
    assert vendor.logo.name.startswith("vendors/logos/")
