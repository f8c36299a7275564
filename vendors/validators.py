"""Checks on a producer's identity and settlement details."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 10 digits (enterprise, cooperative), 10 + "-" + 3 (a dependent unit / branch),
# or 12 digits: since 1 July 2025 individuals and household businesses use their
# personal identification number as tax code (Circular 86/2024/TT-BTC).
TAX_CODE = re.compile(r"^(\d{10}(-\d{3})?|\d{12})$")
BANK_ACCOUNT = re.compile(r"^\d{6,19}$")


def normalize_tax_code(value):
    return (value or "").strip().replace(" ", "")


def tax_code_error(value):
    code = normalize_tax_code(value)
    if TAX_CODE.match(code):
        return None
    return _(
        "Mã số thuế “%(code)s” không hợp lệ: phải gồm 10 chữ số (ví dụ 6100123456), "
        "hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh, đơn vị phụ thuộc "
        "(ví dụ 6100123456-001), hoặc 12 chữ số số định danh cá nhân với hộ kinh doanh."
    ) % {"code": value}


def validate_tax_code(value):
    message = tax_code_error(value)
    if message:
        raise ValidationError(message, code="invalid_tax_code")


def validate_bank_account(value):
    code = (value or "").strip().replace(" ", "")
    if not BANK_ACCOUNT.match(code):
        raise ValidationError(
            _("Số tài khoản ngân hàng chỉ gồm chữ số, từ 6 đến 19 chữ số."),
            code="invalid_bank_account",
        )
