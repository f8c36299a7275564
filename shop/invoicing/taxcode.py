"""The buyer's tax code on an invoice (mã số thuế), checked before the sale is written.

Rules:

* An organisation's tax code has 10 digits; its last is a check digit over the first
  nine: ``10 − (Σ digit × weight mod 11)`` with the weights 31, 29, 23, 19, 17, 13,
  7, 5, 3. A result of 10 is never issued, so such a code is wrong.
* A dependent unit (a branch) adds a three-digit suffix: ``0101234567-001`` (the
  10-digit code must itself be valid; the suffix is 001–999).
* Since 1 July 2025 a person's tax code is the 12-digit citizen identity number
  (số định danh cá nhân); it carries no check digit, only its length is checked.
* Spaces and dots people type are dropped; anything else is refused with a message
  in the user's language.
"""

import re

from django.utils.translation import gettext as _

from shop.core.numbers import is_digits

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TYPED = re.compile(r"[\s.]")


class InvalidTaxCode(ValueError):
    pass


def check_digit(first_nine):
    """The 10th digit of an organisation's code, or None when the nine digits allow none."""
    digit = 10 - sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    return None if digit == 10 else digit


def normalise(value):
    """The tax code as it is printed (digits, and a dash before a branch suffix);
    raises InvalidTaxCode with the reason."""
    code = _TYPED.sub("", str(value or ""))
    if not code:
        raise InvalidTaxCode(_("Hãy nhập mã số thuế."))
    main, dash, branch = code.partition("-")
    if not is_digits(main) or (dash and not (is_digits(branch) and len(branch) == 3)):
        raise InvalidTaxCode(_("Mã số thuế chỉ gồm chữ số (mã chi nhánh sau dấu “-” gồm 3 chữ số)."))
    if len(main) == 12 and not dash:
        return main  # a person's citizen identity number
    if len(main) != 10:
        raise InvalidTaxCode(_("Mã số thuế gồm 10 chữ số (chi nhánh: 10 chữ số, “-” và 3 chữ số) "
                               "hoặc là số định danh cá nhân 12 chữ số."))
    if check_digit(main[:9]) != int(main[9]):
        raise InvalidTaxCode(_("Mã số thuế %(code)s không đúng (sai chữ số kiểm tra).") % {"code": main})
    if dash and branch == "000":
        raise InvalidTaxCode(_("Mã chi nhánh phải từ 001 đến 999."))
    return f"{main}-{branch}" if dash else main


def is_valid(value):
    try:
        normalise(value)
    except InvalidTaxCode:
        return False
    return True
